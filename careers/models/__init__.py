from careers.models.consultations import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.content import Faq, Office, Page, Point, Role, Term
from careers.models.diagnosis import DiagnosisAnswer, DiagnosisQuestion

__all__ = [
    "AccessLog",
    "ConsultationNote",
    "ConsultationRequest",
    "DiagnosisAnswer",
    "DiagnosisQuestion",
    "Faq",
    "Office",
    "Page",
    "Point",
    "Role",
    "Term",
]
