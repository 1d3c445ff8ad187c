"""Query budgets of the pages the benchmark loads (bench/README.md): each costs a fixed number of queries however
many orders there are — measured on seeded data, small and ten times larger — and at most the budget.

The order list and order page have their own budgets in tests/filings/test_query_counts.py and the API's in
tests/api; these add the same check on realistic seeded data, and the pages that had none."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts.testing import force_login_with_second_factor
from core import bench_views
from filings.models import FilingOrder
from tests.budgets import signed_in_floor

pytestmark = pytest.mark.django_db
BUDGET = 10
# What each page reads after the signed-in floor (tests/budgets.py), within the budget: the order list its count
# and its page of orders; the order page the order with its joined rows, websites, domains, open remarks and the
# approval (for its numbers); the queue page its page of orders and the reviewer's own (its filters' choices and
# counts are cached). The header's unread count is cached too (notifications.selectors).
PAGE_QUERIES = {"filings:order_list": 2, "filings:order_detail": 5, "reviews:queue": 2}
# "Claim next" locks the reviewer, counts what they hold, takes the order with its row lock, moves it (update,
# event) and records the claim: 6 queries after the signed-in floor on SQLite (13 in all before), 2 on PostgreSQL,
# where all but the lock are one statement (docs/performance.md, fix 30).
CLAIM_NEXT_QUERIES = {"postgresql": 2, "sqlite": 6}


def _queries(client, url, method="get") -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url)
    assert response.status_code in (200, 302), response.status_code
    # Transaction statements are not queries of the page.
    return sum(1 for q in captured.captured_queries if q["sql"].split(" ", 1)[0] not in _CONTROL)


_CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}


def _seed(orders, **options):
    call_command("seed_orders", orders=orders, seed=5, verbosity=0, **options)


def _heavy():
    return get_user_model().objects.filter(email__startswith="heavy").order_by("-pk").first()


def _reviewer():
    return get_user_model().objects.filter(email__startswith="reviewer", assigned_orders__isnull=True).first()


def test_the_baseline_page_reads_one_row_and_is_not_routed_unless_asked_for():
    from django.contrib.contenttypes.models import ContentType

    pk = ContentType.objects.order_by("pk").values_list("pk", flat=True).first()  # ids differ between databases
    request = RequestFactory().get(f"/bench/baseline/{pk}/")
    with CaptureQueriesContext(connection) as captured:
        response = bench_views.baseline(request, pk=pk)
    assert response.status_code == 200
    assert len(captured.captured_queries) == 1
    with pytest.raises(NoReverseMatch):
        reverse("core:bench_baseline", args=[1])


@pytest.mark.parametrize("page", ["filings:order_list", "filings:order_detail"])
def test_the_applicant_pages_cost_the_same_for_20_or_200_orders(client, page, settings):
    settings.PAGE_CACHE = False  # rendered: from the page cache they cost the floor and one read
    counts = []
    for orders in (20, 200):
        _seed(orders, heavy_orders=orders, applicants=1, reviewers=2)
        heavy = _heavy()
        client.force_login(heavy)
        # Of the approved orders with websites (pages of other orders skip some queries), the one with the most.
        order = (
            FilingOrder.objects.filter(applicant=heavy, status="approved", websites__isnull=False)
            .annotate(n=Count("websites__domains"))
            .order_by("-n", "pk")
            .first()
        )
        url = reverse(page) if page.endswith("list") else reverse(page, args=[order.number])
        client.get(url)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1] == signed_in_floor() + PAGE_QUERIES[page] <= BUDGET


def test_the_review_queue_costs_the_same_for_20_or_200_waiting_orders(client, settings):
    settings.PAGE_CACHE = False  # rendered: a kept page costs the floor and one read
    _seed(0, reviewers=3)
    force_login_with_second_factor(client, _reviewer())
    url = reverse("reviews:queue", args=["initial"])
    counts = []
    for orders in (20, 180):
        _seed(orders, status="pending_initial_review,initial_review,photo_review", reviewers=0)
        client.get(url)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1] == signed_in_floor() + PAGE_QUERIES["reviews:queue"] <= BUDGET


def test_the_api_order_list_costs_the_same_for_20_or_200_orders(client, settings):
    settings.PAGE_CACHE = False  # computed: kept data costs the token and one read
    from accounts.tokens import api_token_issue

    counts = []
    for orders in (20, 200):
        _seed(orders, heavy_orders=orders, applicants=1, reviewers=2)
        token = api_token_issue(user=_heavy()).key
        client.get(reverse("api:orders"), HTTP_AUTHORIZATION=f"Token {token}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("api:orders"), HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code == 200 and response.json()["count"] == orders
        counts.append(len(captured.captured_queries))
    # The token with its user (no session, roles cached), the count, the page of orders.
    assert counts[0] == counts[1] == 3


def test_claim_next_costs_the_same_whatever_the_queue_length(client):
    _seed(0, reviewers=2)
    force_login_with_second_factor(client, _reviewer())
    url = reverse("reviews:claim_next", args=["initial"])
    counts = []
    for orders in (5, 200):
        _seed(orders, status="pending_initial_review", reviewers=0)
        client.post(url)  # as the pages above: measured after a first request (4 claims in all, under the limit)
        counts.append(_queries(client, url, "post"))
    assert counts[0] == counts[1] == signed_in_floor() + CLAIM_NEXT_QUERIES[connection.vendor] <= BUDGET
