"""Editing the application of a draft (or of an order back with the applicant): the subject, the principals and
their mobile codes, the websites with their domains and service numbers, the ICP password. Each endpoint is one
``filings.services`` call; an order that cannot be edited now answers 409.

Ids in paths and bodies are the order's own rows (``people[].id``, ``websites[].id``, ``domains[].id`` of the order's
detail); an id of another order is not found.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ApiError
from core.api.fields import FoldedCharField, IdField
from subjects.constants import CertificateType
from websites.constants import WebsiteLanguage
from websites.services import ServiceNumberError
from websites.validation import InvalidDomain, normalise_domain

from .. import services
from ..models import DomainApplication, PersonApplication, WebsiteApplication
from .orders import applicant_order, order_detail
from .serializers import OrderDetailOutput, PersonOutput, PreApprovalSerializer

TAGS = ["application"]


def _not_found(message) -> ApiError:
    return ApiError("not_found", message, status_code=404)


def _person_of(order, person_id: int) -> PersonApplication:
    person = PersonApplication.objects.filter(pk=person_id, order=order).first()
    if person is None:
        raise _not_found(_("There is no such principal on this order."))
    return person


def _website_of(order, website_id: int) -> WebsiteApplication:
    website = WebsiteApplication.objects.filter(pk=website_id, order=order).first()
    if website is None:
        raise _not_found(_("There is no such website on this order."))
    return website


class _ApplicationApi(APIView):
    schema_tags = TAGS
    error_statuses = (409,)


class SubjectSaveApi(_ApplicationApi):
    """主办单位信息: the fields the applicant types (the others come from 验证备案类型 or the filed subject)."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100, required=False, allow_blank=True)
        certificate_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
        mailing_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
        investor = serializers.CharField(max_length=100, required=False, allow_blank=True)
        remarks = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(operation_id="orders_subject_save", request=InputSerializer, responses=OrderDetailOutput)
    def patch(self, request, number):
        order = applicant_order(request, number)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_save_subject(order_id=order.pk, actor=request.user, data=serializer.validated_data)
        return Response(order_detail(request, number))


class SubjectPrincipalApi(_ApplicationApi):
    class InputSerializer(serializers.Serializer):
        person = IdField(help_text="A principal of this order (people[].id).")

    @extend_schema(operation_id="orders_subject_principal_set", request=InputSerializer, responses=OrderDetailOutput)
    def post(self, request, number):
        order = applicant_order(request, number)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person_id = serializer.validated_data["person"]
        if not PersonApplication.objects.filter(pk=person_id, order=order).exists():
            raise ApiError.for_field("person", "unknown_person", _("This person is not on the order."))
        services.application_set_subject_principal(order_id=order.pk, actor=request.user, person_id=person_id)
        return Response(order_detail(request, number))


class PersonInput(serializers.Serializer):
    """负责人信息. A changed mobile must be verified again."""

    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    certificate_type = serializers.ChoiceField(choices=CertificateType.choices, required=False, allow_blank=True)
    certificate_number = FoldedCharField(max_length=40, required=False, allow_blank=True)
    mobile = FoldedCharField(max_length=20, required=False, allow_blank=True)
    office_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    emergency_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)


class PersonAddApi(_ApplicationApi):
    @extend_schema(operation_id="orders_people_add", request=PersonInput, responses={201: PersonOutput})
    def post(self, request, number):
        order = applicant_order(request, number)
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.application_save_person(order_id=order.pk, actor=request.user, data=serializer.validated_data)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


class PersonSaveApi(_ApplicationApi):
    @extend_schema(operation_id="orders_people_save", request=PersonInput, responses=PersonOutput)
    def patch(self, request, number, person_id):
        order = applicant_order(request, number)
        person = _person_of(order, person_id)
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.application_save_person(
            order_id=order.pk, actor=request.user, data=serializer.validated_data, person_id=person.pk
        )
        return Response(PersonOutput(person).data)


class MobileCodeSendApi(_ApplicationApi):
    """获取手机验证码: a code to the principal's mobile (联系方式1), valid for five minutes."""

    class OutputSerializer(serializers.Serializer):
        mobile = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(operation_id="orders_people_send_code", request=None, responses=OutputSerializer)
    def post(self, request, number, person_id):
        order = applicant_order(request, number)
        person = _person_of(order, person_id)
        sent = services.application_send_mobile_code(order_id=order.pk, actor=request.user, mobile=person.mobile)
        return Response(self.OutputSerializer({"mobile": sent.mobile, "expires_at": sent.expires_at}).data)


