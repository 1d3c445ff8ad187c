"""The portal's routes as the security suite sees them, and a factory for every route that takes an object id.

``portal_routes()`` walks the URL configuration (``get_resolver().url_patterns``) and returns every route with its
parameters. A route with parameters must have a factory in ``FACTORIES`` (keyed by its view name): the factory makes
the object the route is about and says who owns it. A new route without one fails the access matrix, naming the
route, so whoever adds a route decides who may reach it.

The published API (``/api/v1/…``) is covered from its OpenAPI schema instead, operation by operation
(test_api_matrix.py); ``api_target`` says what each operation is tried on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from filings.constants import MaterialKind, OrderStatus
from filings.models import PersonApplication
from tests.factories import UserFactory
from tests.filings.hostile import generators as samples

# --- the walk ---------------------------------------------------------------------------------------------------

_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" as reverse() takes it
    path: str  # the route as written, for messages
    params: tuple[str, ...]
    callback: Callable

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    @property
    def is_admin(self) -> bool:
        return self.namespace == "admin"

    @property
    def is_api_view(self) -> bool:
        """A Django REST framework view: it refuses an anonymous caller with 401/403, not a redirect."""
        from rest_framework.views import APIView

        view_class = getattr(self.callback, "cls", None)
        return isinstance(view_class, type) and issubclass(view_class, APIView)

    @property
    def schema_path(self) -> str:
        """The path as the OpenAPI schema writes it (``/api/v1/orders/{number}/``)."""
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.path)

    @property
    def is_published_api(self) -> bool:
        """An operation of the published REST API: covered from its schema (test_api_matrix.py), not here."""
        return self.is_api_view and self.schema_path in published_api_paths()


@functools.cache
def published_api_paths() -> frozenset[str]:
    """The paths of the generated OpenAPI schema (drf-spectacular); empty while there is no API."""
    from drf_spectacular.generators import SchemaGenerator

    return frozenset(SchemaGenerator().get_schema(request=None, public=True).get("paths", {}))


def _params_of(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return _REGEX_GROUP.findall(pattern.regex.pattern)
    return []


def _walk(patterns, prefix="", namespace="", params=()):
    for entry in patterns:
        found = (*params, *_params_of(entry.pattern))
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", route, tuple(dict.fromkeys(found)), entry.callback)


def portal_routes() -> list[Route]:
    """Every named route of the portal, once per name (the first pattern wins, as in reverse())."""
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if route.name not in seen:
            seen.add(route.name)
            routes.append(route)
    return routes


# --- what a factory returns -------------------------------------------------------------------------------------

# Who owns the object a route is about.
APPLICANT = "applicant"  # the applicant's own data: another applicant and every reviewer get 404
STAFF = "staff"  # the back office: reviewers (supervisors) only; applicants get 403
TOKEN = "token"  # reached with a capability in the URL, no account needed (a principal's photo link)
PUBLIC_KEY = "public"  # a public key in the URL (a CAPTCHA challenge): nothing to own


@dataclass
class Target:
    """What a route is tried on. ``owner`` is None for token and public routes (they are reached anonymously)."""

    kind: str
    kwargs: dict
    owner: object | None = None
    post: dict = field(default_factory=dict)
    # Provider staff may open it too (materials and 核验单, each view logged): a reviewer gets it, not 404.
    staff_may_view: bool = False
    # Statuses besides 2xx/3xx that still mean "the owner got through" for an empty POST (a form's refusal).
    owner_also: frozenset = frozenset()
    # A token route: the same URL with a forged token must not open.
    forged_kwargs: dict | None = None


@dataclass
class World:
    """The people and objects one access-matrix test needs; objects belong to ``owner``."""

    make_order: Callable
    owner: object = None
    other: object = None
    reviewer: object = None
    supervisor: object = None
    administrator: object = None

    def __post_init__(self):
        self.owner = self.owner or UserFactory(email="owner@example.com")
        self.other = self.other or UserFactory(email="other@example.com")
        self.reviewer = self.reviewer or UserFactory(reviewer=True, email="reviewer@example.com")
        self.supervisor = self.supervisor or UserFactory(supervisor=True, email="supervisor@example.com")
        self.administrator = self.administrator or UserFactory(administrator=True, email="admin@example.com")

    # orders ----------------------------------------------------------------------------------------------------

    def order(self, status=OrderStatus.DRAFT, **kwargs):
        return self.make_order(status=status, applicant=self.owner, **kwargs)

    def person(self, order) -> PersonApplication:
        return PersonApplication.objects.filter(order=order).order_by("pk").first()

    def material(self, order=None, *, kind=MaterialKind.AUTHENTICITY_STATEMENT):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from filings.materials import material_upload

        order = order or self.order()
        return material_upload(
            order_id=order.pk,
            actor=self.owner,
            kind=kind,
            uploaded_file=SimpleUploadedFile("scan.jpg", samples.jpeg(), content_type="image/jpeg"),
        )

    def photo_order(self, province_code="110000"):
        """An order waiting for photos (待拍照) in a province whose photo method is ``province_code``'s."""
        from filings.photos.testing import move_order_to

        order = self.order(OrderStatus.PENDING_PHOTO)
        return move_order_to(order, province_code) if province_code != "110000" else order

    def app_session(self):
        """A Shanghai order with an open app session (the QR code) for its principal; returns (order, token)."""
        from filings.photos import services as photos

        order = self.photo_order("310000")
        _session, token = photos.app_session_start(order_id=order.pk, actor=self.owner, person_id=self.person(order).pk)
        return order, token

    def principal_link(self):
        from filings.photos import services as photos

        order = self.photo_order()
        _link, token = photos.principal_link_create(
            order_id=order.pk, actor=self.owner, person_id=self.person(order).pk
        )
        return order, token

    # filed records ---------------------------------------------------------------------------------------------

    def subject(self, *, domains=("security-a.cn",)):
        from subjects.models import Person
        from tests.miit import registry
        from websites.models import Website

        subject = registry.portal_subject(owner=self.owner, certificate_number=registry.credit_code(), domains=domains)
        subject.filed_at = timezone.now()
        subject.principal = Person.objects.filter(subject=subject).first()
        subject.save(update_fields=["filed_at", "principal"])
        Website.objects.filter(subject=subject).update(filed_at=timezone.now())
        return subject

    def website(self):
        return self.subject().websites.order_by("pk").first()

    def change_order(self):
        from filings import lifecycle

        return lifecycle.change_subject_start(applicant=self.owner, subject_id=self.subject().pk)

    # cloud instances -------------------------------------------------------------------------------------------

    def instance(self):
        from websites import services
        from websites.constants import Billing, CloudRegion

        return services.instance_buy(
            owner=self.owner,
            name="web",
            region=CloudRegion.BEIJING,
            billing=Billing.SUBSCRIPTION,
            months=12,
            public_bandwidth_mbps=5,
        )

    def service_number(self):
        from websites import services

        return services.service_number_apply(instance_id=self.instance().pk, actor=self.owner)

    # the rest --------------------------------------------------------------------------------------------------

    def inbox_message(self):
        from notifications.models import InboxMessage

        return InboxMessage.objects.create(
            user=self.owner, event="order.submitted", title="已提交", body="您的订单已提交。", created_at=timezone.now()
        )

    def identity_lookup(self):
        from websites.models import IdentityLookup, IdentityLookupOutcome

        now = timezone.now()
        return IdentityLookup.objects.create(
            user=self.owner,
            name_entered="张伟",
            certificate_type="resident_id",
            certificate_hash="0" * 64,
            certificate_masked="1101**********002X",
            outcome=IdentityLookupOutcome.SHOWN,
            result_count=1,
            result_numbers=["京ICP备30000001号"],
            created_at=now - timedelta(minutes=5),
            verified_at=now - timedelta(minutes=4),
        )

    def held_order(self):
        """An order of ``owner`` in initial review, held by ``reviewer`` (claimed as the back office claims)."""
        from reviews import services

        order = self.order(OrderStatus.PENDING_INITIAL_REVIEW)
        return services.review_claim(order_id=order.pk, reviewer=self.reviewer)


