"""The staff rule for API tokens (docs/api.md): tokens are made only from a signed-in session (never with a token),
staff need a session that passed the second factor, and staff tokens expire; applicants' do not."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.testing import force_login_with_second_factor

from .conftest import token_client

pytestmark = pytest.mark.django_db


def session_client(user, *, second_factor=False) -> APIClient:
    client = APIClient(enforce_csrf_checks=False)
    if second_factor:
        force_login_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client


def test_an_applicant_makes_a_token_from_the_session_and_uses_it(applicant):
    response = session_client(applicant).post("/api/v1/auth/token/")
    assert response.status_code == 201
    created = response.json()
    assert created["expires_at"] is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created['token']}")
    assert client.get("/api/v1/me/").json()["email"] == applicant.email


def test_making_a_token_again_replaces_the_old_one(applicant):
    session = session_client(applicant)
    first = session.post("/api/v1/auth/token/").json()["token"]
    second = session.post("/api/v1/auth/token/").json()["token"]
    assert first != second
    old = APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert old.get("/api/v1/me/").status_code == 401


def test_a_token_cannot_make_tokens(applicant):
    response = token_client(applicant).post("/api/v1/auth/token/")
    assert response.status_code in (401, 403)
    assert Token.objects.filter(user=applicant).count() == 1


def test_staff_need_the_second_factor_in_that_session(reviewer):
    # The staff middleware stops a staff session without the second factor before any view runs, and tells the
    # program why in the API's own error format (no redirect to a page it cannot fill in).
    response = session_client(reviewer).post("/api/v1/auth/token/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
    assert not Token.objects.filter(user=reviewer).exists()
    assert session_client(reviewer).get("/api/v1/review/queues/").json()["code"] == "second_factor_required"
    # A browser opening the API's documentation is sent to the second factor like any page.
    assert session_client(reviewer).get("/api/docs/", HTTP_ACCEPT="text/html").status_code == 302
    created = session_client(reviewer, second_factor=True).post("/api/v1/auth/token/")
    assert created.status_code == 201
    assert created.json()["expires_at"] is not None


def test_the_view_itself_refuses_staff_without_the_second_factor(reviewer, rf):
    """Defence in depth: without the middleware, the view still asks for the second factor."""
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.api import TokenCreateApi

    request = rf.post("/api/v1/auth/token/")
    request.user = reviewer
    request.session = SessionStore()
    request._dont_enforce_csrf_checks = True
    response = TokenCreateApi.as_view()(request)
    assert response.status_code == 403
    assert response.data["code"] == "second_factor_required"


def test_a_staff_token_expires_and_an_applicants_does_not(reviewer, applicant, settings):
    settings.API_STAFF_TOKEN_HOURS = 8
    staff, own = token_client(reviewer), token_client(applicant)
    assert staff.get("/api/v1/review/queues/").status_code == 200
    Token.objects.update(created=timezone.now() - timedelta(hours=8, minutes=1))
    expired = staff.get("/api/v1/review/queues/")
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"
    assert own.get("/api/v1/me/").status_code == 200


def test_an_applicant_made_staff_later_loses_an_old_token(applicant):
    from django.contrib.auth.models import Group

    from accounts.constants import Role

    client = token_client(applicant)
    Token.objects.update(created=timezone.now() - timedelta(days=30))
    assert client.get("/api/v1/me/").status_code == 200
    applicant.groups.add(Group.objects.get_or_create(name=Role.REVIEWER.value)[0])
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_is_revoked(applicant):
    client = token_client(applicant)
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_seed_api_tokens_gives_the_demo_applicant_and_reviewer_working_tokens():
    out = StringIO()
    call_command("seed_api_tokens", "--json", stdout=out)
    keys = json.loads(out.getvalue())
    again = StringIO()
    call_command("seed_api_tokens", "--json", stdout=again)
    assert json.loads(again.getvalue()) == keys  # printed again, not replaced
    for role, expected in (("applicant", "Applicants"), ("reviewer", "Reviewers")):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {keys[role]}")
        assert expected in client.get("/api/v1/me/").json()["roles"]
    rotated = StringIO()
    call_command("seed_api_tokens", "--json", "--rotate", stdout=rotated)
    assert json.loads(rotated.getvalue())["applicant"] != keys["applicant"]


def test_an_unknown_token_and_an_inactive_account_are_refused_with_a_reason(applicant):
    unknown = APIClient()
    unknown.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    refused = unknown.get("/api/v1/me/")
    assert refused.status_code == 401 and refused.json()["message"] == "认证令牌无效。"  # "Invalid token."
    client = token_client(applicant)
    type(applicant).objects.filter(pk=applicant.pk).update(is_active=False)
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 401 and refused.json()["message"] == "用户已停用或已删除。"


def test_the_token_lookup_reads_the_token_and_its_user_as_the_orm_does(applicant):
    from accounts.tokens import _token_with_user

    key = Token.objects.create(user=applicant).key
    read = _token_with_user(key)
    expected = Token.objects.select_related("user").get(key=key)
    assert (read.key, read.user_id, read.created) == (expected.key, expected.user_id, expected.created)
    assert timezone.is_aware(read.created) and not read._state.adding
    for field in type(applicant)._meta.concrete_fields:
        assert getattr(read.user, field.attname) == getattr(expected.user, field.attname), field.attname
    assert _token_with_user("f" * 40) is None
