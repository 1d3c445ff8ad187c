"""Who reaches what, route by route, built from the URL configuration (DESIGN.md, "Who sees what").

Every route that takes an object id is tried on an object a factory made (routes.py):

- as its owner, who gets through (2xx or 3xx; for an empty POST to a form, the form's refusal 400 / 409 too);
- as another applicant, who gets 404 — a foreign id looks like a missing one;
- as a reviewer and an administrator (second factor passed), who get 404 on the applicant's pages, except the
  materials and the 核验单 that staff may open; on the back office's pages the order's own applicant gets 403;
- anonymously, which leads to the sign-in page;
- as a staff member whose session has not passed the second factor, which leads to the second-factor page.

Routes without parameters are tried anonymously and as each role. Every HTML page on the way is checked by
``pages.page_problems`` (CSP header, nothing inline, CSRF token in every posting form).
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import ALLOWED_BEFORE_SECOND_FACTOR
from accounts.testing import force_login_with_second_factor

from .pages import is_html, is_login_redirect, is_second_factor_redirect, page_problems
from .routes import (
    ANONYMOUS_ALLOWED,
    APPLICANT,
    FACTORIES,
    KNOWN_INLINE_STYLES,
    PUBLIC_KEY,
    STAFF,
    TOKEN,
    World,
    is_public,
    portal_routes,
)

pytestmark = pytest.mark.django_db

ROUTES = portal_routes()
# The Django admin's object pages are the admin's own (test_admin_is_for_administrators covers who gets in); the
# published API is tried from its schema (test_api_matrix.py).
MATRIX = [route for route in ROUTES if not route.is_admin and not route.is_published_api]
OBJECT_ROUTES = [route for route in MATRIX if route.params]
PLAIN_ROUTES = [route for route in MATRIX if not route.params]


def _ids(routes):
    return [route.name for route in routes]


@pytest.fixture
def world(make_order):
    return World(make_order=make_order)


class Visitor:
    """One browser: a test client signed in as someone (or nobody), whose HTML pages are all checked."""

    def __init__(self, label, user=None, *, second_factor=True, route=None):
        self.label, self.client = label, Client()
        self.styles_known = route is not None and route.name in KNOWN_INLINE_STYLES
        if user is not None:
            if second_factor:
                force_login_with_second_factor(self.client, user)
            else:
                self.client.force_login(user)
        self.problems: list[str] = []

    def request(self, method, url, data=None):
        response = getattr(self.client, method.lower())(url, data or {})
        assert response.status_code < 500, f"{self.label} {method} {url}: {response.status_code}"
        if response.status_code == 200 and is_html(response):
            self.problems += [
                f"{method} {url} as {self.label}: {problem}"
                for problem in page_problems(response, inline_styles_known=self.styles_known)
            ]
        return response


def _got_through(response, also=frozenset()) -> bool:
    if is_login_redirect(response) or is_second_factor_redirect(response):
        return False
    return 200 <= response.status_code < 400 or response.status_code in also


def _describe(response) -> str:
    return f"{response.status_code} {response.get('Location', '')}".strip()


def test_every_route_with_an_object_id_has_a_factory():
    missing = [f"{route.name} ({route.path})" for route in OBJECT_ROUTES if route.name not in FACTORIES]
    assert not missing, (
        "Routes that take an id need a factory in tests/security/routes.py (FACTORIES), so the access matrix can "
        f"try them as their owner, another applicant, a reviewer and anonymously: {missing}"
    )
    assert len(OBJECT_ROUTES) > 50


def test_no_factory_outlives_its_route():
    names = {route.name for route in ROUTES}
    assert not [name for name in FACTORIES if name not in names]
    assert not [name for name in ANONYMOUS_ALLOWED if name not in names]
    assert not [name for name in KNOWN_INLINE_STYLES if name not in names]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
def test_object_route(route, world):
    factory = FACTORIES.get(route.name)
    if factory is None:
        pytest.fail(f"no factory for {route.name} ({route.path}): add one to tests/security/routes.py")
    target = factory(world)
    url = reverse(route.name, kwargs=target.kwargs)
    visitors = []

    def visitor(*args, **kwargs):
        visitors.append(Visitor(*args, route=route, **kwargs))
        return visitors[-1]

    if target.kind in (TOKEN, PUBLIC_KEY):
        _token_route(route, target, url, visitor)
    else:
        _owned_route(route, target, url, world, visitor)
    problems = [problem for v in visitors for problem in v.problems]
    assert not problems, "\n".join(problems)


def _owned_route(route, target, url, world, visitor):
    owner = visitor("owner", target.owner)
    first = owner.request("GET", url)
    method = "POST" if first.status_code == 405 else "GET"
    if method == "GET":
        assert _got_through(first), f"the owner GET {url}: {_describe(first)}"
    other_method = "GET" if method == "POST" else "POST"

    if target.kind == APPLICANT:
        outsiders = [visitor("another applicant", world.other)]
        staff = [visitor("a reviewer", world.reviewer), visitor("an administrator", world.administrator)]
        if target.staff_may_view:
            for member in staff:
                response = member.request(method, url)
                assert _got_through(response), f"{member.label} {method} {url}: {_describe(response)}"
        else:
            outsiders += staff
        for outsider in outsiders:
            response = outsider.request(method, url)
            assert response.status_code == 404, f"{outsider.label} {method} {url}: {_describe(response)}"
            response = outsider.request(other_method, url)
            assert response.status_code in (404, 405), f"{outsider.label} {other_method} {url}: {_describe(response)}"
    else:
        assert target.kind == STAFF, target.kind
        # The order's own applicant, and an administrator (who works in the Django admin), are told plainly: 403.
        for label, user in (("an applicant", world.owner), ("an administrator", world.administrator)):
            if user == target.owner:
                continue
            outsider = visitor(label, user)
            for each in (method, other_method):
                response = outsider.request(each, url)
                assert response.status_code in ((403,) if each == method else (403, 405)), (
                    f"{label} {each} {url}: {_describe(response)}"
                )

    anonymous = visitor("anonymous")
    for each in (method, other_method):
        response = anonymous.request(each, url)
        assert is_login_redirect(response) or (each != method and response.status_code == 405), (
            f"anonymous {each} {url}: {_describe(response)}"
        )

    unproven = visitor("staff without a second factor", world.supervisor, second_factor=False)
    response = unproven.request(method, url)
    assert is_second_factor_redirect(response), f"staff without a second factor {method} {url}: {_describe(response)}"

    if method == "POST":
        response = owner.request("POST", url, target.post)
        assert _got_through(response, target.owner_also), f"the owner POST {url}: {_describe(response)}"


def _token_route(route, target, url, visitor):
    anonymous = visitor("anonymous")
    response = anonymous.request("GET", url)
    if target.kind == TOKEN:
        assert _got_through(response), f"anonymous GET {url}: {_describe(response)}"
    else:
        assert not is_login_redirect(response), f"anonymous GET {url}: {_describe(response)}"
    if target.forged_kwargs is not None:
        forged = reverse(route.name, kwargs=target.forged_kwargs)
        response = anonymous.request("GET", forged)
        assert response.status_code in (404, 410), f"anonymous GET {forged}: {_describe(response)}"


# --- routes without parameters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=_ids(PLAIN_ROUTES))
def test_plain_route(route, world):
    url = reverse(route.name)
    anonymous = Visitor("anonymous", route=route)
    response = anonymous.request("GET", url)
    public = is_public(route)
    if not public:
        refused = response.status_code in (401, 403) if route.is_api_view else is_login_redirect(response)
        assert refused, (
            f"anonymous GET {url}: {_describe(response)}; a page open to anyone must be listed in "
            "tests/security/routes.py ANONYMOUS_ALLOWED with the reason"
        )
    visitors = [anonymous]
    for label, user in (
        ("an applicant", world.owner),
        ("a reviewer", world.reviewer),
        ("a supervisor", world.supervisor),
        ("an administrator", world.administrator),
    ):
        visitor = Visitor(label, user, route=route)
        visitors.append(visitor)
        response = visitor.request("GET", url)
        if route.namespace == "reviews" and label in ("an applicant", "an administrator"):
            assert response.status_code == 403, f"{label} GET {url}: {_describe(response)}"
    if route.name not in ALLOWED_BEFORE_SECOND_FACTOR:
        unproven = Visitor("staff without a second factor", world.reviewer, second_factor=False, route=route)
        visitors.append(unproven)
        response = unproven.request("GET", url)
        api_refusal = (
            url.startswith("/api/") and response.status_code == 403 and b"second_factor_required" in (response.content)
        )
        assert is_second_factor_redirect(response) or api_refusal or (public and response.status_code in (401, 405)), (
            f"a reviewer without a second factor GET {url}: {_describe(response)}"
        )
    problems = [problem for v in visitors for problem in v.problems]
    assert not problems, "\n".join(problems)
