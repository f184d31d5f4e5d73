"""The request page's own form (status, close reason, assignee) and its note box."""

from django import forms
from django.contrib import admin

from careers.models import ConsultationNote, ConsultationRequest


class ConsultationRequestAdminForm(forms.ModelForm):
    class Meta:
        model = ConsultationRequest
        fields = ["status", "close_reason", "assignee"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ConsultationRequest.Status.CLOSED:
            if not cleaned.get("close_reason"):
                self.add_error(
                    "close_reason", "クローズするときは、クローズ理由を選択してください。"
                )
        else:
            cleaned["close_reason"] = ""
        return cleaned


class NewNoteInline(admin.StackedInline):
    """One blank note to add; author and time are filled in on save. Saved notes are
    in the timeline (never edited)."""

    model = ConsultationNote
    verbose_name = verbose_name_plural = "対応メモを追加"
    fields = ["body"]
    extra = 1
    max_num = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
