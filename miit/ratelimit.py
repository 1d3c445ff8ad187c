"""A fixed-window request counter in the shared cache, for the administration's public pages (the query, the SMS
verification, the password retrieval): enough to stop a script, no extra package. Real time, not the settable
clock: a visitor's pace is real whatever the simulation's date."""

import hashlib
import time

from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR, which core.middleware.TrustedProxyMiddleware sets from X-Forwarded-For only behind our own proxy.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` hits fall in the current window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    bucket = int(time.time() // window_seconds)
    cache_key = f"miit:rate:{scope}:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
