"""The review page and its actions: claim, release, pass, reject with reasons, the call note, forward, reassign.

Every action is a POST that calls one service. A refusal (wrong state, another reviewer's order, not a supervisor)
shows the review page again with the service's message and its HTTP status (403 or 409); a success redirects back
to the page with a message (post/redirect/get).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import clock
from filings.constants import OrderStatus as S
from filings.errors import NotPermitted, OrderError
from filings.selectors import order_events, order_steps

from .. import conf, services
from ..constants import HELD_STATES, ReasonStage
from ..forms import CallForm, NoteForm, ReassignForm, chosen_reasons
from ..permissions import holds, is_supervisor
from ..queues import queue_of, sla_state
from ..reasons import order_shape, reason_options
from ..selectors import queues as queue_selectors
from ..selectors import review as selectors
from .access import reviewer_required


def _grouped_options(options) -> list[tuple[str, list]]:
    """The options by section of the application (subject, each principal, each website, materials, the order),
    in the order the sections first appear in the catalogue."""
    groups: dict[str, list] = {}
    for option in options:
        groups.setdefault(option.section, []).append(option)
    return list(groups.items())


def _context(request, number, *, error=None, forms=None) -> dict:
    order = selectors.order_for_review(number)
    now = clock.now()
    people = list(order.people.all())
    websites = list(order.websites.all())
    selectors.label_websites(websites)
    people_by_id = {p.pk: p for p in people}
    viewer = request.user
    held_by_viewer = order.status in HELD_STATES and holds(order, viewer) and order.assignee_id is not None
    stage = ReasonStage.PHOTO_REVIEW if order.status == S.PHOTO_REVIEW else ReasonStage.INITIAL_REVIEW
    options = []
    if held_by_viewer:
        options = reason_options(order, stage=stage, shape=order_shape(order))
    forms = forms or {}
    supervisor = is_supervisor(viewer)
    claim = order.review_claims.filter(released_at__isnull=True).select_related("reviewer").first()
    return {
        "order": order,
        "now": now,
        "error": error,
        "queue": queue_of(order, now),
        "sla": sla_state(order.due_at, now),
        "steps": order_steps(order),
        "subject": getattr(order, "subject_application", None),
        "people": people,
        "websites": websites,
        "materials": selectors.order_materials(order, people=people_by_id, websites=websites),
        "warnings": selectors.order_warnings(order, people=people, websites=websites),
        "diff": selectors.order_diff(order, people=people, websites=websites),
        "events": order_events(order),
        "claims": selectors.order_claims(order),
        "calls": selectors.order_calls(order),
        "claim": claim,
        "follow_up": getattr(order, "call_follow_up", None),
        "held_by_viewer": held_by_viewer,
        "is_supervisor": supervisor,
        "can_claim": order.status == S.PENDING_INITIAL_REVIEW
        or (order.status == S.PHOTO_REVIEW and order.assignee_id is None),
        "can_forward": order.status == S.PENDING_MIIT_SUBMISSION,
        "can_reassign": supervisor and order.status in (S.PENDING_INITIAL_REVIEW, *HELD_STATES),
        "stage": stage,
        "reason_groups": _grouped_options(options),
        "chosen": set(request.POST.getlist("reason")) if request.method == "POST" else set(),
        "pass_form": forms.get("pass") or NoteForm(prefix="pass"),
        "reject_form": forms.get("reject") or NoteForm(prefix="reject"),
        "call_form": forms.get("call") or CallForm(prefix="call"),
        "reassign_form": forms.get("reassign") or ReassignForm(prefix="reassign", reviewers=queue_selectors.reviewers())
        if supervisor
        else None,
        "max_claims": conf.get("MAX_CLAIMS"),
    }


def _page(request, number, *, error=None, status=200, forms=None):
    return render(request, "reviews/review.html", _context(request, number, error=error, forms=forms), status=status)


def _refused(request, number, refusal: OrderError, forms=None):
    return _page(request, number, error=refusal.message, status=refusal.status, forms=forms)


def _order_id(number) -> int:
    return selectors.order_for_review(number).pk


@reviewer_required
@require_GET
def review_detail(request, number):
    return _page(request, number)


@reviewer_required
@require_POST
def review_claim(request, number):
    try:
        order = services.review_claim(order_id=_order_id(number), reviewer=request.user)
    except OrderError as refusal:
        return _refused(request, number, refusal)
    messages.success(request, _("You hold order %(number)s now.") % {"number": order.number})
    return redirect("reviews:order", number=number)


@reviewer_required
@require_POST
def review_release(request, number):
    try:
        services.review_release(order_id=_order_id(number), actor=request.user, reason=_("Released by the reviewer."))
    except OrderError as refusal:
        return _refused(request, number, refusal)
    messages.success(request, _("The order is back in its queue."))
    return redirect("reviews:queues")


@reviewer_required
@require_POST
def review_pass(request, number):
    form = NoteForm(request.POST, prefix="pass")
    if not form.is_valid():
        return _page(request, number, status=400, forms={"pass": form})
    order_id = _order_id(number)
    photo = selectors.order_for_review(number).status == S.PHOTO_REVIEW
    service = services.review_photo_pass if photo else services.review_initial_pass
    try:
        order = service(order_id=order_id, actor=request.user, note=form.cleaned_data["note"])
    except OrderError as refusal:
        return _refused(request, number, refusal, forms={"pass": form})
    messages.success(
        request,
        _("Order %(number)s passed. It is now “%(status)s”.")
        % {"number": order.number, "status": order.get_status_display()},
    )
    return redirect("reviews:queues")


@reviewer_required
@require_POST
def review_reject(request, number):
    form = NoteForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _page(request, number, status=400, forms={"reject": form})
    order = selectors.order_for_review(number)
    service = services.review_photo_reject if order.status == S.PHOTO_REVIEW else services.review_initial_reject
    try:
        order = service(
            order_id=order.pk, actor=request.user, reasons=chosen_reasons(request.POST), note=form.cleaned_data["note"]
        )
    except OrderError as refusal:
        return _refused(request, number, refusal, forms={"reject": form})
    messages.success(
        request,
        _("Order %(number)s was rejected. The applicant sees each reason beside the field to fix.")
        % {"number": order.number},
    )
    return redirect("reviews:queues")


@reviewer_required
@require_POST
def review_call(request, number):
    form = CallForm(request.POST, prefix="call")
    if not form.is_valid():
        return _page(request, number, status=400, forms={"call": form})
    try:
        result = services.review_call_record(
            order_id=_order_id(number),
            actor=request.user,
            reached=form.cleaned_data["reached"],
            note=form.cleaned_data["note"],
        )
    except OrderError as refusal:
        return _refused(request, number, refusal, forms={"call": form})
    if result.outcome == "reached":
        messages.success(request, _("Call noted: the applicant was reached."))
        return redirect("reviews:order", number=number)
    if result.outcome == "retry":
        messages.info(
            request,
            _("Call noted: not reached. The order is back in the queue; the call-back is due at %(time)s.")
            % {"time": timezone.localtime(result.retry_due_at).strftime("%H:%M")},
        )
    else:
        messages.info(request, _("Second call not reached: the order was rejected (phone unreachable)."))
    return redirect("reviews:queues")


@reviewer_required
@require_POST
def review_forward(request, number):
    try:
        order = services.review_forward(order_id=_order_id(number), actor=request.user)
    except OrderError as refusal:
        return _refused(request, number, refusal)
    messages.success(
        request,
        _("Order %(number)s was forwarded to the administration. It is now “%(status)s”.")
        % {"number": order.number, "status": order.get_status_display()},
    )
    return redirect("reviews:queue", queue="forward")


@reviewer_required
@require_POST
def review_reassign(request, number):
    form = ReassignForm(request.POST, prefix="reassign", reviewers=queue_selectors.reviewers())
    if not form.is_valid():
        if not is_supervisor(request.user):
            return _refused(request, number, NotPermitted("supervisors_only", _("Only a supervisor can do this.")))
        return _page(request, number, status=400, forms={"reassign": form})
    try:
        order = services.review_reassign(
            order_id=_order_id(number), actor=request.user, reviewer_id=form.cleaned_data["reviewer"]
        )
    except OrderError as refusal:
        return _refused(request, number, refusal, forms={"reassign": form})
    messages.success(
        request,
        _("Order %(number)s is now held by %(name)s.")
        % {"number": order.number, "name": order.assignee.get_short_name() if order.assignee else "—"},
    )
    return redirect("reviews:order", number=number)


urlpatterns = [
    path("orders/<str:number>/", review_detail, name="order"),
    path("orders/<str:number>/claim/", review_claim, name="order_claim"),
    path("orders/<str:number>/release/", review_release, name="order_release"),
    path("orders/<str:number>/pass/", review_pass, name="order_pass"),
    path("orders/<str:number>/reject/", review_reject, name="order_reject"),
    path("orders/<str:number>/call/", review_call, name="order_call"),
    path("orders/<str:number>/forward/", review_forward, name="order_forward"),
    path("orders/<str:number>/reassign/", review_reassign, name="order_reassign"),
]
