from careers.models.consultations import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.content import ContentRevision, Faq, Office, Page, Point, Role, Term
from careers.models.diagnosis import DiagnosisAnswer, DiagnosisQuestion

__all__ = [
    "AccessLog",
    "ConsultationNote",
    "ConsultationRequest",
    "ContentRevision",
    "DiagnosisAnswer",
    "DiagnosisQuestion",
    "Faq",
    "Office",
    "Page",
    "Point",
    "Role",
    "Term",
]
