"""An applicant's own pages kept in the cache, keyed on a version the database moves on every change.

An applicant looks at the order list and an order's page far more often than anything on them changes (they follow
the review, the administration's decision, the SMS step). Each such page is rendered once per *page version* of the
account and kept in the cache; the next request with the same version is one indexed read and one cache read.

The version is ``PageVersion.version``: database triggers (migration 0009) add one to it in the same transaction as
any write to a table these pages show, whatever made the write (the services, the set-based sweeps, the
administration's callbacks, the admin, a shell). A request reads the version before anything else of the page, in
its own statement: if it sees the new version it sees the new rows too. The tables watched, by what shows them:

- the order list and the order page: ``filings_filingorder``, ``filings_subjectapplication``,
  ``filings_websiteapplication``, ``filings_domainapplication``, ``filings_personapplication`` (principals' names),
  ``filings_fieldremark`` (what to fix), ``filings_orderevent`` (the numbers an approval gave), ``subjects_subject``
  (the filed subject's ICP number);
- the layout around them: ``accounts_user`` (the name in the header), ``notifications_inboxmessage`` (the unread
  count).

A page showing anything else must not use ``cached_page`` without adding its tables to the triggers. Reference data
(regions' names) is not watched: it changes with a release, and an entry lives ``TIMEOUT`` seconds at most.

What else a page depends on is in its key: the account, the path with its query, the language, the account's roles
(the navigation), the CSRF cookie (the forms' tokens are derived from it) and the portal clock's minute (the days of
validity left). A request carrying messages to show, an htmx request, a request without a CSRF cookie yet or one
asking ``Cache-Control: no-cache`` (a browser's hard reload) is rendered as before. Only on PostgreSQL, where the
triggers are, and with a shared cache (Redis): ``settings.PAGE_CACHE``.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import clock

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


def _cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and settings.CSRF_COOKIE_NAME in request.COOKIES
        and "messages" not in request.COOKIES
        and "_messages" not in request.session
        and not request.headers.get("HX-Request")
        and "no-cache" not in request.headers.get("Cache-Control", "")
    )


def _key(request, version: int) -> str:
    user = request.user
    parts = (
        request.get_full_path(),
        get_language() or "",
        ",".join(sorted(user.role_names)),
        request.COOKIES[settings.CSRF_COOKIE_NAME],
        clock.now().strftime("%Y%m%d%H%M"),
    )
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return f"page:{user.pk}:{version}:{digest}"


def cached_page(view):
    """Serve a signed-in GET of ``view`` from the cache while the account's page version stays the same."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, page_version(request.user.pk))
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, response.content, TIMEOUT)
        return response

    return wrapper
