"""Claims: claim next takes the oldest due order, a reviewer holds a bounded number, idle claims go back to their
queue on the beat sweep, supervisors reassign, photo claims hold an order without a state change."""

from datetime import timedelta

import pytest

from filings import services as filings
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.errors import NotPermitted, TransitionRefused
from filings.models import FilingOrder, OrderEvent
from reviews import services
from reviews.constants import ClaimOutcome, Queue
from reviews.models import Claim
from tests.factories import UserFactory

from .conftest import refreshed

pytestmark = pytest.mark.django_db


def test_claim_next_takes_the_oldest_due_order_and_moves_it_into_initial_review(queued, reviewer, clock):
    clock.freeze()
    first = queued()
    clock.advance(timedelta(minutes=5))
    second = queued()
    order = services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    assert order.pk == first.pk
    assert (order.status, order.assignee_id) == (S.INITIAL_REVIEW, reviewer.pk)
    claim = Claim.objects.get(order=first)
    assert (claim.reviewer_id, claim.queue, claim.released_at) == (reviewer.pk, Queue.INITIAL, None)
    assert claim.expires_at == clock.now() + timedelta(minutes=120)
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL).pk == second.pk
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL) is None


def test_a_claim_and_the_move_it_makes_carry_the_same_moment(queued, reviewer):
    # The portal's clock runs (it is not frozen here): two readings of it would differ.
    first, second = queued(), queued()
    services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    services.review_claim(order_id=second.pk, reviewer=reviewer)
    for order in (first, second):
        claim = Claim.objects.get(order=order)
        moved = OrderEvent.objects.get(order=order, action="start_initial_review")
        assert claim.claimed_at == moved.created_at == refreshed(order).status_changed_at


def test_claim_next_ends_a_claim_a_release_outside_the_reviews_services_left_open(claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    filings.order_initial_review_release(order_id=order.pk, actor=reviewer)
    assert Claim.objects.get(order=order).released_at is None
    assert services.review_claim_next(reviewer=other_reviewer, queue=Queue.INITIAL).pk == order.pk
    old, new = Claim.objects.filter(order=order).order_by("id")
    assert (old.reviewer_id, old.outcome) == (reviewer.pk, ClaimOutcome.ENDED)
    assert (new.reviewer_id, new.released_at) == (other_reviewer.pk, None)


def test_claim_next_tells_how_many_orders_the_reviewer_holds_with_the_new_one(claimed, queued, reviewer):
    claimed(by=reviewer)
    queued()
    order = services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    assert order.reviewer_holds == 2 == FilingOrder.objects.filter(assignee=reviewer).count()


def test_claiming_keeps_the_due_time_of_the_queue(queued, reviewer, clock):
    clock.freeze()
    order = queued()
    due = order.due_at
    clock.advance(timedelta(hours=3))
    claimed = services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    assert claimed.due_at == due


def test_claim_filings_have_their_own_queue(queued, reviewer):
    ordinary = queued()
    claim_filing = queued(order_type=OrderType.CLAIM)
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.CLAIMS).pk == claim_filing.pk
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.CLAIMS) is None
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL).pk == ordinary.pk


def test_a_reviewer_holds_at_most_the_configured_number_of_orders(queued, reviewer, settings):
    settings.REVIEWS = {"MAX_CLAIMS": 2}
    for _ in range(3):
        queued()
    services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    with pytest.raises(TransitionRefused) as refused:
        services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    assert refused.value.code == "claim_limit"
    assert "2" in str(refused.value.message)
    assert FilingOrder.objects.filter(assignee=reviewer).count() == 2


def test_a_withdrawn_order_no_longer_counts_against_the_bound(claimed, reviewer, queued, settings):
    settings.REVIEWS = {"MAX_CLAIMS": 1}
    order = claimed()
    filings.order_withdraw(order_id=order.pk, actor=order.applicant)
    queued()
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL) is not None


def test_an_applicant_cannot_claim(queued, applicant):
    queued()
    with pytest.raises(NotPermitted) as refused:
        services.review_claim_next(reviewer=applicant, queue=Queue.INITIAL)
    assert refused.value.code == "not_a_reviewer"


def test_an_order_another_reviewer_holds_cannot_be_claimed(claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    with pytest.raises(TransitionRefused) as refused:
        services.review_claim(order_id=order.pk, reviewer=other_reviewer)
    assert refused.value.code == "already_claimed"
    assert reviewer.get_short_name() in str(refused.value.message)


def test_a_photo_claim_sets_the_holder_without_changing_the_state(photo_waiting, reviewer):
    order = photo_waiting()
    events = OrderEvent.objects.filter(order=order).count()
    claimed = services.review_claim_next(reviewer=reviewer, queue=Queue.PHOTO)
    assert claimed.pk == order.pk
    order = refreshed(order)
    assert (order.status, order.assignee_id) == (S.PHOTO_REVIEW, reviewer.pk)
    assert OrderEvent.objects.filter(order=order).count() == events
    assert Claim.objects.get(order=order).queue == Queue.PHOTO
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.PHOTO) is None