class MobileVerifyApi(_ApplicationApi):
    class InputSerializer(serializers.Serializer):
        code = serializers.RegexField(r"^[0-9]{6}$", help_text="The six digits sent to the mobile.")

    @extend_schema(operation_id="orders_people_verify_mobile", request=InputSerializer, responses=PersonOutput)
    def post(self, request, number, person_id):
        order = applicant_order(request, number)
        person = _person_of(order, person_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.application_verify_mobile(
            order_id=order.pk, actor=request.user, person_id=person.pk, code=serializer.validated_data["code"]
        )
        return Response(PersonOutput(person).data)


class WebsiteAddApi(_ApplicationApi):
    @extend_schema(operation_id="orders_websites_add", request=None, responses={201: OrderDetailOutput})
    def post(self, request, number):
        order = applicant_order(request, number)
        services.application_add_website(order_id=order.pk, actor=request.user)
        return Response(order_detail(request, number), status=status.HTTP_201_CREATED)


class WebsiteSaveApi(_ApplicationApi):
    """网站基本信息. ``principal`` names a principal of the order (people[].id)."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100, required=False, allow_blank=True)
        homepage_url = serializers.CharField(max_length=255, required=False, allow_blank=True)
        service_content = serializers.ListField(
            child=serializers.CharField(max_length=40), max_length=20, required=False
        )
        languages = serializers.ListField(
            child=serializers.ChoiceField(choices=WebsiteLanguage.choices), max_length=20, required=False
        )
        pre_approvals = PreApprovalSerializer(many=True, required=False, max_length=10)
        remarks = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        principal = IdField(required=False)

    @extend_schema(operation_id="orders_websites_save", request=InputSerializer, responses=OrderDetailOutput)
    def patch(self, request, number, website_id):
        order = applicant_order(request, number)
        website = _website_of(order, website_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        principal_id = data.pop("principal", None)
        if principal_id is not None and not PersonApplication.objects.filter(pk=principal_id, order=order).exists():
            raise ApiError.for_field("principal", "unknown_person", _("This person is not on the order."))
        if "pre_approvals" in data:
            data["pre_approvals"] = [dict(entry) for entry in data["pre_approvals"]]
        services.application_save_website(
            order_id=order.pk, actor=request.user, website_id=website.pk, data=data, principal_id=principal_id
        )
        return Response(order_detail(request, number))


class WebsiteRemoveApi(_ApplicationApi):
    """Remove a website from the order; its service number is free again."""

    @extend_schema(operation_id="orders_websites_remove", request=None, responses=OrderDetailOutput)
    def post(self, request, number, website_id):
        order = applicant_order(request, number)
        website = _website_of(order, website_id)
        services.application_remove_website(order_id=order.pk, actor=request.user, website_id=website.pk)
        return Response(order_detail(request, number))


class DomainAddApi(_ApplicationApi):
    """继续增加域名: a domain, or a URL whose registrable domain is taken."""

    class InputSerializer(serializers.Serializer):
        domain = serializers.CharField(max_length=255)

    @extend_schema(operation_id="orders_domains_add", request=InputSerializer, responses={201: OrderDetailOutput})
    def post(self, request, number, website_id):
        order = applicant_order(request, number)
        website = _website_of(order, website_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            domain = normalise_domain(serializer.validated_data["domain"])
        except InvalidDomain as exc:
            raise ApiError.for_field("domain", exc.code, exc.finding("domain").message) from None
        services.application_add_domain(
            order_id=order.pk, actor=request.user, website_id=website.pk, name=domain.name, ascii_name=domain.ascii_name
        )
        return Response(order_detail(request, number), status=status.HTTP_201_CREATED)


class DomainRemoveApi(_ApplicationApi):
    @extend_schema(operation_id="orders_domains_remove", request=None, responses=OrderDetailOutput)
    def post(self, request, number, website_id, domain_id):
        order = applicant_order(request, number)
        website = _website_of(order, website_id)
        if not DomainApplication.objects.filter(pk=domain_id, website=website).exists():
            raise _not_found(_("There is no such domain on this order."))
        services.application_remove_domain(order_id=order.pk, actor=request.user, domain_id=domain_id)
        return Response(order_detail(request, number))


class ServiceNumberBindApi(_ApplicationApi):
    """Verify a service number of the caller's and bind it to the website (freeing the one it had)."""

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=40)

    @extend_schema(operation_id="orders_websites_service_number", request=InputSerializer, responses=OrderDetailOutput)
    def post(self, request, number, website_id):
        order = applicant_order(request, number)
        website = _website_of(order, website_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.application_bind_service_number(
                order_id=order.pk, actor=request.user, website_id=website.pk, number=serializer.validated_data["number"]
            )
        except ServiceNumberError as exc:
            raise ApiError.for_field("number", exc.code, exc.message) from None
        return Response(order_detail(request, number))


class IcpPasswordApi(_ApplicationApi):
    """The ICP filing password (transfer-in, cancellations): kept encrypted and forwarded to the administration,
    which checks it; never shown again."""

    class InputSerializer(serializers.Serializer):
        password = serializers.CharField(max_length=100, trim_whitespace=False)

    @extend_schema(operation_id="orders_icp_password_set", request=InputSerializer, responses={204: None})
    def post(self, request, number):
        order = applicant_order(request, number)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.order_set_icp_password(order=order, actor=request.user, password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)
