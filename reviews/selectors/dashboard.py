"""The supervisors' dashboard: queue sizes, the oldest order of each queue, overdue counts, breaches, and each
reviewer's decisions per day."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from filings.models import FilingOrder

from ..constants import HELD_STATES, Queue
from ..models import Decision, SlaBreach
from ..queues import QUEUE_STATES, queue_filter
from .queues import queue_counts, reviewers

DAYS_SHOWN = 7


@dataclass(frozen=True)
class QueueSummary:
    queue: str
    label: str
    total: int
    waiting: int
    overdue: int
    oldest: FilingOrder | None


def queue_summaries(now) -> list[QueueSummary]:
    counts = queue_counts(now)
    summaries = []
    for queue in Queue:
        oldest = (
            FilingOrder.objects.filter(queue_filter(queue, now))
            .select_related("subject_application")
            .order_by("due_at", "pk")
            .first()
        )
        summaries.append(
            QueueSummary(
                queue=queue.value,
                label=str(queue.label),
                total=counts[queue.value]["total"],
                waiting=counts[queue.value]["waiting"],
                overdue=counts[queue.value]["overdue"],
                oldest=oldest,
            )
        )
    return summaries


@dataclass(frozen=True)
class ReviewerRow:
    reviewer: object
    holding: int
    per_day: list  # decisions on each of the days shown, oldest first
    total: int


def reviewer_rows(now) -> tuple[list, list[ReviewerRow]]:
    """The days shown (oldest first) and, per active reviewer, the orders held now and the decisions per day."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    days = [(midnight - timedelta(days=n)).date() for n in range(DAYS_SHOWN - 1, -1, -1)]
    start = midnight - timedelta(days=DAYS_SHOWN - 1)
    counts = (
        Decision.objects.filter(decided_at__gte=start)
        .annotate(day=TruncDate("decided_at"))
        .values("reviewer_id", "day")
        .annotate(n=Count("id"))
    )
    by_reviewer: dict[int, dict] = {}
    for row in counts:
        by_reviewer.setdefault(row["reviewer_id"], {})[row["day"]] = row["n"]
    holding = dict(
        FilingOrder.objects.filter(status__in=HELD_STATES, assignee__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    rows = []
    for user in reviewers():
        per_day = [by_reviewer.get(user.pk, {}).get(day, 0) for day in days]
        rows.append(ReviewerRow(user, holding.get(user.pk, 0), per_day, sum(per_day)))
    return days, rows


def overdue_orders(now, limit: int = 20) -> list[FilingOrder]:
    return list(
        FilingOrder.objects.filter(status__in=QUEUE_STATES, due_at__lte=now)
        .select_related("assignee", "subject_application", "province")
        .order_by("due_at", "pk")[:limit]
    )


def breach_counts(now) -> dict[str, int]:
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return SlaBreach.objects.aggregate(
        today=Count("pk", filter=Q(detected_at__gte=today)),
        week=Count("pk", filter=Q(detected_at__gte=today - timedelta(days=DAYS_SHOWN - 1))),
    )
