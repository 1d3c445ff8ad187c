"""Reads behind the queue pages: one queue's orders with the filters, and the size of every queue.

The list is one query whatever its length (related rows joined, the time an order entered its queue and its first
domain as subqueries), plus the paginator's count; the counts of all queues are one aggregate query.
"""

import functools
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from core.compiled import compiled
from core.widgets import option_markup
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
REVIEWER_OPTIONS_KEY, PROVINCES_KEY, FILTER_CHOICES_SECONDS = "reviews:reviewer-options", "reviews:province-choices", 60
# The moves that put an order into one of the queues; the latest one is when it entered the queue it is in.
ENTRY_STATES = (S.PENDING_INITIAL_REVIEW, S.PHOTO_REVIEW, S.PENDING_MIIT_SUBMISSION)


# What a row of a queue shows (the API; the page reads the same as ``QUEUE_ROW_VALUES``): only these columns are read.
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


# What the queue page's rows read (``queue_rows``): the name a row gives each value, and where it comes from.
QUEUE_ROW_VALUES = {
    "number": "number",
    "order_type": "order_type",
    "status": "status",
    "due_at": "due_at",
    "province_name": "province__name",
    "subject_name": "subject_application__name",
    "assignee_id": "assignee_id",
    "assignee_full_name": "assignee__full_name",
    "assignee_email": "assignee__email",
    "entered_at": "entered_at",
    "first_domain": "first_domain",
    "retry_due_at": "retry_due_at",
}


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


@functools.cache
def _queue_row_base() -> QuerySet[FilingOrder]:
    """Every order with what a queue row shows: built once per process, as its three subqueries cost more to build
    than the page's other Python work (docs/performance.md). Never evaluated itself: each use chains a new queryset
    from it, as Django's own reuse of a queryset (a paginator's count, then its page) does."""
    return (
        FilingOrder.objects.select_related("province", "assignee", "subject_application")
        .only(*QUEUE_ROW_FIELDS)
        .annotate(
            entered_at=_entered_queue_at(),
            first_domain=_first_domain(),
            retry_due_at=Subquery(CallFollowUp.objects.filter(order=OuterRef("pk")).values("retry_due_at")[:1]),
        )
    )


def queue_orders(queue: str, filters: QueueFilters, *, viewer, now) -> QuerySet[FilingOrder]:
    """The orders of ``queue`` that pass ``filters``, the oldest due first (call-backs: the earliest retry)."""
    orders = _queue_row_base().filter(queue_filter(queue, now))
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


def queue_rows(orders: QuerySet[FilingOrder], now) -> list[dict]:
    """A page of ``queue_orders`` as what the queue page's rows show, read as values: building 25 orders with their
    province, subject and reviewer cost more than the query (docs/performance.md). Each row has the values named in
    ``QUEUE_ROW_VALUES`` (the reviewer's name and e-mail made into ``reviewer``, the short name of whoever holds
    the order, or "") and ``sla`` (on_time, due_soon, overdue)."""
    rows = []
    for values in orders.values_list(*QUEUE_ROW_VALUES.values()):
        row = dict(zip(QUEUE_ROW_VALUES, values, strict=True))
        full_name, email = row.pop("assignee_full_name"), row.pop("assignee_email")
        row["reviewer"] = (full_name or email.split("@")[0]) if row["assignee_id"] else ""  # User.get_short_name
        row["sla"] = sla_state(row["due_at"], now)
        rows.append(row)
    return rows


def queue_counts_of_rows(rows: list[dict], now) -> dict[str, int]:
    """``queue_counts``' numbers for one queue whose orders are all in ``rows`` (``queue_rows``): what the queue page
    shows when the whole queue is on it, instead of counts kept a few seconds."""
    return {
        "total": len(rows),
        "overdue": sum(1 for row in rows if row["due_at"] is not None and row["due_at"] <= now),
        "waiting": sum(1 for row in rows if row["assignee_id"] is None),
    }


def queue_counts_recent(now) -> dict[str, dict[str, int]]:
    """``queue_counts`` as computed at most ``COUNTS_SECONDS`` ago, for the queue pages: every reviewer's page (and
    its refresh every minute) would otherwise run the same aggregate over the queues many times a second. The
    numbers on the page say so little later what "Updated" says; decisions read the rows themselves."""
    return cache.get_or_set(COUNTS_KEY, lambda: queue_counts(now), COUNTS_SECONDS)


