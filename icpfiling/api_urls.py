"""The REST API's routes (docs/api.md), mounted at /api/: version 1 of every app's endpoints, the OpenAPI schema and
its docs page (Swagger UI, served locally by drf-spectacular-sidecar)."""

from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from core.api.views import NotFoundApi
from filings.api import application, materials, orders, precheck, public
from notifications import api as webhooks_api
from reviews import api as reviews_api
from websites import api as websites_api


class IdConverter:
    """A row id the database can hold (at most 18 digits): anything longer is simply not found."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class CodeConverter:
    """Order and service numbers, instance ids, queue names: letters, digits, - and _."""

    regex = "[A-Za-z0-9_-]{1,40}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
register_converter(CodeConverter, "code")

ORDER = "orders/<code:number>/"
WEBSITE = ORDER + "websites/<id:website_id>/"

v1 = [
    # account
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("auth/token/", accounts_api.TokenCreateApi.as_view(), name="token_create"),
    path("auth/token/revoke/", accounts_api.TokenRevokeApi.as_view(), name="token_revoke"),
    # instances and service numbers
    path("instances/", websites_api.InstanceListApi.as_view(), name="instances"),
    path("instances/buy/", websites_api.InstanceBuyApi.as_view(), name="instance_buy"),
    path("instances/<code:instance_id>/", websites_api.InstanceDetailApi.as_view(), name="instance"),
    path("instances/<code:instance_id>/renew/", websites_api.InstanceRenewApi.as_view(), name="instance_renew"),
    path(
        "instances/<code:instance_id>/service-numbers/apply/",
        websites_api.ServiceNumberApplyApi.as_view(),
        name="service_number_apply",
    ),
    path("service-numbers/", websites_api.ServiceNumberListApi.as_view(), name="service_numbers"),
    path("service-numbers/verify/", websites_api.ServiceNumberVerifyApi.as_view(), name="service_number_verify"),
    path("service-numbers/<code:number>/", websites_api.ServiceNumberDetailApi.as_view(), name="service_number"),
    # orders
    path("filing-type/verify/", orders.FilingTypeVerifyApi.as_view(), name="filing_type_verify"),
    path("precheck/", precheck.ApplicationPrecheckApi.as_view(), name="precheck"),
    path("orders/", orders.OrderListApi.as_view(), name="orders"),
    path("orders/create-draft/", orders.OrderCreateDraftApi.as_view(), name="order_create_draft"),
    path(ORDER, orders.OrderDetailApi.as_view(), name="order"),
    path(ORDER + "events/", orders.OrderEventsApi.as_view(), name="order_events"),
    path(ORDER + "precheck/", orders.OrderPrecheckApi.as_view(), name="order_precheck"),
    path(ORDER + "submit/", orders.OrderSubmitApi.as_view(), name="order_submit"),
    path(ORDER + "resubmit/", orders.OrderResubmitApi.as_view(), name="order_resubmit"),
    path(ORDER + "resubmit-unchanged/", orders.OrderResubmitUnchangedApi.as_view(), name="order_resubmit_unchanged"),
    path(ORDER + "withdraw/", orders.OrderWithdrawApi.as_view(), name="order_withdraw"),
    # the application
    path(ORDER + "subject/", application.SubjectSaveApi.as_view(), name="order_subject"),
    path(ORDER + "subject/principal/", application.SubjectPrincipalApi.as_view(), name="order_subject_principal"),
    path(ORDER + "people/add/", application.PersonAddApi.as_view(), name="order_person_add"),
    path(ORDER + "people/<id:person_id>/", application.PersonSaveApi.as_view(), name="order_person"),
    path(ORDER + "people/<id:person_id>/send-code/", application.MobileCodeSendApi.as_view(), name="order_send_code"),
    path(
        ORDER + "people/<id:person_id>/verify-mobile/",
        application.MobileVerifyApi.as_view(),
        name="order_verify_mobile",
    ),
    path(ORDER + "websites/add/", application.WebsiteAddApi.as_view(), name="order_website_add"),
    path(WEBSITE, application.WebsiteSaveApi.as_view(), name="order_website"),
    path(WEBSITE + "remove/", application.WebsiteRemoveApi.as_view(), name="order_website_remove"),
    path(WEBSITE + "domains/add/", application.DomainAddApi.as_view(), name="order_domain_add"),
    path(WEBSITE + "domains/<id:domain_id>/remove/", application.DomainRemoveApi.as_view(), name="order_domain_remove"),
    path(WEBSITE + "service-number/", application.ServiceNumberBindApi.as_view(), name="order_service_number"),
    path(ORDER + "icp-password/", application.IcpPasswordApi.as_view(), name="order_icp_password"),
    # materials
    path(ORDER + "materials/", materials.MaterialListApi.as_view(), name="order_materials"),
    path(ORDER + "materials/upload/", materials.MaterialUploadApi.as_view(), name="order_material_upload"),
    path(
        ORDER + "materials/<id:material_id>/delete/",
        materials.MaterialDeleteApi.as_view(),
        name="order_material_delete",
    ),
    # webhooks
    path("webhooks/", webhooks_api.EndpointListApi.as_view(), name="webhooks"),
    path("webhooks/register/", webhooks_api.EndpointRegisterApi.as_view(), name="webhook_register"),
    path("webhooks/<id:endpoint_id>/", webhooks_api.EndpointDetailApi.as_view(), name="webhook"),
    path("webhooks/<id:endpoint_id>/update/", webhooks_api.EndpointUpdateApi.as_view(), name="webhook_update"),
    path(
        "webhooks/<id:endpoint_id>/rotate-secret/",
        webhooks_api.EndpointRotateSecretApi.as_view(),
        name="webhook_rotate_secret",
    ),
    path("webhooks/<id:endpoint_id>/delete/", webhooks_api.EndpointDeleteApi.as_view(), name="webhook_delete"),
    path(
        "webhooks/<id:endpoint_id>/deliveries/",
        webhooks_api.EndpointDeliveryListApi.as_view(),
        name="webhook_deliveries",
    ),
    # the back office
    path("review/queues/", reviews_api.QueueCountsApi.as_view(), name="review_queues"),
    path("review/queues/<code:queue>/orders/", reviews_api.QueueOrderListApi.as_view(), name="review_queue_orders"),
    path("review/queues/<code:queue>/claim-next/", reviews_api.ClaimNextApi.as_view(), name="review_claim_next"),
    path("review/held/", reviews_api.HeldOrderListApi.as_view(), name="review_held"),
    path("review/orders/<code:number>/", reviews_api.ReviewOrderApi.as_view(), name="review_order"),
    path("review/orders/<code:number>/reasons/", reviews_api.ReasonOptionsApi.as_view(), name="review_reasons"),
    path("review/orders/<code:number>/claim/", reviews_api.ClaimApi.as_view(), name="review_claim"),
    path("review/orders/<code:number>/release/", reviews_api.ReleaseApi.as_view(), name="review_release"),
    path("review/orders/<code:number>/pass/", reviews_api.PassApi.as_view(), name="review_pass"),
    path("review/orders/<code:number>/reject/", reviews_api.RejectApi.as_view(), name="review_reject"),
    path("review/orders/<code:number>/call/", reviews_api.CallApi.as_view(), name="review_call"),
    path("review/orders/<code:number>/forward/", reviews_api.ForwardApi.as_view(), name="review_forward"),
    path("review/orders/<code:number>/reassign/", reviews_api.ReassignApi.as_view(), name="review_reassign"),
    # public
    path("public/icp/", public.PublicIcpQueryApi.as_view(), name="public_icp"),
    # Last: whatever matched nothing above is the API's own 404.
    re_path(r"^[\s\S]*\Z", NotFoundApi.as_view()),
]

app_name = "api"

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script as a file: the Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
