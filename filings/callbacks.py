"""The administration's callbacks (DESIGN.md, "The administration boundary"): each result it reaches arrives as a
signed POST with an ``event_id`` (``filings/views/callbacks.py``), and ``callback_apply`` applies it exactly once.

In one transaction it locks the order, looks for the event id, checks the order is in the state the event needs,
records the event in a unique row and calls the filings service for the move. A second delivery of the same event
finds the row (or, racing the first, hits the unique index) and changes nothing; an event that comes before the order
is ready for it (an approval while the SMS verification is still being applied, say) is refused with 409, which
rolls the row back, so the administration's retry applies it later.

The other direction: when the applicant resubmits a returned order unchanged (管局退回 → 待短信核验), the
administration must send new codes. ``order_resubmit_unchanged`` makes the move and, in its effects, schedules
``request_new_sms_codes`` for after the commit: it asks the administration through the gateway
(``resend_verification``), retried with backoff while the administration cannot be reached.
"""

from dataclasses import dataclass

from celery import shared_task
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.background import enqueue_after_commit

from .constants import OrderStatus
from .gateway import GatewayError

S = OrderStatus


class CallbackType(models.TextChoices):
    SMS_VERIFIED = "sms_verified", _("SMS verification complete")
    SMS_FAILED = "sms_failed", _("SMS verification failed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# The state each event needs, and the move it makes (RULES.md, order states).
REQUIRED_STATE = {
    CallbackType.SMS_VERIFIED: S.SMS_VERIFICATION,
    CallbackType.SMS_FAILED: S.SMS_VERIFICATION,
    CallbackType.APPROVED: S.MIIT_REVIEW,
    CallbackType.REJECTED: S.MIIT_REVIEW,
}


class CallbackEvent(models.Model):
    """One administration event, applied. The unique ``event_id`` is what makes a redelivery harmless."""

    event_id = models.CharField(_("Event id"), max_length=64, unique=True)
    type = models.CharField(_("Type"), max_length=20, choices=CallbackType.choices)
    order = models.ForeignKey(
        "filings.FilingOrder", verbose_name=_("Order"), on_delete=models.CASCADE, related_name="callback_events"
    )
    order_number = models.CharField(_("Order number"), max_length=20)
    submission_key = models.CharField(_("Submission key"), max_length=60, blank=True)
    payload = models.JSONField(_("Body"), default=dict)
    received_at = models.DateTimeField(_("Received at"))
    applied = models.BooleanField(_("Applied"), default=True)

    class Meta:
        verbose_name = _("administration callback")
        verbose_name_plural = _("administration callbacks")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["order", "received_at"], name="filings_callback_order")]

    def __str__(self):
        return f"{self.order_number} {self.type} ({self.event_id})"


@dataclass
class CallbackRefused(Exception):
    """Why an event is not applied: ``status`` is the HTTP answer (400, 404, 409, 422)."""

    status: int
    code: str
    message: str

    def __str__(self):
        return self.message


def _text(value, limit: int) -> str:
    return str(value or "")[:limit]


def _parse(event: dict) -> tuple[str, str, str, dict]:
    if not isinstance(event, dict):
        raise CallbackRefused(400, "bad_event", "The body is not a JSON object.")
    event_id, kind, number, data = (event.get(k) for k in ("event_id", "type", "order_number", "data"))
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= 64:
        raise CallbackRefused(400, "bad_event_id", "event_id must be a string of 1 to 64 characters.")
    if kind not in CallbackType.values:
        raise CallbackRefused(400, "bad_type", f"Unknown event type {kind!r}.")
    if not isinstance(number, str) or not number:
        raise CallbackRefused(400, "bad_order_number", "order_number is missing.")
    if not isinstance(data, dict):
        raise CallbackRefused(400, "bad_data", "data must be a JSON object.")
    if kind == CallbackType.APPROVED:
        websites = data.get("websites", [])
        if not isinstance(data.get("subject_icp_number", ""), str) or not isinstance(websites, list):
            raise CallbackRefused(400, "bad_data", "An approval carries subject_icp_number and websites.")
        if any(
            not isinstance(w, dict) or not str(w.get("id", "")).isdigit() or not w.get("icp_number") for w in websites
        ):
            raise CallbackRefused(400, "bad_data", "Each website of an approval has an id and an icp_number.")
    if kind == CallbackType.REJECTED:
        reasons = data.get("reasons")
        if not isinstance(reasons, list) or not reasons or any(not isinstance(r, dict) for r in reasons):
            raise CallbackRefused(400, "bad_data", "A rejection carries at least one reason.")
    return event_id, kind, number, data


