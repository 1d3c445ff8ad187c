"""The applicant's orders: the filing-type check, a new draft, the list, one order, its history and pre-check, and
the moves the applicant makes (submit, resubmit, withdraw)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ApiError, field_problem
from core.api.fields import FoldedCharField
from core.api.pagination import CountedPagePagination
from core.api.views import FilteredListView
from regions import selectors as region_selectors
from subjects.constants import CertificateType, SubjectNature

from .. import precheck, selectors, services
from ..constants import OrderStatus, OrderType
from ..detection import detect_filing_type
from ..errors import OrderError
from ..pagecache import cached_data
from .serializers import (
    ORDER_SUMMARY_COLUMNS,
    EventOutput,
    FindingSerializer,
    FindingsOutput,
    OrderDetailOutput,
    OrderSummaryOutput,
    findings_payload,
    findings_result,
    order_summaries,
)

TAGS = ["orders"]


def applicant_order(request, number):
    """The caller's order with everything its detail shows; another account's number is a 404."""
    return selectors.order_of(request.user, number)


def order_detail(request, number) -> dict:
    return OrderDetailOutput(selectors.order_of(request.user, number)).data


class RegionCodeField(serializers.RegexField):
    def __init__(self, **kwargs):
        super().__init__(r"^[0-9]{6}$", **kwargs)


class StartInput(serializers.Serializer):
    """开始备案: what 验证备案类型 needs."""

    province = RegionCodeField(help_text="GB/T 2260 code of the province (or a division inside it).")
    city = RegionCodeField(required=False, allow_blank=True)
    district = RegionCodeField(required=False, allow_blank=True)
    nature = serializers.ChoiceField(choices=SubjectNature.choices)
    certificate_type = serializers.ChoiceField(choices=CertificateType.choices)
    certificate_number = FoldedCharField(max_length=40)
    domain = serializers.CharField(max_length=255)

    def _region(self, value, field):
        if not value:
            return None
        region = region_selectors.get_region(value)
        if region is None:
            raise serializers.ValidationError(_("No such region."), code="unknown_region")
        return region

    def validate_province(self, value):
        return self._region(value, "province")

    def validate_city(self, value):
        return self._region(value, "city")

    def validate_district(self, value):
        return self._region(value, "district")


def _detect(request, data: dict):
    return detect_filing_type(
        applicant=request.user,
        province=data["province"],
        nature=data["nature"],
        certificate_type=data["certificate_type"],
        certificate_number=data["certificate_number"],
        domain=data["domain"],
    )


class DetectionOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    order_type = serializers.ChoiceField(choices=OrderType.choices, allow_null=True)
    order_type_label = serializers.CharField(allow_null=True)
    findings = FindingSerializer(many=True, help_text="Refusals (errors) and warnings, each on an input field.")


class FilingTypeVerifyApi(APIView):
    """验证备案类型: which filing type this subject and domain would be, or why none can start. Saves nothing."""

    schema_tags = TAGS
    error_statuses = (503,)

    @extend_schema(operation_id="filing_type_verify", request=StartInput, responses=DetectionOutput)
    def post(self, request):
        serializer = StartInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        detection = _detect(request, serializer.validated_data)
        _unavailable(detection)
        return Response(
            DetectionOutput(
                {
                    "ok": detection.ok,
                    "order_type": detection.order_type,
                    "order_type_label": str(OrderType(detection.order_type).label) if detection.order_type else None,
                    "findings": findings_payload(detection.findings),
                }
            ).data
        )


def _unavailable(detection) -> None:
    if "registry_unavailable" in detection.codes:
        raise ApiError(
            "registry_unavailable",
            _("The administration's registry cannot be reached at the moment. Try again in a few minutes."),
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        )


class OrderCreateDraftApi(APIView):
    """Open a draft (待完善) of the detected type. The detection runs again; its refusals answer 400 beside their
    fields."""

    schema_tags = TAGS
    error_statuses = (409, 503)

    @extend_schema(operation_id="orders_create_draft", request=StartInput, responses={201: OrderDetailOutput})
    def post(self, request):
        serializer = StartInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        detection = _detect(request, data)
        _unavailable(detection)
        if not detection.ok:
            fields: dict[str, list] = {}
            for finding in detection.refusals:
                fields.setdefault(finding.field or "non_field_errors", []).append(
                    field_problem(finding.code, finding.message)
                )
            raise ApiError("filing_refused", _("No filing can start with these details."), fields=fields)
        order = services.order_create_draft(
            applicant=request.user,
            order_type=detection.order_type,
            province=detection.province,
            nature=detection.nature,
            certificate_type=detection.certificate_type,
            certificate_number=detection.certificate_number,
            domain=detection.domain,
            subject=detection.subject,
            city=data.get("city"),
            district=data.get("district"),
        )
        return Response(order_detail(request, order.number), status=status.HTTP_201_CREATED)


class OrderListApi(FilteredListView):
    # No docstring: the schema's description of the list is FilteredListView's.
    schema_tags = TAGS
    # The schema's rows; the list builds them with order_summaries, which gives the same output.
    serializer_class = OrderSummaryOutput
    pagination_class = CountedPagePagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
        order_type = serializers.ChoiceField(choices=OrderType.choices, required=False)

    filter_serializer_class = FilterSerializer

    def filters(self) -> dict:
        # Most calls filter nothing: the filter serializer (a copy of its fields and their choices) is built only
        # when one of its parameters is given.
        if not any(name in self.request.query_params for name in self.FilterSerializer._declared_fields):
            return {}
        return super().filters()

    def get_queryset(self):
        return selectors.orders_newest_first(self.request.user, **self.filters())

    @extend_schema(operation_id="orders_list", summary="The caller's orders, newest first")
    def get(self, request, *args, **kwargs):
        # Kept in the cache while the caller's orders stay as they are (filings.pagecache).
        return Response(cached_data(request, self._page))

    def _page(self) -> dict:
        orders = self.get_queryset()
        page = self.paginator.paginate_counted(orders.values(*ORDER_SUMMARY_COLUMNS), self.request, count=orders.count)
        return self.paginator.get_paginated_response(order_summaries(page)).data


class OrderDetailApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="orders_retrieve", responses=OrderDetailOutput)
    def get(self, request, number):
        return Response(order_detail(request, number))


class OrderEventsApi(APIView):
    """审核历史: every move of the order, oldest first, with the reviewers' remarks."""

    schema_tags = TAGS

    @extend_schema(operation_id="orders_events", responses=EventOutput(many=True))
    def get(self, request, number):
        order = applicant_order(request, number)
        return Response(EventOutput(selectors.order_events(order), many=True).data)


