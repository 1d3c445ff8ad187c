"""A move applies once even when two people or two callbacks try it at the same time (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from filings import services
from filings.constants import OrderStatus as S
from filings.errors import OrderError
from filings.models import OrderEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, action):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except OrderError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_concurrent_submits_of_one_order_make_one_transition_and_one_event(make_order, precheck_passes):
    order = make_order()
    outcomes = _race(2, lambda: services.order_submit(order_id=order.pk, actor=order.applicant))
    assert outcomes == ["not_allowed_in_state", "ok"]
    order.refresh_from_db()
    assert order.status == S.PENDING_INITIAL_REVIEW
    assert OrderEvent.objects.filter(order=order, action="submit").count() == 1


def test_withdraw_racing_a_claim_leaves_one_consistent_outcome(make_order, reviewer):
    order = make_order(status=S.PENDING_INITIAL_REVIEW)
    barrier = threading.Barrier(2)
    results = {}

    def claim():
        try:
            barrier.wait()
            services.order_initial_review_start(order_id=order.pk, actor=reviewer)
            results["claim"] = "ok"
        except OrderError as exc:
            results["claim"] = exc.code
        finally:
            connection.close()

    def withdraw():
        try:
            barrier.wait()
            services.order_withdraw(order_id=order.pk, actor=order.applicant)
            results["withdraw"] = "ok"
        except OrderError as exc:
            results["withdraw"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=claim), threading.Thread(target=withdraw)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    order.refresh_from_db()
    events = list(OrderEvent.objects.filter(order=order).exclude(action="create").order_by("id"))
    # Withdrawal is allowed from both states, so it always succeeds; the claim succeeds only if it came first.
    assert results["withdraw"] == "ok"
    assert order.status == S.WITHDRAWN
    assert [e.to_status for e in events][-1] == S.WITHDRAWN
    assert len(events) == (2 if results["claim"] == "ok" else 1)


def test_two_concurrent_drafts_for_one_subject_leave_one(make_order):
    from filings.constants import OrderType
    from regions.models import Region
    from tests.factories import UserFactory

    applicant = UserFactory()
    province = Region.objects.get(code="110000")
    outcomes = _race(
        4,
        lambda: services.order_create_draft(
            applicant=applicant,
            order_type=OrderType.FIRST_FILING,
            province=province,
            nature="enterprise",
            certificate_type="business_licence",
            certificate_number="911101080000000ABK",
            domain=("example.cn", "example.cn"),
        ),
    )
    assert outcomes == ["ok", "order_in_process", "order_in_process", "order_in_process"]
