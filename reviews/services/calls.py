"""The call log of initial review: the reviewer telephones the applicant and notes whether they were reached.

Not reached the first time: the order goes back to the queue and a retry is due an hour later (``CallFollowUp.
retry_due_at``, which the call-back queue reads — no broker countdown). Not reached the second time: the order is
rejected with the catalogue's 电话无法联系.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from filings import services as filings
from filings.constants import OrderStatus as S
from filings.services.transitions import Remark

from .. import conf
from ..constants import PHONE_UNREACHABLE_CODE, ClaimOutcome, DecisionOutcome, DecisionStage
from ..models import CallAttempt, CallFollowUp, Claim, RejectionReason
from ..permissions import check_holder, check_reviewer
from .common import close_claim, idle_expiry, locked_order, record_decision, require_state


@dataclass(frozen=True)
class CallResult:
    outcome: str  # "reached", "retry", "rejected"
    order: object
    retry_due_at: datetime | None = None


def _unreachable_remark() -> Remark:
    reason = RejectionReason.objects.filter(code=PHONE_UNREACHABLE_CODE).first()
    message = reason.message if reason is not None else "电话无法联系"
    return Remark(field="", message=message, code=PHONE_UNREACHABLE_CODE)


def review_call_record(*, order_id: int, actor, reached: bool, note: str = "") -> CallResult:
    check_reviewer(actor)
    with transaction.atomic():
        order = locked_order(order_id)
        require_state(order, S.INITIAL_REVIEW)
        check_holder(order, actor)
        now = clock.now()
        CallAttempt.objects.create(order=order, reviewer=actor, called_at=now, reached=reached, note=note)
        follow_up, _created = CallFollowUp.objects.get_or_create(order=order, defaults={"updated_at": now})

        if reached:
            follow_up.misses, follow_up.retry_due_at, follow_up.updated_at = 0, None, now
            follow_up.save()
            # A call is work on the order: the claim is not idle.
            Claim.objects.filter(order=order, released_at__isnull=True).update(expires_at=idle_expiry(now))
            return CallResult("reached", order)

        follow_up.misses += 1
        if follow_up.misses >= conf.get("CALL_MISSES_TO_REJECT"):
            remark = _unreachable_remark()
            order = filings.order_initial_review_reject(order_id=order.pk, actor=actor, remarks=[remark], note=note)
            record_decision(
                order.pk,
                reviewer=actor,
                stage=DecisionStage.CALL,
                outcome=DecisionOutcome.REJECTED,
                reason_codes=[PHONE_UNREACHABLE_CODE],
                now=now,
            )
            return CallResult("rejected", order)

        retry_due_at = now + timedelta(minutes=conf.get("CALL_RETRY_MINUTES"))
        follow_up.retry_due_at, follow_up.updated_at = retry_due_at, now
        follow_up.save()
        reason = _("Not reached by telephone; call again after %(time)s.") % {
            "time": timezone.localtime(retry_due_at).strftime("%H:%M")
        }
        order = filings.order_initial_review_release(order_id=order.pk, actor=actor, reason=str(reason))
        close_claim(order.pk, outcome=ClaimOutcome.RELEASED, now=now)
        return CallResult("retry", order, retry_due_at)
