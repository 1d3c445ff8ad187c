"""Claims: a reviewer takes an order (the next one of a queue, or one from the list), gives it back, a supervisor
reassigns it, and the beat sweep returns idle claims to their queue.

Initial review (and claim filings, call-backs) has a state for it: claiming is ``order_initial_review_start``
(pending_initial_review → initial_review), releasing is ``order_initial_review_release``. Photo review has none (the
order enters photo_review when the applicant submits photos), so a photo claim sets ``FilingOrder.assignee`` under the
row lock without a state change; deciding then requires the holder (``reviews.permissions.check_holder``).
"""

import logging

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from core.compiled import compiled
from filings import services as filings
from filings.constants import ActorKind
from filings.constants import OrderStatus as S
from filings.errors import OrderError, TransitionRefused, refused_in_state
from filings.models import FilingOrder, OrderEvent

from .. import conf
from ..constants import CLAIMABLE_QUEUES, HELD_STATES, ClaimOutcome, Queue
from ..models import Claim
from ..permissions import check_holder, check_reviewer, check_supervisor, is_reviewer
from ..queues import claimable, queue_of
from .common import (
    capacity_refused,
    check_capacity,
    close_claim,
    held_orders,
    idle_expiry,
    lock_reviewer,
    locked_order,
    open_claim,
)

logger = logging.getLogger(__name__)


def _take(order: FilingOrder, *, reviewer, queue: str, now, assigned_by=None, claim_maybe_open=True) -> FilingOrder:
    """Give ``order``, its row locked by this transaction and nobody holding it, to ``reviewer``. The move gets the
    locked instance, so it checks it without reading the row again."""
    if order.status == S.PHOTO_REVIEW:
        FilingOrder.objects.filter(pk=order.pk).update(assignee=reviewer, updated_at=now)
        order.assignee = reviewer
    else:
        order = filings.order_initial_review_start(order_id=order.pk, actor=reviewer, locked=order, now=now)
    open_claim(order.pk, reviewer=reviewer, queue=queue, now=now, assigned_by=assigned_by, maybe_open=claim_maybe_open)
    return order


def _candidates(queue: str, now) -> QuerySet[FilingOrder]:
    """``claimable`` (the queue's own definition), the first row locked with ``SKIP LOCKED``, with the id of a claim
    still open on it. Compiled once per queue and process (``core.compiled``): building and compiling it cost 3.5 ms
    of Python at each claim, a third of the request (docs/performance.md, fix 27)."""
    # A scalar subquery with LIMIT is probed per row through the open-claim index; an EXISTS here would be planned
    # as a hash of every open claim.
    open_claim_id = Claim.objects.filter(order=OuterRef("pk"), released_at__isnull=True).order_by().values("pk")
    return (
        claimable(queue, now)
        .select_for_update(skip_locked=True, of=("self",))
        .annotate(open_claim_id=Subquery(open_claim_id[:1]))[:1]
    )


def review_claim_next(*, reviewer, queue: str) -> FilingOrder | None:
    """The oldest due order of ``queue`` that nobody holds, now held by ``reviewer``; None when there is none. The
    order carries ``reviewer_holds``: the orders the reviewer holds now, this one included (for the confirmation,
    so that nobody counts them again).

    The candidate row itself is read with ``select_for_update(skip_locked=True)``: reviewers claiming at once pass
    over the rows the others are taking and get different orders without waiting for each other, and the locked
    instance goes straight to the move. The same read says whether a claim is still open on the order (left by a
    move made outside these services), so the usual claim is one ``INSERT``. Six queries in all on SQLite: the
    reviewer's lock, the count, the candidate, the order's ``UPDATE``, its event and the claim; on PostgreSQL the
    last five are one statement (``_take_next_at_once``), two queries in all (tests/bench/test_query_budgets.py).
    """
    check_reviewer(reviewer)
    if queue not in CLAIMABLE_QUEUES:
        raise TransitionRefused("not_claimable", _("Orders in this queue are not claimed."))
    with transaction.atomic():
        if connection.vendor != "postgresql":
            return _take_next_each_query(reviewer, queue=queue)
        lock_reviewer(reviewer)
        limit, now = conf.get("MAX_CLAIMS"), clock.now()
        held, order, claim_left_open = _take_next_at_once(reviewer, queue=queue, limit=limit, now=now)
        if order is None:
            if held >= limit:
                raise capacity_refused(reviewer, limit)
            return None
        if claim_left_open:
            open_claim(order.pk, reviewer=reviewer, queue=queue, now=now)
        order.reviewer_holds = held + 1
        return order


def _take_next_each_query(reviewer, *, queue: str) -> FilingOrder | None:
    """Claim next a statement at a time, through the filings move (SQLite; the reference the one statement is
    tested against)."""
    held = check_capacity(reviewer)
    now = clock.now()
    order = next(iter(FilingOrder.objects.raw(*compiled(_candidates, queue, now=now))), None)
    if order is None:
        return None
    order = _take(order, reviewer=reviewer, queue=queue, now=now, claim_maybe_open=order.open_claim_id is not None)
    order.reviewer_holds = held + 1
    return order


