"""The back office's REST API (docs/api.md): queues with their counts and filters, claim next, the orders a reviewer
holds, one order for review with its reasons catalogue, and the decisions — pass, reject with reasons, the call note,
forward, release, reassign. Reviewers and supervisors only (403 for anyone else); every action is one
``reviews.services`` call, so the API and the pages refuse the same things (409 in a wrong state, 403 for another
reviewer's order).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from core.api.errors import ApiError
from core.api.fields import IdField
from core.api.views import FilteredListView
from filings.api.serializers import EventOutput, OrderDetailOutput
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.selectors import order_events

from . import services
from .constants import CLAIMABLE_QUEUES, Queue, ReasonStage, SlaState
from .permissions import is_reviewer
from .queues import queue_of, sla_state
from .reasons import ChosenReason, reason_options
from .selectors import queues as queue_selectors
from .selectors import review as review_selectors
from .selectors.queues import AGE_CHOICES, QueueFilters

TAGS = ["review"]


class IsReviewer(BasePermission):
    message = _("Only the provider's reviewers can do this.")

    def has_permission(self, request, view):
        return is_reviewer(request.user)


class _ReviewApi(APIView):
    schema_tags = TAGS
    permission_classes = [IsAuthenticated, IsReviewer]


def _queue_or_404(queue: str) -> Queue:
    try:
        return Queue(queue)
    except ValueError:
        raise ApiError("not_found", _("There is no such queue."), status_code=404) from None


class QueueCountsOutput(serializers.Serializer):
    queue = serializers.ChoiceField(choices=Queue.choices)
    label = serializers.CharField()
    claimable = serializers.BooleanField()
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    waiting = serializers.IntegerField()


class QueueOrderOutput(serializers.Serializer):
    number = serializers.CharField()
    order_type = serializers.ChoiceField(choices=OrderType.choices)
    status = serializers.ChoiceField(choices=S.choices)
    province = serializers.CharField(source="province_id")
    subject_name = serializers.SerializerMethodField()
    first_domain = serializers.CharField(allow_null=True)
    entered_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    sla = serializers.ChoiceField(choices=SlaState.choices, allow_null=True)
    retry_due_at = serializers.DateTimeField(allow_null=True)
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    assignee_name = serializers.SerializerMethodField()

    def get_subject_name(self, order) -> str:
        subject = getattr(order, "subject_application", None)
        return subject.name if subject is not None else ""

    def get_assignee_name(self, order) -> str:
        return order.assignee.get_short_name() if order.assignee_id else ""


class QueueCountsApi(_ReviewApi):
    @extend_schema(operation_id="review_queues", responses=QueueCountsOutput(many=True))
    def get(self, request):
        counts = queue_selectors.queue_counts(clock.now())
        rows = [
            {"queue": q.value, "label": str(q.label), "claimable": q in CLAIMABLE_QUEUES, **counts[q.value]}
            for q in Queue
        ]
        return Response(QueueCountsOutput(rows, many=True).data)


class QueueOrderListApi(FilteredListView):
    """One queue's orders, the oldest due first (call-backs: the earliest retry), with the page's filters."""

    schema_tags = TAGS
    permission_classes = [IsAuthenticated, IsReviewer]
    serializer_class = QueueOrderOutput

    class FilterSerializer(serializers.Serializer):
        province = serializers.RegexField(r"^[0-9]{6}$", required=False, help_text="A province code.")
        order_type = serializers.ChoiceField(choices=OrderType.choices, required=False)
        age = serializers.ChoiceField(choices=list(AGE_CHOICES), required=False, help_text="Waiting longer than.")
        sla = serializers.ChoiceField(choices=SlaState.choices, required=False)
        assignee = serializers.RegexField(
            r"^(none|me|[0-9]{1,18})$", required=False, help_text="none, me, or a reviewer's id."
        )

    filter_serializer_class = FilterSerializer

    def get_queryset(self):
        queue = _queue_or_404(self.kwargs["queue"])
        now = clock.now()
        self.now = now
        filters = QueueFilters(**{key: str(value) for key, value in self.filters().items()})
        return queue_selectors.queue_orders(queue, filters, viewer=self.request.user, now=now)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        for order in page:
            order.sla = sla_state(order.due_at, self.now)
        return self.get_paginated_response(QueueOrderOutput(page, many=True).data)

    @extend_schema(operation_id="review_queue_orders")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReviewOrderOutput(OrderDetailOutput):
    """An order as the reviewer sees it: the application, its queue and SLA, who holds it, its history."""

    queue = serializers.CharField(allow_null=True)
    sla = serializers.ChoiceField(choices=SlaState.choices, allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    events = EventOutput(many=True, source="history")


def review_payload(number: str) -> dict:
    order = review_selectors.order_for_review(number)
    now = clock.now()
    order.queue = queue_of(order, now)
    order.sla = sla_state(order.due_at, now)
    order.history = order_events(order)
    return ReviewOrderOutput(order).data


class HeldOrderListApi(FilteredListView):
    """The orders the caller holds now (claimed, not yet decided)."""

    schema_tags = TAGS
    permission_classes = [IsAuthenticated, IsReviewer]
    serializer_class = QueueOrderOutput

    def get_queryset(self):
        return queue_selectors.held_by(self.request.user).select_related("assignee")

    def list(self, request, *args, **kwargs):
        now = clock.now()
        page = self.paginate_queryset(self.get_queryset())
        for order in page:
            order.sla = sla_state(order.due_at, now)
            order.entered_at = order.status_changed_at
            order.first_domain = None
            order.retry_due_at = None
        return self.get_paginated_response(QueueOrderOutput(page, many=True).data)

    @extend_schema(operation_id="review_held_orders")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ClaimNextApi(_ReviewApi):
    """Take the oldest due order nobody holds in a queue; 204 when the queue is empty."""

    error_statuses = (409,)

    @extend_schema(
        operation_id="review_claim_next",
        request=None,
        responses={200: ReviewOrderOutput, 204: OpenApiResponse(description="No order is waiting in this queue.")},
    )
    def post(self, request, queue):
        queue = _queue_or_404(queue)
        order = services.review_claim_next(reviewer=request.user, queue=queue)
        if order is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(review_payload(order.number))


class ReviewOrderApi(_ReviewApi):
    @extend_schema(operation_id="review_order_retrieve", responses=ReviewOrderOutput)
    def get(self, request, number):
        return Response(review_payload(number))


class ReasonOptionOutput(serializers.Serializer):
    reason = serializers.IntegerField(source="reason.pk")
    code = serializers.CharField(source="reason.code")
    path = serializers.CharField(help_text="The field the applicant sees the reason beside.")
    section = serializers.CharField()
    field_label = serializers.CharField()
    message = serializers.CharField()


def _stage(order) -> str:
    return ReasonStage.PHOTO_REVIEW if order.status == S.PHOTO_REVIEW else ReasonStage.INITIAL_REVIEW


class ReasonOptionsApi(_ReviewApi):
    """The rejection reasons of the order's stage, each at the places of this order it applies to."""

    @extend_schema(operation_id="review_order_reasons", responses=ReasonOptionOutput(many=True))
    def get(self, request, number):
        order = review_selectors.order_for_review(number)
        return Response(ReasonOptionOutput(reason_options(order, stage=_stage(order)), many=True).data)


