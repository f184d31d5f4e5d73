"""Writes. Each function is one unit of work with keyword-only arguments."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from careers.models.consultations import ConsultationRequest

logger = logging.getLogger(__name__)

REQUEST_FIELDS = (
    "name",
    "furigana",
    "email",
    "phone",
    "birth_year",
    "prefecture",
    "current_status",
    "interests",
    "timing",
    "contact_method",
    "contact_time",
    "message",
)


def submit_consultation(*, data, token, source=""):
    """Store a consultation request once per form token; return (request, created).

    `data` is a ConsultationForm's cleaned data. A second submission of the same
    form (double click, reload, second tab) returns the first request unchanged.
    Agents are emailed only after the row is committed.
    """
    values = {field: data[field] for field in REQUEST_FIELDS}
    try:
        with transaction.atomic():
            request = ConsultationRequest.objects.create(
                submission_token=token,
                source=source,
                consented_at=timezone.now(),
                **values,
            )
    except IntegrityError:
        existing = ConsultationRequest.objects.filter(submission_token=token).first()
        if existing is None:  # the conflict was something else: not ours to hide
            raise
        return existing, False
    # robust: whatever goes wrong with the email, the stored request stands.
    transaction.on_commit(lambda: notify_agents(reference=request.reference), robust=True)
    return request, True


def notify_agents(*, reference):
    """Email the agents that a request arrived. The email names only the reference
    and a link to admin: personal data stays behind the admin login."""
    try:
        request = ConsultationRequest.objects.only(
            "pk", "reference", "received_at", "interests"
        ).get(reference=reference)
        admin_url = settings.SITE_URL + reverse(
            "admin:careers_consultationrequest_change", args=[request.pk]
        )
        interests = "、".join(request.interests) or "未選択"
        body = (
            f"新しい転職相談を受け付けました。\n\n"
            f"受付番号: {request.reference}\n"
            f"受付日時: {timezone.localtime(request.received_at):%Y-%m-%d %H:%M}\n"
            f"興味のある部門・職種: {interests}\n\n"
            f"内容は管理画面で確認してください:\n{admin_url}\n"
        )
        send_mail(
            f"【転職相談】新しい相談 {request.reference}",
            body,
            None,
            settings.CONSULTATION_NOTIFY_EMAILS,
        )
    except Exception as error:  # any mail failure must not lose the request
        logger.error(
            "consultation notification failed reference=%s error=%s",
            reference,
            type(error).__name__,
        )
    else:
        logger.info("consultation notification sent reference=%s", reference)
