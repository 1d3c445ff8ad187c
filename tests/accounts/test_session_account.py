"""The signed-in account is read in one statement (accounts.userrow, accounts.backends: docs/performance.md, fix 32)
and keeps every rule Django's own reading kept: an account switched off or a password changed elsewhere ends the
session; a session signed in before the portal's backends keeps working."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.userrow import account_by_id, read_with_account
from filings.pagecache import page_version
from tests.factories import UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ORDERS = reverse("filings:order_list")


def test_a_signed_in_browser_sees_its_pages_through_the_portals_backend(client, applicant):
    assert sign_in(client, applicant.email).status_code == 302
    assert client.session[BACKEND_SESSION_KEY].startswith("accounts.backends.")
    assert client.get(ORDERS).status_code == 200


def test_an_account_switched_off_is_signed_out_at_its_next_request(client, applicant):
    client.force_login(applicant)
    type(applicant).objects.filter(pk=applicant.pk).update(is_active=False)
    response = client.get(ORDERS)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_password_changed_elsewhere_ends_the_session(client, applicant):
    client.force_login(applicant)
    applicant.set_password("an entirely new passphrase")
    applicant.save()
    response = client.get(ORDERS)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    ("former", "now"),
    [
        ("django.contrib.auth.backends.ModelBackend", "accounts.backends.ModelBackend"),
        ("allauth.account.auth_backends.AuthenticationBackend", "accounts.backends.AuthenticationBackend"),
    ],
)
def test_a_session_signed_in_before_the_portals_backends_stays_signed_in(client, applicant, former, now):
    client.force_login(applicant)
    session = client.session
    session[BACKEND_SESSION_KEY] = former
    session.save()
    assert client.get(ORDERS).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == now


def test_the_account_is_read_with_its_roles_and_page_version_on_postgresql(reviewer):
    with CaptureQueriesContext(connection) as captured:
        user = account_by_id(reviewer.pk)
    assert len(captured) == 1 and user == reviewer
    assert user.email == reviewer.email and user.date_joined == reviewer.date_joined
    if connection.vendor == "postgresql":
        assert user.__dict__["_role_names"] == frozenset({"Reviewers"})
        assert user.__dict__["_page_version"] == page_version(reviewer.pk) > 0  # the account's creation moved it
    else:
        assert "_role_names" not in user.__dict__  # from the cache, when asked


def test_an_unknown_account_reads_as_none():
    assert account_by_id(UserFactory().pk + 1000) is None


def test_an_app_cannot_read_another_value_under_a_name_already_read():
    with pytest.raises(ValueError, match="already read"):
        read_with_account("_page_version", "SELECT 1")
