"""The 適職診断 in the editors' workspace: questions with their 2〜4 answers (drafted
and published with their question)."""

from django.contrib import admin

from careers.admin.aids import FieldAidsMixin
from careers.admin.content import ContentAdmin
from careers.models import DiagnosisAnswer, DiagnosisQuestion


class DiagnosisAnswerInline(FieldAidsMixin, admin.StackedInline):
    """2〜4 answers per question; weights are checked against the roles (model clean)."""

    model = DiagnosisAnswer
    extra = 0
    min_num = 2
    max_num = 4
    validate_min = validate_max = True
    fields = ["slug", "label", "reason", "experience", "weights", "order"]


@admin.register(DiagnosisQuestion)
class DiagnosisQuestionAdmin(ContentAdmin):
    list_display = ["text", "slug", "order"]
    search_fields = ["text", "slug", "answers__label"]
    inlines = [DiagnosisAnswerInline]
