"""Replies from the request page: choose a template, edit, send (through the worker).

Step one (GET `?template=…&dates=…`) fills the chosen template's placeholders
(careers/placeholders.py) into the form; step two (POST) sends what the agent
edited. The form carries a one-time token, so a double click sends one email.
Templates are written by superusers only (no group has rights on them).
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from careers import services_agents
from careers.models import ReplyTemplate
from careers.models.replies import validate_placeholders
from careers.placeholders import HELP_TEXT, fill, used_values


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "order", "updated_at"]
    search_fields = ["name", "subject", "body"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


def parse_dates(text: str) -> list:
    """Proposed interview dates, one a line (`2026-05-12 14:00` or with slashes), as
    aware datetimes in the current time zone. Raises ValidationError naming the
    first line that is not a date and time."""
    field = forms.DateTimeField(input_formats=["%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"])
    moments = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        try:
            moments.append(field.clean(line))
        except forms.ValidationError:
            raise forms.ValidationError(
                f"「{line}」を日時として読めません。例: 2026-05-12 14:00"
            ) from None
    return moments


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        label="テンプレート",
        queryset=ReplyTemplate.objects.all(),
        required=False,
        empty_label="使わない",
    )
    dates = forms.CharField(
        label="面談候補日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="1行に1つ。例: 2026-05-12 14:00（{面談候補日} に差し込まれます）",
    )
    subject = forms.CharField(label="件名", max_length=150, validators=[validate_placeholders])
    body = forms.CharField(
        label="本文",
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 16}),
        validators=[validate_placeholders],
        help_text=HELP_TEXT,
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_dates(self):
        return parse_dates(self.cleaned_data["dates"])

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("subject", "") + cleaned.get("body", "")
        if "dates" in used_values(text) and not cleaned.get("dates"):
            self.add_error("dates", "本文に {面談候補日} があります。候補日を入力してください。")
        return cleaned


def reply_view(model_admin, request, consultation):
    """The reply form of `consultation` (already checked visible and changeable)."""
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid() and consultation.anonymized_at is None:
            data = form.cleaned_data
            _, created = services_agents.send_reply(
                consultation=consultation,
                author=request.user,
                subject=data["subject"],
                body=data["body"],
                token=data["token"],
                template=data["template"],
                dates=data["dates"],
            )
            if created:
                model_admin.message_user(request, "返信を送信待ちにしました。", messages.SUCCESS)
            return redirect("admin:careers_consultationrequest_change", consultation.pk)
    else:
        form = _applied(request, consultation)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": consultation,
        "title": f"{consultation.reference} に返信する",
        "form": form,
        "erased": consultation.anonymized_at is not None,
    }
    return TemplateResponse(request, "admin/careers/consultationrequest/reply.html", context)


def _applied(request, consultation) -> ReplyForm:
    """Step one: an unbound form, with the chosen template filled in if any."""
    initial = {"token": uuid.uuid4(), "dates": request.GET.get("dates", "")}
    chosen = request.GET.get("template", "")
    template = ReplyTemplate.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if template is not None:
        try:
            moments = parse_dates(initial["dates"])
        except forms.ValidationError:  # shown again when the form is sent
            moments = []
        values = services_agents.reply_values(consultation, request.user, moments)
        initial |= {
            "template": template.pk,
            "subject": fill(template.subject, values),
            "body": fill(template.body, values),
        }
    return ReplyForm(initial=initial)
