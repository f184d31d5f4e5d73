from careers.models.consultations import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.content import ContentRevision, Faq, Office, Page, Point, Role, Term
from careers.models.diagnosis import DiagnosisAnswer, DiagnosisQuestion
from careers.models.emails import EmailDelivery

__all__ = [
    "AccessLog",
    "ConsultationNote",
    "ConsultationRequest",
    "ContentRevision",
    "DiagnosisAnswer",
    "DiagnosisQuestion",
    "EmailDelivery",
    "Faq",
    "Office",
    "Page",
    "Point",
    "Role",
    "Term",
]