def queue_page_cached(now) -> tuple[dict[str, dict[str, int]], str, list[tuple[str, str]]]:
    """``queue_counts_recent``, ``reviewer_options`` and ``province_choices``, which every queue page needs, in one
    round trip to the cache rather than three (each is read and kept as its own function does when missing)."""
    found = cache.get_many([COUNTS_KEY, REVIEWER_OPTIONS_KEY, PROVINCES_KEY])
    return (
        found[COUNTS_KEY] if COUNTS_KEY in found else queue_counts_recent(now),
        found[REVIEWER_OPTIONS_KEY] if REVIEWER_OPTIONS_KEY in found else reviewer_options(),
        found[PROVINCES_KEY] if PROVINCES_KEY in found else province_choices(),
    )


def queue_counts(now) -> dict[str, dict[str, int]]:
    """{queue: {"total": n, "overdue": n, "waiting": n}} for every queue, in one query.

    An order is in one queue at most (``queue_of``: the definitions part by state, type and call-back), so each row
    is given the name of the first queue whose filter it passes and the rows are grouped by it: every queue's filter
    is tried on a row until one holds. Fifteen filtered counts, each trying its queue's filter on every row, took
    twice as long (at 8 652 queued orders, 56–59 ms a call before, 26–29 ms now; docs/performance.md, fix 28)."""
    queue_of_row = Case(
        *(When(queue_filter(queue, now), then=Value(queue.value)) for queue in Queue),
        default=None,
        output_field=CharField(),
    )
    groups = (
        FilingOrder.objects.filter(status__in=QUEUE_STATES)
        .annotate(queue=queue_of_row)
        .values("queue")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lte=now)),
            waiting=Count("pk", filter=Q(assignee__isnull=True)),
        )
        .order_by()
    )
    counts = {queue.value: {"total": 0, "overdue": 0, "waiting": 0} for queue in Queue}
    for group in groups:
        if group["queue"] is not None:
            counts[group["queue"]] = {measure: group[measure] for measure in ("total", "overdue", "waiting")}
    return counts


def held_by(reviewer) -> QuerySet[FilingOrder]:
    """The orders ``reviewer`` holds now, the oldest due first."""
    return (
        FilingOrder.objects.filter(assignee=reviewer, status__in=HELD_STATES)
        .select_related("province", "subject_application")
        .order_by("due_at", "pk")
    )


def _held_summary(reviewer_id: int) -> QuerySet:
    return held_by(reviewer_id).values_list("number", "subject_application__name")


def held_by_summary(reviewer) -> list[tuple[str, str | None]]:
    """``(number, subject name)`` of the orders ``reviewer`` holds, in the order of ``held_by``: the queue pages'
    strip shows no more, and whole orders cost it more than the query (docs/performance.md). Compiled once per
    process (``core.compiled``): building the query took longer than running it."""
    with connection.cursor() as cursor:
        cursor.execute(*compiled(_held_summary, reviewer_id=reviewer.pk))
        return cursor.fetchall()


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


def reviewer_options() -> str:
    """The reviewer filter's ``<option>`` of every active reviewer and supervisor (``core.widgets.option_markup``:
    the id, the short name), as markup. Kept in the cache for a minute: the list changes rarely, and read and built
    on every queue page it cost more than the queue itself — as 1 600 pairs, read back and escaped at each page, still
    a third of a rendered queue page (docs/performance.md, fixes 9 and 31). A new reviewer shows in the filter within
    that minute."""
    return cache.get_or_set(
        REVIEWER_OPTIONS_KEY,
        lambda: option_markup(
            (pk, full_name or email.split("@")[0])  # User.get_short_name
            for pk, full_name, email in _reviewers().values_list("pk", "full_name", "email")
        ),
        FILTER_CHOICES_SECONDS,
    )


def province_choices() -> list[tuple[str, str]]:
    """``(code, name)`` of the mainland provinces, for the province filter: reference data, kept in the cache for a
    minute too (as pairs: whole regions cost more to read back from it)."""
    return cache.get_or_set(
        PROVINCES_KEY,
        lambda: list(
            Region.objects.filter(level="province", is_mainland=True).order_by("code").values_list("code", "name")
        ),
        FILTER_CHOICES_SECONDS,
    )
