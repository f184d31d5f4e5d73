"""The emails the site sends: plain Japanese text, no tracking.

The text lives in templates/emails/<kind>.txt and <kind>_subject.txt; an agent's
reply is its AgentReply's own subject and body. The agents' email carries nothing
personal (reference, dates, interests, a link behind the admin login); the
auto-reply repeats what was asked for but not the name, phone or message, so a
mistyped address shows a stranger as little as possible. The emails to the reader
that carry their status link (auto-reply, a fresh link) are the only ones with a
link other than the site's front page. The review request tells the 編集長 group
which draft waits for them, with a link behind the admin login.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.template.loader import render_to_string
from django.urls import reverse

from careers import status_links
from careers.context_processors import site
from careers.models import EmailDelivery
from careers.selectors import interest_labels
from careers.staff import display_name, reviewer_emails

Kind = EmailDelivery.Kind

# RFC 3834: the reader's copy answers their request; the agents' note is generated.
# Emails to staff: their replies have nowhere to go.
NO_REPLY_TO = (Kind.AGENTS_NOTIFICATION, Kind.REVIEW_REQUEST)
# An agent's reply is written by a person: no Auto-Submitted header (RFC 3834 "no").
AUTO_SUBMITTED = {
    Kind.AUTO_REPLY: "auto-replied",
    Kind.AGENTS_NOTIFICATION: "auto-generated",
    Kind.STATUS_LINK: "auto-replied",
    Kind.ERASURE_CONFIRMATION: "auto-replied",
    Kind.REVIEW_REQUEST: "auto-generated",
}


def interest_words(keys: list[str]) -> str:
    """Interest keys in words: `["middle/risk-management", "back"]` →
    `ミドルオフィス / リスク管理、バックオフィス全般`; `未選択` for none. A key no longer
    published is shown as it is."""
    labels = interest_labels()
    return "、".join(labels.get(key, key) for key in keys) or "未選択"


def new_message_id() -> str:
    """A Message-ID on the site's own host name (SITE_URL), e.g. `<…@guide.example.jp>`."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost")


def recipients(delivery: EmailDelivery) -> list[str]:
    """Who `delivery` goes to, read when sending: the address captured on the row,
    else the reader's address (none once the request is anonymised);
    CONSULTATION_NOTIFY_EMAILS for the agents' email, the 編集長 group's addresses
    for a review request."""
    if delivery.kind == Kind.AGENTS_NOTIFICATION:
        return list(settings.CONSULTATION_NOTIFY_EMAILS)
    if delivery.kind == Kind.REVIEW_REQUEST:
        return reviewer_emails()
    address = delivery.recipient or delivery.request.email
    return [address] if address else []


def _reply_message(delivery: EmailDelivery, headers: dict) -> EmailMessage:
    reply = delivery.reply
    return EmailMessage(
        " ".join(reply.subject.split()),
        reply.body,
        to=recipients(delivery),
        reply_to=[reply.reply_to or settings.AGENCY_EMAIL],
        headers=headers,
    )


def _revision_context(delivery: EmailDelivery) -> dict:
    revision = delivery.revision
    model = revision.content_type.model_class()
    return {
        "revision": revision,
        "kind": model._meta.verbose_name,
        "submitted_by": display_name(revision.submitted_by),
        "admin_url": settings.SITE_URL
        + reverse(f"admin:careers_{model._meta.model_name}_publishing", args=[revision.object_id]),
    }


def _consultation_context(delivery: EmailDelivery, status_token: str | None) -> dict:
    request = delivery.request
    return {
        "consultation": request,
        "interests": interest_words(request.interests),
        "reply_due_at": request.reply_due_at(),
        "reply_days": settings.CONSULTATION_REPLY_BUSINESS_DAYS,
        "admin_url": settings.SITE_URL
        + reverse("admin:careers_consultationrequest_change", args=[request.pk]),
        "status_url": status_links.url(status_token) if status_token else "",
        "link_days": settings.CONSULTATION_STATUS_LINK_DAYS,
        "lookup_url": settings.SITE_URL + reverse("careers:consultation_status_lookup"),
    }


def build_message(delivery: EmailDelivery, *, status_token: str | None = None) -> EmailMessage:
    """The email `delivery` stands for, with its Message-ID; ready for a mailer.

    Reads the request and, for a reply, its AgentReply, or the revision (use
    select_related) and the interest labels. `status_token` (careers/status_links.py)
    is the link the auto-reply or a fresh-link email carries. The subject is encoded
    as RFC 2047 UTF-8 words by Django, so mail clients show it as written.
    """
    headers = {"Message-ID": delivery.message_id}
    if delivery.kind == Kind.AGENT_REPLY:
        return _reply_message(delivery, headers)
    if delivery.revision_id:
        about = _revision_context(delivery)
    else:
        about = _consultation_context(delivery, status_token)
    context = {**site(None), **about}
    subject = render_to_string(f"emails/{delivery.kind}_subject.txt", context)
    headers |= {
        "Auto-Submitted": AUTO_SUBMITTED[delivery.kind],
        # Out-of-office replies to an automatic email help nobody.
        "X-Auto-Response-Suppress": "All",
    }
    return EmailMessage(
        " ".join(subject.split()),
        render_to_string(f"emails/{delivery.kind}.txt", context),
        to=recipients(delivery),
        reply_to=[] if delivery.kind in NO_REPLY_TO else [settings.AGENCY_EMAIL],
        headers=headers,
    )
