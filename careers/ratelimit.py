"""Per-client limits, kept in Django's cache: consultation submissions, and (each in
its own bucket) the reader's status pages and the lost-link form.

With REDIS_URL set the cache is shared, so the limit holds across web replicas.
Keys hold a hash of the client address, never the address itself.

A client's window starts with its first counted submission and lasts
CONSULTATION_RATE_WINDOW_SECONDS. Whether a submission is admitted is decided by
the one atomic increment of the counter (Redis INCR; LocMemCache increments under
its lock): of any number of simultaneous submissions, exactly the first
CONSULTATION_RATE_LIMIT get through.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's address; behind N trusted proxies, the Nth from the right of X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


# Bucket → the setting that holds its limit. Every bucket uses the same window.
BUCKETS = {
    "consultation": "CONSULTATION_RATE_LIMIT",
    "status": "CONSULTATION_STATUS_RATE_LIMIT",
    "status-lookup": "CONSULTATION_STATUS_LOOKUP_RATE_LIMIT",
}


def _key(request, bucket):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    return f"{bucket}-rate:{digest[:32]}"


def _limit(bucket):
    return getattr(settings, BUCKETS[bucket])


def is_limited(request, bucket: str = "consultation") -> bool:
    """True when the client has used up this window: a cheap early refusal, before the
    form is validated. It decides nothing; admit() does."""
    return cache.get(_key(request, bucket), 0) >= _limit(bucket)


def admit(request, bucket: str = "consultation") -> bool:
    """Count one use of `bucket` (a key of BUCKETS) by the client; False when it is
    over the bucket's limit within CONSULTATION_RATE_WINDOW_SECONDS."""
    key = _key(request, bucket)
    window = settings.CONSULTATION_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)  # starts a window unless one is running
    try:
        count = cache.incr(key)  # atomic: the number it returns decides
    except ValueError:  # the window ended between add() and incr(): start the next
        cache.add(key, 0, timeout=window)
        count = cache.incr(key)
    if count == 1:
        # First of a window. On Redis, INCR re-creates a key that expired just after
        # Django's existence check, without an expiry: give it the window's.
        cache.touch(key, window)
    return count <= _limit(bucket)
