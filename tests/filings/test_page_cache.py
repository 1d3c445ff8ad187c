"""The applicant's order list and order pages kept in the cache (filings.pagecache, docs/performance.md fix 24).

A page comes from the cache only while its account's page version stays the same, and database triggers move that
version on every write to what the pages show, whoever writes: a service, a set-based UPDATE, the sweep, a raw
statement. These tests change the data the ways the portal does and check that the very next view shows it; one
test switches the triggers off to show that the cache alone would have kept the stale page."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings import services
from filings.constants import OrderStatus as S
from filings.models import (
    DomainApplication,
    FieldRemark,
    FilingOrder,
    OrderEvent,
    PersonApplication,
    SubjectApplication,
    WebsiteApplication,
)
from filings.pagecache import page_version
from notifications.models import InboxMessage
from notifications.selectors import inbox_unread_count_forget
from subjects.models import Subject
from tests.factories import UserFactory

from .conftest import days

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CSRF_SECRET = "pagecachecsrfsecret0123456789abc"  # a browser holds the CSRF cookie after its first page


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def browser(client, applicant):
    client.force_login(applicant)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _detail(order):
    return reverse("filings:order_detail", args=[order.number])


def test_an_unchanged_order_page_comes_from_the_cache_with_one_read_of_the_account_and_its_version(
    browser, applicant, make_order
):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    first, rendered = _get(browser, _detail(order))
    again, cached = _get(browser, _detail(order))
    assert again == first
    assert cached == 1 < rendered  # the account with its roles and page version (accounts.userrow); nothing else


def test_a_status_set_by_a_set_based_update_shows_on_the_next_view(browser, applicant, make_order):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    _get(browser, _detail(order))
    _get(browser, reverse("filings:order_list"))
    FilingOrder.objects.filter(pk=order.pk).update(status=S.MIIT_REVIEW)  # no signal, no service
    page, _ = _get(browser, _detail(order))
    listing, _ = _get(browser, reverse("filings:order_list"))
    assert f'data-status="{S.MIIT_REVIEW}"' in page
    assert f'data-status="{S.MIIT_REVIEW}"' in listing
    assert f'data-status="{S.PENDING_INITIAL_REVIEW}"' not in page + listing


def test_without_the_triggers_the_cache_would_show_the_old_status(browser, applicant, make_order):
    """What the triggers are for: the same change with them switched off leaves the cached page stale."""
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    _get(browser, _detail(order))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers fire
        FilingOrder.objects.filter(pk=order.pk).update(status=S.MIIT_REVIEW)
        cursor.execute("SET LOCAL session_replication_role = origin")
    page, _ = _get(browser, _detail(order))
    assert f'data-status="{S.PENDING_INITIAL_REVIEW}"' in page


def test_the_expiry_sweep_shows_on_the_next_view(browser, applicant, make_order, frozen_clock):
    order = make_order(applicant=applicant, status=S.DRAFT)
    FilingOrder.objects.filter(pk=order.pk).update(expires_at=frozen_clock.now() + days(1))
    _get(browser, _detail(order))
    frozen_clock.advance(days(2))
    services.order_expire_due()
    page, _ = _get(browser, _detail(order))
    assert f'data-status="{S.EXPIRED}"' in page


def _write_each_watched_table(order, applicant):
    """One write to each table the pages show, each of an order of ``applicant`` (or of the account itself)."""
    website = order.websites.get()
    yield "order", lambda: FilingOrder.objects.filter(pk=order.pk).update(edited_at=order.created_at)
    yield "subject", lambda: SubjectApplication.objects.filter(order=order).update(name="另一个名称")
    yield "website", lambda: WebsiteApplication.objects.filter(pk=website.pk).update(name="另一个网站")
    yield "domain added", lambda: DomainApplication.objects.create(website=website, name="example.org")
    yield "domain removed", lambda: DomainApplication.objects.filter(website=website, name="example.org").delete()
    yield "principal", lambda: PersonApplication.objects.filter(order=order).update(name="李娜")
    yield (
        "remark",
        lambda: FieldRemark.objects.create(order=order, field="subject.name", message="x", created_at=order.created_at),
    )
    yield (
        "event",
        lambda: OrderEvent.objects.create(
            order=order, action="note", to_status=order.status, actor_kind="system", created_at=order.created_at
        ),
    )
    yield (
        "filed subject",
        lambda: Subject.objects.create(
            owner=applicant,
            province=order.province,
            nature="enterprise",
            certificate_type="business_licence",
            certificate_number="911101080000000ABK",
            name="主体",
            icp_number="京ICP备10000001号",
        ),
    )
    yield (
        "inbox",
        lambda: InboxMessage.objects.create(
            user=applicant, event="test", title="t", body="b", created_at=order.created_at
        ),
    )
    yield "account", lambda: type(applicant).objects.filter(pk=applicant.pk).update(full_name="王伟")


def test_every_watched_table_moves_the_owners_page_version_and_no_one_elses(applicant, make_order):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    other = make_order(status=S.PENDING_INITIAL_REVIEW)
    for what, write in _write_each_watched_table(order, applicant):
        before, others_before = page_version(applicant.pk), page_version(other.applicant_id)
        write()
        assert page_version(applicant.pk) > before, what
        assert page_version(other.applicant_id) == others_before, what


def test_a_new_inbox_message_shows_in_the_header_count(browser, applicant, make_order):
    make_order(applicant=applicant)
    before, _ = _get(browser, reverse("filings:order_list"))
    assert "inbox-count" not in before
    InboxMessage.objects.create(
        user=applicant, event="order.approved", title="通过", body="…", created_at=applicant.date_joined
    )
    inbox_unread_count_forget(applicant.pk)  # as delivery does: the count has its own cache entry
    after, _ = _get(browser, reverse("filings:order_list"))
    assert "inbox-count" in after


def test_the_days_left_follow_the_portal_clock(browser, applicant, make_order, frozen_clock):
    order = make_order(applicant=applicant, status=S.DRAFT)
    FilingOrder.objects.filter(pk=order.pk).update(expires_at=frozen_clock.now() + days(10))
    first, _ = _get(browser, _detail(order))
    frozen_clock.advance(days(3))
    later, _ = _get(browser, _detail(order))
    assert "10 more days" in first and "7 more days" in later


def test_each_language_and_each_account_gets_its_own_page(browser, client, applicant, make_order):
    order = make_order(applicant=applicant)
    english, _ = _get(browser, reverse("filings:order_list"))
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese, _ = _get(browser, reverse("filings:order_list"))
    assert "My orders" in english and "我的备案订单" in chinese
    someone = UserFactory()
    client.force_login(someone)
    theirs, _ = _get(client, reverse("filings:order_list"))
    assert order.number not in theirs


def test_a_page_with_messages_to_show_is_rendered_and_shows_them_once(browser, applicant, make_order):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    _get(browser, _detail(order))
    response = browser.post(reverse("filings:order_withdraw", args=[order.number]), {"reason": "不需要了"})
    assert response.status_code == 302
    page, _ = _get(browser, _detail(order))
    assert "The order was withdrawn" in page and f'data-status="{S.WITHDRAWN}"' in page
    again, _ = _get(browser, _detail(order))
    assert "The order was withdrawn" not in again and f'data-status="{S.WITHDRAWN}"' in again


@pytest.mark.parametrize(
    "extra",
    [{"HTTP_CACHE_CONTROL": "no-cache"}, {"HTTP_HX_REQUEST": "true"}],
    ids=["hard reload", "htmx"],
)
def test_a_hard_reload_or_an_htmx_request_is_rendered(browser, applicant, make_order, extra):
    order = make_order(applicant=applicant)
    _get(browser, _detail(order))
    _, cached = _get(browser, _detail(order))
    _, again = _get(browser, _detail(order), **extra)
    assert again > cached == 1


def test_without_a_csrf_cookie_the_page_is_rendered_and_sets_one(client, applicant, make_order):
    order = make_order(applicant=applicant)
    client.force_login(applicant)
    first = client.get(_detail(order))
    assert django_settings.CSRF_COOKIE_NAME in first.cookies  # the test client keeps it, as a browser does
    _, rendered = _get(client, _detail(order))
    _, cached = _get(client, _detail(order))
    assert cached == 1 < rendered


def _api_list(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:orders"), params)
    assert response.status_code == 200
    return response.json(), len(queries)


def test_the_api_order_list_comes_from_the_cache_until_an_order_changes(applicant, make_order):
    from tests.api.conftest import token_client

    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    api = token_client(applicant)
    first, computed = _api_list(api)
    again, cached = _api_list(api)
    assert again == first and cached == 1 < computed  # the token with its account, roles and page version
    FilingOrder.objects.filter(pk=order.pk).update(status=S.MIIT_REVIEW)
    changed, _ = _api_list(api)
    assert [row["status"] for row in changed["results"]] == [S.MIIT_REVIEW]


def test_the_api_order_list_of_another_account_or_another_page_is_its_own(applicant, make_order):
    from tests.api.conftest import token_client

    for _ in range(3):
        make_order(applicant=applicant)
    mine, _ = _api_list(token_client(applicant), page_size=2)
    second, _ = _api_list(token_client(applicant), page_size=2, page=2)
    theirs, _ = _api_list(token_client(UserFactory()), page_size=2)
    assert mine["count"] == second["count"] == 3 and len(mine["results"]) == 2 and len(second["results"]) == 1
    assert mine["next"].endswith("page=2&page_size=2") and second["next"] is None
    assert theirs["count"] == 0


def test_the_order_page_is_kept_no_longer_than_its_days_left_hold(
    browser, applicant, make_order, frozen_clock, monkeypatch
):
    from filings import pagecache

    order = make_order(applicant=applicant, status=S.DRAFT)
    FilingOrder.objects.filter(pk=order.pk).update(expires_at=frozen_clock.now() + days(10) + timedelta(minutes=5))
    kept = []
    monkeypatch.setattr(pagecache.cache, "set", lambda key, value, timeout: kept.append(timeout))
    _get(browser, _detail(order))
    assert kept == [5 * 60]  # in five minutes "11 more days" becomes "10 more days"
    FilingOrder.objects.filter(pk=order.pk).update(expires_at=None, validity_left=days(3))
    _get(browser, _detail(order))
    assert kept[-1] == pagecache.TIMEOUT  # paused: nothing but a change of the order changes it


def _queue_page(client, **extra):
    response = client.get(reverse("reviews:queue", args=["initial"]), **extra)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reviewer_browser(client, reviewer):
    from accounts.testing import force_login_with_second_factor

    force_login_with_second_factor(client, reviewer)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_reviewers_own_claim_shows_on_their_next_view_of_the_queue(reviewer_browser, make_order):
    order = make_order(status=S.PENDING_INITIAL_REVIEW)
    before = _queue_page(reviewer_browser)
    assert "none yet" in before
    response = reviewer_browser.post(reverse("reviews:claim_next", args=["initial"]), follow=True)
    assert response.status_code == 200  # the order's page, which shows the claim's message
    after = _queue_page(reviewer_browser)
    assert "none yet" not in after and order.number in after.split('class="held-strip"')[1].split("</p>")[0]


def test_the_queue_page_is_kept_a_few_seconds_at_most_and_its_htmx_table_apart(
    reviewer_browser, make_order, monkeypatch
):
    from filings import pagecache
    from reviews.selectors.queues import COUNTS_SECONDS

    make_order(status=S.PENDING_INITIAL_REVIEW)
    kept = []
    original = pagecache.cache.set
    monkeypatch.setattr(
        pagecache.cache, "set", lambda key, value, timeout: (kept.append(timeout), original(key, value, timeout))
    )
    page = _queue_page(reviewer_browser)
    table = _queue_page(reviewer_browser, headers={"HX-Request": "true", "HX-Target": "queue-table"})
    # Each kept for a random part of the last half of those seconds: pages kept together expire apart.
    assert len(kept) == 2 and all(COUNTS_SECONDS / 2 <= seconds <= COUNTS_SECONDS for seconds in kept)
    assert COUNTS_SECONDS <= 10
    assert "<html" in page and table.lstrip().startswith('<div id="queue-table"')
    assert _queue_page(reviewer_browser, headers={"HX-Request": "true", "HX-Target": "queue-table"}) == table
