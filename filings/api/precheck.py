"""The pre-check of an application nobody has saved (POST /api/v1/precheck/): a reseller or a script sends a whole
application and gets every problem per field — the wizard's pre-check rules (filings.checks), run on the JSON.
Nothing is saved; service numbers are verified for the caller's account without binding them.

Principals are keyed by the client's own keys (``people.<key>.mobile``), websites by their position
(``websites.0.name``) and, for materials, by their ``key`` (``materials.pre_approval_document.website.<key>``).
What only a saved order can show is not asked here: a mobile is verified with a code sent once the order exists.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.throttling import PrecheckThrottle
from core.findings import error
from subjects.models import Subject
from subjects.validation import normalise_certificate_number
from websites.services import ServiceNumberError, service_number_verify
from websites.validation import InvalidDomain, normalise_domain

from ..application_data import (
    ApplicationData,
    DomainData,
    MaterialData,
    PersonData,
    SubjectData,
    WebsiteData,
)
from ..checks import application_findings
from ..constants import MaterialKind, OrderType
from ..requirements import required_materials_for
from .serializers import FindingsOutput, findings_result

TAGS = ["precheck"]
KEY_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
# The filing types an application can be checked for before it exists; changes, cancellations and claims work on
# filed records and are checked on their order (GET /api/v1/orders/{number}/precheck/).
PRECHECK_TYPES = (
    OrderType.FIRST_FILING,
    OrderType.ADD_WEBSITE,
    OrderType.ADD_WEBSITE_NEW_USER,
    OrderType.TRANSFER_IN,
    OrderType.CONTINUE_TRANSFER_IN,
)


def _text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


def _key(**kwargs):
    return serializers.RegexField(KEY_PATTERN, **kwargs)


class RegionCode(serializers.RegexField):
    def __init__(self, **kwargs):
        super().__init__(r"^[0-9]{6}$", **kwargs)


class SubjectInput(serializers.Serializer):
    province = RegionCode(help_text="The filing province (GB/T 2260 code).")
    city = RegionCode(required=False, allow_blank=True, default="")
    district = RegionCode(required=False, allow_blank=True, default="")
    nature = _text(40)
    certificate_type = _text(40)
    certificate_number = _text(40)
    name = _text(100)
    certificate_address = _text(200)
    mailing_address = _text(200)
    investor = _text(100)
    remarks = _text(2000)
    principal = _key(required=False, allow_null=True, default=None, help_text="A key of `principals`.")
    principal_is_legal_representative = serializers.BooleanField(required=False, allow_null=True, default=None)


class PrincipalInput(serializers.Serializer):
    name = _text(50)
    certificate_type = _text(40)
    certificate_number = _text(40)
    mobile = _text(20)
    office_phone = _text(30)
    emergency_phone = _text(30)
    email = _text(254)


class PreApprovalInput(serializers.Serializer):
    type = _text(40)
    document_number = _text(100)


class WebsiteInput(serializers.Serializer):
    key = _key(required=False, help_text="Names the website in materials; default: its position.")
    name = _text(100)
    homepage_url = _text(255)
    service_content = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, default=list)
    languages = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, default=list)
    pre_approvals = PreApprovalInput(many=True, required=False, max_length=10, default=list)
    remarks = _text(2000)
    principal = _key(required=False, allow_null=True, default=None, help_text="A key of `principals`.")
    domains = serializers.ListField(child=serializers.CharField(max_length=255), max_length=20, default=list)
    service_number = _text(40, help_text="A service number of the caller's, verified (not bound).")


class MaterialInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    person = _key(required=False, allow_null=True, default=None, help_text="A key of `principals`.")
    website = _key(required=False, allow_null=True, default=None, help_text="A website's `key`.")
    count = serializers.IntegerField(min_value=1, max_value=20, default=1)


PRECHECK_TYPE_CHOICES = [(t.value, t.label) for t in PRECHECK_TYPES]


class ApplicationInput(serializers.Serializer):
    order_type = serializers.ChoiceField(choices=PRECHECK_TYPE_CHOICES, default="first_filing")
    subject = SubjectInput()
    principals = serializers.DictField(child=PrincipalInput(), default=dict, help_text="Principals by your own key.")
    websites = WebsiteInput(many=True, default=list, max_length=20)
    icp_password = serializers.BooleanField(default=False, help_text="Whether the ICP password will be entered.")
    materials = MaterialInput(many=True, default=list, max_length=100, help_text="The files you will upload.")

    def validate_principals(self, value):
        if len(value) > 40:
            raise serializers.ValidationError(_("At most 40 principals."))
        for key in value:
            if not serializers.RegexField(KEY_PATTERN).run_validation(key):
                raise serializers.ValidationError(_("Keys are letters, digits, - and _."))
        return value

    def validate(self, attrs):
        people = attrs["principals"]
        errors: dict = {}
        unknown = _("No principal has this key.")
        if attrs["subject"].get("principal") not in (None, *people):
            errors["subject"] = {"principal": [unknown]}
        keys = []
        for index, website in enumerate(attrs["websites"]):
            keys.append(website.get("key") or str(index))
            if website.get("principal") not in (None, *people):
                errors.setdefault("websites", {})[index] = {"principal": [unknown]}
        if len(set(keys)) != len(keys):
            errors["websites"] = [_("Each website needs its own key.")]
        for index, material in enumerate(attrs["materials"]):
            if material.get("person") not in (None, *people):
                errors.setdefault("materials", {})[index] = {"person": [unknown]}
            if material.get("website") not in (None, *keys):
                errors.setdefault("materials", {})[index] = {"website": [_("No website has this key.")]}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _ascii(name: str) -> str:
    try:
        return normalise_domain(name).ascii_name
    except InvalidDomain:
        return ""


def _own_filed_subject(user, subject: dict) -> int | None:
    """The caller's filed subject with this certificate, whose own people are not "another subject"."""
    number = normalise_certificate_number(subject.get("certificate_number"))
    if not number:
        return None
    return (
        Subject.objects.filter(
            Q(owner=user), certificate_type=subject.get("certificate_type"), certificate_number=number
        )
        .values_list("pk", flat=True)
        .first()
    )


