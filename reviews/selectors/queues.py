"""Reads behind the queue pages: one queue's orders with the filters, and the size of every queue.

The list is one query whatever its length (related rows joined, the time an order entered its queue and its first
domain as subqueries), plus the paginator's count; the counts of all queues are one aggregate query.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from filings.constants import OrderStatus as S
from filings.models import DomainApplication, FilingOrder, OrderEvent
from regions.models import Region

from ..constants import HELD_STATES, Queue
from ..models import CallFollowUp
from ..queues import QUEUE_STATES, queue_filter, sla_filter, sla_state

# 等待时长: orders that have waited longer than…
AGE_CHOICES = {
    "1h": (timedelta(hours=1), _("Waiting over 1 hour")),
    "4h": (timedelta(hours=4), _("Waiting over 4 hours")),
    "1d": (timedelta(days=1), _("Waiting over 1 day")),
    "3d": (timedelta(days=3), _("Waiting over 3 days")),
}
# What the queue pages keep in the cache, and for how long (seconds).
COUNTS_KEY, COUNTS_SECONDS = "reviews:queue-counts", 5
REVIEWER_CHOICES_KEY, PROVINCES_KEY, FILTER_CHOICES_SECONDS = "reviews:reviewer-choices", "reviews:provinces", 60
# The moves that put an order into one of the queues; the latest one is when it entered the queue it is in.
ENTRY_STATES = (S.PENDING_INITIAL_REVIEW, S.PHOTO_REVIEW, S.PENDING_MIIT_SUBMISSION)


# What a row of a queue shows (the page and the API): only these columns are read.
QUEUE_ROW_FIELDS = (
    "number",
    "order_type",
    "status",
    "due_at",
    "status_changed_at",
    "province__name",
    "subject_application__name",
    "assignee__full_name",
    "assignee__email",
)


@dataclass(frozen=True)
class QueueFilters:
    province: str = ""
    order_type: str = ""
    age: str = ""
    sla: str = ""
    assignee: str = ""  # "", "none", "me" or a user id


def _entered_queue_at():
    entry = (
        OrderEvent.objects.filter(order=OuterRef("pk"), to_status__in=ENTRY_STATES)
        .exclude(action="release_initial_review")
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(entry), F("status_changed_at"))


def _first_domain():
    return Subquery(
        DomainApplication.objects.filter(website__order=OuterRef("pk"))
        .order_by("website__position", "website_id", "id")
        .values("name")[:1]
    )


def queue_orders(queue: str, filters: QueueFilters, *, viewer, now) -> QuerySet[FilingOrder]:
    """The orders of ``queue`` that pass ``filters``, the oldest due first (call-backs: the earliest retry)."""
    orders = (
        FilingOrder.objects.filter(queue_filter(queue, now))
        .select_related("province", "assignee", "subject_application")
        .only(*QUEUE_ROW_FIELDS)
        .annotate(
            entered_at=_entered_queue_at(),
            first_domain=_first_domain(),
            retry_due_at=Subquery(CallFollowUp.objects.filter(order=OuterRef("pk")).values("retry_due_at")[:1]),
        )
    )
    if filters.province:
        orders = orders.filter(province_id=filters.province)
    if filters.order_type:
        orders = orders.filter(order_type=filters.order_type)
    if filters.age in AGE_CHOICES:
        orders = orders.filter(entered_at__lte=now - AGE_CHOICES[filters.age][0])
    if filters.sla:
        orders = orders.filter(sla_filter(filters.sla, now))
    if filters.assignee == "none":
        orders = orders.filter(assignee__isnull=True)
    elif filters.assignee == "me":
        orders = orders.filter(assignee=viewer)
    elif filters.assignee.isdigit():
        orders = orders.filter(assignee_id=int(filters.assignee))
    if queue == Queue.CALLS:
        return orders.order_by("retry_due_at", "pk")
    return orders.order_by("due_at", "pk")


def with_sla(orders, now) -> list[FilingOrder]:
    """The page's orders, each with ``sla`` (on_time, due_soon, overdue)."""
    orders = list(orders)
    for order in orders:
        order.sla = sla_state(order.due_at, now)
    return orders


def queue_counts_recent(now) -> dict[str, dict[str, int]]:
    """``queue_counts`` as computed at most ``COUNTS_SECONDS`` ago, for the queue pages: every reviewer's page (and
    its refresh every minute) would otherwise run the same aggregate over the queues many times a second. The
    numbers on the page say so little later what "Updated" says; decisions read the rows themselves."""
    return cache.get_or_set(COUNTS_KEY, lambda: queue_counts(now), COUNTS_SECONDS)


def queue_counts(now) -> dict[str, dict[str, int]]:
    """{queue: {"total": n, "overdue": n, "waiting": n}} for every queue, in one query."""
    aggregates = {}
    for queue in Queue:
        in_queue = queue_filter(queue, now)
        aggregates[f"{queue.value}__total"] = Count("pk", filter=in_queue)
        aggregates[f"{queue.value}__overdue"] = Count("pk", filter=in_queue & Q(due_at__lte=now))
        aggregates[f"{queue.value}__waiting"] = Count("pk", filter=in_queue & Q(assignee__isnull=True))
    row = FilingOrder.objects.filter(status__in=QUEUE_STATES).aggregate(**aggregates)
    counts: dict[str, dict[str, int]] = {queue.value: {} for queue in Queue}
    for key, value in row.items():
        queue, measure = key.split("__")
        counts[queue][measure] = value or 0
    return counts


def held_by(reviewer) -> QuerySet[FilingOrder]:
    """The orders ``reviewer`` holds now, the oldest due first."""
    return (
        FilingOrder.objects.filter(assignee=reviewer, status__in=HELD_STATES)
        .select_related("province", "subject_application")
        .order_by("due_at", "pk")
    )


def _reviewers():
    return (
        get_user_model()
        .objects.filter(groups__name__in=[Role.REVIEWER.value, Role.SUPERVISOR.value], is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def reviewers() -> list:
    """Active reviewers and supervisors, for reassignment."""
    return list(_reviewers())


def reviewer_choices() -> list[tuple[str, str]]:
    """``(id, short name)`` of the active reviewers and supervisors, for the queue pages' reviewer filter. Kept
    in the cache for a minute: the list changes rarely, and read and built on every queue page it cost more than
    the queue itself (docs/performance.md). A new reviewer shows in the filter within that minute."""
    return cache.get_or_set(
        REVIEWER_CHOICES_KEY,
        lambda: [
            (str(pk), full_name or email.split("@")[0])  # User.get_short_name
            for pk, full_name, email in _reviewers().values_list("pk", "full_name", "email")
        ],
        FILTER_CHOICES_SECONDS,
    )


def provinces() -> list[Region]:
    """The mainland provinces, for the province filter: reference data, kept in the cache for a minute too."""
    return cache.get_or_set(
        PROVINCES_KEY,
        lambda: list(Region.objects.filter(level="province", is_mainland=True).order_by("code")),
        FILTER_CHOICES_SECONDS,
    )
