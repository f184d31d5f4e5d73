"""Writes. Each function is one unit of work with keyword-only arguments.

`consultation` is always a ConsultationRequest (never an HTTP request); `by` and
`author` are staff users.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
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


def submit_consultation(
    *, data: dict, token: uuid.UUID, source: str = ""
) -> tuple[ConsultationRequest, bool]:
    """Store a consultation request once per form token; return (request, created).

    `data` is a ConsultationForm's cleaned data (APPLICANT_FIELDS are read from
    it); `source` its stored source (careers/sources.py). A second submission of
    the same form (double click, reload, second tab) returns the first request
    unchanged with created=False. The auto-reply and the agents' email are queued
    in the same transaction, so they go exactly when the request is stored
    (careers/tasks.py sends them). Raises DatabaseError when the database cannot
    store it, and IntegrityError for a conflict other than the token.
    """
    values = {field: data[field] for field in APPLICANT_FIELDS}
    try:
        with transaction.atomic():
            consultation = ConsultationRequest.objects.create(
                submission_token=token,
                source=source,
                consented_at=timezone.now(),
                **values,
            )
            tasks.queue_emails(consultation=consultation, kinds=list(EmailDelivery.Kind))
    except IntegrityError:
        existing = ConsultationRequest.objects.filter(submission_token=token).first()
        if existing is None:  # the conflict was something else: not ours to hide
            raise
        return existing, False
    logger.info("consultation stored reference=%s", consultation.reference)
    return consultation, True


# --- Agents' work on a request -----------------------------------------------------
# Audit details name statuses, ids and counts only: never what the applicant wrote.

ANONYMIZED_NAME = "（削除済み）"
DELETED_NOTE_BODY = "（削除済み）"


def record_access(
    *,
    user: AbstractBaseUser | None,
    action: AccessLog.Action,
    consultation: ConsultationRequest | None = None,
    detail: str = "",
) -> AccessLog:
    """Write one access log row: who (None: the system) looked at, changed or
    exported which request. `detail` must not hold personal data."""
    return AccessLog.objects.create(user=user, action=action, request=consultation, detail=detail)


def change_status(
    *,
    consultation: ConsultationRequest,
    status: str,
    by: AbstractBaseUser,
    close_reason: str | None = None,
) -> ConsultationRequest:
    """Move a request along the pipeline (ConsultationRequest.Status) and log it.

    Closing needs one of ConsultationRequest.CloseReason; any other status
    clears the reason. Raises ValueError for an unknown status or a missing reason.
    """
    Status = ConsultationRequest.Status
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    previous = ConsultationRequest.objects.values_list("status", flat=True).get(pk=consultation.pk)
    if status == Status.CLOSED:
        if close_reason not in ConsultationRequest.CloseReason.values:
            raise ValueError("closing a request needs a close reason")
        consultation.close_reason = close_reason
        if previous != Status.CLOSED or consultation.closed_at is None:
            consultation.closed_at = timezone.now()
    else:
        consultation.close_reason = ""
        consultation.closed_at = None
    consultation.status = status
    with transaction.atomic():
        consultation.save(update_fields=["status", "close_reason", "closed_at"])
        record_access(
            user=by,
            action=AccessLog.Action.CHANGE,
            consultation=consultation,
            detail=f"status {previous} -> {status}"
            + (f" ({consultation.close_reason})" if consultation.close_reason else ""),
        )
    return consultation


def assign(
    *,
    consultation: ConsultationRequest,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
) -> ConsultationRequest:
    """Make `assignee` (or nobody, with None) the agent in charge of the request, logged."""
    consultation.assignee = assignee
    with transaction.atomic():
        consultation.save(update_fields=["assignee"])
        record_access(
            user=by,
            action=AccessLog.Action.CHANGE,
            consultation=consultation,
            detail=f"assignee -> {assignee.pk if assignee else 'none'}",
        )
    return consultation


def add_note(
    *, consultation: ConsultationRequest, author: AbstractBaseUser, body: str
) -> ConsultationNote:
    """Add an agent's note (trimmed). Notes are never edited afterwards.

    Raises ValueError when the body is blank.
    """
    body = body.strip()
    if not body:
        raise ValueError("a note needs a body")
    return ConsultationNote.objects.create(request=consultation, author=author, body=body)


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Anonymise requests closed over CONSULTATION_RETENTION_DAYS days before `now`
    (default: now); return how many (with `dry_run`, how many would be).

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