# --- the factories --------------------------------------------------------------------------------------------------

Factory = Callable[[World], Target]
POST_REFUSAL = frozenset({400, 409})


def _applicant(kwargs, owner, **extra) -> Target:
    return Target(APPLICANT, kwargs, owner, **extra)


def _order_route(status=OrderStatus.DRAFT, *, key="number", **extra) -> Factory:
    def make(world: World) -> Target:
        return _applicant({key: world.order(status).number}, world.owner, **extra)

    return make


def _material_route(world: World, **extra) -> Target:
    material = world.material()
    return _applicant({"order_number": material.order.number, "pk": material.pk}, world.owner, **extra)


def _photo_route(*, province="110000", **extra) -> Factory:
    def make(world: World) -> Target:
        return _applicant({"number": world.photo_order(province).number}, world.owner, **extra)

    return make


def _subject_route(**extra) -> Factory:
    return lambda world: _applicant({"pk": world.subject().pk}, world.owner, **extra)


def _website_route(**extra) -> Factory:
    return lambda world: _applicant({"pk": world.website().pk}, world.owner, **extra)


def _staff(kwargs, owner) -> Target:
    return Target(STAFF, kwargs, owner, owner_also=POST_REFUSAL)


def _review_route(status=OrderStatus.INITIAL_REVIEW) -> Factory:
    def make(world: World) -> Target:
        order = world.held_order() if status == OrderStatus.INITIAL_REVIEW else world.order(status)
        return _staff({"number": order.number}, world.reviewer)

    return make


