"""A fixed-window request counter in the shared cache, for the administration's public pages (the query, the SMS
verification, the password retrieval): enough to stop a script, no extra package. Real time, not the settable
clock: a visitor's pace is real whatever the simulation's date."""

import hashlib
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def client_ip(request) -> str:
    # REMOTE_ADDR, which core.middleware.TrustedProxyMiddleware sets from X-Forwarded-For only behind our own proxy.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` hits fall in the current window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    bucket = int(time.time() // window_seconds)
    return _count_hit(f"miit:rate:{scope}:{digest}:{bucket}", timeout=window_seconds + 5) <= limit


def _count_hit(cache_key: str, *, timeout: int) -> int:
    """Add one to the window's counter and return it. On Redis one round trip (the public query page asked twice:
    ``add``, then ``incr``; docs/performance.md, fix 20): ``SET … NX EX`` starts the window's counter at 0 with its
    expiry, ``INCR`` counts, both in one ``MULTI``. Django's cache API has no increment that creates the key, so
    this uses the backend's own client; other backends (the file cache of ``make run``, the tests' memory) add,
    then increment."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        key = backend.make_and_validate_key(cache_key)
        with backend._cache.get_client(key, write=True).pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
            _created, count = pipe.execute()
        return count
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=timeout)
        return 1
