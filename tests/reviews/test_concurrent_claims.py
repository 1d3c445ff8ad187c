"""Eight reviewers claiming and deciding at the same time on PostgreSQL: ``select_for_update(skip_locked=True)`` gives
each order to one reviewer, and each order is decided once."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count

from core import clock
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, OrderEvent
from reviews import services
from reviews.constants import ClaimOutcome, Queue
from reviews.models import Claim, Decision, RejectionReason
from reviews.reasons import ChosenReason
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORDERS = 200
THREADS = 8


def test_eight_reviewers_looping_claim_next_and_decide_claim_and_decide_each_order_once(make_order, monkeypatch):
    # Delivery of the applicants' messages is another app's concern (and its own concurrency test); the outbox
    # rows are still written in each decision's transaction.
    monkeypatch.setattr("notifications.services.enqueue_delivery", lambda ids: None)
    orders = [make_order() for _ in range(ORDERS)]
    now = clock.now()
    for position, order in enumerate(orders):
        # In the queue as a submission leaves them, each due a minute after the one before.
        FilingOrder.objects.filter(pk=order.pk).update(
            status=S.PENDING_INITIAL_REVIEW, due_at=now + timedelta(minutes=position), status_changed_at=now
        )
    reviewers = [UserFactory(reviewer=True) for _ in range(THREADS)]
    other = RejectionReason.objects.get(code="other")
    barrier = threading.Barrier(THREADS)
    claimed: list[list[int]] = [[] for _ in range(THREADS)]
    errors: list[str] = []

    def work(index):
        reviewer = reviewers[index]
        try:
            barrier.wait()
            while True:
                order = services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
                if order is None:
                    break
                claimed[index].append(order.pk)
                if order.pk % 2:
                    services.review_initial_pass(order_id=order.pk, actor=reviewer)
                else:
                    reasons = [ChosenReason(other.pk, "", f"by thread {index}")]
                    services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=reasons)
        except Exception as exc:  # any failure is the test's finding
            errors.append(f"{index}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    everything = [pk for per_thread in claimed for pk in per_thread]
    print(
        f"\n{ORDERS} orders, {THREADS} threads: {len(everything)} claims in {elapsed:.2f}s; "
        f"per thread {[len(c) for c in claimed]}"
    )
    assert errors == []
    assert len(everything) == ORDERS
    assert Counter(everything).most_common(1)[0][1] == 1, "an order was claimed twice"
    assert set(everything) == {o.pk for o in orders}

    starts = OrderEvent.objects.filter(action="start_initial_review").values("order").annotate(n=Count("id"))
    decisions = (
        OrderEvent.objects.filter(action__in=["pass_initial_review", "reject_initial_review"])
        .values("order")
        .annotate(n=Count("id"))
    )
    assert sorted(row["n"] for row in starts) == [1] * ORDERS
    assert sorted(row["n"] for row in decisions) == [1] * ORDERS
    assert Decision.objects.count() == ORDERS
    assert Decision.objects.values("order").distinct().count() == ORDERS
    assert Claim.objects.count() == ORDERS
    assert set(Claim.objects.values_list("outcome", flat=True)) == {ClaimOutcome.DECIDED}
    assert not FilingOrder.objects.filter(status__in=[S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW]).exists()
    # Every decision was made by the reviewer who claimed the order.
    holder = {pk: reviewers[i].pk for i, per_thread in enumerate(claimed) for pk in per_thread}
    assert all(
        holder[order_id] == reviewer_id
        for order_id, reviewer_id in Decision.objects.values_list("order_id", "reviewer_id")
    )


def test_two_reviewers_claiming_the_last_order_at_once_get_it_once(make_order):
    order = make_order()
    FilingOrder.objects.filter(pk=order.pk).update(status=S.PENDING_INITIAL_REVIEW, due_at=clock.now())
    reviewers = [UserFactory(reviewer=True) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def claim(reviewer):
        try:
            barrier.wait()
            results.append(services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r is None for r in results) == [False, True]
    assert Claim.objects.filter(order=order).count() == 1
