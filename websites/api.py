"""Cloud instances and service numbers (备案服务号) for the applicant's own account (docs/api.md).

Every read starts from the caller (``websites.selectors``), so another account's instance or number answers 404;
every write is a ``websites.services`` call.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ApiError, register_error
from core.api.views import FilteredListView

from . import selectors, services
from .constants import Billing, CloudRegion, ServiceNumberStatus
from .forms import SUBSCRIPTION_MONTHS

TAGS = ["instances"]
MONTHS = [months for months, _label in SUBSCRIPTION_MONTHS]

register_error(
    services.ServiceNumberError,
    lambda exc: ApiError(exc.code, exc.message, status_code=status.HTTP_409_CONFLICT),
)


def number_field_error(exc: services.ServiceNumberError, field: str = "number") -> ApiError:
    """A service number given as input that does not verify: the input is wrong (400), beside its field."""
    return ApiError.for_field(field, exc.code, exc.message)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class InstanceOutput(serializers.Serializer):
    instance_id = serializers.CharField()
    name = serializers.CharField()
    region = serializers.ChoiceField(choices=CloudRegion.choices)
    billing = serializers.ChoiceField(choices=Billing.choices)
    subscription_end = serializers.DateField(allow_null=True)
    public_bandwidth_mbps = serializers.IntegerField()
    public_ip = serializers.IPAddressField(allow_null=True)
    created_at = serializers.DateTimeField()
    numbers_issued = serializers.IntegerField(help_text="Service numbers ever issued (at most five).")
    numbers_available = serializers.IntegerField(help_text="Issued numbers not bound to an order.")
    eligible = serializers.BooleanField(help_text="Whether another service number can be issued now.")
    ineligibility = ProblemSerializer(many=True, help_text="Why not, if not.")


def instance_payload(instance) -> dict:
    reasons = selectors.instance_ineligibility(instance)
    return {
        "instance_id": instance.instance_id,
        "name": instance.name,
        "region": instance.region,
        "billing": instance.billing,
        "subscription_end": instance.subscription_end,
        "public_bandwidth_mbps": instance.public_bandwidth_mbps,
        "public_ip": instance.public_ip,
        "created_at": instance.created_at,
        "numbers_issued": getattr(instance, "numbers_issued", 0),
        "numbers_available": getattr(instance, "numbers_available", 0),
        "eligible": not reasons,
        "ineligibility": [{"code": r.code, "message": str(r.message)} for r in reasons],
    }


class ServiceNumberOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=ServiceNumberStatus.choices)
    instance_id = serializers.CharField(source="instance.instance_id")
    created_at = serializers.DateTimeField()
    bound_at = serializers.DateTimeField(allow_null=True)
    used_at = serializers.DateTimeField(allow_null=True)


class InstanceListApi(FilteredListView):
    schema_tags = TAGS

    class FilterSerializer(serializers.Serializer):
        region = serializers.ChoiceField(choices=CloudRegion.choices, required=False)
        billing = serializers.ChoiceField(choices=Billing.choices, required=False)

    filter_serializer_class = FilterSerializer
    serializer_class = InstanceOutput

    def get_queryset(self):
        return selectors.instances_of(self.request.user).filter(**self.filters()).order_by("-created_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InstanceOutput([instance_payload(i) for i in page], many=True).data)

    @extend_schema(operation_id="instances_list", summary="The caller's cloud instances")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InstanceBuyApi(APIView):
    schema_tags = TAGS

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=60)
        region = serializers.ChoiceField(choices=CloudRegion.choices)
        billing = serializers.ChoiceField(choices=Billing.choices)
        months = serializers.ChoiceField(choices=MONTHS, required=False, allow_null=True)
        public_bandwidth_mbps = serializers.IntegerField(min_value=0, max_value=200)

        def validate(self, attrs):
            if attrs["billing"] == Billing.SUBSCRIPTION and not attrs.get("months"):
                raise serializers.ValidationError({"months": _("Choose how long the subscription runs.")})
            return attrs

    @extend_schema(operation_id="instances_buy", request=InputSerializer, responses={201: InstanceOutput})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = services.instance_buy(owner=request.user, **{"months": None, **serializer.validated_data})
        instance = selectors.instance_of(request.user, instance.instance_id)
        return Response(InstanceOutput(instance_payload(instance)).data, status=status.HTTP_201_CREATED)


class InstanceDetailApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="instances_retrieve", responses=InstanceOutput)
    def get(self, request, instance_id):
        instance = selectors.instance_of(request.user, instance_id)
        return Response(InstanceOutput(instance_payload(instance)).data)


class InstanceRenewApi(APIView):
    schema_tags = TAGS
    error_statuses = (409,)

    class InputSerializer(serializers.Serializer):
        months = serializers.ChoiceField(choices=MONTHS)

    @extend_schema(operation_id="instances_renew", request=InputSerializer, responses=InstanceOutput)
    def post(self, request, instance_id):
        instance = selectors.instance_of(request.user, instance_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.instance_renew(instance_id=instance.pk, actor=request.user, months=serializer.validated_data["months"])
        instance = selectors.instance_of(request.user, instance_id)
        return Response(InstanceOutput(instance_payload(instance)).data)


class ServiceNumberApplyApi(APIView):
    """Issue a service number for the instance (at most five ever, RULES.md); 409 with the reason if it cannot."""

    schema_tags = TAGS
    error_statuses = (409,)

    @extend_schema(operation_id="instances_service_number_apply", request=None, responses={201: ServiceNumberOutput})
    def post(self, request, instance_id):
        instance = selectors.instance_of(request.user, instance_id)
        number = services.service_number_apply(instance_id=instance.pk, actor=request.user)
        return Response(ServiceNumberOutput(number).data, status=status.HTTP_201_CREATED)


class ServiceNumberListApi(FilteredListView):
    schema_tags = TAGS

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ServiceNumberStatus.choices, required=False)
        instance = serializers.RegexField(r"^[A-Za-z0-9_-]{1,40}$", required=False, help_text="An instance id.")

    filter_serializer_class = FilterSerializer
    serializer_class = ServiceNumberOutput

    def get_queryset(self):
        filters = self.filters()
        numbers = selectors.service_numbers_of(self.request.user).order_by("-created_at", "-id")
        if "status" in filters:
            numbers = numbers.filter(status=filters["status"])
        if "instance" in filters:
            numbers = numbers.filter(instance__instance_id=filters["instance"])
        return numbers

    @extend_schema(operation_id="service_numbers_list", summary="The caller's service numbers")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServiceNumberDetailApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="service_numbers_retrieve", responses=ServiceNumberOutput)
    def get(self, request, number):
        found = selectors.service_numbers_of(request.user).filter(number=number.upper()).first()
        if found is None:
            raise ApiError("not_found", _("No such service number on this account."), status_code=404)
        return Response(ServiceNumberOutput(found).data)


class ServiceNumberVerifyApi(APIView):
    """The wizard's step 2 on its own: the number belongs to the caller and is free (nothing is bound)."""

    schema_tags = TAGS

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=40)

    @extend_schema(operation_id="service_numbers_verify", request=InputSerializer, responses=ServiceNumberOutput)
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            found = services.service_number_verify(number=serializer.validated_data["number"], actor=request.user)
        except services.ServiceNumberError as exc:
            raise number_field_error(exc) from None
        return Response(ServiceNumberOutput(found).data)