def _apply(order, kind: str, data: dict) -> None:
    from . import services
    from .services.transitions import Remark

    if kind == CallbackType.SMS_VERIFIED:
        services.order_sms_verified(order_id=order.pk)
    elif kind == CallbackType.SMS_FAILED:
        reason = _text(data.get("reason"), 500) or str(_("The SMS verification failed."))
        services.order_fail_sms_verification(order_id=order.pk, reason=reason)
    elif kind == CallbackType.APPROVED:
        services.order_approve(
            order_id=order.pk,
            subject_icp_number=_text(data.get("subject_icp_number"), 40),
            website_numbers={int(w["id"]): _text(w["icp_number"], 44) for w in data.get("websites", [])},
        )
    elif kind == CallbackType.REJECTED:
        services.order_reject_by_administration(
            order_id=order.pk,
            remarks=[
                Remark(
                    field=_text(r.get("field"), 80),
                    message=_text(r.get("message"), 1000),
                    code=_text(r.get("code"), 40),
                )
                for r in data["reasons"]
            ],
        )


def callback_apply(*, event: dict) -> str:
    """Apply one administration event: ``"applied"``, or ``"duplicate"`` when its id was applied before. Raises
    ``CallbackRefused`` (400 malformed, 404 unknown order, 409 the order is not ready for it, 422 refused)."""
    from .errors import OrderError, TransitionRefused
    from .models import FilingOrder

    event_id, kind, number, data = _parse(event)
    with transaction.atomic():
        order = FilingOrder.objects.select_for_update(of=("self",)).filter(number=number).first()
        if order is None:
            raise CallbackRefused(404, "unknown_order", f"No order {number}.")
        # After the lock: a concurrent delivery of the same event has committed by now, or has not begun.
        if CallbackEvent.objects.filter(event_id=event_id).exists():
            return "duplicate"
        if order.status != REQUIRED_STATE[kind]:
            raise CallbackRefused(
                409, "not_ready", f"Order {number} is {order.status}; a {kind} event needs {REQUIRED_STATE[kind]}."
            )
        try:
            with transaction.atomic():
                CallbackEvent.objects.create(
                    event_id=event_id,
                    type=kind,
                    order=order,
                    order_number=number,
                    submission_key=_text(event.get("submission_key"), 60),
                    payload=event,
                    received_at=clock.now(),
                )
        except IntegrityError:
            return "duplicate"
        try:
            _apply(order, kind, data)
        except TransitionRefused as exc:
            raise CallbackRefused(409, exc.code, str(exc.message)) from None
        except OrderError as exc:
            raise CallbackRefused(422, exc.code, str(exc.message)) from None
    return "applied"


# --- resubmitted unchanged: new codes ---------------------------------------------------------------------------------


@shared_task(
    name="filings.request_new_sms_codes",
    autoretry_for=(GatewayError,),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=8,
)
def request_new_sms_codes(order_id: int) -> bool:
    """Ask the administration for a new SMS round. The key counts the order's resubmissions unchanged, so a retry
    of this task asks for the same round; an order no longer waiting for codes needs nothing."""
    from .gateway import get_gateway
    from .models import FilingOrder, OrderEvent

    order = FilingOrder.objects.filter(pk=order_id).first()
    if order is None or order.status != S.SMS_VERIFICATION:
        return False
    count = OrderEvent.objects.filter(order=order, action="resubmit_unchanged").count()
    get_gateway().resend_verification(order_number=order.number, resend_key=f"{order.number}-unchanged-{count}")
    return True


def new_sms_codes_after_commit(order_id: int) -> None:
    """Called inside the move's transaction: the request leaves only if the move commits."""
    enqueue_after_commit(request_new_sms_codes, order_id)
