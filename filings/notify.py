"""Who hears about an order's moves. Called by the transition services inside their transaction (one place), so
the messages are stored with the change that causes them (notifications' outbox) and sent after commit.

The events are declared here (notifications autodiscovers this module); each has its templates under
``templates/notifications/order/<name>/``. To tell applicants about one more move: register an event, write its
templates, add one line to ``_APPLICANT_EVENTS`` (or a branch to ``_applicant_event``).
"""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import CharField, F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from core import clock
from notifications.constants import Audience, Channel
from notifications.events import EventType, register
from notifications.services import Notice, notify_many, notify_query

from .constants import APPLICANT_HELD_STATES, OrderStatus
from .models import FilingOrder, SubjectApplication, WebsiteApplication

S = OrderStatus
EMAIL, SMS, IN_APP = Channel.EMAIL, Channel.SMS, Channel.IN_APP
EXPIRING_SOON_DAYS = 7

_ORDER = {
    "order_number": "B2026050112345",
    "subject_name": "北京示例科技有限公司",
    "link": "/filing/orders/B2026050112345/",
}

SUBMITTED = register(
    EventType("order.submitted", _("Order submitted"), (EMAIL, IN_APP), example={**_ORDER, "resubmitted": False})
)
REJECTED = register(
    EventType(
        "order.rejected",
        _("Order rejected, with the reasons"),
        (EMAIL, SMS, IN_APP),
        example={**_ORDER, "stage": "initial_review", "reasons": ["网站名称不符合要求", "证件照片不清晰"]},
    )
)
INITIAL_REVIEW_PASSED = register(
    EventType(
        "order.initial_review_passed",
        _("Order passed initial review"),
        (EMAIL, IN_APP),
        example={**_ORDER, "next_step": "photo"},
    )
)
PHOTO_NEEDED = register(
    EventType(
        "order.photo_needed",
        _("New verification photo needed"),
        (EMAIL, SMS, IN_APP),
        example={**_ORDER, "reasons": ["幕布不完整"]},
    )
)
FORWARDED = register(
    EventType(
        "order.forwarded",
        _("Order submitted to the administration"),
        (EMAIL, SMS, IN_APP),
        example={**_ORDER, "sms_required": True, "sms_window_hours": 24},
    )
)
APPROVED = register(
    EventType(
        "order.approved",
        _("Order approved, with the ICP numbers"),
        (EMAIL, SMS, IN_APP),
        example={
            **_ORDER,
            "subject_icp_number": "京ICP备12345678号",
            "websites": [{"name": "示例科技官网", "number": "京ICP备12345678号-1"}],
        },
    )
)
EXPIRING_SOON = register(
    EventType(
        "order.expiring_soon",
        _("Order about to expire"),
        (EMAIL, SMS, IN_APP),
        example={**_ORDER, "expires_on": "2026-06-15", "days_left": 7},
    )
)
EXPIRED = register(EventType("order.expired", _("Order expired"), (EMAIL, IN_APP), example=_ORDER))
NEW_WORK = register(
    EventType(
        "staff.new_work",
        _("New work in a review queue"),
        (IN_APP,),
        audience=Audience.STAFF,
        example={**_ORDER, "queue": "initial_review", "due_at": "2026-05-02 17:00", "link": ""},
    )
)

# Rejections and returns share one event; the stage chooses the wording.
_REJECTION_STAGES = {
    "reject_initial_review": "initial_review",
    "reject_by_administration": "administration",
    "fail_sms_verification": "sms_verification",
}
# Moves that put new work in a reviewers' queue.
_QUEUES = {"submit": "initial_review", "resubmit": "initial_review", "submit_photos": "photo_review"}


def order_event_notify(order, event) -> None:
    """An order moved (``event`` is its OrderEvent). Runs inside the move's transaction."""
    key = f"order-event:{event.pk}"
    applicant = _applicant_event(order, event)
    queue = _QUEUES.get(event.action)
    if applicant is None and queue is None:
        return
    base, mobile = _order_context(order)
    notices = []
    if applicant is not None:
        name, extra = applicant
        notices.append(
            Notice(
                event=name,
                context={**base, **extra},
                idempotency_key=key,
                recipient=order.applicant,
                mobile=mobile,
            )
        )
    if queue is not None:
        notices.extend(_staff_notices(order, base, queue=queue, key=f"{key}:queue"))
    notify_many(notices)


