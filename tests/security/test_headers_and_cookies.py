"""The production settings send the session and CSRF cookies only over HTTPS, and every page carries the security
headers with a Content-Security-Policy that allows no inline script. ``manage.py check --deploy`` on the production
settings is tests/core/test_settings.py::test_production_settings_pass_check_deploy_without_warnings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# Run under the production settings in a fresh interpreter: the cookies a real response sets, and the settings.
_PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory, override_settings

request = RequestFactory().get("/", secure=True)
response = HttpResponse("ok")
get_token(request)
CsrfViewMiddleware(lambda r: response).process_response(request, response)
# The session engine does not decide the cookie's flags; the signed-cookie engine needs no database here.
with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
    session_middleware = SessionMiddleware(lambda r: response)
    session_middleware.process_request(request)
    request.session["x"] = 1
    session_middleware.process_response(request, response)
cookies = {
    name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}
    for name, morsel in response.cookies.items()
}
print(json.dumps({
    "cookies": cookies,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "debug": settings.DEBUG,
    "demo": settings.DEMO_MODE,
    "language_cookie_secure": settings.LANGUAGE_COOKIE_SECURE,
}))
"""


@pytest.fixture(scope="module")
def production():
    dropped = {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="icpfiling.settings.production",
        SECRET_KEY="p7#Lq" + "x" * 20 + "Zr8!vK2mW9tN4bY6cE1uA3sD5fG7hJ0",
        MIIT_CALLBACK_SECRET="a-long-random-callback-secret",
        ALLOWED_HOSTS="icp.example.com",
    )
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_in_production_the_session_and_csrf_cookies_go_over_https_only(production):
    from django.conf import settings

    session = production["cookies"][settings.SESSION_COOKIE_NAME]
    csrf = production["cookies"][settings.CSRF_COOKIE_NAME]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_in_production_https_is_enforced_and_debug_and_the_demo_are_off(production):
    assert production["ssl_redirect"] is True
    assert production["hsts"] >= 60 * 60 * 24 * 365
    assert production["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["debug"] is False
    assert production["demo"] is False
    assert production["language_cookie_secure"] is True


@pytest.mark.django_db
def test_every_page_carries_the_security_headers_and_a_strict_policy(client):
    response = client.get(reverse("home"))
    parts = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    policy = {part[0]: part[1:] for part in parts}
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("'unsafe-" in value for values in policy.values() for value in values)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_demo_phone_is_not_served_when_the_demo_is_off(client, settings):
    """The simulated phone shows every SMS code sent; production turns the demo off and the page is gone."""
    settings.DEMO_MODE = False
    assert client.get(reverse("core:demo_phone"), {"number": "13800138000"}).status_code == 404


@pytest.mark.django_db
def test_uploaded_files_have_no_public_address(make_order, settings):
    """Materials are stored outside every URL space (DESIGN.md): not under the static folders, no route serves a
    folder, and the address the storage would give answers 404 — the permission-checking views are the only way."""
    from django.views.static import serve

    from .routes import World, portal_routes

    assert not [route.name for route in portal_routes() if route.callback is serve]
    world = World(make_order=make_order)
    material = world.material()
    for location in (Path(settings.PRIVATE_STORAGE_ROOT), Path(material.file.storage.location)):
        for static in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
            assert not location.resolve().is_relative_to(Path(static).resolve())
    owner = Client()
    owner.force_login(world.owner)
    for client in (owner, Client()):
        assert client.get(material.file.url).status_code == 404
        assert client.get(f"/static/../{material.file.name}").status_code == 404


@pytest.mark.django_db
def test_a_served_material_is_private_and_not_sniffed(make_order):
    from .routes import World

    world = World(make_order=make_order)
    material = world.material()
    client = Client()
    client.force_login(world.owner)
    response = client.get(reverse("filings:material_file", args=[material.order.number, material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline")
