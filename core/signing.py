"""HMAC-SHA256 signatures for messages between systems (administration callbacks, webhooks).

The header carries a timestamp and the signature of ``"{timestamp}.{body}"``: ``t=1700000000,v1=<hex>``. A receiver
recomputes it with the shared secret, compares in constant time and refuses stale timestamps, so a captured request
cannot be replayed later.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-ICP-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    pass


def compute(*, secret: str, body: bytes, timestamp: int) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body``."""
    if not secret:
        raise SignatureError("No signing secret is configured")
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute(secret=secret, body=body, timestamp=timestamp)}"


def verify(
    *, secret: str, body: bytes, header: str | None, tolerance: int = DEFAULT_TOLERANCE_SECONDS, now: int | None = None
) -> int:
    """Check a header; return its timestamp, or raise SignatureError saying why it is refused."""
    if not secret:
        raise SignatureError("No signing secret is configured")
    if not header:
        raise SignatureError("Missing signature")
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise SignatureError("Malformed signature") from None
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("Signature timestamp outside the allowed window")
    expected = compute(secret=secret, body=body, timestamp=timestamp)
    if not hmac.compare_digest(expected, given):
        raise SignatureError("Signature does not match")
    return timestamp
