"""Query budgets of the pages: what every signed-in request reads before the page's own queries.

With Redis (the production settings, and the suite when REDIS_URL is set) sessions are read from the cache and the
roles too (accounts.roles): a signed-in request reads only its user row. Without Redis the session is a row too."""

from django.conf import settings


def signed_in_floor() -> int:
    """Queries of every signed-in page request (cookie session) before its own: the user, and the session row
    unless sessions are cached."""
    return 1 if settings.SESSION_ENGINE.endswith("cached_db") else 2
