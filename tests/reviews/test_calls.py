"""The call log: reached, or not — a retry due an hour later (a due time in the database, read by the call-back
queue), and a second miss rejects with 电话无法联系."""

from datetime import timedelta

import pytest
from django.urls import reverse

from filings.constants import OrderStatus as S
from filings.errors import NotPermitted, TransitionRefused
from filings.models import FieldRemark, OrderEvent
from reviews import services
from reviews.constants import DecisionStage, Queue
from reviews.models import CallAttempt, CallFollowUp, Decision
from reviews.selectors.queues import QueueFilters, queue_counts, queue_orders

from .conftest import refreshed, sign_in

pytestmark = pytest.mark.django_db


def _in(queue, reviewer, now):
    return [o.pk for o in queue_orders(queue, QueueFilters(), viewer=reviewer, now=now)]


def test_a_reached_call_is_noted_and_the_reviewer_keeps_the_order(claimed, reviewer):
    order = claimed()
    result = services.review_call_record(order_id=order.pk, actor=reviewer, reached=True, note="已核实")
    assert result.outcome == "reached"
    assert refreshed(order).status == S.INITIAL_REVIEW
    attempt = CallAttempt.objects.get(order=order)
    assert (attempt.reached, attempt.note, attempt.reviewer_id) == (True, "已核实", reviewer.pk)


def test_a_missed_call_returns_the_order_with_a_retry_due_an_hour_later(claimed, reviewer, other_reviewer, clock):
    clock.freeze()
    order = claimed()
    result = services.review_call_record(order_id=order.pk, actor=reviewer, reached=False, note="无人接听")
    assert result.outcome == "retry"
    assert result.retry_due_at == clock.now() + timedelta(hours=1)
    order = refreshed(order)
    assert (order.status, order.assignee_id) == (S.PENDING_INITIAL_REVIEW, None)
    assert CallFollowUp.objects.get(order=order).retry_due_at == clock.now() + timedelta(hours=1)

    # Within the hour it is in no queue: nobody claims it before the call-back is due.
    now = clock.now()
    assert order.pk not in _in(Queue.INITIAL, reviewer, now) + _in(Queue.CALLS, reviewer, now)
    assert services.review_claim_next(reviewer=other_reviewer, queue=Queue.INITIAL) is None
    assert services.review_claim_next(reviewer=other_reviewer, queue=Queue.CALLS) is None

    clock.advance(timedelta(hours=1))
    now = clock.now()
    assert _in(Queue.CALLS, reviewer, now) == [order.pk]
    assert order.pk not in _in(Queue.INITIAL, reviewer, now)
    assert queue_counts(now)["calls"]["total"] == 1
    assert services.review_claim_next(reviewer=other_reviewer, queue=Queue.CALLS).pk == order.pk


def test_the_second_miss_rejects_with_phone_unreachable(claimed, reviewer, other_reviewer, clock):
    clock.freeze()
    order = claimed()
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=False)
    clock.advance(timedelta(hours=1))
    services.review_claim_next(reviewer=other_reviewer, queue=Queue.CALLS)
    result = services.review_call_record(order_id=order.pk, actor=other_reviewer, reached=False, note="仍无人接听")
    assert result.outcome == "rejected"
    assert refreshed(order).status == S.INITIAL_REJECTED
    remark = FieldRemark.objects.get(order=order)
    assert (remark.field, remark.code, remark.message) == ("", "phone_unreachable", "电话无法联系")
    assert OrderEvent.objects.filter(order=order, action="reject_initial_review").get().reason == "仍无人接听"
    assert Decision.objects.get(order=order).stage == DecisionStage.CALL
    assert not CallFollowUp.objects.filter(order=order).exists()
    assert CallAttempt.objects.filter(order=order, reached=False).count() == 2


def test_reaching_the_applicant_on_the_retry_clears_the_follow_up(claimed, reviewer, clock):
    clock.freeze()
    order = claimed()
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=False)
    clock.advance(timedelta(hours=1))
    services.review_claim_next(reviewer=reviewer, queue=Queue.CALLS)
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=True)
    follow_up = CallFollowUp.objects.get(order=order)
    assert (follow_up.misses, follow_up.retry_due_at) == (0, None)
    # A later miss is a first miss again.
    assert services.review_call_record(order_id=order.pk, actor=reviewer, reached=False).outcome == "retry"


def test_a_decision_ends_the_follow_up_so_a_resubmitted_order_starts_afresh(claimed, reviewer, clock):
    from filings import services as filings

    from .conftest import choose

    clock.freeze()
    order = claimed()
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=False)
    clock.advance(timedelta(hours=1))
    services.review_claim_next(reviewer=reviewer, queue=Queue.CALLS)
    services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=choose(order, "subject_name"))
    assert not CallFollowUp.objects.filter(order=order).exists()
    filings.order_resubmit(order_id=order.pk, actor=order.applicant)
    assert _in(Queue.INITIAL, reviewer, clock.now()) == [order.pk]


def test_only_the_holder_notes_a_call(claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    with pytest.raises(NotPermitted):
        services.review_call_record(order_id=order.pk, actor=other_reviewer, reached=True)
    assert not CallAttempt.objects.exists()


def test_calls_are_noted_only_during_initial_review(queued, reviewer):
    order = queued()
    with pytest.raises(TransitionRefused):
        services.review_call_record(order_id=order.pk, actor=reviewer, reached=True)


def test_the_call_form_on_the_page(client, claimed, reviewer):
    order = claimed()
    sign_in(client, reviewer)
    response = client.post(reverse("reviews:order_call", args=[order.number]), {"call-reached": "no", "call-note": ""})
    assert response.status_code == 302
    assert refreshed(order).status == S.PENDING_INITIAL_REVIEW
    assert CallFollowUp.objects.get(order=order).misses == 1