def _app_qr(world: World) -> Target:
    order, _token = world.app_session()
    return _applicant({"number": order.number, "person_id": world.person(order).pk}, world.owner)


def _photo_app(world: World) -> Target:
    _order, token = world.app_session()
    return Target(TOKEN, {"token": token}, forged_kwargs={"token": token[:-4] + "AAAA"})


def _photo_link(world: World) -> Target:
    _order, token = world.principal_link()
    return Target(TOKEN, {"token": token}, forged_kwargs={"token": token[:-4] + "AAAA"})


def _confirm_email(world: World) -> Target:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    user = UserFactory(verified_email=False)
    address = EmailAddress.objects.get(user=user, email=user.email)
    return Target(TOKEN, {"key": EmailConfirmationHMAC(address).key})


def _reset_password(world: World) -> Target:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    return Target(
        TOKEN,
        {"uidb36": user_pk_to_url_str(world.owner), "key": default_token_generator.make_token(world.owner)},
    )


def _captcha(world: World) -> Target:
    from captcha.models import CaptchaStore

    return Target(PUBLIC_KEY, {"key": CaptchaStore.generate_key()})


def _province_page(world: World) -> Target:
    return Target(PUBLIC_KEY, {"province_code": "110000"}, forged_kwargs={"province_code": "999999"})


