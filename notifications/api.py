"""Webhooks through the API (docs/api.md, "Webhooks"): register an https receiver, see it, change it, rotate its
secret, delete it, and look at its recent deliveries. An account sees only its own endpoints (another's id is 404).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ApiError, register_error
from core.api.views import FilteredListView

from . import webhooks
from .constants import OutboxStatus

TAGS = ["webhooks"]

register_error(webhooks.WebhookRefused, lambda exc: ApiError.for_field("url", exc.code, exc.message))


class EndpointOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    description = serializers.CharField()
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EndpointWithSecretOutput(EndpointOutput):
    secret = serializers.CharField(help_text="Shown only now: keep it to verify the X-ICP-Signature header.")


class SecretOutput(serializers.Serializer):
    secret = serializers.CharField(help_text="Shown only now: keep it to verify the X-ICP-Signature header.")


class DeliveryOutput(serializers.Serializer):
    event_id = serializers.SerializerMethodField()
    event = serializers.CharField()
    status = serializers.ChoiceField(choices=OutboxStatus.choices)
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)

    def get_event_id(self, message) -> str:
        return webhooks.event_id(message)


def https_url(**kwargs):
    return serializers.URLField(
        max_length=500,
        help_text="https only, on a public address (checked now and before every send).",
        **kwargs,
    )


def _endpoint_or_404(request, endpoint_id):
    endpoint = webhooks.webhook_endpoint_of(request.user, endpoint_id)
    if endpoint is None:
        raise ApiError("not_found", _("There is no such webhook on this account."), status_code=404)
    return endpoint


class EndpointListApi(FilteredListView):
    schema_tags = TAGS
    serializer_class = EndpointOutput

    def get_queryset(self):
        return webhooks.webhook_endpoints_of(self.request.user)

    @extend_schema(operation_id="webhooks_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EndpointRegisterApi(APIView):
    """Register a receiver of the caller's order events. The answer carries the signing secret, once."""

    schema_tags = TAGS

    class InputSerializer(serializers.Serializer):
        url = https_url()
        description = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="webhooks_register", request=InputSerializer, responses={201: EndpointWithSecretOutput})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = webhooks.webhook_endpoint_create(owner=request.user, **serializer.validated_data)
        endpoint.secret = secret
        return Response(EndpointWithSecretOutput(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="webhooks_retrieve", responses=EndpointOutput)
    def get(self, request, endpoint_id):
        return Response(EndpointOutput(_endpoint_or_404(request, endpoint_id)).data)


class EndpointUpdateApi(APIView):
    """Change the URL (checked again), the description, or switch the endpoint off and on."""

    schema_tags = TAGS

    class InputSerializer(serializers.Serializer):
        url = https_url(required=False)
        description = serializers.CharField(max_length=100, required=False, allow_blank=True)
        active = serializers.BooleanField(required=False)

    @extend_schema(operation_id="webhooks_update", request=InputSerializer, responses=EndpointOutput)
    def patch(self, request, endpoint_id):
        endpoint = _endpoint_or_404(request, endpoint_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.webhook_endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return Response(EndpointOutput(endpoint).data)


class EndpointRotateSecretApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="webhooks_rotate_secret", request=None, responses=SecretOutput)
    def post(self, request, endpoint_id):
        endpoint = _endpoint_or_404(request, endpoint_id)
        return Response(SecretOutput({"secret": webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint)}).data)


class EndpointDeleteApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="webhooks_delete", request=None, responses={204: None})
    def post(self, request, endpoint_id):
        webhooks.webhook_endpoint_delete(endpoint=_endpoint_or_404(request, endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointDeliveryListApi(FilteredListView):
    """The endpoint's deliveries, newest first: each event with its status, attempts and last error."""

    schema_tags = TAGS
    serializer_class = DeliveryOutput

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=OutboxStatus.choices, required=False)

    filter_serializer_class = FilterSerializer

    def get_queryset(self):
        endpoint = _endpoint_or_404(self.request, self.kwargs["endpoint_id"])
        return webhooks.webhook_deliveries_of(endpoint).filter(**self.filters())

    @extend_schema(operation_id="webhooks_deliveries")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
