"""The roles of a signed-in person are read with the account, in the request's one statement about it
(accounts.userrow, on PostgreSQL), or from the cache (accounts.roles, elsewhere); either way every change of group
membership — in the admin, through either side of the relation, by renaming or deleting a group — takes effect on
the next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from accounts.roles import role_names_of
from accounts.testing import force_login_with_second_factor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("reviews:queue", args=["initial"])


def _reviewers() -> Group:
    return Group.objects.get(name=Role.REVIEWER.value)


@pytest.fixture
def desk(reviewer) -> Client:
    """A reviewer's browser on the queue page, the roles already in the cache."""
    client = Client()
    force_login_with_second_factor(client, reviewer)
    assert client.get(QUEUE).status_code == 200
    return client


def test_a_signed_in_request_reads_its_roles_with_its_account_or_from_the_cache(desk, reviewer):
    with CaptureQueriesContext(connection) as captured:
        assert desk.get(QUEUE).status_code == 200
    group_reads = [q["sql"] for q in captured.captured_queries if "auth_group" in q["sql"]]
    if connection.vendor == "postgresql":
        (statement,) = group_reads
        assert '"accounts_user" u WHERE u."id" = ' in statement
        assert "filings_pageversion" in statement  # the page cache's version, read with them
    else:
        assert group_reads == []


def test_a_reviewer_removed_from_the_group_loses_the_queue_on_the_next_request(desk, reviewer):
    reviewer.groups.remove(_reviewers())
    assert desk.get(QUEUE).status_code == 403


def test_removing_the_reviewer_from_the_group_side_takes_effect_too(desk, reviewer):
    _reviewers().user_set.remove(reviewer)
    assert desk.get(QUEUE).status_code == 403


def test_clearing_the_group_takes_effect_too(desk):
    _reviewers().user_set.clear()
    assert desk.get(QUEUE).status_code == 403


def test_deleting_the_group_takes_effect_too(desk):
    _reviewers().delete()
    assert desk.get(QUEUE).status_code == 403


def test_renaming_the_group_takes_effect_too(desk):
    group = _reviewers()
    group.name = "Former reviewers"
    group.save()
    assert desk.get(QUEUE).status_code == 403


def test_an_administrator_revokes_the_role_in_the_admin(desk, reviewer, administrator):
    admin = Client()
    force_login_with_second_factor(admin, administrator)
    response = admin.post(
        reverse("admin:accounts_user_change", args=[reviewer.pk]),
        {"email": reviewer.email, "full_name": reviewer.full_name, "is_active": "on", "groups": []},
    )
    assert response.status_code == 302
    assert desk.get(QUEUE).status_code == 403


def test_an_applicant_given_the_reviewer_role_gets_the_queue_on_the_next_request(applicant):
    client = Client()
    force_login_with_second_factor(client, applicant)
    assert client.get(QUEUE).status_code == 403
    applicant.groups.add(_reviewers())
    assert client.get(QUEUE).status_code == 200


def test_a_new_account_does_not_inherit_cached_roles_from_an_old_id(reviewer):
    assert Role.REVIEWER.value in role_names_of(reviewer)
    pk = reviewer.pk
    reviewer.delete()
    newcomer = UserFactory(pk=pk, roles=())
    assert role_names_of(newcomer) == frozenset()