def _applicant_event(order, event):
    action = event.action
    if event.to_status == S.APPROVED:
        return APPROVED.key, _numbers(event)
    if action in ("submit", "resubmit"):
        return SUBMITTED.key, {"resubmitted": action == "resubmit"}
    if action in _REJECTION_STAGES:
        return REJECTED.key, {"stage": _REJECTION_STAGES[action], "reasons": _reasons(event)}
    if action == "pass_initial_review":
        next_step = "photo" if event.to_status == S.PENDING_PHOTO else "administration"
        return INITIAL_REVIEW_PASSED.key, {"next_step": next_step}
    if action == "reject_photo_review":
        return PHOTO_NEEDED.key, {"reasons": _reasons(event)}
    if action in ("forward_to_administration", "resubmit_unchanged"):
        return FORWARDED.key, {
            "sms_required": event.to_status == S.SMS_VERIFICATION,
            "sms_window_hours": settings.ICP["SMS_WINDOW_HOURS"],
        }
    return None


EXPIRED_NOTICE_BATCH = 10_000


def orders_expired_notify(order_ids) -> None:
    """The expiry sweep ended these orders. Runs inside the sweep's transaction. Set-based: the notices are built in
    SQL from the orders (``notify_query``: no Python object per notice), one statement per 10 000 orders, so a sweep
    after an outage (a hundred thousand orders) holds the ids of 20 000 outbox rows at a time."""
    order_ids = list(order_ids)
    prefix, suffix = _link_parts()
    for start in range(0, len(order_ids), EXPIRED_NOTICE_BATCH):
        notify_query(
            event=EXPIRED.key,
            source=FilingOrder.objects.filter(pk__in=_id_list(order_ids[start : start + EXPIRED_NOTICE_BATCH])),
            recipient=F("applicant_id"),
            idempotency_key=Concat(Value("order:"), Cast("pk", CharField()), Value(":expired")),
            context={
                "order_number": F("number"),
                "subject_name": Coalesce(F("subject_application__name"), Value("")),
                "link": Concat(Value(prefix), F("number"), Value(suffix)),
            },
        )


