"""Writes the reader makes on their status page (no account), keyword-only.

Each is recorded in the request's history as done by 本人 (`by_reader`) and in the
access log. The page is reached through careers/status_links.py; these functions
trust the request they are given.
"""

import logging

from django.db import transaction
from django.utils import timezone

from careers import services, tasks
from careers.japanese import normalize_reference
from careers.models import AccessLog, ConsultationRequest, EmailDelivery, RequestEvent

logger = logging.getLogger(__name__)

Kind = EmailDelivery.Kind


def record_view(*, consultation: ConsultationRequest) -> None:
    """The reader opened their status page: one access log row by 本人."""
    services.record_access(
        user=None, action=AccessLog.Action.VIEW, consultation=consultation, by_reader=True
    )


def change_preferences(
    *,
    consultation: ConsultationRequest,
    contact_method: str,
    contact_time: str,
    phone_unwanted: bool,
) -> ConsultationRequest:
    """Store the reader's contact preferences (ConsultationRequest.ContactMethod and
    ContactTime values, "" for none) and put the change in the history.

    Raises ValueError for a value those choices do not have.
    """
    Request = ConsultationRequest
    if contact_method not in ("", *Request.ContactMethod.values):
        raise ValueError(f"unknown contact method {contact_method!r}")
    if contact_time not in ("", *Request.ContactTime.values):
        raise ValueError(f"unknown contact time {contact_time!r}")
    consultation.contact_method = contact_method
    consultation.contact_time = contact_time
    consultation.phone_unwanted = phone_unwanted
    with transaction.atomic():
        consultation.save(update_fields=["contact_method", "contact_time", "phone_unwanted"])
        services.record_event(
            consultation=consultation,
            kind=RequestEvent.Kind.PREFERENCES,
            by_reader=True,
            data={
                "contact_method": contact_method,
                "contact_time": contact_time,
                "phone_unwanted": phone_unwanted,
            },
        )
    return consultation


def withdraw(*, consultation: ConsultationRequest) -> ConsultationRequest:
    """The reader withdraws (取り下げ): the request closes as 本人の希望で終了 at once.

    Raises ValueError when it is closed already.
    """
    if not consultation.is_open:
        raise ValueError("the request is closed already")
    with transaction.atomic():
        services.record_event(
            consultation=consultation, kind=RequestEvent.Kind.WITHDRAWN, by_reader=True
        )
        services.change_status(
            consultation=consultation,
            status=ConsultationRequest.Status.CLOSED,
            close_reason=ConsultationRequest.CloseReason.WITHDRAWN,
            by=None,
            by_reader=True,
        )
    return consultation


def erase_personal_data(*, consultation: ConsultationRequest) -> ConsultationRequest:
    """APPI 利用停止・消去 at the reader's request: anonymise it now (services.anonymize).

    In the same transaction: the confirmation email is queued with the address on
    file captured on its row (so it goes after the address is erased, at most once),
    an open request closes as 本人の希望で終了, and the history records it. The status
    link stops working. Raises ValueError for a request anonymised already.
    """
    if consultation.anonymized_at is not None:
        raise ValueError("the request is anonymised already")
    now = timezone.now()
    with transaction.atomic():
        locked = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
        if locked.anonymized_at is not None:  # a second click on the same button
            return locked
        tasks.queue_email(
            consultation=locked, kind=Kind.ERASURE_CONFIRMATION, recipient=locked.email
        )
        if locked.is_open:
            services.change_status(
                consultation=locked,
                status=ConsultationRequest.Status.CLOSED,
                close_reason=ConsultationRequest.CloseReason.WITHDRAWN,
                by=None,
                by_reader=True,
            )
        services.record_event(consultation=locked, kind=RequestEvent.Kind.ERASED, by_reader=True)
        services.anonymize(ids=[locked.pk], now=now)
    logger.info("consultation erased at the reader's request reference=%s", locked.reference)
    locked.refresh_from_db()
    return locked


def send_fresh_link(*, email: str, reference: str) -> bool:
    """Queue a fresh status link to `email` if it is the address of request
    `reference` (any width, case or hyphen) and the request still has its data.

    Returns whether one was queued; the caller must answer the same either way.
    """
    consultation = ConsultationRequest.objects.filter(
        reference=normalize_reference(reference),
        email_normalized=email.strip().lower(),
        anonymized_at__isnull=True,
    ).first()
    if consultation is None or not consultation.email_normalized:
        return False
    with transaction.atomic():
        tasks.queue_email(consultation=consultation, kind=Kind.STATUS_LINK)
        services.record_access(
            user=None,
            action=AccessLog.Action.SEND,
            consultation=consultation,
            detail="status link requested",
            by_reader=True,
        )
    return True