class _DecisionApi(_ReviewApi):
    error_statuses = (409,)

    def order_id(self, number) -> int:
        return review_selectors.order_for_review(number).pk


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClaimApi(_DecisionApi):
    @extend_schema(operation_id="review_order_claim", request=None, responses=ReviewOrderOutput)
    def post(self, request, number):
        services.review_claim(order_id=self.order_id(number), reviewer=request.user)
        return Response(review_payload(number))


class ReleaseApi(_DecisionApi):
    @extend_schema(operation_id="review_order_release", request=NoteInput, responses=ReviewOrderOutput)
    def post(self, request, number):
        serializer = NoteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["note"] or str(_("Released by the reviewer."))
        services.review_release(order_id=self.order_id(number), actor=request.user, reason=reason)
        return Response(review_payload(number))


class PassApi(_DecisionApi):
    """Initial review or photo review passed, whichever the order is in."""

    @extend_schema(operation_id="review_order_pass", request=NoteInput, responses=ReviewOrderOutput)
    def post(self, request, number):
        serializer = NoteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = review_selectors.order_for_review(number)
        service = services.review_photo_pass if order.status == S.PHOTO_REVIEW else services.review_initial_pass
        service(order_id=order.pk, actor=request.user, note=serializer.validated_data["note"])
        return Response(review_payload(number))


class RejectApi(_DecisionApi):
    """Reject with reasons from the catalogue (``GET …/reasons/``), each at its path; the applicant sees each one
    beside the field to fix."""

    class InputSerializer(serializers.Serializer):
        class ReasonInput(serializers.Serializer):
            reason = IdField()
            path = serializers.CharField(max_length=120, allow_blank=True)
            note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

        reasons = ReasonInput(many=True, allow_empty=False, max_length=50)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="review_order_reject", request=InputSerializer, responses=ReviewOrderOutput)
    def post(self, request, number):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        chosen = [ChosenReason(r["reason"], r["path"], r["note"].strip()) for r in data["reasons"]]
        order = review_selectors.order_for_review(number)
        service = services.review_photo_reject if order.status == S.PHOTO_REVIEW else services.review_initial_reject
        service(order_id=order.pk, actor=request.user, reasons=chosen, note=data["note"])
        return Response(review_payload(number))


class CallApi(_DecisionApi):
    """The telephone check of initial review: reached, or not (a retry an hour later; the second miss rejects)."""

    class InputSerializer(serializers.Serializer):
        reached = serializers.BooleanField()
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=["reached", "retry", "rejected"])
        retry_due_at = serializers.DateTimeField(allow_null=True)
        order = ReviewOrderOutput()

    @extend_schema(operation_id="review_order_call", request=InputSerializer, responses=OutputSerializer)
    def post(self, request, number):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.review_call_record(
            order_id=self.order_id(number), actor=request.user, **serializer.validated_data
        )
        retry_due_at = result.retry_due_at
        return Response(
            {
                "outcome": result.outcome,
                "retry_due_at": serializers.DateTimeField().to_representation(retry_due_at) if retry_due_at else None,
                "order": review_payload(number),
            }
        )


class ForwardApi(_DecisionApi):
    """提交管局: forward an order that waits for it; 503 when the administration cannot be reached."""

    error_statuses = (409, 503)

    @extend_schema(operation_id="review_order_forward", request=None, responses=ReviewOrderOutput)
    def post(self, request, number):
        services.review_forward(order_id=self.order_id(number), actor=request.user)
        return Response(review_payload(number))


class ReassignApi(_DecisionApi):
    """Supervisors: give the order to another reviewer."""

    class InputSerializer(serializers.Serializer):
        reviewer = IdField()

    @extend_schema(operation_id="review_order_reassign", request=InputSerializer, responses=ReviewOrderOutput)
    def post(self, request, number):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.review_reassign(
            order_id=self.order_id(number), actor=request.user, reviewer_id=serializer.validated_data["reviewer"]
        )
        return Response(review_payload(number))
