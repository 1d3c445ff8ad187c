"""The applicant's order list and order page cost a fixed number of queries, however many orders, websites and
domains there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.models import DomainApplication, WebsiteApplication
from filings.services.transitions import Remark
from tests.budgets import signed_in_floor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered(settings):
    """What rendering the pages costs: the page cache (which answers with the user and version reads only,
    tests/filings/test_page_cache.py) would otherwise answer the measured request."""
    settings.PAGE_CACHE = False


def _queries(client, url):
    client.get(url)  # the caches a running server has warm (the signed-in person's roles, unread count)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(order, websites=3, domains=4):
    for position in range(1, websites + 1):
        website = WebsiteApplication.objects.create(order=order, position=position, name=f"站点{position}")
        for n in range(domains):
            DomainApplication.objects.create(
                website=website, name=f"d{position}-{n}.cn", ascii_name=f"d{position}-{n}.cn"
            )


def test_order_list_query_count_does_not_grow_with_the_number_of_orders(client, make_order, applicant):
    client.force_login(applicant)
    make_order(applicant=applicant)
    one = _queries(client, reverse("filings:order_list"))
    for _ in range(10):
        # Each subject may have one order in process: the others are closed ones, as in a real history.
        order = make_order(applicant=applicant)
        _grow(order)
    many = _queries(client, reverse("filings:order_list"))
    assert many == one
    # The count and the page of orders (the header's unread count is in the cache, as the roles are).
    assert one == signed_in_floor() + 2


def test_order_page_query_count_does_not_grow_with_websites_domains_or_remarks(client, make_order, applicant, reviewer):
    from filings import services
    from filings.constants import OrderStatus as S

    client.force_login(applicant)
    small = make_order(applicant=applicant)
    one = _queries(client, reverse("filings:order_detail", args=[small.number]))
    big = make_order(applicant=applicant, status=S.INITIAL_REVIEW, assignee=reviewer)
    _grow(big, websites=8, domains=5)
    services.order_initial_review_reject(
        order_id=big.pk, actor=reviewer, remarks=[Remark(f"websites.{i}.name", "名称不符") for i in range(5)]
    )
    many = _queries(client, reverse("filings:order_detail", args=[big.number]))
    assert many == one
    # The order with its joined rows, websites, domains, open remarks (the header's count is cached).
    assert one == signed_in_floor() + 4


def test_history_page_query_count_is_fixed(client, make_order, applicant, reviewer):
    from filings import services
    from filings.constants import OrderStatus as S

    client.force_login(applicant)
    order = make_order(applicant=applicant, status=S.INITIAL_REVIEW, assignee=reviewer)
    one = _queries(client, reverse("filings:order_history", args=[order.number]))
    services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=[Remark("", "a"), Remark("", "b")])
    many = _queries(client, reverse("filings:order_history", args=[order.number]))
    assert many == one


def test_a_long_order_history_is_paged(client, make_order, applicant):
    from filings.constants import OrderStatus as S
    from filings.models import FilingOrder

    client.force_login(applicant)
    for _ in range(23):
        order = make_order(applicant=applicant)
        FilingOrder.objects.filter(pk=order.pk).update(status=S.WITHDRAWN)
    first = client.get(reverse("filings:order_list")).content.decode()
    second = client.get(reverse("filings:order_list"), {"page": 2}).content.decode()
    assert first.count("/filing/orders/ICP") == 20
    assert second.count("/filing/orders/ICP") == 3
    assert "?page=2" in first
