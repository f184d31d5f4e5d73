"""Agents' writes on a request beyond its status: replies and contacts, keyword-only.

Each goes into the request's timeline (its own record) and the access log.
"""

import uuid
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from careers import services, tasks
from careers.models import (
    AccessLog,
    AgentReply,
    ConsultationRequest,
    ContactLog,
    EmailDelivery,
    ReplyTemplate,
)
from careers.placeholders import fill, unknown_placeholders
from careers.preferences import call_concerns
from careers.staff import display_name

Status = ConsultationRequest.Status


def _mark_contacted(consultation: ConsultationRequest, by: AbstractBaseUser) -> None:
    """A first contact answers a new request: 新規 becomes 連絡済み (its reply-by is met)."""
    if consultation.status == Status.NEW:
        services.change_status(consultation=consultation, status=Status.CONTACTED, by=by)


def reply_values(
    consultation: ConsultationRequest, author: AbstractBaseUser, dates: list[datetime]
) -> dict[str, str]:
    """What the placeholders stand for (careers/placeholders.py): the reader's name,
    the reference, the agent's display name, the proposed interview dates (one line
    each, `・2026年5月12日（火）14:00`, Asia/Tokyo)."""
    lines = [
        "・" + dateformat.format(timezone.localtime(moment), "Y年n月j日（D）H:i")
        for moment in dates
    ]
    return {
        "name": consultation.name,
        "reference": consultation.reference,
        "agent": display_name(author),
        "dates": "\n".join(lines),
    }


def send_reply(
    *,
    consultation: ConsultationRequest,
    author: AbstractBaseUser,
    subject: str,
    body: str,
    token: uuid.UUID,
    template: ReplyTemplate | None = None,
    dates: list[datetime] | None = None,
) -> tuple[AgentReply, bool]:
    """Store an agent's reply and queue its email (Reply-To the agent's address,
    else AGENCY_EMAIL); return (reply, created).

    Placeholders left in `subject`/`body` are filled (reply_values). The same form
    `token` sent twice stores and sends one reply (created=False the second time).
    Raises ValueError for unknown placeholders or an anonymised request.
    """
    if consultation.anonymized_at is not None:
        raise ValueError("the request's personal data is erased")
    unknown = unknown_placeholders(subject + body)
    if unknown:
        raise ValueError(f"unknown placeholders {unknown}")
    values = reply_values(consultation, author, dates or [])
    try:
        with transaction.atomic():
            reply = AgentReply.objects.create(
                request=consultation,
                author=author,
                template=template,
                token=token,
                subject=fill(subject, values),
                body=fill(body, values),
                reply_to=author.email,
            )
            tasks.queue_email(
                consultation=consultation, kind=EmailDelivery.Kind.AGENT_REPLY, reply=reply
            )
            services.record_access(
                user=author,
                action=AccessLog.Action.SEND,
                consultation=consultation,
                detail=f"reply {reply.pk}" + (f" template {template.pk}" if template else ""),
            )
            _mark_contacted(consultation, author)
    except IntegrityError:
        existing = AgentReply.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False
    return reply, True


def log_contact(
    *,
    consultation: ConsultationRequest,
    author: AbstractBaseUser,
    channel: str,
    result: str,
    contacted_at: datetime,
    next_action: str = "",
    next_action_on: date | None = None,
    override_reason: str = "",
) -> ContactLog:
    """Record one contact (ContactLog.Channel / Result values).

    A phone call against the reader's wishes (preferences.call_concerns) needs the
    agent's `override_reason`, kept in the timeline. Raises ValueError for a
    missing reason or unknown channel/result.
    """
    if channel not in ContactLog.Channel.values or result not in ContactLog.Result.values:
        raise ValueError("unknown channel or result")
    override_reason = override_reason.strip()
    if channel == ContactLog.Channel.PHONE and call_concerns(consultation, contacted_at):
        if not override_reason:
            raise ValueError("a call against the reader's wishes needs a reason")
    else:
        override_reason = ""
    with transaction.atomic():
        contact = ContactLog.objects.create(
            request=consultation,
            author=author,
            channel=channel,
            result=result,
            contacted_at=contacted_at,
            next_action=next_action.strip(),
            next_action_on=next_action_on,
            override_reason=override_reason,
        )
        services.record_access(
            user=author,
            action=AccessLog.Action.CHANGE,
            consultation=consultation,
            detail=f"contact {channel} {result}" + (" (override)" if override_reason else ""),
        )
        _mark_contacted(consultation, author)
    return contact
