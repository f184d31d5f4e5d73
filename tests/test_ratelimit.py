"""The consultation rate limit holds under concurrency, on Redis as in production and
on the in-process cache."""

import threading
from contextlib import contextmanager

import pytest
import redis
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from careers import ratelimit

# Database 2 of the local Redis is this test's own; it is emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/2"
CACHES = {
    "redis": {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    },
    "locmem": {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate"}
    },
}


@contextmanager
def cache_backend(name):
    """The default cache switched to CACHES[name], empty before and after."""
    if name == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        except redis.ConnectionError:
            pytest.fail("Redis が 127.0.0.1:6379 で動いていません（.ci/run が起動します）。")
    with override_settings(CACHES=CACHES[name]):
        cache.clear()
        try:
            yield
        finally:
            cache.clear()


@pytest.fixture(params=sorted(CACHES))
def backend(request):
    with cache_backend(request.param):
        yield request.param


@pytest.mark.parametrize("limit, clients", [(5, 20), (1, 8), (3, 3)])
def test_simultaneous_submissions_admit_exactly_the_limit(backend, limit, clients):
    barrier = threading.Barrier(clients)
    admitted = []

    def submit():
        request = RequestFactory().post("/consultation/", REMOTE_ADDR="192.0.2.7")
        barrier.wait(timeout=30)
        admitted.append(ratelimit.admit(request))

    with override_settings(CONSULTATION_RATE_LIMIT=limit):
        threads = [threading.Thread(target=submit) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        request = RequestFactory().post("/consultation/", REMOTE_ADDR="192.0.2.7")
        assert ratelimit.is_limited(request) is (clients >= limit)
        other = RequestFactory().post("/consultation/", REMOTE_ADDR="192.0.2.8")
        assert ratelimit.admit(other)

    assert len(admitted) == clients
    assert admitted.count(True) == min(limit, clients)


def test_a_window_on_redis_always_ends(settings):
    """Redis INCR would leave a re-created counter without expiry: every one has it."""
    with cache_backend("redis"):
        request = RequestFactory().post("/consultation/", REMOTE_ADDR="192.0.2.9")
        for _ in range(3):
            ratelimit.admit(request)
        client = redis.Redis.from_url(REDIS_URL)
        [key] = client.keys("*consultation-rate:*")
        assert 0 < client.ttl(key) <= settings.CONSULTATION_RATE_WINDOW_SECONDS
