"""The admin: orders stay read-only; the back office's transitions are admin actions that call the same services,
with the same permissions; the reason catalogue is editable admin data."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.constants import Role
from filings.constants import OrderStatus as S
from reviews.models import RejectionReason

from .conftest import refreshed, zh

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:filings_filingorder_changelist"


@pytest.fixture
def supervising_admin(admin_user):
    """An administrator who is also a supervisor: the services let supervisors release, reassign and forward."""
    admin_user.groups.add(Group.objects.get(name=Role.SUPERVISOR.value))
    admin_user.__dict__.pop("_role_names", None)
    return admin_user


def _act(client, action, orders, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [o.pk for o in orders], "index": 0, **extra},
        follow=True,
    )


def test_orders_are_read_only_in_the_admin(admin_client, claimed):
    order = claimed()
    change = reverse("admin:filings_filingorder_change", args=[order.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="_save"' not in page
    assert admin_client.post(change, {"status": "approved"}).status_code == 403
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_the_admin_offers_the_back_office_actions(admin_client, claimed):
    claimed()
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    for action in ("release_claims", "reassign", "forward"):
        assert f'value="{action}"' in page
    assert 'name="reviewer"' in page


def test_releasing_a_claim_from_the_admin(admin_client, supervising_admin, claimed):
    order = claimed()
    response = _act(admin_client, "release_claims", [order])
    assert response.status_code == 200
    order = refreshed(order)
    assert (order.status, order.assignee_id) == (S.PENDING_INITIAL_REVIEW, None)


def test_reassigning_from_the_admin(admin_client, supervising_admin, claimed, other_reviewer):
    order = claimed()
    _act(admin_client, "reassign", [order], reviewer=other_reviewer.pk)
    assert refreshed(order).assignee_id == other_reviewer.pk


def test_forwarding_from_the_admin(admin_client, supervising_admin, make_order):
    order = make_order(status=S.PENDING_MIIT_SUBMISSION)
    _act(admin_client, "forward", [order])
    assert refreshed(order).status == S.SMS_VERIFICATION


def test_an_administrator_who_is_not_a_supervisor_is_refused_with_the_services_message(admin_client, claimed):
    order = claimed()
    response = _act(admin_client, "release_claims", [order])
    page = response.content.decode()
    assert zh("Only the provider's reviewers can do this.") in page
    assert refreshed(order).status == S.INITIAL_REVIEW


def test_a_refusal_is_reported_per_order(admin_client, supervising_admin, claimed, queued):
    held, waiting = claimed(), queued()
    page = _act(admin_client, "release_claims", [held, waiting]).content.decode()
    assert f"{waiting.number}: {zh('Nobody holds this order.')}" in page
    assert refreshed(held).status == S.PENDING_INITIAL_REVIEW


def test_the_reason_catalogue_is_edited_in_the_admin(admin_client):
    reason = RejectionReason.objects.get(code="website_name")
    url = reverse("admin:reviews_rejectionreason_change", args=[reason.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="message"' in page and 'name="code"' not in page
    response = admin_client.post(
        url,
        {"stage": reason.stage, "target": reason.target, "message": "网站名称不规范", "position": 3, "is_active": "on"},
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert (reason.message, reason.code) == ("网站名称不规范", "website_name")


def test_claims_and_decisions_are_read_only_in_the_admin(admin_client, claimed):
    claimed()
    assert admin_client.get(reverse("admin:reviews_claim_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:reviews_claim_add")).status_code == 403
