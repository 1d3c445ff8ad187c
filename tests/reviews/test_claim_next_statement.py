"""Claim next on PostgreSQL is one statement (reviews.services.claims._take_next_at_once): it must leave exactly the
rows the statement-at-a-time path leaves through the filings move — the order's fields, its event, the claim — and
notify nobody, for every queue that is claimed."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.compiled import compiled
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.errors import TransitionRefused
from filings.models import FilingOrder, OrderEvent
from notifications.models import OutboxMessage
from reviews import services
from reviews.constants import Queue
from reviews.models import CallFollowUp, Claim
from reviews.services.claims import _candidates, _take_next_each_query

from .conftest import refreshed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# What differs between two orders by construction, and what the database or the wall clock sets.
_OWN = {"id", "number", "applicant", "subject_certificate_number", "created_at", "updated_at"}
_EVENT = ("action", "from_status", "to_status", "actor_id", "actor_kind", "reason", "details", "created_at")
_CLAIM = ("reviewer_id", "queue", "assigned_by_id", "claimed_at", "expires_at", "released_at", "outcome")


def _fields(order):
    return {f.attname: getattr(order, f.attname) for f in FilingOrder._meta.concrete_fields if f.name not in _OWN}


def _claim_both_ways(first, second, *, reviewer, queue):
    """``first`` claimed by the one statement, then ``second`` a statement at a time, as claim next returns them."""
    notices = OutboxMessage.objects.count()
    taken = services.review_claim_next(reviewer=reviewer, queue=queue)
    with transaction.atomic():
        reference = _take_next_each_query(reviewer, queue=queue)
    assert (taken.pk, reference.pk) == (first.pk, second.pk)
    assert OutboxMessage.objects.count() == notices
    return taken, reference


def _events(order):
    return [tuple(getattr(e, f) for f in _EVENT) for e in OrderEvent.objects.filter(order=order).order_by("id")]


def _claims(order):
    return [tuple(getattr(c, f) for f in _CLAIM) for c in Claim.objects.filter(order=order).order_by("id")]


@pytest.mark.parametrize("order_type", [OrderType.FIRST_FILING, OrderType.CLAIM])
def test_claim_next_in_one_statement_leaves_the_rows_the_filings_move_leaves(queued, reviewer, clock, order_type):
    clock.freeze()
    first, second = queued(order_type=order_type), queued(order_type=order_type)
    clock.advance(timedelta(hours=2))
    queue = Queue.CLAIMS if order_type == OrderType.CLAIM else Queue.INITIAL
    taken, reference = _claim_both_ways(first, second, reviewer=reviewer, queue=queue)

    assert _fields(taken) == _fields(refreshed(first)) == _fields(refreshed(second)) == _fields(reference)
    assert (taken.status, taken.assignee_id, taken.status_changed_at) == (S.INITIAL_REVIEW, reviewer.pk, clock.now())
    assert taken.due_at == first.due_at  # the queue's working day keeps running
    assert _events(first)[-1] == _events(second)[-1]
    assert _events(first)[-1][:3] == ("start_initial_review", S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW)
    assert _claims(first) == _claims(second) == [(reviewer.pk, queue, None, clock.now(), *_claims(second)[0][4:])]
    assert (taken.reviewer_holds, reference.reviewer_holds) == (1, 2)


def test_a_photo_claim_in_one_statement_sets_the_holder_as_the_orm_path_does(photo_waiting, reviewer, clock):
    clock.freeze()
    first, second = photo_waiting(), photo_waiting()
    events = [_events(first), _events(second)]
    taken, _reference = _claim_both_ways(first, second, reviewer=reviewer, queue=Queue.PHOTO)

    assert _fields(refreshed(first)) == _fields(refreshed(second)) == _fields(taken)
    assert (taken.status, taken.assignee_id) == (S.PHOTO_REVIEW, reviewer.pk)
    assert [_events(first), _events(second)] == events  # no state change, no event
    assert _claims(first) == _claims(second)


def test_a_call_back_claimed_in_one_statement_is_the_one_due_first(queued, reviewer, clock):
    clock.freeze()
    later, sooner = queued(), queued()
    for order, minutes in ((later, 30), (sooner, 10)):
        CallFollowUp.objects.create(
            order=order, misses=1, retry_due_at=clock.now() + timedelta(minutes=minutes), updated_at=clock.now()
        )
    clock.advance(timedelta(hours=1))
    taken = services.review_claim_next(reviewer=reviewer, queue=Queue.CALLS)
    assert taken.pk == sooner.pk
    assert _claims(sooner) == [(reviewer.pk, Queue.CALLS, None, clock.now(), *_claims(sooner)[0][4:])]


def test_claim_next_on_postgresql_is_two_statements(queued, reviewer):
    queued(), queued()
    services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)  # the reviewer's roles are cached from here
    with CaptureQueriesContext(connection) as captured:
        services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].split(" ", 1)[0] not in ("SAVEPOINT", "RELEASE")
    ]
    # The reviewer's row locked; then the count, the candidate, the move, its event and the claim.
    assert len(statements) == 2
    assert "FOR UPDATE" in statements[0]
    assert "SKIP LOCKED" in statements[1] and "INSERT INTO" in statements[1]


def test_a_reviewer_at_the_limit_takes_nothing_and_leaves_it_to_others(queued, reviewer, other_reviewer, settings):
    settings.REVIEWS = {"MAX_CLAIMS": 1}
    waiting = [queued(), queued()]
    services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    with pytest.raises(TransitionRefused) as refused:
        services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL)
    assert refused.value.code == "claim_limit"
    assert refreshed(waiting[1]).status == S.PENDING_INITIAL_REVIEW
    assert services.review_claim_next(reviewer=other_reviewer, queue=Queue.INITIAL).pk == waiting[1].pk


@pytest.mark.parametrize("queue", [Queue.INITIAL, Queue.CLAIMS])
def test_the_claim_candidate_says_its_status_once(queue, clock):
    # Said twice, the planner multiplied the two and priced the claim-next index above the queue's (fix 33).
    sql, _params = compiled(_candidates, queue, now=clock.now())
    where = sql.split(" WHERE ", 1)[1].rsplit(" ORDER BY ", 1)[0]
    assert where.count('"filings_filingorder"."status"') == 1


def test_claim_next_reads_its_index_past_the_claim_filings_waiting_first(queued, reviewer, clock):
    clock.freeze()
    claims = [queued(order_type=OrderType.CLAIM) for _ in range(3)]  # another queue's, due first
    clock.advance(timedelta(hours=1))
    first = queued()
    sql, params = compiled(_candidates, Queue.INITIAL, now=clock.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of a few rows: make the planner pick an index
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "filings_order_claim_next" in plan, plan
    assert services.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL).pk == first.pk
    assert all(refreshed(order).status == S.PENDING_INITIAL_REVIEW for order in claims)
