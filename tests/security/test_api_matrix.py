"""The published REST API (``/api/v1/…``), operation by operation from its generated schema (drf-spectacular), under
the rules of the pages (test_access_matrix.py): on an applicant's object the owner gets through, another applicant
and a reviewer get 404; the back office's operations answer an applicant 403; an anonymous caller gets 401 or 403
except on the operations open to anyone. ``routes.api_target`` says what each operation is tried on; an operation it
does not know fails here, naming it. Until ``icpfiling.api_urls`` exists this part skips, saying so."""

import importlib.util
from dataclasses import dataclass

import pytest
from django.urls import resolve
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

from accounts.testing import force_login_with_second_factor

from .routes import API_SESSION_ONLY, APPLICANT, STAFF, World, api_target

pytestmark = pytest.mark.django_db

API_MODULE = "icpfiling.api_urls"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    params: tuple[str, ...]
    required_query: tuple[str, ...] = ()

    def __str__(self):
        return f"{self.method.upper()} {self.path} ({self.id})"

    def url(self, values: dict) -> str:
        path = self.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(value))
        return path


def api_operations() -> list[Operation] | None:
    """Every operation of the generated schema; None while the API does not exist."""
    if importlib.util.find_spec(API_MODULE) is None:
        return None
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                parameters = [*item.get("parameters", []), *item[method].get("parameters", [])]
                params = tuple(dict.fromkeys(p["name"] for p in parameters if p.get("in") == "path"))
                query = tuple(p["name"] for p in parameters if p.get("in") == "query" and p.get("required"))
                operations.append(Operation(item[method]["operationId"], method, path, params, query))
    return operations


OPERATIONS = api_operations()
SKIP = f"the REST API is not there yet ({API_MODULE} does not exist); its operations join this matrix when it is"
CASES = OPERATIONS if OPERATIONS is not None else [None]
IDS = [case.id if case else "no API yet" for case in CASES]
WRITES = [case for case in OPERATIONS if case.method != "get"] if OPERATIONS is not None else [None]


@pytest.fixture
def world(make_order):
    return World(make_order=make_order)


def _token_caller(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _call(client, operation: Operation, url: str):
    return getattr(client, operation.method)(url, {}, format="json")


def _is_public(url: str) -> bool:
    view = resolve(url).func
    permissions = getattr(getattr(view, "cls", None), "permission_classes", [])
    return any(permission is AllowAny for permission in permissions)


def test_the_api_is_covered_once_it_exists():
    if OPERATIONS is None:
        pytest.skip(SKIP)
    assert len(OPERATIONS) > 10


@pytest.mark.parametrize("operation", CASES, ids=IDS)
def test_api_operation(operation, world):
    if operation is None:
        pytest.skip(SKIP)
    target = api_target(world, operation.path, operation.params, operation.id)
    if target is None:
        pytest.fail(f"no factory for the API operation {operation}: teach tests/security/routes.py api_target")
    url = operation.url(target.kwargs)
    assert "{" not in url, f"{operation}: parameters left in {url}"
    public = _is_public(url)

    anonymous = _call(APIClient(), operation, url)
    if not public:
        assert anonymous.status_code in (401, 403), f"anonymous {operation}: {anonymous.status_code}"

    if operation.id in API_SESSION_ONLY:
        response = _call(_token_caller(target.owner), operation, url)
        assert response.status_code in (401, 403), f"a token {operation}: {response.status_code}"
        session = APIClient()
        force_login_with_second_factor(session, target.owner)
        response = _call(session, operation, url)
        assert 200 <= response.status_code < 300, f"a session {operation}: {response.status_code}"
        return

    if target.kind == APPLICANT and operation.params:
        outsiders = [("another applicant", world.other)]
        if not target.staff_may_view:
            outsiders.append(("a reviewer", world.reviewer))
        for label, user in outsiders:
            response = _call(_token_caller(user), operation, url)
            assert response.status_code == 404, f"{label} {operation} {url}: {response.status_code}"
    elif target.kind == STAFF:
        for label, user in (("an applicant", world.owner), ("an administrator", world.administrator)):
            response = _call(_token_caller(user), operation, url)
            assert response.status_code == 403, f"{label} {operation} {url}: {response.status_code}"

    response = _call(_token_caller(target.owner), operation, url)
    assert response.status_code < 500, f"the owner {operation} {url}: {response.status_code}"
    if operation.method == "get" and not operation.required_query:
        assert 200 <= response.status_code < 300, f"the owner {operation} {url}: {response.status_code}"
    else:  # a write without a body, or a read without its required query: the refusal of the input, not of the caller
        assert response.status_code not in (401, 403, 404, 405), f"the owner {operation} {url}: {response.status_code}"


@pytest.mark.parametrize("operation", WRITES, ids=[case.id if case else "no API yet" for case in WRITES])
def test_api_operation_needs_more_than_a_session_cookie_to_change_anything(operation, world):
    """A browser's session cookie alone changes nothing through the API: DRF's SessionAuthentication checks the
    CSRF token; only a token in the Authorization header works without one."""
    if operation is None:
        pytest.skip(SKIP)
    target = api_target(world, operation.path, operation.params, operation.id)
    if target is None:
        pytest.fail(f"no factory for the API operation {operation}: teach tests/security/routes.py api_target")
    url = operation.url(target.kwargs)
    client = APIClient(enforce_csrf_checks=True)
    force_login_with_second_factor(client, target.owner)
    response = _call(client, operation, url)
    assert response.status_code == 403, f"{operation} with a session and no CSRF token: {response.status_code}"