def _take_next_at_once(reviewer, *, queue: str, limit: int, now) -> tuple[int, FilingOrder | None, bool]:
    """Claim next's count, candidate, move, event and claim as one PostgreSQL statement, the reviewer's row already
    locked by this transaction; returns how many orders the reviewer held before, the order taken (None when the
    queue has none or the reviewer already holds ``limit``) and whether a claim was left open on it (ended and made
    again by the caller, as ``open_claim`` does: the statement does not insert a second open claim beside it).

    The count and the candidate are the querysets the SQLite path runs (``held_orders``, ``_candidates``),
    compiled once per process; the candidate is read only when the count is under the limit. The move is
    ``order_initial_review_start``'s, written out: the state machine's source and target
    (``filings.transition_states``), the holder, ``status_changed_at`` (the only clock a move between the two
    initial-review states keeps, filings ``_keep_clocks``), ``updated_at``, and its ``OrderEvent``; that move
    notifies nobody. A photo claim sets the holder only, as ``_take`` does. Five round trips become one: the request
    spent ~6 ms of Python in the service and waited on each statement in turn (docs/performance.md, fix 30).
    tests/reviews/test_claim_next_statement.py holds it to the same rows, event and claim as the ORM path."""
    q = connection.ops.quote_name
    holding_sql, holding_params = compiled(held_orders, reviewer_id=reviewer.pk)
    candidate_sql, candidate_params = compiled(_candidates, queue, now=now)
    fields = FilingOrder._meta.concrete_fields
    returned = ", ".join(f"o.{q(f.column)}" for f in fields)
    wall = timezone.now()  # updated_at, as ``auto_now`` sets it
    if queue == Queue.PHOTO:
        move, move_params = "assignee_id = %s, updated_at = %s", [reviewer.pk, wall]
        still, still_params = "o.status = %s AND o.assignee_id IS NULL", [S.PHOTO_REVIEW]
        evented, evented_params = "", []
    else:
        method = "start_initial_review"  # order_initial_review_start's move
        source, target = filings.transition_states(method)
        move = "status = %s, assignee_id = %s, status_changed_at = %s, updated_at = %s"
        move_params = [target, reviewer.pk, now, wall]
        still, still_params = "o.status = %s", [source]
        evented = f"""
            , evented AS (
                INSERT INTO {q(OrderEvent._meta.db_table)}
                    (order_id, action, from_status, to_status, actor_id, actor_kind, reason, details, created_at)
                SELECT id, %s, from_status, status, %s, %s, '', '{{}}', %s FROM moved
            )"""  # noqa: S608 - the table name from the model, every value a parameter
        evented_params = [method, reviewer.pk, ActorKind.REVIEWER, now]
    sql = f"""
        WITH holding AS ({holding_sql}),
        candidate AS (
            SELECT c.id, c.status, c.open_claim_id FROM ({candidate_sql}) AS c
            WHERE COALESCE((SELECT held FROM holding), 0) < %s
        ),
        moved AS (
            UPDATE {q(FilingOrder._meta.db_table)} AS o SET {move}
            FROM candidate WHERE o.id = candidate.id AND {still}
            RETURNING {returned}, candidate.status AS from_status, candidate.open_claim_id
        ){evented},
        claimed AS (
            INSERT INTO {q(Claim._meta.db_table)}
                (order_id, reviewer_id, queue, assigned_by_id, claimed_at, expires_at, released_at, outcome)
            SELECT id, %s, %s, NULL, %s, %s, NULL, '' FROM moved WHERE open_claim_id IS NULL
        )
        SELECT COALESCE((SELECT held FROM holding), 0), moved.* FROM (SELECT 1) AS one LEFT JOIN moved ON TRUE
    """  # noqa: S608 - table and column names from the models, every value a parameter
    params = [
        *holding_params,
        *candidate_params,
        limit,
        *move_params,
        *still_params,
        *evented_params,
        reviewer.pk,
        queue,
        now,
        idle_expiry(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        held, *row = cursor.fetchone()
    if row[0] is None:
        return held, None, False
    order = FilingOrder.from_db(connection.alias, [f.attname for f in fields], row[: len(fields)])
    return held, order, row[-1] is not None


def review_claim(*, order_id: int, reviewer) -> FilingOrder:
    """Claim one order chosen from a queue list."""
    check_reviewer(reviewer)
    with transaction.atomic():
        order = locked_order(order_id)
        if order.status in HELD_STATES and order.assignee_id == reviewer.pk:
            return order
        if order.status in HELD_STATES and order.assignee_id is not None:
            raise TransitionRefused(
                "already_claimed",
                _("%(name)s already holds this order.") % {"name": order.assignee.get_short_name()},
            )
        if order.status not in (S.PENDING_INITIAL_REVIEW, S.PHOTO_REVIEW):
            raise refused_in_state(order)
        check_capacity(reviewer)
        now = clock.now()
        return _take(order, reviewer=reviewer, queue=queue_of(order, now), now=now)


def review_release(*, order_id: int, actor, reason: str = "") -> FilingOrder:
    """Give a held order back to its queue (the holder, or a supervisor)."""
    with transaction.atomic():
        order = locked_order(order_id)
        if order.status not in HELD_STATES or order.assignee_id is None:
            raise TransitionRefused("not_claimed", _("Nobody holds this order."))
        check_holder(order, actor)
        now = clock.now()
        order = _release_locked(order, actor=actor, reason=reason, now=now)
        close_claim(order.pk, outcome=ClaimOutcome.RELEASED, now=now)
    return order


def _release_locked(order: FilingOrder, *, actor, reason: str, now) -> FilingOrder:
    if order.status == S.PHOTO_REVIEW:
        FilingOrder.objects.filter(pk=order.pk).update(assignee=None, updated_at=now)
        order.assignee = None
        return order
    return filings.order_initial_review_release(order_id=order.pk, actor=actor, reason=reason)


def review_reassign(*, order_id: int, actor, reviewer_id: int) -> FilingOrder:
    """A supervisor gives an order (held by someone or waiting) to another reviewer."""
    check_supervisor(actor)
    target = get_user_model().objects.filter(pk=reviewer_id).first()
    if not is_reviewer(target):
        raise TransitionRefused("not_a_reviewer", _("Orders can be given only to an active reviewer."))
    with transaction.atomic():
        order = locked_order(order_id)
        if order.status not in (S.PENDING_INITIAL_REVIEW, *HELD_STATES):
            raise refused_in_state(order)
        if order.assignee_id == target.pk:
            return order
        check_capacity(target, by=actor)
        now = clock.now()
        queue = queue_of(order, now)
        if order.status in HELD_STATES:
            # The order stays in review; only its holder changes.
            close_claim(order.pk, outcome=ClaimOutcome.REASSIGNED, now=now)
            FilingOrder.objects.filter(pk=order.pk).update(assignee=target, updated_at=now)
            order.assignee = target
            open_claim(order.pk, reviewer=target, queue=queue, now=now, assigned_by=actor)
            return order
        return _take(order, reviewer=target, queue=queue, now=now, assigned_by=actor)


def review_claims_sweep(*, now=None) -> dict[str, int]:
    """Beat, every few minutes: end claims whose order moved on, and return idle claims to their queue.

    Claims whose order is no longer held by their reviewer (decided elsewhere, withdrawn) end in one UPDATE. Idle
    photo claims are cleared set-based; idle initial reviews go back through ``order_initial_review_release`` (the
    holder as actor, so the order's history says whose claim lapsed) — a loop over the few claims that lapsed.
    Orders being decided right now are skipped (``skip_locked``); the next sweep ends their claims.
    """
    now = now or clock.now()
    with transaction.atomic():
        still_held = FilingOrder.objects.filter(
            pk=OuterRef("order_id"), assignee=OuterRef("reviewer_id"), status__in=HELD_STATES
        )
        ended = Claim.objects.filter(released_at__isnull=True).exclude(Exists(still_held))
        ended_count = ended.update(released_at=now, outcome=ClaimOutcome.ENDED)

        lapsed = list(
            Claim.objects.filter(released_at__isnull=True, expires_at__lte=now).values_list(
                "pk", "order_id", "reviewer_id", "queue"
            )
        )
        photo_ids = [pk for pk, _order, _reviewer, queue in lapsed if queue == Queue.PHOTO]
        expired = 0
        if photo_ids:
            # Orders first, as every service locks them, skipping one a reviewer is deciding this moment.
            lapsed_claim = Claim.objects.filter(
                pk__in=photo_ids, order_id=OuterRef("pk"), reviewer_id=OuterRef("assignee")
            )
            order_ids = list(
                FilingOrder.objects.select_for_update(skip_locked=True)
                .filter(Exists(lapsed_claim), status=S.PHOTO_REVIEW)
                .values_list("pk", flat=True)
            )
            FilingOrder.objects.filter(pk__in=order_ids).update(assignee=None, updated_at=now)
            expired = Claim.objects.filter(pk__in=photo_ids, order_id__in=order_ids, released_at__isnull=True).update(
                released_at=now, outcome=ClaimOutcome.EXPIRED
            )

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={r for _p, _o, r, _q in lapsed})}
    reason = str(_("Released automatically: no decision or call note for a while."))
    for pk, order_id, reviewer_id, queue in lapsed:
        if queue == Queue.PHOTO:
            continue
        try:
            with transaction.atomic():
                filings.order_initial_review_release(order_id=order_id, actor=users[reviewer_id], reason=reason)
                Claim.objects.filter(pk=pk, released_at__isnull=True).update(
                    released_at=now, outcome=ClaimOutcome.EXPIRED
                )
        except OrderError as exc:
            # Moved meanwhile, or the reviewer lost the role: the next sweep ends the claim or a supervisor
            # reassigns the order.
            logger.warning("idle claim %s of order %s not released: %s", pk, order_id, exc.code)
            continue
        expired += 1
    return {"ended": ended_count, "expired": expired}
