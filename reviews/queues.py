"""Which orders each queue holds, as querysets the selectors (lists, counts) and the claim services share.

Every queue is a filter on ``FilingOrder.status`` (indexed with ``due_at``) plus, for the call-back queue, a join to
``CallFollowUp`` (indexed on ``retry_due_at``). ``queue_filter`` is everything in a queue (waiting and held);
``claimable`` is what "claim next" may take, oldest due first.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import FilingOrder

from . import conf
from .constants import Queue, SlaState
from .models import CallFollowUp

INITIAL_STATES = (S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW)
# Every state an order is in while one of the queues holds it.
QUEUE_STATES = (S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW, S.PHOTO_REVIEW, S.PENDING_MIIT_SUBMISSION)


def waiting_for_call_back() -> Exists:
    """The order waits for a telephone retry (due or not)."""
    return Exists(CallFollowUp.objects.filter(order=OuterRef("pk"), retry_due_at__isnull=False))


def call_back_due(now: datetime) -> Exists:
    return Exists(CallFollowUp.objects.filter(order=OuterRef("pk"), retry_due_at__lte=now))


def _filing_kind(queue: str) -> Q:
    """The initial-review queue takes every filing but claims; the claim-filing queue, claims."""
    claim = Q(order_type=OrderType.CLAIM)
    return ~claim if queue == Queue.INITIAL else claim


def queue_filter(queue: str, now: datetime) -> Q:
    """Everything in ``queue``: the orders waiting in it and those a reviewer holds from it."""
    pending = Q(status=S.PENDING_INITIAL_REVIEW)
    if queue in (Queue.INITIAL, Queue.CLAIMS):
        return Q(status__in=INITIAL_STATES) & _filing_kind(queue) & ~(pending & Q(waiting_for_call_back()))
    if queue == Queue.CALLS:
        return pending & Q(call_back_due(now))
    if queue == Queue.PHOTO:
        return Q(status=S.PHOTO_REVIEW)
    if queue == Queue.FORWARD:
        return Q(status=S.PENDING_MIIT_SUBMISSION)
    raise ValueError(f"unknown queue {queue!r}")


def claimable(queue: str, now: datetime) -> QuerySet[FilingOrder]:
    """The orders of ``queue`` nobody holds, the oldest due first (the call-back queue: the earliest retry)."""
    if queue in (Queue.INITIAL, Queue.CLAIMS):
        # The waiting part of ``queue_filter``, the status said once: said twice (its states, then the one waiting),
        # the planner multiplies the two and expects a few rows where hundreds wait, and passes over the index made
        # for this read (filings_order_claim_next; docs/performance.md, fix 33).
        waiting = Q(status=S.PENDING_INITIAL_REVIEW) & _filing_kind(queue) & ~Q(waiting_for_call_back())
        return FilingOrder.objects.filter(waiting).order_by("due_at", "pk")
    if queue == Queue.PHOTO:
        return FilingOrder.objects.filter(queue_filter(queue, now), assignee__isnull=True).order_by("due_at", "pk")
    if queue == Queue.CALLS:
        return FilingOrder.objects.filter(queue_filter(queue, now)).order_by("call_follow_up__retry_due_at", "pk")
    raise ValueError(f"nothing is claimed from queue {queue!r}")


def queue_of(order, now: datetime) -> str | None:
    """The queue an order is in (for one order already loaded; one query for the call-back state)."""
    if order.status == S.PHOTO_REVIEW:
        return Queue.PHOTO
    if order.status == S.PENDING_MIIT_SUBMISSION:
        return Queue.FORWARD
    if order.status not in INITIAL_STATES:
        return None
    if order.status == S.PENDING_INITIAL_REVIEW:
        retry = CallFollowUp.objects.filter(order=order, retry_due_at__isnull=False).values_list(
            "retry_due_at", flat=True
        )
        if retry:
            return Queue.CALLS
    return Queue.CLAIMS if order.order_type == OrderType.CLAIM else Queue.INITIAL


def due_soon_delta() -> timedelta:
    return timedelta(minutes=conf.get("DUE_SOON_MINUTES"))


def sla_state(due_at: datetime | None, now: datetime) -> str | None:
    if due_at is None:
        return None
    if due_at <= now:
        return SlaState.OVERDUE
    if due_at <= now + due_soon_delta():
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def sla_filter(state: str, now: datetime) -> Q:
    soon = now + due_soon_delta()
    if state == SlaState.OVERDUE:
        return Q(due_at__lte=now)
    if state == SlaState.DUE_SOON:
        return Q(due_at__gt=now, due_at__lte=soon)
    if state == SlaState.ON_TIME:
        return Q(due_at__gt=soon)
    raise ValueError(f"unknown SLA state {state!r}")
