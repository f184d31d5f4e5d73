"""The agents' dashboard on the admin's front page: what needs doing, in numbers.

Each count links to the inbox filtered to the same requests (the same filters,
careers/admin/filters.py), and counts only what the user may see. Below it, the
median time from receipt to first contact per agent over the last 30 days: first
contact is the earliest logged contact (any channel or result: an attempt is the
agency reaching out) or reply, in hours of wall-clock time.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from careers.models import AgentReply, ConsultationRequest, ContactLog
from careers.selectors import visible_consultations, waiting_for_reader, with_email_problems
from careers.staff import display_name

Status = ConsultationRequest.Status
WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str


def tiles(user) -> list[Tile]:
    """The dashboard's counts for `user`, each with its inbox link."""
    inbox = reverse("admin:careers_consultationrequest_changelist")
    visible = visible_consultations(user)
    open_ = visible.exclude(status=Status.CLOSED)
    return [
        Tile("新規", visible.filter(status=Status.NEW).count(), f"{inbox}?status=new"),
        Tile("返信期限超過（営業日）", visible.overdue().count(), f"{inbox}?overdue=yes"),
        Tile("自分の担当", open_.filter(assignee=user).count(), f"{inbox}?assignee=me"),
        Tile("相談者の返事待ち", waiting_for_reader(visible).count(), f"{inbox}?waiting=yes"),
        Tile(
            "メール未送信・結果不明",
            with_email_problems(visible).count(),
            f"{inbox}?email_problem=yes&status=all",
        ),
    ]


def first_contact_medians(user, now=None) -> list[tuple[str, float, int]]:
    """(agent's display name, median hours to first contact, requests counted) for
    requests received in the 30 days before `now` that have been contacted, by
    assignee, among what `user` may see; agents by name."""
    now = now or timezone.now()
    first_contact = ContactLog.objects.filter(request=OuterRef("pk")).order_by("contacted_at")
    first_reply = AgentReply.objects.filter(request=OuterRef("pk")).order_by("created_at")
    rows = (
        visible_consultations(user)
        .filter(received_at__gte=now - WINDOW, assignee__isnull=False)
        .annotate(
            contact_at=Subquery(first_contact.values("contacted_at")[:1]),
            reply_at=Subquery(first_reply.values("created_at")[:1]),
        )
        .select_related("assignee")
    )
    hours = {}
    for request in rows:
        moments = [m for m in (request.contact_at, request.reply_at) if m]
        if not moments:
            continue
        elapsed = (min(moments) - request.received_at).total_seconds() / 3600
        hours.setdefault(request.assignee, []).append(elapsed)
    result = [(display_name(agent), median(values), len(values)) for agent, values in hours.items()]
    return sorted(result)
