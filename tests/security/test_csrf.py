"""CSRF: every view that changes something refuses a POST without Django's token, from the route table (so a new
form is covered the day it appears); the few views without the token are the machine endpoints, which refuse an
unsigned request instead. The token itself is in every form (pages.page_problems, on every page the matrix opens)."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.testing import force_login_with_second_factor

from .routes import FACTORIES, World, csrf_exempt_reason, portal_routes

pytestmark = pytest.mark.django_db

ROUTES = [route for route in portal_routes() if not route.is_published_api]
# Django REST framework's views check the token themselves, for session callers (test_api_matrix.py tries it).
BROWSER_ROUTES = [
    route for route in ROUTES if csrf_exempt_reason(route) is None and not route.is_admin and not route.is_api_view
]
MACHINE_ROUTES = [route for route in ROUTES if csrf_exempt_reason(route) is not None]


@pytest.fixture
def world(make_order):
    return World(make_order=make_order)


def _browser(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        force_login_with_second_factor(client, user)
    return client


def _is_csrf_refusal(response) -> bool:
    return response.status_code == 403 and b"CSRF verification failed" in response.content


@pytest.mark.parametrize("route", BROWSER_ROUTES, ids=[route.name for route in BROWSER_ROUTES])
def test_a_post_without_the_csrf_token_is_refused(route, world):
    if route.params:
        if route.name not in FACTORIES:
            pytest.fail(f"no factory for {route.name}: add one to tests/security/routes.py")
        target = FACTORIES[route.name](world)
        url, user = reverse(route.name, kwargs=target.kwargs), target.owner
    else:
        url = reverse(route.name)
        user = world.reviewer if route.namespace == "reviews" else world.owner
    for who in (user, None) if user is not None else (None,):
        response = _browser(who).post(url, {"anything": "1"})
        assert _is_csrf_refusal(response), f"POST {url} as {who or 'anonymous'}: {response.status_code}"


def test_the_same_post_with_the_token_gets_past_the_check(world):
    """The refusal above is the CSRF check's: with the token a page handed out, the same kind of post goes on."""
    client = _browser(world.owner)
    client.get(reverse("home"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert _is_csrf_refusal(client.post(reverse("set_language"), {"language": "en"}))
    response = client.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_only_the_declared_machine_endpoints_are_exempt():
    def plain_django(route):
        return not route.is_admin and not route.is_api_view

    exempt = {route.name for route in ROUTES if getattr(route.callback, "csrf_exempt", False) and plain_django(route)}
    declared = {route.name for route in MACHINE_ROUTES if plain_django(route)}
    assert exempt == declared, (
        "A view without the CSRF check must say why in tests/security/routes.py csrf_exempt_reason(); "
        f"undeclared: {sorted(exempt - declared)}, declared but checked: {sorted(declared - exempt)}"
    )
    assert declared


@pytest.mark.parametrize("route", MACHINE_ROUTES, ids=[route.name for route in MACHINE_ROUTES])
def test_a_machine_endpoint_refuses_an_unsigned_request(route, world):
    if route.params:
        pytest.fail(f"{route.name} takes parameters: give it a factory and a signed-request test")
    url = reverse(route.name)
    client = _browser(world.owner)  # a browser session proves nothing to a machine endpoint
    response = client.post(url, b'{"event_id": "x"}', content_type="application/json")
    assert response.status_code == 401, f"POST {url}: {response.status_code}"
    forged = client.post(
        url,
        b'{"event_id": "x"}',
        content_type="application/json",
        HTTP_X_ICP_SIGNATURE=f"t={int(time.time())},v1={'0' * 64}",
    )
    assert forged.status_code == 401, f"POST {url} with a forged signature: {forged.status_code}"
