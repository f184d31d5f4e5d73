from careers.models.content import Faq, Office, Page, Point, Role, Term

__all__ = ["Faq", "Office", "Page", "Point", "Role", "Term"]