FACTORIES: dict[str, Factory] = {
    # websites: cloud instances and service numbers
    "websites:instance_renew": lambda w: _applicant({"instance_id": w.instance().instance_id}, w.owner),
    "websites:service_number_apply": lambda w: _applicant({"instance_id": w.instance().instance_id}, w.owner),
    "websites:service_number_detail": lambda w: _applicant({"number": w.service_number().number}, w.owner),
    # filings: starting, the application wizard
    "filings:start_created": _order_route(),
    "filings:wizard": _order_route(),
    "filings:wizard_service_numbers": _order_route(owner_also=POST_REFUSAL),
    "filings:wizard_password": _order_route(owner_also=POST_REFUSAL),
    "filings:wizard_subject": _order_route(owner_also=POST_REFUSAL),
    "filings:wizard_person": lambda w: (
        lambda order: _applicant(
            {"number": order.number, "person_id": w.person(order).pk}, w.owner, owner_also=POST_REFUSAL
        )
    )(w.order()),
    "filings:wizard_website_add": _order_route(),
    "filings:wizard_website": lambda w: _applicant({"number": w.order().number, "index": 0}, w.owner),
    "filings:wizard_website_remove": lambda w: _applicant({"number": w.order().number, "index": 0}, w.owner),
    "filings:wizard_materials": _order_route(),
    "filings:wizard_check": _order_route(),
    "filings:wizard_submit": _order_route(owner_also=POST_REFUSAL),
    # filings: materials (staff may open them; each staff view is logged)
    "filings:materials": _order_route(key="order_number"),
    "filings:material_upload": _order_route(key="order_number", owner_also=POST_REFUSAL),
    "filings:material_file": lambda w: _material_route(w, staff_may_view=True),
    "filings:material_thumbnail": lambda w: _material_route(w, staff_may_view=True),
    "filings:material_delete": _material_route,
    "filings:authenticity_statement": _order_route(key="order_number", staff_may_view=True),
    # filings: the applicant's orders
    "filings:order_detail": _order_route(),
    "filings:order_history": _order_route(),
    "filings:order_withdraw": _order_route(),
    "filings:order_changes": lambda w: _applicant({"number": w.change_order().number}, w.owner),
    # filings: the photo step
    "filings:photos": _photo_route(),
    "filings:photo_instructions": _photo_route(),
    "filings:photo_backdrop": _photo_route(owner_also=POST_REFUSAL),
    "filings:photo_own_backdrop": _photo_route(),
    "filings:photo_upload": _photo_route(owner_also=POST_REFUSAL),
    "filings:photo_link_create": _photo_route(),
    "filings:photo_app_start": _photo_route(province="310000"),
    "filings:photo_app_qr": _app_qr,
    "filings:photo_code": _photo_route(province="310000", owner_also=POST_REFUSAL),
    "filings:photo_confirm": _photo_route(owner_also=POST_REFUSAL),
    "filings:photo_link": _photo_link,
    "filings:photo_app": _photo_app,
    # filings: filed records and what can be done to them
    "filings:subject_detail": _subject_route(),
    "filings:subject_orders": _subject_route(),
    "filings:change_subject": _subject_route(owner_also=POST_REFUSAL),
    "filings:cancel_subject": _subject_route(owner_also=POST_REFUSAL),
    "filings:continue_transfer_in": _subject_route(owner_also=POST_REFUSAL),
    "filings:website_detail": _website_route(),
    "filings:psb_record": _website_route(owner_also=POST_REFUSAL),
    "filings:change_website": _website_route(owner_also=POST_REFUSAL),
    "filings:cancel_website": _website_route(owner_also=POST_REFUSAL),
    "filings:cancel_access": _website_route(owner_also=POST_REFUSAL),
    "filings:identity_lookup_report": lambda w: _applicant({"pk": w.identity_lookup().pk}, w.owner),
    # notifications
    "notifications:inbox_read": lambda w: _applicant({"message_id": w.inbox_message().pk}, w.owner),
    # the back office (reviewers; supervisors for reassigning)
    "reviews:queue": lambda w: _staff({"queue": "initial"}, w.reviewer),
    "reviews:claim_next": lambda w: _staff({"queue": "initial"}, w.reviewer),
    "reviews:order": _review_route(),
    "reviews:order_claim": _review_route(OrderStatus.PENDING_INITIAL_REVIEW),
    "reviews:order_release": _review_route(),
    "reviews:order_pass": _review_route(),
    "reviews:order_reject": _review_route(),
    "reviews:order_call": _review_route(),
    "reviews:order_forward": _review_route(OrderStatus.PENDING_MIIT_SUBMISSION),
    "reviews:order_reassign": lambda w: _staff({"number": w.held_order().number}, w.supervisor),
    # third-party pages with a key in the URL
    "account_confirm_email": _confirm_email,
    "account_reset_password_from_key": _reset_password,
    "captcha-image": _captcha,
    "captcha-image-2x": _captcha,
    "captcha-audio": _captcha,
    # the simulated administration's public pages, per province
    "miit:sms_verify": _province_page,
    "miit:sms_resend": _province_page,
}

# Routes without parameters that answer an anonymous visitor with something other than the sign-in page, and why.
# Every other route must send an anonymous visitor to sign in. A new public page is a decision: add it here.
ANONYMOUS_ALLOWED: dict[str, str] = {
    "home": "the public home page",
    "healthz": "the load balancer's health check",
    "set_language": "the language switch",
    "core:demo_phone": "the simulated phone (demo mode only)",
    "captcha-refresh": "a new CAPTCHA challenge",
    "regions:children": "the region cascade of the sign-up and filing forms",
    "filings:administration_callback": "the administration's callbacks: HMAC-signed (core.signing), 401 without",
    "api:schema": "the API's published description (OpenAPI), as drf-spectacular serves it by default",
    "api:docs": "the API's documentation page (Swagger UI, served from the project)",
    **dict.fromkeys(
        (
            "account_login",
            "account_logout",
            "account_inactive",
            "account_signup",
            "account_email_verification_sent",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key_done",
            "account_confirm_login_code",
            "mfa_authenticate",
            "account_reauthenticate",
            "account_request_reauthentication_code",
            "account_confirm_reauthentication_code",
        ),
        "allauth's sign-in, sign-up and recovery pages",
    ),
}

