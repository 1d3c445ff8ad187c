"""Reads that the applicant's pages, the reviewers' pages and the API share. Every applicant query starts from
the user, so another account's order is simply not found (404)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core import clock

from .constants import CANCELLATION_TYPES, OrderStatus, OrderType
from .models import DomainApplication, FieldRemark, FilingOrder, OrderEvent, WebsiteApplication

S = OrderStatus


# What a row of the applicant's order list shows (the page and the API): only these columns are read.
ORDER_LIST_FIELDS = (
    "number",
    "order_type",
    "status",
    "province__name",
    "subject_application__name",
    "created_at",
    "submitted_at",
    "status_changed_at",
    "expires_at",
)


def orders_of(user) -> QuerySet[FilingOrder]:
    # The website count as a subquery, not a join and GROUP BY: a page of the list then reads its rows from the
    # (applicant, -created_at) index and counts only theirs, however long the history.
    websites = (
        WebsiteApplication.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Count("pk"))
    )
    return (
        FilingOrder.objects.filter(applicant=user)
        .select_related("province", "subject_application")
        .only(*ORDER_LIST_FIELDS)
        .annotate(website_count=Coalesce(Subquery(websites.values("n")), 0))
        .order_by("-created_at", "-id")
    )


# What a row of the order list page shows, read as values: model instances (the order, its province, its subject
# application) cost twice as much to build as the rest of the query (docs/performance.md, fix 15).
ORDER_ROW_COLUMNS = ("number", "order_type", "status", "province__name", "subject_application__name", "created_at")


def order_rows_of(user) -> QuerySet[dict]:
    """``orders_of`` as dicts of ``ORDER_ROW_COLUMNS`` and ``website_count``, newest first."""
    return orders_of(user).values(*ORDER_ROW_COLUMNS, "website_count")


def orders_newest_first(user, **filters) -> QuerySet[FilingOrder]:
    """The applicant's orders matching ``filters``, newest first, nothing joined: for the API's list, which reads
    them as values and shows no website count (its subquery cost more to build than the rest of the query)."""
    return FilingOrder.objects.filter(applicant=user, **filters).order_by("-created_at", "-id")


def orders_count(user) -> int:
    """How many orders ``user`` has: the list's pager asks this, without the list's joins and annotation."""
    return FilingOrder.objects.filter(applicant=user).count()


def order_of(user, number: str, *, for_update: bool = False, with_people: bool = True) -> FilingOrder:
    """One of the applicant's orders with everything its pages show, in a fixed number of queries. A page that
    shows no one but the principals (read with the subject and the websites) passes ``with_people=False``."""
    queryset = FilingOrder.objects.filter(applicant=user).select_related(
        "province",
        "subject",
        "subject_application",
        "subject_application__province",
        "subject_application__city",
        "subject_application__district",
        "subject_application__principal",
    )
    queryset = queryset.prefetch_related(
        Prefetch(
            "websites",
            queryset=WebsiteApplication.objects.select_related("principal", "service_number").prefetch_related(
                Prefetch("domains", queryset=DomainApplication.objects.order_by("id"))
            ),
        ),
        *(["people"] if with_people else []),
        Prefetch("remarks", queryset=FieldRemark.objects.filter(resolved_at__isnull=True), to_attr="open_remarks"),
    )
    return get_object_or_404(queryset, number=number)


def order_events(order: FilingOrder) -> list[OrderEvent]:
    return list(order.events.select_related("actor").prefetch_related("remarks").order_by("created_at", "id"))


# --- what the order page says ---


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done, current, todo, failed


def _step_labels(order_type: str) -> list[str]:
    if order_type == OrderType.CLAIM:
        return [_("Initial review complete"), _("Filing complete")]
    if order_type in CANCELLATION_TYPES:
        return [_("Initial review complete"), _("Submitted to the administration"), _("Filing complete")]
    return [
        _("Initial review complete"),
        _("Photo verification"),
        _("Submitted to the administration"),
        _("Filing complete"),
    ]


# The index of the step each state is at, and whether that step failed, for the four-step path.
_POSITION = {
    S.DRAFT: (0, False),
    S.PENDING_INITIAL_REVIEW: (0, False),
    S.INITIAL_REVIEW: (0, False),
    S.INITIAL_REJECTED: (0, True),
    S.PENDING_PHOTO: (1, False),
    S.PHOTO_REVIEW: (1, False),
    S.PENDING_MIIT_SUBMISSION: (2, False),
    S.SMS_VERIFICATION: (3, False),
    S.MIIT_REVIEW: (3, False),
    S.MIIT_RETURNED: (3, True),
    S.MIIT_REJECTED: (3, True),
    S.APPROVED: (4, False),
}


def order_steps(order: FilingOrder) -> list[Step]:
    labels = _step_labels(order.order_type)
    if order.status in (S.WITHDRAWN, S.EXPIRED):
        return [Step(label, "todo") for label in labels]
    position, failed = _POSITION[order.status]
    if len(labels) == 3:  # no photo step
        position = {0: 0, 1: 0, 2: 1, 3: 2, 4: 3}[position]
    elif len(labels) == 2:
        position = {0: 0, 1: 1, 2: 1, 3: 1, 4: 2}[position]
    steps = []
    for index, label in enumerate(labels):
        if index < position:
            state = "done"
        elif index == position:
            state = "failed" if failed else "current"
        else:
            state = "todo"
        steps.append(Step(label, state))
    return steps


NEXT_STEP = {
    S.DRAFT: _("Complete the application, check it and submit it."),
    S.PENDING_INITIAL_REVIEW: _(
        "We review your order within one working day. Keep your phone on: a reviewer may call to check details."
    ),
    S.INITIAL_REVIEW: _("A reviewer is checking your order now. Keep your phone on: they may call you."),
    S.INITIAL_REJECTED: _("Fix the problems shown beside each field, then submit the order again."),
    S.PENDING_PHOTO: _("Take the verification photo in front of the official backdrop and upload it."),
    S.PHOTO_REVIEW: _("We are checking your photo, within one working day."),
    S.PENDING_MIIT_SUBMISSION: _("We submit your order to the communications administration within one working day."),
    S.SMS_VERIFICATION: _(
        "The administration has sent a verification code by SMS. Enter it on the administration's verification page "
        "within 24 hours."
    ),
    S.MIIT_REVIEW: _("The communications administration reviews your order, usually within 3 to 20 working days."),
    S.MIIT_RETURNED: _(
        "The administration returned the order. Submit it again unchanged to receive new SMS codes, or edit it and "
        "submit it for review again."
    ),
    S.MIIT_REJECTED: _("Fix the problems the administration gave, then submit the order again."),
    S.APPROVED: _("Your filing is complete. Show the ICP number at the bottom of your website's home page."),
    S.WITHDRAWN: _("You withdrew this order. Its service numbers are free to use again."),
    S.EXPIRED: _("This order expired after 45 days. Its service numbers are free to use again; start a new filing."),
}


def order_next_step(order: FilingOrder) -> str:
    return NEXT_STEP[order.status]


def order_days_left(order: FilingOrder) -> int | None:
    """Whole days left of the 45-day validity (running or paused), or None once the order is closed."""
    if order.is_final:
        return None
    if order.expires_at is not None:
        left = order.expires_at - clock.now()
    else:
        left = order.validity_left or timedelta(0)
    return max(0, left.days + (1 if left.seconds else 0))


def order_days_left_hold_for(order: FilingOrder) -> float | None:
    """Seconds until ``order_days_left`` gives another number, or None while nothing but a change of the order can
    change it (closed, paused, or run out: the sweep expires it)."""
    if order.is_final or order.expires_at is None:
        return None
    left = (order.expires_at - clock.now()).total_seconds()
    if left <= 0:
        return None
    return left % 86400 or 86400


def remarks_by_field(order: FilingOrder) -> dict[str, list[str]]:
    remarks = getattr(order, "open_remarks", None)
    if remarks is None:
        remarks = list(order.remarks.filter(resolved_at__isnull=True))
    grouped: dict[str, list[str]] = {}
    for remark in remarks:
        grouped.setdefault(remark.field, []).append(remark.message)
    return grouped


def order_numbers(order: FilingOrder) -> dict | None:
    """The ICP numbers an approved order received: {"subject": "京ICP备…号", "websites": [(name, number), …]}."""
    if order.status != S.APPROVED:
        return None
    event = order.events.filter(action="approve").order_by("-id").first()
    details = event.details if event else {}
    by_id = details.get("website_numbers") or {}
    websites = [(w.name, by_id.get(str(w.pk))) for w in order.websites.all() if by_id.get(str(w.pk))]
    subject_number = details.get("subject_icp_number") or (order.subject.icp_number if order.subject else "")
    return {"subject": subject_number, "websites": websites}
