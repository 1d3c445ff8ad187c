"""The back office's notification event: supervisors hear about SLA breaches (autodiscovered by notifications)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from notifications.constants import Audience, Channel
from notifications.events import EventType, register
from notifications.services import Notice, notify_many

# Orders listed by name in one message; the rest are counted.
LISTED = 10

SLA_BREACH = register(
    EventType(
        "reviews.sla_breach",
        _("Orders past their one-working-day due time"),
        (Channel.EMAIL, Channel.IN_APP),
        audience=Audience.STAFF,
        example={
            "count": 2,
            "orders": [
                {"number": "ICP0A1B2C3D4E5F", "status": "等待初审", "due_at": "2026-05-02 17:00"},
                {"number": "ICP1A2B3C4D5E6F", "status": "照片审核中", "due_at": "2026-05-02 18:30"},
            ],
            "more": 0,
            "link": "/review/dashboard/",
        },
    )
)


def supervisors_notify_breaches(breaches) -> list[int]:
    """One message per active supervisor listing the new breaches. Runs inside the sweep's transaction; the key
    (the first and last breach row) makes a repeated call store nothing new."""
    breaches = list(breaches)
    if not breaches:
        return []
    supervisors = get_user_model().objects.filter(groups__name=Role.SUPERVISOR.value, is_active=True).distinct()
    listed = [
        {
            "number": breach.order.number,
            "status": str(breach.order.get_status_display()),
            "due_at": timezone.localtime(breach.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        for breach in breaches[:LISTED]
    ]
    context = {
        "count": len(breaches),
        "orders": listed,
        "more": max(len(breaches) - LISTED, 0),
        "link": reverse("reviews:dashboard"),
    }
    key = f"sla-breach:{breaches[0].pk}-{breaches[-1].pk}"
    return notify_many(
        Notice(event=SLA_BREACH.key, context=context, idempotency_key=key, recipient=user) for user in supervisors
    )
