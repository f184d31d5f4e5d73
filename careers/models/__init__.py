from careers.models.consultations import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.content import Faq, Office, Page, Point, Role, Term

__all__ = [
    "AccessLog",
    "ConsultationNote",
    "ConsultationRequest",
    "Faq",
    "Office",
    "Page",
    "Point",
    "Role",
    "Term",
]
