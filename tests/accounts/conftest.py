import re

import pytest
from django.urls import reverse

from accounts.services import user_totp_set
from tests.factories import DEFAULT_PASSWORD, UserFactory

HOME_IP = "203.0.113.10"
OTHER_IP = "198.51.100.20"
# Any valid base32 secret: the tests compute the codes an authenticator app would show.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def sign_in(client, email, password=DEFAULT_PASSWORD, *, ip=HOME_IP):
    """The real sign-in: allauth's form, through axes, from one network address."""
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def signed_in_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def link_in(message) -> str:
    """The path of the first portal link in an e-mail."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def applicant(db):
    return UserFactory(applicant=True, email="wang.fang@example.com")


@pytest.fixture
def reviewer(db):
    return UserFactory(reviewer=True, email="li.na@example.com")


@pytest.fixture
def administrator(db):
    return UserFactory(administrator=True, email="chen.jing@example.com")


@pytest.fixture
def reviewer_with_totp(reviewer):
    user_totp_set(user=reviewer, secret=TOTP_SECRET)
    return reviewer
