from careers.models.consultations import ConsultationRequest
from careers.models.content import Faq, Office, Page, Point, Role, Term

__all__ = ["ConsultationRequest", "Faq", "Office", "Page", "Point", "Role", "Term"]
