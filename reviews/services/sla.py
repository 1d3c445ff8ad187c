"""SLA breaches: an order still in a provider queue after its due time (one working day from entering it)."""

from django.db import transaction
from django.db.models import Exists, OuterRef

from core import clock
from filings.models import FilingOrder

from ..models import SlaBreach
from ..notify import supervisors_notify_breaches
from ..queues import QUEUE_STATES


def review_sla_breaches_alert(*, now=None) -> list[SlaBreach]:
    """Beat: record each order newly past its due time and tell the supervisors, once per order and due time.

    Set-based: one read of the new breaches (their rows locked, skipping any a reviewer is deciding right now,
    which the next run sees if it is still overdue), one insert, one message per supervisor.
    """
    now = now or clock.now()
    with transaction.atomic():
        known = SlaBreach.objects.filter(order=OuterRef("pk"), due_at=OuterRef("due_at"))
        overdue = list(
            FilingOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=QUEUE_STATES, due_at__lte=now)
            .exclude(Exists(known))
            .order_by("due_at", "pk")
        )
        if not overdue:
            return []
        breaches = SlaBreach.objects.bulk_create(
            SlaBreach(order=order, status=order.status, due_at=order.due_at, detected_at=now) for order in overdue
        )
        for breach, order in zip(breaches, overdue, strict=True):
            breach.order = order
        supervisors_notify_breaches(breaches)
    return breaches
