"""Per-client limit on consultation submissions, kept in Django's cache.

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


def _key(request):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    return f"consultation-rate:{digest[:32]}"


def is_limited(request) -> bool:
    """True when the client has used up this window: a cheap early refusal, before the
    form is validated. It decides nothing; admit() does."""
    return cache.get(_key(request), 0) >= settings.CONSULTATION_RATE_LIMIT


def admit(request) -> bool:
    """Count one submission of the client; False when it is over the limit."""
    key = _key(request)
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
    return count <= settings.CONSULTATION_RATE_LIMIT
