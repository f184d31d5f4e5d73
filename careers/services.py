"""Writes. Each function is one unit of work with keyword-only arguments.

`consultation` is always a ConsultationRequest (never an HTTP request); `by` and
`author` are staff users; `by_reader` marks what the reader did on their status
page (no account). The reader's self-service is in careers/services_reader.py,
the agents' replies and contacts in careers/services_agents.py.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from careers import tasks
from careers.models import AgentReply, ContactLog, RequestEvent
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
            tasks.queue_emails(
                consultation=consultation,
                kinds=[EmailDelivery.Kind.AUTO_REPLY, EmailDelivery.Kind.AGENTS_NOTIFICATION],
            )
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
    by_reader: bool = False,
) -> AccessLog:
    """Write one access log row: who (a user, the reader with `by_reader`, else the
    system) looked at, changed or exported which request. `detail` must not hold
    personal data."""
    return AccessLog.objects.create(
        user=user, action=action, request=consultation, detail=detail, by_reader=by_reader
    )


def record_event(
    *,
    consultation: ConsultationRequest,
    kind: RequestEvent.Kind,
    by: AbstractBaseUser | None = None,
    by_reader: bool = False,
    data: dict | None = None,
) -> RequestEvent:
    """Add an entry to the request's history (its timeline) and the access log.

    `data` holds codes and ids only (see RequestEvent); the access log's detail is
    made from them.
    """
    data = data or {}
    detail = " ".join(f"{key}={value}" for key, value in data.items())
    record_access(
        user=by,
        action=AccessLog.Action.CHANGE,
        consultation=consultation,
        detail=f"{kind} {detail}".strip()[:200],
        by_reader=by_reader,
    )
    return RequestEvent.objects.create(
        request=consultation, kind=kind, actor=by, by_reader=by_reader, data=data
    )


def change_status(
    *,
    consultation: ConsultationRequest,
    status: str,
    by: AbstractBaseUser | None,
    close_reason: str | None = None,
    by_reader: bool = False,
) -> ConsultationRequest:
    """Move a request along the pipeline (ConsultationRequest.Status), in its history.

    Closing needs one of ConsultationRequest.CloseReason; any other status
    clears the reason. `by` is None when the reader (`by_reader`) or the system
    does it. Raises ValueError for an unknown status or a missing reason.
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
    data = {"from": previous, "to": status}
    if consultation.close_reason:
        data["reason"] = consultation.close_reason
    with transaction.atomic():
        consultation.save(update_fields=["status", "close_reason", "closed_at"])
        record_event(
            consultation=consultation,
            kind=RequestEvent.Kind.STATUS,
            by=by,
            by_reader=by_reader,
            data=data,
        )
    return consultation


def assign(
    *,
    consultation: ConsultationRequest,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
) -> ConsultationRequest:
    """Make `assignee` (or nobody, with None) the agent in charge of the request, in
    its history. Who may assign whom is the admin's to check (careers/staff.py)."""
    consultation.assignee = assignee
    with transaction.atomic():
        consultation.save(update_fields=["assignee"])
        record_event(
            consultation=consultation,
            kind=RequestEvent.Kind.ASSIGNMENT,
            by=by,
            data={"assignee": assignee.pk if assignee else None},
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


def anonymize(*, ids: list[int], now: datetime) -> int:
    """Erase what identifies or describes the people of requests `ids`; return how many.

    The one anonymisation, for the retention purge and the reader's own request
    (APPI 利用停止・消去). Kept: the reference, dates, interests, source, status,
    close reason and the history of status changes and assignments. Gone: name,
    reading, contact details, birth year, prefecture, preferences, message, the
    status link, and the free text agents wrote about the person (notes, replies,
    contact next steps and reasons). Call inside a transaction holding the rows.
    """
    ConsultationNote.objects.filter(request_id__in=ids).update(body=DELETED_NOTE_BODY)
    AgentReply.objects.filter(request_id__in=ids).update(
        subject=DELETED_NOTE_BODY, body=DELETED_NOTE_BODY
    )
    ContactLog.objects.filter(request_id__in=ids).update(next_action="", override_reason="")
    RequestEvent.objects.filter(request_id__in=ids, kind=RequestEvent.Kind.PREFERENCES).update(
        data={}
    )
    return ConsultationRequest.objects.filter(pk__in=ids).update(
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
        phone_unwanted=False,
        status_key_hash="",
        anonymized_at=now,
    )


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Anonymise requests closed over CONSULTATION_RETENTION_DAYS days before `now`
    (default: now); return how many (with `dry_run`, how many would be).

    What stays and what goes: see anonymize().
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
        count = anonymize(ids=ids, now=now)
        record_access(user=None, action=AccessLog.Action.PURGE, detail=f"{count}件を匿名化")
    logger.info("consultation requests anonymised count=%s", count)
    return count
