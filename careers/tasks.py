"""Background work (django.tasks, run by `manage.py db_worker`): the emails (a consultation
request's two, the 編集長's review request). Scheduled publishing is in
careers/publishing/scheduling.py.

Each email is an EmailDelivery row, created with its task row in the writing
transaction (django-tasks-db stores tasks in our database), so a rolled-back request
sends nothing and a committed one always has its email queued.

Each email is sent at most once. A worker locks the row and moves it from queued to
sending before it talks to the relay, so a duplicate task finds it taken. Then:
- the relay answered with a refusal code (RFC 5321: 4yz transient, 5yz permanent) or
  the connection could not be opened: it did not take the message, so 4yz and
  connection failures are retried with backoff (EMAIL_RETRY_DELAYS), 5yz fails;
- the connection broke or timed out while sending: the relay may have the message,
  so the row becomes "unknown" and is never sent again;
- the worker died: the row stays "sending" and requeue_stalled() marks it unknown
  once EMAIL_STALE_SECONDS have passed.
Agents see failed and unknown emails on the request and in the inbox.

An email that carries the reader's status link gets a fresh link once its row is
claimed (careers/status_links.py), so the link in the message is the one that works.
An address captured on the row (the erasure confirmation's) is blanked once the
email is sent or given up.
"""

import logging
import smtplib
from contextlib import suppress
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from careers import emails, status_links
from careers.models import AgentReply, ConsultationRequest, EmailDelivery, Revision

logger = logging.getLogger(__name__)
State = EmailDelivery.State


def queue_emails(
    *,
    kinds: list[str],
    consultation: ConsultationRequest | None = None,
    revision: Revision | None = None,
) -> list[EmailDelivery]:
    """Record the emails of `kinds` about `consultation` or `revision` (one of them)
    and enqueue one task each.

    Call inside the transaction that writes what they are about: the rows and the
    tasks commit or roll back with it. Raises IntegrityError if a kind is already recorded.
    """
    deliveries = EmailDelivery.objects.bulk_create(
        EmailDelivery(
            request=consultation,
            revision=revision,
            kind=kind,
            message_id=emails.new_message_id(),
        )
        for kind in kinds
    )
    for delivery in deliveries:
        send_email.enqueue(delivery.pk)
    return deliveries


def queue_email(
    *,
    consultation: ConsultationRequest,
    kind: str,
    recipient: str = "",
    reply: AgentReply | None = None,
) -> EmailDelivery:
    """Record one email about `consultation` and enqueue its task (see queue_emails).

    `recipient` captures the address now, for an email that must go after the
    request's address is erased; `reply` is the AgentReply an agent_reply sends.
    Raises IntegrityError for a second email of a once-per-request kind.
    """
    delivery = EmailDelivery.objects.create(
        request=consultation,
        kind=kind,
        recipient=recipient,
        reply=reply,
        message_id=emails.new_message_id(),
    )
    send_email.enqueue(delivery.pk)
    return delivery


