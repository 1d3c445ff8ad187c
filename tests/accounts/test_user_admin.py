import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.constants import Role
from accounts.models import User
from accounts.testing import force_login_with_second_factor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_2fa(client, administrator):
    force_login_with_second_factor(client, administrator)
    return client


def test_the_user_list_shows_email_name_groups_and_status(admin_client_2fa):
    UserFactory(reviewer=True, email="reviewer.one@example.com", full_name="审核员一")
    response = admin_client_2fa.get(reverse("admin:accounts_user_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "reviewer.one@example.com" in html
    assert "审核员一" in html
    assert Role.REVIEWER.value in html


def test_the_user_list_filters_by_group_and_searches_by_email(admin_client_2fa):
    reviewer = UserFactory(reviewer=True)
    applicant = UserFactory(applicant=True)
    url = reverse("admin:accounts_user_changelist")
    group_id = reviewer.groups.get().pk
    listed = admin_client_2fa.get(url, {"groups__id__exact": group_id}).context["cl"].result_list
    assert reviewer in listed
    assert applicant not in listed
    listed = admin_client_2fa.get(url, {"q": applicant.email}).context["cl"].result_list
    assert list(listed) == [applicant]


def test_an_administrator_adds_an_account_with_its_email_address(admin_client_2fa):
    response = admin_client_2fa.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Reviewer@Example.com",
            "full_name": "新审核员",
            "usable_password": "true",
            "password1": "Admin-Set-Pass-2026",
            "password2": "Admin-Set-Pass-2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.reviewer@example.com")
    assert user.check_password("Admin-Set-Pass-2026")


def test_the_admin_refuses_an_address_that_differs_only_in_capitals(admin_client_2fa, applicant):
    response = admin_client_2fa.post(
        reverse("admin:accounts_user_add"),
        {"email": applicant.email.upper(), "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors


def test_an_administrator_changes_an_account_into_a_reviewer(admin_client_2fa, applicant):
    reviewers = Group.objects.get(name=Role.REVIEWER.value)
    url = reverse("admin:accounts_user_change", args=[applicant.pk])
    page = admin_client_2fa.get(url)
    assert page.status_code == 200
    response = admin_client_2fa.post(
        url,
        {
            "email": applicant.email,
            "full_name": applicant.full_name,
            "is_active": "on",
            "groups": [reviewers.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    applicant.refresh_from_db()
    assert applicant.role_names == {Role.REVIEWER.value}


def test_reviewers_work_outside_the_admin(client):
    reviewer = UserFactory(reviewer=True)
    force_login_with_second_factor(client, reviewer)
    # Not staff: the admin sends them to its login page, which refuses a signed-in non-staff account.
    assert client.get("/admin/", follow=True).status_code == 403
