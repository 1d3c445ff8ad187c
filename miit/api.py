"""The registry's JSON API, as the portal's gateway calls it over HTTP.

Each request is a POST whose JSON body is signed with HMAC-SHA256 (``core.signing``: header ``X-ICP-Signature``,
secret ``settings.MIIT_CALLBACK_SECRET``); a missing, stale or wrong signature is answered 401 before the body is
read. Answers are signed the same way, so the portal can tell the administration's answer from anyone else's.
One view per lookup, each with its own input serializer; the output is the selectors' mapping.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core import signing
from regions.models import Region

from . import principal_lookup, selectors, services
from .constants import PERSONAL_CERTIFICATE_TYPES, CertificateType, SubjectNature
from .simulator import processing


class SignedPeer:
    """The caller of a correctly signed request: the portal (there is no user account behind it)."""

    is_authenticated = True
    is_anonymous = False
    pk = None

    def __str__(self):
        return "signed-peer"


class SignatureAuthentication(BaseAuthentication):
    def authenticate(self, request):
        secret = getattr(settings, "MIIT_CALLBACK_SECRET", "")
        try:
            timestamp = signing.verify(
                secret=secret, body=request.body, header=request.headers.get(signing.SIGNATURE_HEADER)
            )
        except signing.SignatureError as exc:
            raise AuthenticationFailed(str(exc)) from None
        return SignedPeer(), timestamp

    def authenticate_header(self, request):
        # A value here makes DRF answer 401 (not 403) to a refused signature.
        return "ICP-HMAC-SHA256"


class IsSignedPeer(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.user, SignedPeer)


class RegistryAPIView(APIView):
    authentication_classes = [SignatureAuthentication]
    permission_classes = [IsSignedPeer]
    throttle_classes = []
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    schema = None  # a machine-to-machine API of another system, not part of the portal's published API
    input_serializer: type[serializers.Serializer]

    def get_exception_handler(self):
        # Another system: its answers keep DRF's plain error format, whatever the portal's API uses.
        from rest_framework.views import exception_handler

        return exception_handler

    def post(self, request):
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self.answer(**serializer.validated_data))

    def answer(self, **data) -> dict:
        raise NotImplementedError

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        secret = getattr(settings, "MIIT_CALLBACK_SECRET", "")
        if secret and isinstance(response, Response):
            response.render()
            response[signing.SIGNATURE_HEADER] = signing.sign(secret=secret, body=response.content)
        return response


class CertificateInput(serializers.Serializer):
    certificate_type = serializers.ChoiceField(choices=CertificateType.choices)
    certificate_number = serializers.CharField(max_length=40)


class DomainInput(serializers.Serializer):
    domain = serializers.CharField(max_length=255, help_text="ASCII (punycode) form")


class SubjectLookupApi(RegistryAPIView):
    input_serializer = CertificateInput

    def answer(self, *, certificate_type, certificate_number):
        subject = selectors.subject_lookup(certificate_type=certificate_type, certificate_number=certificate_number)
        return {"subject": subject}


class DomainLookupApi(RegistryAPIView):
    input_serializer = DomainInput

    def answer(self, *, domain):
        return {"domain": selectors.domain_lookup(ascii_name=domain)}


class DomainRegistrationApi(RegistryAPIView):
    input_serializer = DomainInput

    def answer(self, *, domain):
        return {"registration": selectors.domain_registration_get(ascii_name=domain)}


class DomainHolderVerifyApi(RegistryAPIView):
    class Input(DomainInput):
        certificate_type = serializers.ChoiceField(choices=CertificateType.choices, required=False, allow_blank=True)
        certificate_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
        holder_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
        nature = serializers.ChoiceField(choices=SubjectNature.choices, required=False, allow_blank=True)

    input_serializer = Input

    def answer(self, *, domain, certificate_type="", certificate_number="", holder_name="", nature=""):
        return selectors.domain_holder_verify(
            ascii_name=domain,
            certificate_type=certificate_type,
            certificate_number=certificate_number,
            holder_name=holder_name,
            nature=nature,
        )


class LegacyLookupApi(RegistryAPIView):
    class Input(CertificateInput, DomainInput):
        pass

    input_serializer = Input

    def answer(self, *, certificate_type, certificate_number, domain):
        record = selectors.legacy_lookup(
            certificate_type=certificate_type, certificate_number=certificate_number, ascii_name=domain
        )
        return {"record": record}


class LegacyClaimApi(RegistryAPIView):
    """认领备案 approved by the provider: the legacy record is marked claimed by the order. The same order again
    answers the record (a retried report is harmless); a record that cannot be claimed is refused (400)."""

    class Input(CertificateInput, DomainInput):
        order_reference = serializers.CharField(max_length=20)

    input_serializer = Input

    def answer(self, *, certificate_type, certificate_number, domain, order_reference):
        try:
            record = services.legacy_record_claim(
                certificate_type=certificate_type,
                certificate_number=certificate_number,
                ascii_name=domain,
                order_reference=order_reference,
            )
        except services.ClaimRefused as exc:
            raise serializers.ValidationError({"domain": [str(exc)]}) from None
        return {"record": selectors.legacy_payload(record)}


class SubmitOrderApi(RegistryAPIView):
    """提交管局: a provider forwards an order. Answers the receipt, with whether SMS verification comes first; the
    same ``submission_key`` again answers the first receipt (a retry is harmless)."""

    class Input(serializers.Serializer):
        submission_key = serializers.CharField(max_length=60)
        order_reference = serializers.CharField(max_length=20)
        order_type = serializers.CharField(max_length=30)
        province_code = serializers.CharField(max_length=6)
        provider = serializers.CharField(max_length=100, required=False, allow_blank=True)
        payload = serializers.DictField()

        def validate_province_code(self, value):
            if not Region.objects.filter(pk=value, level="province").exclude(abbreviation="").exists():
                raise serializers.ValidationError("not a province")
            return value

    input_serializer = Input

    def answer(self, *, submission_key, order_reference, order_type, province_code, payload, provider=""):
        submission = services.submission_receive(
            submission_key=submission_key,
            order_reference=order_reference,
            order_type=order_type,
            province_code=province_code,
            payload=payload,
            provider=provider,
        )
        return {
            "submission": {
                "submission_key": submission.submission_key,
                "order_reference": submission.order_reference,
                "sms_required": submission.sms_required,
                "status": submission.status,
                "received_at": submission.received_at.isoformat(),
            }
        }


class ResendVerificationApi(RegistryAPIView):
    """管局退回, resubmitted unchanged: the administration starts a new SMS round (new codes, a new window) on the
    order's returned submission. ``resend_key`` names the provider's resubmission: the same key again answers the
    same round instead of sending more codes."""

    class Input(serializers.Serializer):
        order_reference = serializers.CharField(max_length=20)
        resend_key = serializers.CharField(max_length=80)

    input_serializer = Input

    def answer(self, *, order_reference, resend_key):
        try:
            submission = processing.submission_resend(order_reference=order_reference, resend_key=resend_key)
        except processing.SubmissionRefused as exc:
            raise serializers.ValidationError({"order_reference": [str(exc)]}) from None
        return {
            "submission": {
                "submission_key": submission.submission_key,
                "order_reference": submission.order_reference,
                "sms_required": submission.sms_required,
                "status": submission.status,
                "sms_round": submission.sms_round,
                "received_at": submission.received_at.isoformat(),
            }
        }


class PrincipalLookupApi(RegistryAPIView):
    """Which active filings name this person's document as principal. Answers nothing unless ``name`` is the name
    on record for the document (``miit.principal_lookup``)."""

    class Input(CertificateInput):
        name = serializers.CharField(max_length=50)

        def validate_certificate_type(self, value):
            if value not in PERSONAL_CERTIFICATE_TYPES:
                raise serializers.ValidationError("not a personal document")
            return value

    input_serializer = Input

    def answer(self, *, name, certificate_type, certificate_number):
        return principal_lookup.principal_lookup(
            name=name, certificate_type=certificate_type, certificate_number=certificate_number
        )


class PublicQueryApi(RegistryAPIView):
    """公共查询 for a provider's own query page or API: active filings by domain, ICP number or subject name, as the
    public page shows them (``selectors.public_query``)."""

    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=selectors.PUBLIC_QUERY_KINDS)
        q = serializers.CharField(max_length=100)

    input_serializer = Input

    def answer(self, *, kind, q):
        results = selectors.public_query(kind=kind, q=q)
        # Dates as ISO strings, as the HTTP answer carries them.
        return {"results": json.loads(json.dumps(results, cls=DjangoJSONEncoder, ensure_ascii=False))}


# The operations of the API by name: the portal's gateway names them, the in-process adapter calls them here.
OPERATIONS: dict[str, type[RegistryAPIView]] = {
    "subject_lookup": SubjectLookupApi,
    "domain_lookup": DomainLookupApi,
    "domain_registration": DomainRegistrationApi,
    "domain_holder_verify": DomainHolderVerifyApi,
    "legacy_lookup": LegacyLookupApi,
    "legacy_claim": LegacyClaimApi,
    "principal_lookup": PrincipalLookupApi,
    "submit_order": SubmitOrderApi,
    "resend_verification": ResendVerificationApi,
    "public_query": PublicQueryApi,
}


def answer_in_process(operation: str, payload: dict) -> dict:
    """What the API would answer to a signed request with ``payload`` — same input checks, same output — for the
    portal's in-process adapter (tests, the embedded run). Raises ``serializers.ValidationError`` on bad input."""
    view_class = OPERATIONS[operation]
    serializer = view_class.input_serializer(data=payload)
    serializer.is_valid(raise_exception=True)
    return view_class().answer(**serializer.validated_data)


def signed_json(payload: dict, *, secret: str) -> tuple[bytes, str]:
    """The body and signature header value of a request to this API (used by the portal's gateway and tests)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return body, signing.sign(secret=secret, body=body)
