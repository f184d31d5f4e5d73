from careers.models.consultations import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.content import ContentRevision, Faq, Office, Page, Point, Role, Term
from careers.models.diagnosis import DiagnosisAnswer, DiagnosisQuestion
from careers.models.roles import Figure, Qualification, RoleDayItem, RoleFaq

# What editors keep up to date: saving or deleting any of these changes a public
# page (the page cache's revision is bumped; editors get rights on each).
CONTENT_MODELS = (
    Office,
    Role,
    Point,
    Faq,
    RoleDayItem,
    Qualification,
    RoleFaq,
    Figure,
    Page,
    Term,
    DiagnosisQuestion,
    DiagnosisAnswer,
)

__all__ = [
    "CONTENT_MODELS",
    "AccessLog",
    "ConsultationNote",
    "ConsultationRequest",
    "ContentRevision",
    "DiagnosisAnswer",
    "DiagnosisQuestion",
    "Faq",
    "Figure",
    "Office",
    "Page",
    "Point",
    "Qualification",
    "Role",
    "RoleDayItem",
    "RoleFaq",
    "Term",
]
