"""GET /api/v1/orders/ builds its rows from plain values (filings.api.serializers.order_summaries) and counts with
a plain COUNT: what it answers must be exactly what OrderSummaryOutput gave for selectors.orders_of, page by page."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from filings import selectors
from filings.api.serializers import ORDER_SUMMARY_COLUMNS, OrderSummaryOutput, order_summaries
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import FilingOrder, SubjectApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(applicant, make_order):
    """Orders in several states and types, with and without the optional dates, one without its subject and one
    in a state no longer among the choices; two created at the same instant (the id breaks the tie)."""
    made = [
        make_order(applicant=applicant),
        make_order(applicant=applicant, status=S.WITHDRAWN),
        make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW, order_type=OrderType.ADD_WEBSITE),
        make_order(applicant=applicant, status=S.APPROVED),
        make_order(applicant=applicant, status=S.INITIAL_REJECTED),
    ]
    submitted = datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=UTC)
    FilingOrder.objects.filter(pk=made[2].pk).update(submitted_at=submitted, expires_at=submitted + timedelta(days=20))
    FilingOrder.objects.filter(pk=made[3].pk).update(created_at=made[4].created_at, submitted_at=submitted)
    SubjectApplication.objects.filter(order=made[0]).delete()
    FilingOrder.objects.filter(pk=made[1].pk).update(status="retired_status")
    return made


def serialized(user, **filters) -> list[dict]:
    return json.loads(json.dumps(OrderSummaryOutput(selectors.orders_of(user).filter(**filters), many=True).data))


def test_order_summaries_are_the_serializers_output(applicant, orders):
    rows = selectors.orders_newest_first(applicant).values(*ORDER_SUMMARY_COLUMNS)
    for zone in ("Asia/Shanghai", "UTC"):  # UTC shows as "Z"
        with timezone.override(zone), translation.override("zh-hans"):
            assert order_summaries(rows) == serialized(applicant)
    assert any(row["subject_name"] == "" for row in order_summaries(rows))
    assert any(row["status_label"] == "retired_status" for row in order_summaries(rows))


def test_the_list_answers_what_the_serializer_gave_page_by_page(as_applicant, applicant, orders, make_order):
    make_order()  # someone else's
    with translation.override("zh-hans"):
        expected = serialized(applicant)
    pages, url = [], "/api/v1/orders/?page_size=2"
    while url:
        page = as_applicant.get(url).json()
        assert page["count"] == len(orders)
        pages.extend(page["results"])
        url = page["next"]
    assert pages == expected
    assert as_applicant.get("/api/v1/orders/", {"page_size": 2, "page": 4}).status_code == 404


@pytest.mark.parametrize("filters", [{"status": S.APPROVED}, {"order_type": OrderType.ADD_WEBSITE}])
def test_a_filtered_list_is_counted_and_listed_as_before(as_applicant, applicant, orders, filters):
    with translation.override("zh-hans"):
        expected = serialized(applicant, **filters)
    answer = as_applicant.get("/api/v1/orders/", filters).json()
    assert (answer["count"], answer["results"]) == (len(expected), expected) == (1, expected)