class OrderPrecheckApi(APIView):
    """The wizard's pre-check of the saved order: every problem left, per field."""

    schema_tags = TAGS

    @extend_schema(operation_id="orders_precheck", responses=FindingsOutput)
    def get(self, request, number):
        order = applicant_order(request, number)
        return Response(FindingsOutput(findings_result(precheck.order_precheck(order))).data)


def _precheck_refused(order) -> ApiError:
    """A submission the pre-check stops: 409, with every error beside its field."""
    fields: dict[str, list] = {}
    for finding in precheck.order_precheck(order):
        if finding.is_error:
            fields.setdefault(finding.field or "non_field_errors", []).append(
                field_problem(finding.code, finding.message)
            )
    count = sum(len(problems) for problems in fields.values())
    return ApiError(
        "precheck_failed",
        _("The pre-check found %(count)d problem(s). Fix them before submitting.") % {"count": count},
        status_code=status.HTTP_409_CONFLICT,
        fields=fields,
    )


class _OrderMoveApi(APIView):
    """An applicant's move: one service call; a refusal is 409 (403 if the caller may not make it)."""

    schema_tags = TAGS
    error_statuses = (409,)

    def move(self, request, order, data):
        raise NotImplementedError

    def post(self, request, number):
        order = applicant_order(request, number)
        data = {}
        if self.InputSerializer is not None:
            serializer = self.InputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        try:
            self.move(request, order, data)
        except OrderError as exc:
            if exc.code == "precheck_failed":
                raise _precheck_refused(order) from None
            raise
        return Response(order_detail(request, number))


class OrderSubmitApi(_OrderMoveApi):
    """提交: after a clean pre-check (409 with every problem beside its field otherwise)."""

    InputSerializer = None

    def move(self, request, order, data):
        services.order_submit(order_id=order.pk, actor=request.user)

    @extend_schema(operation_id="orders_submit", request=None, responses=OrderDetailOutput)
    def post(self, request, number):
        return super().post(request, number)


class OrderResubmitApi(_OrderMoveApi):
    """After 初审驳回, 管局驳回, or an edited 管局退回: back to initial review (pre-check first)."""

    InputSerializer = None

    def move(self, request, order, data):
        services.order_resubmit(order_id=order.pk, actor=request.user)

    @extend_schema(operation_id="orders_resubmit", request=None, responses=OrderDetailOutput)
    def post(self, request, number):
        return super().post(request, number)


class OrderResubmitUnchangedApi(_OrderMoveApi):
    """管局退回 and nothing edited since: straight back to SMS verification with new codes."""

    InputSerializer = None

    def move(self, request, order, data):
        services.order_resubmit_unchanged(order_id=order.pk, actor=request.user)

    @extend_schema(operation_id="orders_resubmit_unchanged", request=None, responses=OrderDetailOutput)
    def post(self, request, number):
        return super().post(request, number)


class OrderWithdrawApi(_OrderMoveApi):
    """撤销备案: until the administration holds the order; its service numbers are freed."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def move(self, request, order, data):
        services.order_withdraw(order_id=order.pk, actor=request.user, reason=data["reason"])

    @extend_schema(operation_id="orders_withdraw", request=InputSerializer, responses=OrderDetailOutput)
    def post(self, request, number):
        return super().post(request, number)