def application_data_from_input(user, data: dict) -> ApplicationData:
    people = {key: PersonData(key=key, fields=dict(fields)) for key, fields in data["principals"].items()}
    subject_input = dict(data["subject"])
    principal_key = subject_input.pop("principal", None)
    legal_representative = subject_input.pop("principal_is_legal_representative", None)
    subject = SubjectData(
        fields={
            **subject_input,
            "city": subject_input.get("city") or None,
            "district": subject_input.get("district") or None,
        },
        principal=people.get(principal_key) if principal_key else None,
        principal_is_legal_representative=legal_representative,
    )
    websites = []
    for index, website in enumerate(data["websites"]):
        website = dict(website)
        websites.append(
            WebsiteData(
                key=website.pop("key", None) or str(index),
                fields={
                    "name": website["name"],
                    "homepage_url": website["homepage_url"],
                    "service_content": list(website["service_content"]),
                    "languages": list(website["languages"]),
                    "pre_approvals": [dict(entry) for entry in website["pre_approvals"]],
                    "remarks": website["remarks"],
                },
                domains=[DomainData(name, _ascii(name)) for name in website["domains"]],
                principal=people.get(website["principal"]) if website.get("principal") else None,
                service_number=website["service_number"].strip(),
            )
        )
    materials = [
        MaterialData(material["kind"], material.get("person"), material.get("website"))
        for material in data["materials"]
        for _copy in range(material["count"])
    ]
    return ApplicationData(
        order_type=data["order_type"],
        province=subject_input["province"],
        subject=subject,
        websites=websites,
        icp_password=data["icp_password"],
        materials=materials,
        filed_subject_id=_own_filed_subject(user, subject_input),
    )


def service_number_checker(user):
    """Verify each website's number for ``user`` (read-only); the same number on two websites is refused too."""
    seen: set[str] = set()

    def check(number: str):
        normalised = number.upper().replace(" ", "")
        if normalised in seen:
            return [error("", "service_number_twice", _("Each website needs its own service number."))]
        seen.add(normalised)
        try:
            service_number_verify(number=number, actor=user)
        except ServiceNumberError as exc:
            return [error("", exc.code, exc.message)]
        return []

    return check


class RequiredMaterialOutput(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    label = serializers.CharField()
    required = serializers.BooleanField()
    count = serializers.IntegerField()


class PrecheckOutput(FindingsOutput):
    required_materials = RequiredMaterialOutput(many=True)


class ApplicationPrecheckApi(APIView):
    schema_tags = TAGS

    def get_throttles(self):
        return [throttle() for throttle in (*api_settings.DEFAULT_THROTTLE_CLASSES, PrecheckThrottle)]

    @extend_schema(
        operation_id="precheck_application",
        request=ApplicationInput,
        responses=PrecheckOutput,
        summary="Every problem of an application, per field, without saving anything",
    )
    def post(self, request):
        serializer = ApplicationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = application_data_from_input(request.user, serializer.validated_data)
        findings = application_findings(data, service_number_check=service_number_checker(request.user))
        result = findings_result(findings)
        result["required_materials"] = [
            {"key": r.key, "kind": r.kind, "label": str(r.label), "required": r.required, "count": r.count}
            for r in required_materials_for(data)
        ]
        return Response(PrecheckOutput(result).data)
