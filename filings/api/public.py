"""The public ICP query (公共查询) for anyone, signed in or not: the administration's registry through the gateway
(filings.gateway), with a stricter throttle than the rest of the API."""

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.errors import ApiError
from core.api.throttling import PublicQueryThrottle

from ..gateway import GatewayError, get_gateway

logger = logging.getLogger(__name__)

KINDS = (("domain", _("Domain")), ("icp_number", _("ICP number")), ("subject", _("Subject name")))


class PublicWebsiteOutput(serializers.Serializer):
    name = serializers.CharField()
    icp_number = serializers.CharField()
    domains = serializers.ListField(child=serializers.CharField())
    filed_on = serializers.DateField(allow_null=True)


class PublicRecordOutput(serializers.Serializer):
    subject_name = serializers.CharField()
    nature = serializers.CharField()
    nature_label = serializers.CharField()
    icp_number = serializers.CharField()
    filed_on = serializers.DateField(allow_null=True)
    websites = PublicWebsiteOutput(many=True)


class PublicQueryOutput(serializers.Serializer):
    count = serializers.IntegerField()
    results = PublicRecordOutput(many=True)


def _text(value) -> str | None:
    # CharField: the value as a string; None stays None, as a serializer leaves it.
    return None if value is None else str(value)


def _day(value) -> str | None:
    # DateField with the API's date format (DRF's default, ISO 8601).
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


def public_query_output(records) -> dict:
    """``PublicQueryOutput({"count": …, "results": records}).data``, built directly: the schema is still the
    serializer's, but copying its nested fields on every call cost more than the answer
    (tests/api/test_public_query_output.py holds the two equal)."""
    return {
        "count": len(records),
        "results": [
            {
                "subject_name": _text(record.subject_name),
                "nature": _text(record.nature),
                "nature_label": _text(record.nature_label),
                "icp_number": _text(record.icp_number),
                "filed_on": _day(record.filed_on),
                "websites": [
                    {
                        "name": _text(website.name),
                        "icp_number": _text(website.icp_number),
                        "domains": [_text(domain) for domain in website.domains],
                        "filed_on": _day(website.filed_on),
                    }
                    for website in record.websites
                ],
            }
            for record in records
        ],
    }


class PublicIcpQueryApi(APIView):
    """Active filings by domain, ICP number (a subject's or a website's) or exact subject name; at most 20."""

    schema_tags = ["public"]
    permission_classes = [AllowAny]
    # 401: a token sent that is not valid (none is needed).
    error_statuses = (401, 503)

    class FilterSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=KINDS, default="domain")
        q = serializers.CharField(max_length=100, help_text="What to look for.")

    filter_serializer_class = FilterSerializer

    def get_throttles(self):
        return [throttle() for throttle in (*api_settings.DEFAULT_THROTTLE_CLASSES, PublicQueryThrottle)]

    @extend_schema(operation_id="public_icp_query", responses=PublicQueryOutput, auth=[], summary="Public ICP query")
    def get(self, request):
        serializer = self.FilterSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        try:
            records = get_gateway().public_query(**serializer.validated_data)
        except GatewayError:
            logger.warning("public ICP query failed", exc_info=True)
            raise ApiError(
                "registry_unavailable",
                _("The administration's registry cannot be reached at the moment. Try again in a few minutes."),
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            ) from None
        return Response(public_query_output(records))
