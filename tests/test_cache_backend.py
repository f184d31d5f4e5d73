"""guide.cache.RedisCache: Django's Redis backend, one client per pool (Redis db 3)."""

import os

import pytest

from guide.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"backend-test-{os.urandom(4).hex()}"})
    yield backend
    backend.delete_many(["a", "b", "n"])


def test_behaves_as_djangos_backend(redis_cache):
    assert redis_cache.get("a") is None
    assert redis_cache.add("a", (1, b"x"), 60)
    assert not redis_cache.add("a", "other", 60)
    redis_cache.set("b", 2, 60)
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": (1, b"x"), "b": 2}
    redis_cache.set("n", 1, 60)
    assert redis_cache.incr("n") == 2
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_one_client_serves_every_operation(redis_cache):
    redis_cache.set("a", 1, 60)
    client = redis_cache._cache.get_client()
    redis_cache.get("a")
    assert redis_cache._cache.get_client(write=True) is client
