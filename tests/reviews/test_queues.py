"""The queue pages: which orders each queue holds, the filters, the counts per queue, and a query count that does
not grow with the queue."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import FilingOrder
from regions.models import Region
from reviews import conf, services
from reviews.constants import Queue
from reviews.selectors.queues import QueueFilters, queue_counts, queue_orders
from tests.budgets import signed_in_floor

from .conftest import at, refreshed, sign_in

pytestmark = pytest.mark.django_db


def _numbers(queue, reviewer, clock, **filters):
    return [o.number for o in queue_orders(queue, QueueFilters(**filters), viewer=reviewer, now=clock.now())]


def test_each_queue_holds_its_orders(queued, claimed, photo_waiting, make_order, reviewer, clock):
    waiting = queued()
    held = claimed()
    claim_filing = queued(order_type=OrderType.CLAIM)
    photo = photo_waiting()
    ready = make_order(status=S.PENDING_MIIT_SUBMISSION)
    make_order(status=S.DRAFT)
    make_order(status=S.MIIT_REVIEW)
    assert set(_numbers(Queue.INITIAL, reviewer, clock)) == {waiting.number, held.number}
    assert _numbers(Queue.CLAIMS, reviewer, clock) == [claim_filing.number]
    assert _numbers(Queue.PHOTO, reviewer, clock) == [photo.number]
    assert _numbers(Queue.FORWARD, reviewer, clock) == [ready.number]
    assert _numbers(Queue.CALLS, reviewer, clock) == []
    counts = queue_counts(clock.now())
    assert {q: c["total"] for q, c in counts.items()} == {
        "initial": 2,
        "claims": 1,
        "photo": 1,
        "forward": 1,
        "calls": 0,
    }
    assert counts["initial"]["waiting"] == 1


def test_the_counts_of_each_queue_are_those_of_its_own_list(
    queued, claimed, photo_waiting, make_order, reviewer, other_reviewer, clock
):
    # One order of each kind a queue tells apart: waiting or held, overdue or not, a claim filing, call-backs due
    # and not yet due (in no queue), photos, ready to forward, and orders in no queue at all.
    clock.freeze(at(2024, 11, 4, 9))  # a Monday
    queued()
    queued(order_type=OrderType.CLAIM)
    claimed(by=reviewer)
    photo_waiting()
    make_order(status=S.PENDING_MIIT_SUBMISSION)
    make_order(status=S.DRAFT)
    for _ in range(2):
        services.review_call_record(order_id=claimed(by=other_reviewer).pk, actor=other_reviewer, reached=False)
    clock.advance(timedelta(days=1, hours=2))  # Monday's orders are overdue, their call-backs due
    services.review_call_record(order_id=claimed(by=other_reviewer).pk, actor=other_reviewer, reached=False)
    queued()

    now = clock.now()
    counts = queue_counts(now)
    for queue in Queue:
        orders = list(queue_orders(queue, QueueFilters(), viewer=reviewer, now=now))
        assert counts[queue.value] == {
            "total": len(orders),
            "overdue": sum(1 for o in orders if o.due_at is not None and o.due_at <= now),
            "waiting": sum(1 for o in orders if o.assignee_id is None),
        }, queue
    assert {q: c["total"] for q, c in counts.items()} == {
        "initial": 3,
        "claims": 1,
        "photo": 1,
        "forward": 1,
        "calls": 2,
    }
    assert counts["initial"]["overdue"] == 2


def test_filters_by_province_type_age_sla_and_reviewer(queued, claimed, reviewer, other_reviewer, clock):
    clock.freeze(at(2024, 11, 4, 9))  # a Monday
    old = queued()
    clock.advance(timedelta(hours=5))
    claim_filing = queued(order_type=OrderType.CLAIM)
    mine = claimed(by=reviewer)
    theirs = claimed(by=other_reviewer)
    shanghai = Region.objects.get(code="310000")
    FilingOrder.objects.filter(pk=theirs.pk).update(province=shanghai)

    assert _numbers(Queue.INITIAL, reviewer, clock, province="310000") == [theirs.number]
    assert _numbers(Queue.CLAIMS, reviewer, clock, order_type=OrderType.CLAIM) == [claim_filing.number]
    assert _numbers(Queue.INITIAL, reviewer, clock, order_type=OrderType.CLAIM) == []
    assert _numbers(Queue.INITIAL, reviewer, clock, age="4h") == [old.number]
    assert _numbers(Queue.INITIAL, reviewer, clock, assignee="me") == [mine.number]
    assert _numbers(Queue.INITIAL, reviewer, clock, assignee=str(other_reviewer.pk)) == [theirs.number]
    assert _numbers(Queue.INITIAL, reviewer, clock, assignee="none") == [old.number]
    clock.freeze(at(2024, 11, 5, 8, 30))  # the old order is due at 9:00, the others at 14:00
    assert _numbers(Queue.INITIAL, reviewer, clock, sla="due_soon") == [old.number]
    assert set(_numbers(Queue.INITIAL, reviewer, clock, sla="on_time")) == {mine.number, theirs.number}


def test_the_queue_page_filters_through_its_form(client, queued, reviewer, clock):
    beijing = queued()
    shanghai = queued()
    FilingOrder.objects.filter(pk=shanghai.pk).update(province=Region.objects.get(code="310000"))
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"]), {"province": "310000"}).content.decode()
    assert shanghai.number in page and beijing.number not in page


def test_the_reviewer_filter_offers_every_reviewer_and_keeps_the_choice(client, claimed, reviewer, other_reviewer):
    mine = claimed(by=reviewer)
    theirs = claimed(by=other_reviewer)
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"]), {"assignee": other_reviewer.pk}).content.decode()
    assert f'data-order="{theirs.number}"' in page and f'data-order="{mine.number}"' not in page
    assert f'<option value="{other_reviewer.pk}" selected>王审核</option>' in page
    assert f'<option value="{reviewer.pk}">' in page
    assert '<select id="id_assignee" name="assignee">' in page


def test_a_reviewer_filter_that_is_no_id_shows_the_whole_queue(client, claimed, reviewer, other_reviewer):
    mine = claimed(by=reviewer)
    theirs = claimed(by=other_reviewer)
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"]), {"assignee": "1 OR 1=1"}).content.decode()
    assert f'data-order="{theirs.number}"' in page and f'data-order="{mine.number}"' in page


@pytest.mark.postgres  # the page cache: PostgreSQL's triggers
def test_what_others_do_shows_on_the_queue_page_within_a_few_seconds(client, queued, reviewer):
    from django.core.cache import cache

    from reviews.selectors.queues import COUNTS_SECONDS

    assert COUNTS_SECONDS <= 10
    first = queued()
    sign_in(client, reviewer)
    url = reverse("reviews:queue", args=["initial"])
    client.get(url)  # sets the CSRF cookie a browser then holds (a page without one is not kept)
    assert 'data-queue="initial">1<' in client.get(url).content.decode()
    second = queued()
    page = client.get(url).content.decode()
    # The page is kept for those seconds (filings.pagecache), counts and rows alike.
    assert 'data-queue="initial">1<' in page and second.number not in page
    cache.clear()  # what the few seconds do
    page = client.get(url).content.decode()
    assert 'data-queue="initial">2<' in page and first.number in page and second.number in page


def test_a_queue_that_fits_on_its_page_counts_its_rows_not_the_seconds_old_counts(client, queued, reviewer, settings):
    settings.PAGE_CACHE = False  # the page rendered at each request; its counts kept a few seconds
    queued()
    sign_in(client, reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reviews:queue", args=["initial"])
    client.get(url)  # the counts are kept from here: one order
    second = queued()
    page = client.get(url).content.decode()
    assert second.number in page
    assert 'data-queue="initial">2<' in page and "2 orders shown" in page
    assert "In this queue: 2, not claimed: 2, overdue: 0." in page
    assert 'data-queue="photo">0<' in page  # the other queues' counts are as kept


def test_the_queue_page_shows_counts_per_queue(client, queued, photo_waiting, reviewer):
    queued()
    queued()
    photo_waiting()
    sign_in(client, reviewer)
    response = client.get(reverse("reviews:queues"))
    page = response.content.decode()
    assert 'data-queue="initial">2<' in page
    assert 'data-queue="photo">1<' in page
    assert 'data-queue="forward">0<' in page


def test_htmx_refresh_returns_only_the_table(client, queued, reviewer):
    order = queued()
    sign_in(client, reviewer)
    response = client.get(
        reverse("reviews:queue", args=["initial"]), headers={"HX-Request": "true", "HX-Target": "queue-table"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="queue-table"')
    assert order.number in page and "<html" not in page


def test_claim_next_from_the_page_opens_the_order(client, queued, reviewer):
    order = queued()
    sign_in(client, reviewer)
    response = client.post(reverse("reviews:claim_next", args=["initial"]))
    assert response["Location"] == reverse("reviews:order", args=[order.number])
    assert refreshed(order).assignee_id == reviewer.pk
    response = client.post(reverse("reviews:claim_next", args=["initial"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:queue", args=["initial"])


def test_applicants_cannot_open_the_queues(client, applicant):
    sign_in(client, applicant)
    assert client.get(reverse("reviews:queues")).status_code == 403


def test_an_unknown_queue_is_not_found(client, reviewer):
    sign_in(client, reviewer)
    assert client.get(reverse("reviews:queue", args=["nope"])).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("queue", ["initial", "photo"])
def test_queue_page_query_count_does_not_grow_with_the_queue(
    client, make_order, reviewer, other_reviewer, queue, settings
):
    settings.PAGE_CACHE = False  # what rendering the page costs (a kept page is two queries)
    status = S.PENDING_INITIAL_REVIEW if queue == "initial" else S.PHOTO_REVIEW
    sign_in(client, reviewer)
    url = reverse("reviews:queue", args=[queue])
    first = make_order(status=status, assignee=other_reviewer if queue == "photo" else None)
    if queue == "initial":
        services.review_claim(order_id=first.pk, reviewer=reviewer)  # "My orders" lists it on every page
    client.get(url)  # the filters' choices and the counts are cached from here on (for a minute, a few seconds)
    one = _queries(client, url)
    for n in range(29):
        make_order(status=status, assignee=other_reviewer if n % 2 else None)
    page = client.get(url)
    assert len(page.context["page"].object_list) == conf.get("PAGE_SIZE") < 30
    thirty = _queries(client, url)
    print(f"\nqueue page {queue}: {one} queries with 1 order, {thirty} with 30")
    assert thirty == one
    # The page of orders and the reviewer's own orders (the header's unread count is cached).
    assert one == signed_in_floor() + 2
