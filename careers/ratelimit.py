"""Per-client limit on consultation submissions, kept in Django's cache.

With REDIS_URL set the cache is shared, so the limit holds across web replicas.
Keys hold a hash of the client address, never the address itself.
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


def is_limited(request):
    return cache.get(_key(request), 0) >= settings.CONSULTATION_RATE_LIMIT


def record_submission(request):
    key = _key(request)
    # add() starts the window only if none is running; incr() keeps its expiry.
    cache.add(key, 0, timeout=settings.CONSULTATION_RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=settings.CONSULTATION_RATE_WINDOW_SECONDS)
