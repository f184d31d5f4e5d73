"""One timeline of a request, newest first: everything that happened to it.

A merge of the records that already hold each fact, not a copy of them: the
receipt (the request itself), emails (EmailDelivery, whose delivery state changes
after the fact: a copy would go stale), agents' replies (AgentReply with its
EmailDelivery), notes (ConsultationNote), contacts (ContactLog), and what no other
record keeps: status changes, assignments and the reader's own actions
(RequestEvent). Six queries whatever the length. Kinds of entry: see KIND_LABELS.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model

from careers.admin.emails import ADVICE
from careers.models import ConsultationRequest, EmailDelivery, RequestEvent
from careers.selectors import interest_labels
from careers.sources import stored_source
from careers.staff import display_name

READER = "本人"
SYSTEM = "システム"

KIND_LABELS = {
    "received": "受付",
    "email": "メール",
    "reply": "返信",
    "status": "対応状況",
    "assignment": "担当者",
    "note": "メモ",
    "contact": "連絡",
    "reader": "本人の操作",
}

Status = ConsultationRequest.Status
CloseReason = ConsultationRequest.CloseReason
Event = RequestEvent.Kind


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what kind (a KIND_LABELS key), who, what."""

    at: datetime
    kind: str
    actor: str
    title: str
    text: str = ""
    alert: str = ""  # what needs the agent's attention, in words

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _actor(user, by_reader: bool = False) -> str:
    if by_reader:
        return READER
    return display_name(user) if user else SYSTEM


def _preferences_text(data: dict) -> str:
    if not data:  # erased with the personal data
        return ""
    request = ConsultationRequest(
        contact_method=data.get("contact_method", ""), contact_time=data.get("contact_time", "")
    )
    parts = [
        f"連絡方法: {request.get_contact_method_display() or '指定なし'}",
        f"時間帯: {request.get_contact_time_display() or '指定なし'}",
    ]
    if data.get("phone_unwanted"):
        parts.append("電話は不要")
    return "、".join(parts)


def _event_entry(event: RequestEvent, users: dict) -> Entry:
    actor = _actor(event.actor, event.by_reader)
    data = event.data
    if event.kind == Event.STATUS:
        title = f"{Status(data['from']).label} → {Status(data['to']).label}"
        reason = CloseReason(data["reason"]).label if data.get("reason") else ""
        return Entry(event.created_at, "status", actor, title, f"理由: {reason}" if reason else "")
    if event.kind == Event.ASSIGNMENT:
        assignee = users.get(data.get("assignee"))
        title = f"担当者: {display_name(assignee) if assignee else '未割り当て'}"
        return Entry(event.created_at, "assignment", actor, title)
    text = _preferences_text(data) if event.kind == Event.PREFERENCES else ""
    return Entry(event.created_at, "reader", actor, event.get_kind_display(), text)


def _email_entry(delivery: EmailDelivery) -> Entry:
    state = delivery.get_state_display()
    if delivery.last_error:
        state += f"、{delivery.tries}回試行、{delivery.last_error}"
    alert = ADVICE.get(delivery.state, "")
    moment = delivery.sent_at or delivery.created_at
    if delivery.reply_id:
        reply = delivery.reply
        return Entry(
            moment,
            "reply",
            _actor(reply.author),
            f"{reply.subject}（{state}）",
            reply.body,
            alert,
        )
    return Entry(moment, "email", SYSTEM, f"{delivery.get_kind_display()}（{state}）", "", alert)


def timeline(consultation: ConsultationRequest) -> list[Entry]:
    """Every entry of `consultation`'s timeline, newest first."""
    events = list(consultation.events.select_related("actor"))
    user_ids = {e.data.get("assignee") for e in events if e.kind == Event.ASSIGNMENT} - {None}
    users = get_user_model().objects.in_bulk(user_ids)
    source = stored_source(consultation.source).describe(interest_labels())
    entries = [Entry(consultation.received_at, "received", READER, "お申し込み", source)]
    entries += [_event_entry(event, users) for event in events]
    deliveries = consultation.email_deliveries.select_related("reply__author")
    entries += [_email_entry(delivery) for delivery in deliveries]
    for note in consultation.notes.select_related("author"):
        entries.append(Entry(note.created_at, "note", _actor(note.author), "メモ", note.body))
    for contact in consultation.contacts.select_related("author"):
        entries.append(_contact_entry(contact))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _contact_entry(contact) -> Entry:
    parts = []
    if contact.next_action or contact.next_action_on:
        when = f"{contact.next_action_on:%Y-%m-%d} " if contact.next_action_on else ""
        parts.append(f"次にすること: {when}{contact.next_action}".strip())
    if contact.override_reason:
        parts.append(f"希望と異なる連絡の理由: {contact.override_reason}")
    title = f"{contact.get_channel_display()}: {contact.get_result_display()}"
    return Entry(contact.contacted_at, "contact", _actor(contact.author), title, "\n".join(parts))
