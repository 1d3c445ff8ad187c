"""Many hands on one order at the same moment (PostgreSQL row locks): whatever wins, the order's history stays one
unbroken chain — each move starts where the last one ended — and each move is applied once. Two submits, a claim
racing a withdrawal and two drafts for one subject are tests/filings/test_concurrent_transitions.py."""

import pytest
from django.db.models import Count

from filings import services
from filings.callbacks import CallbackEvent, callback_apply
from filings.constants import OrderStatus as S
from filings.errors import OrderError
from filings.models import FilingOrder, OrderEvent
from filings.services.transitions import Remark
from subjects.models import Subject
from tests.factories import UserFactory
from websites.constants import ServiceNumberStatus
from websites.models import ServiceNumber, Website

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def assert_one_chain(order, *, start: str) -> list[OrderEvent]:
    """The order's events since the factory put it in ``start``: each starts from the state the one before ended
    in, and the last ends where the order is. Returns them."""
    events = list(OrderEvent.objects.filter(order=order).exclude(action="create").order_by("created_at", "id"))
    shown = [(e.action, e.from_status, e.to_status) for e in events]
    order.refresh_from_db()
    state = start
    for event in events:
        assert event.from_status == state, shown
        state = event.to_status
    assert state == order.status, shown
    return events


def _outcome(result) -> str:
    if isinstance(result, OrderError):
        return result.code
    if isinstance(result, Exception):
        raise result
    return "ok"


def test_every_move_on_a_held_order_at_once_leaves_one_chain_and_one_event_per_move(make_order, race, monkeypatch):
    monkeypatch.setattr("notifications.services.enqueue_delivery", lambda ids: None)
    reviewer, other_reviewer = UserFactory(reviewer=True), UserFactory(reviewer=True)
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    remark = [Remark("", "名称不符")]
    moves = {
        "pass": lambda: services.order_initial_review_pass(order_id=order.pk, actor=reviewer),
        "pass again": lambda: services.order_initial_review_pass(order_id=order.pk, actor=reviewer),
        "reject": lambda: services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=remark),
        "reject again": lambda: services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=remark),
        "release": lambda: services.order_initial_review_release(order_id=order.pk, actor=reviewer),
        "withdraw": lambda: services.order_withdraw(order_id=order.pk, actor=order.applicant),
        "withdraw again": lambda: services.order_withdraw(order_id=order.pk, actor=order.applicant),
        "not the holder": lambda: services.order_initial_review_pass(order_id=order.pk, actor=other_reviewer),
    }

    outcomes = dict(zip(moves, (_outcome(r) for r in race(*moves.values())), strict=True))

    events = assert_one_chain(order, start=S.INITIAL_REVIEW)
    assert len(events) == sum(outcome == "ok" for outcome in outcomes.values()), outcomes
    assert outcomes["not the holder"] != "ok"
    # Of the reviewer's three decisions on the held order, one at most was made.
    assert sum(outcomes[m] == "ok" for m in ("pass", "pass again", "reject", "reject again", "release")) <= 1
    assert sum(outcomes[m] == "ok" for m in ("withdraw", "withdraw again")) <= 1
    assert not OrderEvent.objects.values("order", "from_status").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_two_approvals_of_one_order_at_once_write_the_filed_records_once(make_order, race):
    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()
    numbers = {website.pk: "京ICP备24000001号-1"}

    def approve():
        return services.order_approve(
            order_id=order.pk, subject_icp_number="京ICP备24000001号", website_numbers=numbers
        )

    outcomes = sorted(_outcome(result) for result in race(approve, approve))

    assert outcomes == ["not_allowed_in_state", "ok"]
    assert_one_chain(order, start=S.MIIT_REVIEW)
    assert OrderEvent.objects.filter(order=order, action="approve").count() == 1
    assert Subject.objects.filter(icp_number="京ICP备24000001号").count() == 1
    assert Website.objects.filter(icp_number="京ICP备24000001号-1").count() == 1
    assert ServiceNumber.objects.get(pk=website.service_number_id).status == ServiceNumberStatus.USED


def test_one_callback_delivered_three_times_at_once_applies_once(make_order, race):
    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()
    event = {
        "event_id": "evt-approve-1",
        "type": "approved",
        "order_number": order.number,
        "data": {
            "subject_icp_number": "京ICP备24000002号",
            "websites": [{"id": website.pk, "icp_number": "京ICP备24000002号-1"}],
        },
    }

    outcomes = race(*(lambda: callback_apply(event=event) for _ in range(3)))

    assert sorted(outcomes) == ["applied", "duplicate", "duplicate"], outcomes
    assert CallbackEvent.objects.filter(event_id="evt-approve-1").count() == 1
    assert OrderEvent.objects.filter(order=order, action="approve").count() == 1
    assert FilingOrder.objects.get(pk=order.pk).status == S.APPROVED


def test_two_different_administration_results_at_once_apply_one(make_order, race):
    """An approval and a rejection of the same order racing: the first wins, the second finds the order moved on
    and is refused (409), so the administration would retry it and learn."""
    from filings.callbacks import CallbackRefused

    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()
    approval = {
        "event_id": "evt-a",
        "type": "approved",
        "order_number": order.number,
        "data": {
            "subject_icp_number": "京ICP备24000003号",
            "websites": [{"id": website.pk, "icp_number": "京ICP备24000003号-1"}],
        },
    }
    rejection = {
        "event_id": "evt-r",
        "type": "rejected",
        "order_number": order.number,
        "data": {"reasons": [{"field": "", "message": "网站名称不符", "code": "name"}]},
    }

    outcomes = race(lambda: callback_apply(event=approval), lambda: callback_apply(event=rejection))

    applied = [o for o in outcomes if o == "applied"]
    refused = [o for o in outcomes if isinstance(o, CallbackRefused)]
    assert len(applied) == 1 and len(refused) == 1, outcomes
    assert refused[0].status == 409
    assert CallbackEvent.objects.count() == 1  # the refused one's row was rolled back: a retry can apply it
    events = assert_one_chain(order, start=S.MIIT_REVIEW)
    assert len(events) == 1
    assert events[-1].action in ("approve", "reject_by_administration")


def test_the_expiry_sweep_racing_a_submit_leaves_one_outcome(make_order, race, precheck_passes, clock):
    from datetime import timedelta

    order = make_order()
    FilingOrder.objects.filter(pk=order.pk).update(expires_at=clock.now() - timedelta(minutes=1))

    def submit():
        return services.order_submit(order_id=order.pk, actor=order.applicant)

    def sweep():
        return services.order_expire_due()

    outcomes = race(submit, sweep, sweep)

    events = assert_one_chain(order, start=S.DRAFT)
    assert order.status in (S.EXPIRED, S.PENDING_INITIAL_REVIEW)
    assert len(events) == 1, [(e.action, e.to_status) for e in events]
    expired_by = [o for o in outcomes[1:] if o == [order.pk]]
    assert len(expired_by) == (1 if order.status == S.EXPIRED else 0)
