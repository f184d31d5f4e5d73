"""The reader's personal link to their request: `/consultation/status/<token>/`.

Design (issue 14):
- Each request may hold one random key (32 bytes from `secrets`); the database keeps
  only its SHA-256 (`ConsultationRequest.status_key_hash`), so a copy of the
  database opens no page.
- The token is the key signed with Django's TimestampSigner (SECRET_KEY, HMAC) and a
  salt used for nothing else, so a token signed for another purpose (the thanks
  cookie, an editor's preview link) never passes here, and no token can be made
  or altered without the secret key.
- It names neither the reference nor anything personal: the payload is the key.
- It expires CONSULTATION_STATUS_LINK_DAYS after it was signed (the signature's
  timestamp). Issuing a link makes a new key, so the previous link stops working;
  erasing the personal data removes the key, so no link works afterwards.
- A wrong, altered, expired or replaced token finds nothing: the view answers 404.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from careers.models import ConsultationRequest

SALT = "careers.consultation-status-link"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def max_age() -> timedelta:
    """How long a link works: CONSULTATION_STATUS_LINK_DAYS days (30 by default)."""
    return timedelta(days=settings.CONSULTATION_STATUS_LINK_DAYS)


def issue(consultation: ConsultationRequest) -> str:
    """A fresh token for `consultation`; the previous one stops working.

    Writes the new key's hash to the request (one UPDATE); call from the code that
    sends the link. Raises ValueError for an anonymised request.
    """
    if consultation.anonymized_at is not None:
        raise ValueError("an anonymised request has no status page")
    key = secrets.token_urlsafe(32)
    consultation.status_key_hash = _hash(key)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(
        status_key_hash=consultation.status_key_hash
    )
    return signing.TimestampSigner(salt=SALT).sign(key)


def url(token: str) -> str:
    """The absolute status page URL on SITE_URL for `token`."""
    return settings.SITE_URL + reverse("careers:consultation_status", args=[token])


def resolve(token: str) -> ConsultationRequest | None:
    """The request `token` opens, or None: bad signature, expired, replaced, erased."""
    try:
        key = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age())
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return (
        ConsultationRequest.objects.select_related("assignee")
        .filter(status_key_hash=_hash(key), anonymized_at__isnull=True)
        .first()
    )
