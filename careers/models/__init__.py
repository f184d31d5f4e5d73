from careers.models.base import ContentRevision
from careers.models.consultations import AccessLog, ConsultationNote, ConsultationRequest
from careers.models.content import Faq, Office, Page, Point, Role, Term
from careers.models.diagnosis import DiagnosisAnswer, DiagnosisQuestion
from careers.models.emails import EmailDelivery
from careers.models.replies import AgentReply, ReplyTemplate
from careers.models.revisions import Revision
from careers.models.roles import Figure, Qualification, RoleDayItem, RoleFaq
from careers.models.work import ContactLog, RequestEvent

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
    "AgentReply",
    "ConsultationNote",
    "ConsultationRequest",
    "ContactLog",
    "ContentRevision",
    "DiagnosisAnswer",
    "DiagnosisQuestion",
    "EmailDelivery",
    "Faq",
    "Figure",
    "Office",
    "Page",
    "Point",
    "Qualification",
    "ReplyTemplate",
    "RequestEvent",
    "Revision",
    "Role",
    "RoleDayItem",
    "RoleFaq",
    "Term",
]