def refusal_code(error: BaseException) -> int | None:
    """The SMTP reply code (400–599) with which the relay refused the message, or None
    when the error does not prove the relay left it alone. With several recipients
    all refused, the lowest code: a transient refusal is worth another try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min(code for code, _ in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    else:
        return None
    return code if 400 <= code <= 599 else None


def describe(error: BaseException) -> str:
    """`SMTPRecipientsRefused 550`: the class and code only, never the server's text
    (it may quote an address)."""
    code = refusal_code(error)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


@task
def send_email(delivery_id: int) -> str:
    """Send EmailDelivery `delivery_id` if it is still due; return its state afterwards."""
    delivery = (
        EmailDelivery.objects.select_related("request", "reply__author", "revision")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:  # the request (or revision) was deleted
        return "deleted"
    if not _due(delivery):  # a duplicate or early task: someone else has it
        return delivery.state
    if not emails.recipients(delivery):  # anonymised before it could be sent
        return _record(delivery, State.FAILED, error="NoRecipient")
    if not _claim(delivery):  # another worker took it meanwhile
        return "taken"
    token = None
    if delivery.kind in EmailDelivery.WITH_STATUS_LINK:
        token = status_links.issue(delivery.request)
    message = emails.build_message(delivery, status_token=token)
    connection = mailers.default
    try:
        try:
            connection.open()
        except Exception as error:  # not connected: nothing was handed over
            return _retry_or_fail(delivery, error, permanent=False)
        try:
            sent = connection.send_messages([message])
        except Exception as error:
            code = refusal_code(error)
            if code is not None:
                return _retry_or_fail(delivery, error, permanent=code >= 500)
            if isinstance(error, ValueError):  # Django refused an address before SMTP
                return _record(delivery, State.FAILED, error=describe(error))
            return _record(delivery, State.UNKNOWN, error=describe(error))
        return _record(
            delivery, State.SENT if sent else State.FAILED, error="" if sent else "NotSent"
        )
    finally:
        with suppress(OSError):  # the message is past us; a failed QUIT changes nothing
            connection.close()


def _due(delivery: EmailDelivery) -> bool:
    return delivery.state == State.QUEUED and delivery.next_attempt_at <= timezone.now()


def _claim(delivery: EmailDelivery) -> bool:
    """Move the row from queued to sending under a row lock; False if taken already."""
    with transaction.atomic():
        locked = EmailDelivery.objects.select_for_update().get(pk=delivery.pk)
        if not _due(locked):
            return False
        delivery.state = State.SENDING
        delivery.tries = locked.tries + 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["state", "tries", "last_attempt_at"])
    return True


def _retry_or_fail(delivery: EmailDelivery, error: Exception, *, permanent: bool) -> str:
    delays = settings.EMAIL_RETRY_DELAYS
    if permanent or delivery.tries > len(delays):
        return _record(delivery, State.FAILED, error=describe(error))
    retry_at = timezone.now() + timedelta(seconds=delays[delivery.tries - 1])
    return _record(delivery, State.QUEUED, error=describe(error), retry_at=retry_at)


def _record(
    delivery: EmailDelivery, state: str, *, error: str = "", retry_at: datetime | None = None
) -> str:
    """Write the outcome of a try (and, for a retry, its task) in one transaction."""
    delivery.state, delivery.last_error = state, error
    fields = ["state", "last_error"]
    if state == State.SENT:
        delivery.sent_at = timezone.now()
        fields.append("sent_at")
    if retry_at:
        delivery.next_attempt_at = retry_at
        fields.append("next_attempt_at")
    elif state != State.QUEUED and delivery.recipient:  # its fate is known: let go
        delivery.recipient = ""
        fields.append("recipient")
    with transaction.atomic():
        delivery.save(update_fields=fields)
        if retry_at:
            send_email.using(run_after=retry_at).enqueue(delivery.pk)
    log = logger.info if state in (State.SENT, State.QUEUED) else logger.warning
    log(
        "email %s reference=%s kind=%s tries=%s error=%s",
        state,
        delivery.reference,
        delivery.kind,
        delivery.tries,
        error or "-",
    )
    return state


def requeue_stalled() -> tuple[int, int]:
    """Recover from lost tasks and dead workers; return (requeued, marked unknown).

    A queued row more than EMAIL_STALE_SECONDS past its time gets a new task (a
    duplicate is harmless: the row is checked under a lock). A row sending for longer
    than that belonged to a worker that died, maybe after the relay took the message:
    it is marked unknown, never sent again. Safe to run at any time from any machine.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.EMAIL_STALE_SECONDS)
    with transaction.atomic():
        lost = list(
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(state=State.QUEUED, next_attempt_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        EmailDelivery.objects.filter(pk__in=lost).update(next_attempt_at=now)
        for pk in lost:
            send_email.enqueue(pk)
        unknown = EmailDelivery.objects.filter(
            state=State.SENDING, last_attempt_at__lt=cutoff
        ).update(state=State.UNKNOWN, last_error="WorkerStopped", recipient="")
    if lost or unknown:
        logger.warning("emails recovered requeued=%s unknown=%s", len(lost), unknown)
    return len(lost), unknown
