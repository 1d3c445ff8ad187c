"""Pages for anonymous visitors kept in the cache, keyed on a version of what they show.

The administration's public query page is asked far more often than the registry it reads changes. Its owner keeps
a version that the database moves on every write to the tables the page shows (``miit.models.RegistryVersion``);
the page is rendered once per version, path with query and language, and kept.

A page carries the visitor's CSRF token (the header's language switch posts). It is kept with a slot in its place
(``TOKEN_SLOT``, given to the template as ``csrf_token``, which overrides the context processor's), and each
visitor gets their own token put in on the way out (``page_for_visitor``): any masked token of the visitor's secret
is valid, and a visitor without the cookie yet gets one, as when the page is rendered. Signed-in visitors (their
name, their unread count), pages with messages to show and a browser's hard reload are rendered as before; only with
``settings.PAGE_CACHE`` (PostgreSQL, where the triggers are, with Redis)."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

# How long a page is kept at most (bounds what the version does not watch: labels of a release, reference data).
TIMEOUT = 600

# Where a kept page has its CSRF token: letters only, so the same escaped or not. A placeholder, not a secret (a
# visitor who types it into the query sees their own token in the box, which the page holds anyway).
TOKEN_SLOT = "csrftokenslotkeptoutofthecache"  # noqa: S105


def digest(*parts: str) -> str:
    """What a kept page depends on, as a short key part (shared with ``filings.pagecache``)."""
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def asks_for_a_rendered_page(request) -> bool:
    """Messages to show (they are read by rendering) or a browser's hard reload (``Cache-Control: no-cache``): the
    page is rendered, whatever is kept (shared with ``filings.pagecache``)."""
    return (
        "messages" in request.COOKIES
        or "_messages" in request.session
        or "no-cache" in request.headers.get("Cache-Control", "")
    )


def cache_key(request, scope: str, version: Callable[[], int]) -> str | None:
    """The key of an anonymous GET of a page under ``scope`` (what it shows) at ``version()`` (asked only when the
    page can be kept): the path with its query and the language; None when the page is to be rendered."""
    if not (
        settings.PAGE_CACHE
        and request.method == "GET"
        and not request.user.is_authenticated
        and not asks_for_a_rendered_page(request)
    ):
        return None
    return f"public:{scope}:{version()}:{digest(request.get_full_path(), get_language() or '')}"


def page_for_visitor(request, content: str) -> HttpResponse:
    """A kept page (rendered with ``csrf_token=TOKEN_SLOT``) with this visitor's own CSRF token in it."""
    return HttpResponse(content.replace(TOKEN_SLOT, get_token(request)))
