"""The emails about a consultation request: plain Japanese text, no tracking.

The text lives in templates/emails/<kind>.txt and <kind>_subject.txt. The agents'
email carries nothing personal (reference, dates, interests, a link behind the admin
login); the auto-reply repeats what was asked for but not the name, phone or message,
so a mistyped address shows a stranger as little as possible.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.template.loader import render_to_string
from django.urls import reverse

from careers.context_processors import site
from careers.models import EmailDelivery
from careers.selectors import interest_labels

Kind = EmailDelivery.Kind

# RFC 3834: the reader's copy answers their request; the agents' note is generated.
AUTO_SUBMITTED = {Kind.AUTO_REPLY: "auto-replied", Kind.AGENTS_NOTIFICATION: "auto-generated"}


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
    """Who `delivery` goes to, read when sending: the reader's address (none once the
    request is anonymised) or CONSULTATION_NOTIFY_EMAILS."""
    if delivery.kind == Kind.AUTO_REPLY:
        return [delivery.request.email] if delivery.request.email else []
    return list(settings.CONSULTATION_NOTIFY_EMAILS)


def build_message(delivery: EmailDelivery) -> EmailMessage:
    """The email `delivery` stands for, with its Message-ID; ready for a mailer.

    Reads the request (use select_related) and the interest labels. The subject is
    encoded as RFC 2047 UTF-8 words by Django, so mail clients show it as written.
    """
    request = delivery.request
    context = {
        **site(None),
        "consultation": request,
        "interests": interest_words(request.interests),
        "reply_due_at": request.reply_due_at(),
        "reply_days": settings.CONSULTATION_REPLY_BUSINESS_DAYS,
        "admin_url": settings.SITE_URL
        + reverse("admin:careers_consultationrequest_change", args=[request.pk]),
    }
    subject = render_to_string(f"emails/{delivery.kind}_subject.txt", context)
    headers = {
        "Message-ID": delivery.message_id,
        "Auto-Submitted": AUTO_SUBMITTED[delivery.kind],
        # Out-of-office replies to an automatic email help nobody.
        "X-Auto-Response-Suppress": "All",
    }
    return EmailMessage(
        " ".join(subject.split()),
        render_to_string(f"emails/{delivery.kind}.txt", context),
        to=recipients(delivery),
        reply_to=[settings.AGENCY_EMAIL] if delivery.kind == Kind.AUTO_REPLY else [],
        headers=headers,
    )
