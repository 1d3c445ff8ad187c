"""Decisions of initial and photo review: pass, or reject with reasons from the catalogue.

Each one locks the order, checks its state and that the actor holds it (or supervises), turns the chosen reasons into
remarks at the order's own field paths, and calls the filings service, which re-locks the same row, moves the order,
writes its event and remarks, and tells the applicant.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from filings import services as filings
from filings.constants import OrderStatus as S
from filings.errors import TransitionRefused
from filings.services.transitions import Remark

from ..constants import DecisionOutcome, DecisionStage, ReasonStage
from ..permissions import check_holder, check_reviewer
from ..reasons import ChosenReason, reason_options
from .common import locked_order, record_decision, require_state


def remarks_for(order, chosen: Iterable[ChosenReason], *, stage: str) -> tuple[list[Remark], list[str]]:
    """The remarks of the chosen reasons, each at the path it was offered for on this order. A reason that is not
    offered there (edited catalogue, a website removed meanwhile, a forged form) is refused, not guessed."""
    chosen = list(chosen)
    if not chosen:
        raise TransitionRefused("reason_required", _("Choose at least one reason for the rejection."))
    options = {option.value: option for option in reason_options(order, stage=stage)}
    remarks, codes, seen = [], [], set()
    for choice in chosen:
        key = f"{choice.reason_id}|{choice.path}"
        option = options.get(key)
        if option is None:
            raise TransitionRefused(
                "unknown_reason",
                _("A chosen reason does not apply to this order any more. Reload the page and choose again."),
            )
        if key in seen:
            continue
        seen.add(key)
        message = option.message
        if choice.note:
            message = _("%(reason)s (%(note)s)") % {"reason": message, "note": choice.note}
        remarks.append(Remark(field=option.path, message=str(message), code=option.reason.code))
        codes.append(option.reason.code)
    return remarks, codes


def review_initial_pass(*, order_id: int, actor, note: str = ""):
    check_reviewer(actor)
    with transaction.atomic():
        order = locked_order(order_id)
        require_state(order, S.INITIAL_REVIEW)
        check_holder(order, actor)
        order = filings.order_initial_review_pass(order_id=order.pk, actor=actor, note=note)
        record_decision(
            order.pk,
            reviewer=actor,
            stage=DecisionStage.INITIAL_REVIEW,
            outcome=DecisionOutcome.PASSED,
            now=clock.now(),
        )
    return order


def review_initial_reject(*, order_id: int, actor, reasons: Iterable[ChosenReason], note: str = ""):
    """初审驳回: the applicant sees each reason beside its field and the order comes back to them."""
    check_reviewer(actor)
    with transaction.atomic():
        order = locked_order(order_id)
        require_state(order, S.INITIAL_REVIEW)
        check_holder(order, actor)
        remarks, codes = remarks_for(order, reasons, stage=ReasonStage.INITIAL_REVIEW)
        order = filings.order_initial_review_reject(order_id=order.pk, actor=actor, remarks=remarks, note=note)
        record_decision(
            order.pk,
            reviewer=actor,
            stage=DecisionStage.INITIAL_REVIEW,
            outcome=DecisionOutcome.REJECTED,
            reason_codes=codes,
            now=clock.now(),
        )
    return order


def review_photo_pass(*, order_id: int, actor, note: str = ""):
    """The photo is fine: the order waits for forwarding, due one working day from now."""
    check_reviewer(actor)
    with transaction.atomic():
        order = locked_order(order_id)
        require_state(order, S.PHOTO_REVIEW)
        check_holder(order, actor)
        order = filings.order_photo_review_pass(order_id=order.pk, actor=actor, note=note)
        record_decision(
            order.pk,
            reviewer=actor,
            stage=DecisionStage.PHOTO_REVIEW,
            outcome=DecisionOutcome.PASSED,
            now=clock.now(),
        )
    return order


def review_photo_reject(*, order_id: int, actor, reasons: Iterable[ChosenReason], note: str = ""):
    """The photo must be taken again: the order goes back to 待拍照 with the reasons."""
    check_reviewer(actor)
    with transaction.atomic():
        order = locked_order(order_id)
        require_state(order, S.PHOTO_REVIEW)
        check_holder(order, actor)
        remarks, codes = remarks_for(order, reasons, stage=ReasonStage.PHOTO_REVIEW)
        order = filings.order_photo_review_reject(order_id=order.pk, actor=actor, remarks=remarks, note=note)
        record_decision(
            order.pk,
            reviewer=actor,
            stage=DecisionStage.PHOTO_REVIEW,
            outcome=DecisionOutcome.REJECTED,
            reason_codes=codes,
            now=clock.now(),
        )
    return order