def _id_list(ids: list[int]):
    """``ids`` as one parameter (an array, or JSON on SQLite), whatever their number."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def orders_expiring_soon_notify(*, now=None) -> int:
    """Remind applicants of orders that expire within a week. Set-based, and safe to run as often as wanted:
    the key (order, expiry date) lets each deadline be announced once."""
    now = now or clock.now()
    with transaction.atomic():
        due = _orders_with_contacts().filter(
            status__in=APPLICANT_HELD_STATES,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=EXPIRING_SOON_DAYS),
        )
        notices = []
        for order in due:
            expires_on = timezone.localtime(order.expires_at).date()
            days_left = max((expires_on - timezone.localtime(now).date()).days, 1)
            notices.append(
                Notice(
                    event=EXPIRING_SOON.key,
                    context={**_row_context(order), "expires_on": expires_on.isoformat(), "days_left": days_left},
                    idempotency_key=f"order:{order.pk}:expiring-{EXPIRING_SOON_DAYS}d:{expires_on.isoformat()}",
                    recipient=order.applicant,
                    mobile=order.principal_mobile or "",
                )
            )
        notify_many(notices)
    return len(notices)


# --- context ---------------------------------------------------------------------------------------------------


def _link(number: str) -> str:
    return reverse("filings:order_detail", args=[number])


def _link_parts() -> tuple[str, str]:
    """``_link`` around the number, for links built in SQL. Order numbers are letters and digits (models), which a
    URL carries as they are."""
    prefix, suffix = _link("0ICP0").split("0ICP0")
    return prefix, suffix


def _order_context(order) -> tuple[dict, str]:
    """The context every order message shares, and the mobile its texts go to: the subject principal's (联系方式1).
    One query."""
    name, mobile = (
        SubjectApplication.objects.filter(order_id=order.pk).values_list("name", "principal__mobile").first()
    ) or ("", "")
    return {"order_number": order.number, "subject_name": name or "", "link": _link(order.number)}, mobile or ""


def _orders_with_contacts():
    return (
        FilingOrder.objects.select_related("applicant")
        .annotate(principal_mobile=F("subject_application__principal__mobile"))
        .annotate(subject_name=F("subject_application__name"))
        .order_by("pk")
    )


def _row_context(order) -> dict:
    return {"order_number": order.number, "subject_name": order.subject_name or "", "link": _link(order.number)}


def _reasons(event) -> list[str]:
    reasons = [remark.message for remark in event.remarks.all()]
    return reasons or ([event.reason] if event.reason else [])


def _numbers(event) -> dict:
    numbers = event.details.get("website_numbers") or {}
    names = dict(WebsiteApplication.objects.filter(pk__in=[int(pk) for pk in numbers]).values_list("pk", "name"))
    return {
        "subject_icp_number": event.details.get("subject_icp_number", ""),
        "websites": [{"name": names.get(int(pk), ""), "number": number} for pk, number in sorted(numbers.items())],
    }


def _staff_notices(order, base: dict, *, queue: str, key: str) -> list[Notice]:
    """New work in a queue: an in-app message for every active reviewer (one read; the insert is shared)."""
    reviewers = get_user_model().objects.filter(groups__name=Role.REVIEWER.value, is_active=True).distinct()
    due = timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M") if order.due_at else ""
    context = {**base, "queue": queue, "due_at": due, "link": ""}
    return [Notice(event=NEW_WORK.key, context=context, idempotency_key=key, recipient=user) for user in reviewers]


# --- the photo step (filings/photos): the bought backdrop's parcel ---------------------------------------------------

_BACKDROP = {**_ORDER, "link": "/filing/orders/B2026050112345/photos/", "tracking_number": "SF123456789012"}
BACKDROP_SHIPPED = register(
    EventType("order.backdrop_shipped", _("Backdrop shipped"), (EMAIL, IN_APP), example=_BACKDROP)
)
BACKDROP_DELIVERED = register(
    EventType("order.backdrop_delivered", _("Backdrop delivered"), (EMAIL, IN_APP), example=_BACKDROP)
)


def backdrops_moved_notify(backdrop_ids, *, status: str) -> None:
    """Bought backdrops were shipped or delivered (the shipment sweep). Runs inside the sweep's transaction: one
    read, one insert; the key (backdrop, step) announces each step once."""
    from .photos.models import Backdrop

    event = BACKDROP_DELIVERED if status == "delivered" else BACKDROP_SHIPPED
    rows = (
        Backdrop.objects.filter(pk__in=list(backdrop_ids))
        .select_related("order__applicant")
        .annotate(subject_name=F("order__subject_application__name"))
        .order_by("pk")
    )
    notify_many(
        Notice(
            event=event.key,
            context={
                "order_number": row.order.number,
                "subject_name": row.subject_name or "",
                "link": reverse("filings:photos", args=[row.order.number]),
                "tracking_number": row.tracking_number,
            },
            idempotency_key=f"backdrop:{row.pk}:{status}",
            recipient=row.order.applicant,
        )
        for row in rows
    )


# --- after approval: PSB deadline reminders, identity-misuse reports (docs/lifecycle.md) -----------------------------

PSB_DUE = register(
    EventType(
        "website.psb_due",
        _("PSB filing deadline approaching"),
        (EMAIL, SMS, IN_APP),
        example={
            "website_name": "示例科技官网",
            "icp_number": "京ICP备12345678号-1",
            "deadline": "2026-06-15",
            "days_left": 7,
            "link": "/filing/records/websites/1/",
        },
    )
)
IDENTITY_MISUSE_REPORTED = register(
    EventType(
        "staff.identity_misuse_reported",
        _("Misuse of an ID reported"),
        (IN_APP,),
        audience=Audience.STAFF,
        example={"reference": "L42", "numbers": ["京ICP备12345678号", "京ICP备12345678号-1"], "link": ""},
    )
)
