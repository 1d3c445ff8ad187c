"""The public pages' request counter: one count per hit within a window, and a window's counter that expires with
it (on Redis it is written in one round trip; elsewhere added, then incremented)."""

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from miit import ratelimit


def test_the_limit_allows_that_many_hits_a_window_and_refuses_the_next():
    answers = [ratelimit.allow("t", "203.0.113.9", limit=3, window_seconds=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert ratelimit.allow("t", "203.0.113.10", limit=3, window_seconds=60)  # another visitor counts apart


def test_a_windows_counter_expires_with_the_window():
    assert [ratelimit._count_hit("miit:rate:test:x", timeout=65) for _ in range(3)] == [1, 2, 3]
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        pytest.skip("the expiry is Redis's (REDIS_URL, as .ci/run sets)")
    key = backend.make_and_validate_key("miit:rate:test:x")
    assert 60 <= backend._cache.get_client(key).ttl(key) <= 65
    assert cache.get("miit:rate:test:x") == 3  # what the cache API reads: the same number
