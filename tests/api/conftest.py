import pytest
from rest_framework.test import APIClient

from accounts.tokens import api_token_issue
from tests.factories import UserFactory

# The filing tests' fixtures, shared: orders in any state, applicants and reviewers.
from tests.filings.conftest import applicant, make_order, precheck_passes, reviewer, valid_uscc  # noqa: F401


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def as_applicant(applicant):  # noqa: F811 (fixtures imported above)
    return token_client(applicant)


@pytest.fixture
def other_applicant(db):
    return UserFactory()


@pytest.fixture
def as_other(other_applicant):
    return token_client(other_applicant)


@pytest.fixture
def as_reviewer(reviewer):  # noqa: F811
    return token_client(reviewer)


@pytest.fixture
def throttling_off(settings):
    settings.API_THROTTLE_ENABLED = False


@pytest.fixture(autouse=True)
def _webhooks_reach_loopback_only(monkeypatch):
    """A guard for the whole API suite: a webhook is sent to this machine's own receiver or nowhere at all."""
    import ipaddress

    from notifications import webhooks

    real_post = webhooks._post

    def guarded(target, body, headers):
        assert all(ipaddress.ip_address(a).is_loopback for a in target.addresses), target
        return real_post(target, body, headers)

    monkeypatch.setattr(webhooks, "_post", guarded)
