"""Writes. Each function is one unit of work with keyword-only arguments."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from careers import tasks
from careers.models.consultations import (
    APPLICANT_FIELDS,
    AccessLog,
    ConsultationNote,
    ConsultationRequest,
)
from careers.models.emails import EmailDelivery

logger = logging.getLogger(__name__)


def submit_consultation(*, data, token, source=""):
    """Store a consultation request once per form token; return (request, created).

    `data` is a ConsultationForm's cleaned data. A second submission of the same
    form (double click, reload, second tab) returns the first request unchanged.
    The auto-reply and the agents' email are queued in the same transaction, so
    they go exactly when the request is stored (careers/tasks.py sends them).
    """
    values = {field: data[field] for field in APPLICANT_FIELDS}
    try:
        with transaction.atomic():
            request = ConsultationRequest.objects.create(
                submission_token=token,
                source=source,
                consented_at=timezone.now(),
                **values,
            )
            tasks.queue_emails(consultation=request, kinds=list(EmailDelivery.Kind))
    except IntegrityError:
        existing = ConsultationRequest.objects.filter(submission_token=token).first()
        if existing is None:  # the conflict was something else: not ours to hide
            raise
        return existing, False
    logger.info("consultation stored reference=%s", request.reference)
    return request, True


# --- Agents' work on a request -----------------------------------------------------
# Audit details name statuses, ids and counts only: never what the applicant wrote.

ANONYMIZED_NAME = "（削除済み）"
DELETED_NOTE_BODY = "（削除済み）"


def record_access(*, user, action, request=None, detail=""):
    """Write one access log row: who looked at or exported which request."""
    return AccessLog.objects.create(user=user, action=action, request=request, detail=detail)


def change_status(*, request, status, by, close_reason=None):
    """Move a request along the pipeline. Closing needs one of the fixed reasons."""
    Status = ConsultationRequest.Status
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    previous = ConsultationRequest.objects.values_list("status", flat=True).get(pk=request.pk)
    if status == Status.CLOSED:
        if close_reason not in ConsultationRequest.CloseReason.values:
            raise ValueError("closing a request needs a close reason")
        request.close_reason = close_reason
        if previous != Status.CLOSED or request.closed_at is None:
            request.closed_at = timezone.now()
    else:
        request.close_reason = ""
        request.closed_at = None
    request.status = status
    with transaction.atomic():
        request.save(update_fields=["status", "close_reason", "closed_at"])
        record_access(
            user=by,
            action=AccessLog.Action.CHANGE,
            request=request,
            detail=f"status {previous} -> {status}"
            + (f" ({request.close_reason})" if request.close_reason else ""),
        )
    return request


def assign(*, request, assignee, by):
    """Make `assignee` (or nobody, with None) the agent in charge of the request."""
    request.assignee = assignee
    with transaction.atomic():
        request.save(update_fields=["assignee"])
        record_access(
            user=by,
            action=AccessLog.Action.CHANGE,
            request=request,
            detail=f"assignee -> {assignee.pk if assignee else 'none'}",
        )
    return request


def add_note(*, request, author, body):
    """Add an agent's note. Notes are never edited afterwards."""
    body = body.strip()
    if not body:
        raise ValueError("a note needs a body")
    return ConsultationNote.objects.create(request=request, author=author, body=body)


def purge_expired(*, now=None, dry_run=False):
    """Anonymise requests closed more than CONSULTATION_RETENTION_DAYS ago; return how many.

    Dates, interests, source, status and close reason stay for statistics; what
    identifies or describes the person (and the agents' notes about them) goes.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONSULTATION_RETENTION_DAYS)
    expired = ConsultationRequest.objects.filter(
        status=ConsultationRequest.Status.CLOSED,
        closed_at__lt=cutoff,
        anonymized_at__isnull=True,
    )
    if dry_run:
        return expired.count()
    with transaction.atomic():
        ids = list(expired.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        ConsultationNote.objects.filter(request_id__in=ids).update(body=DELETED_NOTE_BODY)
        count = ConsultationRequest.objects.filter(pk__in=ids).update(
            name=ANONYMIZED_NAME,
            furigana="",
            email="",
            email_normalized="",
            phone="",
            birth_year=None,
            prefecture="",
            message="",
            contact_method="",
            contact_time="",
            anonymized_at=now,
        )
        record_access(user=None, action=AccessLog.Action.PURGE, detail=f"{count}件を匿名化")
    logger.info("consultation requests anonymised count=%s", count)
    return count