def test_release_puts_an_initial_review_back_in_the_queue(claimed, reviewer):
    order = claimed()
    released = services.review_release(order_id=order.pk, actor=reviewer)
    assert (released.status, released.assignee_id) == (S.PENDING_INITIAL_REVIEW, None)
    assert Claim.objects.get(order=order).outcome == ClaimOutcome.RELEASED


def test_release_of_a_photo_claim_clears_the_holder(photo_waiting, reviewer):
    order = photo_waiting()
    services.review_claim(order_id=order.pk, reviewer=reviewer)
    services.review_release(order_id=order.pk, actor=reviewer)
    order = refreshed(order)
    assert (order.status, order.assignee_id) == (S.PHOTO_REVIEW, None)


def test_another_reviewer_cannot_release_an_order_they_do_not_hold(claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    with pytest.raises(NotPermitted) as refused:
        services.review_release(order_id=order.pk, actor=other_reviewer)
    assert refused.value.code == "held_by_another_reviewer"


def test_idle_claims_go_back_to_their_queue_on_the_sweep(claimed, photo_waiting, reviewer, other_reviewer, clock):
    clock.freeze()
    initial = claimed(by=reviewer)
    photo = photo_waiting()
    services.review_claim(order_id=photo.pk, reviewer=other_reviewer)
    clock.advance(timedelta(minutes=119))
    assert services.review_claims_sweep() == {"ended": 0, "expired": 0}
    clock.advance(timedelta(minutes=2))
    assert services.review_claims_sweep() == {"ended": 0, "expired": 2}

    initial, photo = refreshed(initial), refreshed(photo)
    assert (initial.status, initial.assignee_id) == (S.PENDING_INITIAL_REVIEW, None)
    assert (photo.status, photo.assignee_id) == (S.PHOTO_REVIEW, None)
    assert set(Claim.objects.values_list("outcome", flat=True)) == {ClaimOutcome.EXPIRED}
    release = OrderEvent.objects.get(order=initial, action="release_initial_review")
    assert release.actor_id == reviewer.pk and release.reason
    # Running it again changes nothing.
    assert services.review_claims_sweep() == {"ended": 0, "expired": 0}


def test_a_call_note_keeps_a_claim_from_going_idle(claimed, reviewer, clock):
    clock.freeze()
    order = claimed()
    clock.advance(timedelta(minutes=100))
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=True)
    clock.advance(timedelta(minutes=100))
    assert services.review_claims_sweep()["expired"] == 0
    assert refreshed(order).assignee_id == reviewer.pk


def test_the_sweep_ends_claims_of_orders_that_moved_on(claimed):
    order = claimed()
    filings.order_withdraw(order_id=order.pk, actor=order.applicant)
    assert services.review_claims_sweep() == {"ended": 1, "expired": 0}
    assert Claim.objects.get(order=order).outcome == ClaimOutcome.ENDED


def test_a_supervisor_reassigns_a_held_order(claimed, reviewer, other_reviewer, supervisor):
    order = claimed(by=reviewer)
    reassigned = services.review_reassign(order_id=order.pk, actor=supervisor, reviewer_id=other_reviewer.pk)
    assert (reassigned.status, reassigned.assignee_id) == (S.INITIAL_REVIEW, other_reviewer.pk)
    old, new = Claim.objects.filter(order=order).order_by("id")
    assert old.outcome == ClaimOutcome.REASSIGNED
    assert (new.reviewer_id, new.assigned_by_id, new.released_at) == (other_reviewer.pk, supervisor.pk, None)
    # The new holder decides; the old one no longer can.
    with pytest.raises(NotPermitted):
        services.review_initial_pass(order_id=order.pk, actor=reviewer)
    services.review_initial_pass(order_id=order.pk, actor=other_reviewer)


def test_a_supervisor_assigns_a_waiting_order(queued, other_reviewer, supervisor):
    order = queued()
    assigned = services.review_reassign(order_id=order.pk, actor=supervisor, reviewer_id=other_reviewer.pk)
    assert (assigned.status, assigned.assignee_id) == (S.INITIAL_REVIEW, other_reviewer.pk)


def test_a_reviewer_cannot_reassign(claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    with pytest.raises(NotPermitted) as refused:
        services.review_reassign(order_id=order.pk, actor=reviewer, reviewer_id=other_reviewer.pk)
    assert refused.value.code == "supervisors_only"


def test_orders_are_reassigned_only_to_reviewers(claimed, supervisor):
    order = claimed()
    with pytest.raises(TransitionRefused) as refused:
        services.review_reassign(order_id=order.pk, actor=supervisor, reviewer_id=UserFactory().pk)
    assert refused.value.code == "not_a_reviewer"


def test_reassigning_respects_the_bound_of_the_new_holder(claimed, other_reviewer, supervisor, settings):
    settings.REVIEWS = {"MAX_CLAIMS": 1}
    claimed(by=other_reviewer)
    order = claimed()
    with pytest.raises(TransitionRefused) as refused:
        services.review_reassign(order_id=order.pk, actor=supervisor, reviewer_id=other_reviewer.pk)
    assert refused.value.code == "claim_limit"
    assert other_reviewer.get_short_name() in str(refused.value.message)
