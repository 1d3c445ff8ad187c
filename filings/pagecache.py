"""An applicant's own pages kept in the cache, keyed on a version the database moves on every change.

An applicant looks at the order list and an order's page far more often than anything on them changes (they follow
the review, the administration's decision, the SMS step). Each such page is rendered once per *page version* of the
account and kept in the cache; the next request with the same version is one indexed read and one cache read.

The version is ``PageVersion.version``: database triggers (migration 0009) add one to it in the same transaction as
any write to a table these pages show, whatever made the write (the services, the set-based sweeps, the
administration's callbacks, the admin, a shell). A request reads the version before anything else of the page, in
the statement that reads the signed-in account (``accounts.userrow``): if it sees the new version it sees the new
rows too. The tables watched, by what shows them:

- the order list and the order page: ``filings_filingorder``, ``filings_subjectapplication``,
  ``filings_websiteapplication``, ``filings_domainapplication``, ``filings_personapplication`` (principals' names),
  ``filings_fieldremark`` (what to fix), ``filings_orderevent`` (the numbers an approval gave), ``subjects_subject``
  (the filed subject's ICP number);
- the layout around them: ``accounts_user`` (the name in the header), ``notifications_inboxmessage`` (the unread
  count).

An order's writes move the version of its applicant and of the reviewer holding it, before and after (migration
0010): the review queue keeps each reviewer's page for ``reviews.selectors.queues.COUNTS_SECONDS`` at most (what
others do shows within those seconds, as the queue's counts always did), and a reviewer's own claim or release
shows on their next view of it.

The API's order list keeps its data the same way (``cached_data``): the same tables, the same version.

A page showing anything else must not use ``cached_page`` without adding its tables to the triggers. Reference data
(regions' names) is not watched: it changes with a release, and an entry lives ``TIMEOUT`` seconds at most.

What else a page depends on is in its key: the account, the path with its query, the language, the account's roles
(the navigation), the CSRF cookie (the forms' tokens are derived from it), how the portal clock is set (the
simulator and the tests move it), and for an htmx request its target. A page that shows a time left says until
when it holds (``PAGE_VALID_FOR``, below): the order page's days of validity left change at a moment of the day
the order's deadline sets. A request carrying messages to show, a request without a CSRF
cookie yet or one asking ``Cache-Control: no-cache`` (a browser's hard reload) is rendered as before. Only on
PostgreSQL, where the triggers are, and with a shared cache (Redis): ``settings.PAGE_CACHE``.
"""

import random
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import clock
from core.publicpages import asks_for_a_rendered_page, digest

# How long a rendered page is kept at most (bounds what the triggers do not watch: reference data, role grants).
TIMEOUT = 600


class PageVersion(models.Model):
    """How many times what an account's pages show has changed. Written by database triggers only."""

    user_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self):
        return f"{self.user_id}: {self.version}"


def page_version(user_id: int) -> int:
    """The account's page version as committed now (0 before its first change). One indexed read, no ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM filings_pageversion WHERE user_id = %s", [user_id])
        row = cursor.fetchone()
    return row[0] if row else 0


# The version is read with the signed-in account, in the request's first statement (accounts.userrow, registered
# in FilingsConfig.ready): nothing of the page is read before it, so a page rendered after it shows rows at least
# that new, as with a statement of its own.
PAGE_VERSION_ATTRIBUTE = "_page_version"


def page_version_subquery() -> str:
    return "COALESCE((SELECT version FROM filings_pageversion WHERE user_id = {user}), 0)"


def request_page_version(request) -> int:
    """The page version of the request's account: as read with the account, or now if it was not (SQLite, a user
    set on the request by hand)."""
    version = getattr(request.user, PAGE_VERSION_ATTRIBUTE, None)
    return page_version(request.user.pk) if version is None else version


# A response attribute: how many seconds at most the page may be kept (it shows a time left, say).
PAGE_VALID_FOR = "page_valid_for"


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and settings.CSRF_COOKIE_NAME in request.COOKIES
        and not asks_for_a_rendered_page(request)
    )


def _key(request, version: int) -> str:
    user = request.user
    parts = (
        request.get_full_path(),
        get_language() or "",
        ",".join(sorted(user.role_names)),
        request.COOKIES[settings.CSRF_COOKIE_NAME],
        repr(clock.setting()),
        # An htmx request may be answered with a part of the page (the review queue's table).
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    )
    return f"page:{user.pk}:{version}:{digest(*parts)}"


def cached_page(view=None, *, seconds: int = TIMEOUT, spread: float = 0):
    """Serve a signed-in GET of ``view`` from the cache while the account's page version stays the same, for
    ``seconds`` at most. A page that also shows what the triggers do not watch (the review queue: other people's
    orders) passes the few seconds it may lag them, and a ``spread``: each entry then lives a random part of the
    last ``spread`` of those seconds, so that pages kept at the same moment (a team opening the queue) are not all
    rendered again at the same moment."""
    if view is None:
        return lambda view: cached_page(view, seconds=seconds, spread=spread)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, request_page_version(request))
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        timeout = min(seconds * (1 - spread * random.random()), getattr(response, PAGE_VALID_FOR, seconds))
        if response.status_code == 200 and not response.streaming and not response.cookies and timeout >= 1:
            cache.set(key, response.content, timeout)
        return response

    return wrapper


def cached_data(request, compute):
    """The API's counterpart of ``cached_page``: ``compute()`` (the data of a signed-in GET, before rendering) kept
    under the account's page version, the absolute URL (a page's links to the next and previous ones are absolute)
    and the language (the labels). The renderer still runs, so content negotiation stays the API's."""
    if not settings.PAGE_CACHE or request.method != "GET" or "no-cache" in request.headers.get("Cache-Control", ""):
        return compute()
    version = request_page_version(request)
    key = f"api:{request.user.pk}:{version}:{digest(request.build_absolute_uri(), get_language() or '')}"
    data = cache.get(key)
    if data is None:
        data = compute()
        cache.set(key, data, TIMEOUT)
    return data
