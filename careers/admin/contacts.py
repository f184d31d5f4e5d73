"""Logging a contact from the request page: channel, result, next action and its date.

A phone call that goes against what the reader chose (「電話は不要」, メールのみ, or
outside their time band; careers/preferences.py) is not refused but asked about:
the form comes back saying why, with a reason field that must be filled, and the
reason goes into the timeline.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from careers import services_agents
from careers.models import ContactLog
from careers.preferences import call_concerns


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactLog
        fields = ["channel", "result", "contacted_at", "next_action", "next_action_on"]
        widgets = {
            "channel": forms.RadioSelect,
            "result": forms.RadioSelect,
            "next_action_on": forms.DateInput(attrs={"type": "date"}),
        }

    override_reason = forms.CharField(
        label="希望と異なる連絡をする理由",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.concerns = []
        self.fields["contacted_at"].help_text = "例: 2026-05-12 14:05（空なら今）"
        self.fields["contacted_at"].required = False

    def clean(self):
        cleaned = super().clean()
        cleaned["contacted_at"] = cleaned.get("contacted_at") or timezone.now()
        if cleaned.get("channel") == ContactLog.Channel.PHONE:
            self.concerns = call_concerns(self.consultation, cleaned["contacted_at"])
            if self.concerns and not cleaned.get("override_reason", "").strip():
                self.add_error(
                    "override_reason",
                    "相談者の希望と異なる電話です。記録する理由を入力してください。",
                )
        return cleaned


def contact_view(model_admin, request, consultation):
    """The contact form of `consultation` (already checked visible and changeable)."""
    form = ContactForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services_agents.log_contact(
            consultation=consultation,
            author=request.user,
            channel=data["channel"],
            result=data["result"],
            contacted_at=data["contacted_at"],
            next_action=data["next_action"],
            next_action_on=data["next_action_on"],
            override_reason=data["override_reason"],
        )
        model_admin.message_user(request, "連絡を記録しました。", messages.SUCCESS)
        return redirect("admin:careers_consultationrequest_change", consultation.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": consultation,
        "title": f"{consultation.reference} の連絡を記録する",
        "form": form,
        # Shown before the agent calls, too: the reader's wishes right now.
        "concerns": form.concerns or call_concerns(consultation, timezone.now()),
    }
    return TemplateResponse(request, "admin/careers/consultationrequest/contact.html", context)