# Pages with an inline style that the policy (style-src 'self') blocks, reported and waiting for their fix. The
# scripts, handlers and CSRF checks still apply to them.
KNOWN_INLINE_STYLES: dict[str, str] = {
    "filings:website_detail": "the preview of the footer snippet renders its style attribute (filings/psb.py); the "
    "browser ignores it under the policy, so the preview is not centred",
    "api:docs": "drf-spectacular's Swagger UI template carries a <style> block the policy blocks (the page still "
    "works; a project template without it would fix it)",
}

# Namespaces whose every page is open to anyone, and why.
PUBLIC_NAMESPACES: dict[str, str] = {
    "miit": "the simulated administration, a separate system: its public pages (SMS verification, password "
    "retrieval, public query) and its machine API (HMAC-signed, 401 without a signature)",
}


def is_public(route: Route) -> bool:
    return route.name in ANONYMOUS_ALLOWED or route.namespace in PUBLIC_NAMESPACES


def csrf_exempt_reason(route: Route) -> str | None:
    """Why a view may take a POST without Django's CSRF token (it has another proof of origin), or None."""
    if route.name.startswith("miit:api_"):
        return "the administration's machine API: every request is signed with HMAC (core.signing), no session"
    if route.name == "filings:administration_callback":
        return "the administration's callbacks: signed with HMAC (core.signing) over the raw body, no session"
    return None


# --- the published API (tests/security/test_api_matrix.py) ------------------------------------------------------


def _api_order_objects(world: World, params: set[str]) -> tuple[dict, object]:
    """An order of ``world.owner`` with the people, websites, domains and materials its path names."""
    from filings.models import DomainApplication, WebsiteApplication

    order = world.order()
    values = {"number": order.number}
    website = WebsiteApplication.objects.filter(order=order).order_by("pk").first()
    if "person_id" in params:
        values["person_id"] = world.person(order).pk
    if "website_id" in params:
        values["website_id"] = website.pk
    if "domain_id" in params:
        values["domain_id"] = DomainApplication.objects.filter(website=website).order_by("pk").first().pk
    if "material_id" in params:
        values["material_id"] = world.material(order).pk
    return values, order


def _webhook_endpoint(world: World):
    from notifications.models import WebhookEndpoint

    now = timezone.now()
    return WebhookEndpoint.objects.create(
        owner=world.owner, url="https://hooks.example.com/icp", secret_encrypted="-", created_at=now, updated_at=now
    )


ORDER_PARTS = frozenset({"number", "person_id", "website_id", "domain_id", "material_id"})


def api_target(world: World, path: str, params: tuple[str, ...], operation_id: str) -> Target | None:
    """What an API operation is tried on, by the family of its path and the names of its parameters; None when
    no rule here knows them (the matrix then fails, naming the operation)."""
    if operation_id in API_OPERATIONS:
        return API_OPERATIONS[operation_id](world)
    names = set(params)
    if path.startswith("/api/v1/review/"):
        if names <= {"number"}:
            kwargs = {"number": world.held_order().number} if names else {}
            owner = world.supervisor if path.endswith("/reassign/") else world.reviewer
            return _staff(kwargs, owner)
        if names == {"queue"}:
            return _staff({"queue": "initial"}, world.reviewer)
        return None
    if not names:
        return _applicant({}, world.owner)
    if path.startswith("/api/v1/orders/") and names <= ORDER_PARTS:
        values, _order = _api_order_objects(world, names)
        return _applicant(values, world.owner)
    if path.startswith("/api/v1/instances/") and names == {"instance_id"}:
        return _applicant({"instance_id": world.instance().instance_id}, world.owner)
    if path.startswith("/api/v1/service-numbers/") and names == {"number"}:
        return _applicant({"number": world.service_number().number}, world.owner)
    if path.startswith("/api/v1/webhooks/") and names == {"endpoint_id"}:
        return _applicant({"endpoint_id": _webhook_endpoint(world).pk}, world.owner)
    return None


# By operation id, where the rules of api_target do not fit: ``make(world) -> Target``.
API_OPERATIONS: dict[str, Callable[[World], Target]] = {}

# Operations that refuse a token by design, and why (tried with a session instead).
API_SESSION_ONLY: dict[str, str] = {
    "auth_token_create": "a token cannot create tokens: only a signed-in session (staff: with the second factor)",
}
