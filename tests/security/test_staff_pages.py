"""Staff pages and the Django admin: only staff who passed their second factor reach them, and the admin only
administrators. The sign-in walk itself (codes, activation, lock-out) is tests/accounts/test_staff_second_factor.py;
here every page of the admin and the back office is tried from a session without the second factor. The matrix
(test_access_matrix.py) does the same for every other route."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.services import user_totp_set
from accounts.testing import force_login_with_second_factor
from tests.factories import UserFactory

from .pages import is_second_factor_redirect
from .routes import portal_routes

pytestmark = pytest.mark.django_db

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_ROLES = ("reviewer", "supervisor", "administrator")


def admin_pages() -> list[str]:
    """The admin's index, each app's index, and each registered model's list and add pages."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse("admin:app_list", args=[meta.app_label]))
        for view in ("changelist", "add"):
            try:
                pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
            except NoReverseMatch:
                continue
    return sorted(set(pages))


def back_office_pages() -> list[str]:
    pages = [reverse(route.name) for route in portal_routes() if route.namespace == "reviews" and not route.params]
    return [*pages, reverse("reviews:queue", args=["initial"]), reverse("reviews:queue", args=["photo"])]


def _staff(role: str, *, with_authenticator: bool):
    user = UserFactory(**{role: True})
    if with_authenticator:
        user_totp_set(user=user, secret=TOTP_SECRET)
    return user


@pytest.mark.parametrize("with_authenticator", [False, True], ids=["no authenticator yet", "authenticator set up"])
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_the_second_factor_reach_no_staff_page_and_no_admin_page(role, with_authenticator):
    user = _staff(role, with_authenticator=with_authenticator)
    client = Client()
    client.force_login(user)  # signed in with the password only
    pages = admin_pages() + back_office_pages()
    assert len(pages) > 30
    for page in pages:
        response = client.get(page)
        assert is_second_factor_redirect(response), f"{role} GET {page}: {response.status_code}"
    # The check does not depend on the method; the back office's forms are tried with a POST as well.
    for page in back_office_pages():
        response = client.post(page, {})
        assert is_second_factor_redirect(response), f"{role} POST {page}: {response.status_code}"


def test_the_second_factor_is_per_session_not_per_account():
    """A session that passed the second factor does not open another session of the same account."""
    user = _staff("administrator", with_authenticator=True)
    proven, unproven = Client(), Client()
    force_login_with_second_factor(proven, user)
    unproven.force_login(user)
    assert proven.get(reverse("admin:index")).status_code == 200
    assert is_second_factor_redirect(unproven.get(reverse("admin:index")))


@pytest.mark.parametrize("role", ["applicant", "reviewer", "supervisor"])
def test_only_administrators_reach_the_admin(role):
    user = UserFactory(**{role: True})
    client = Client()
    force_login_with_second_factor(client, user)
    for page in admin_pages():
        response = client.get(page)
        assert response.status_code == 302, f"{role} GET {page}: {response.status_code}"
        assert response["Location"].startswith((reverse("admin:login"), reverse("account_login")))


def test_anonymous_visitors_are_sent_to_the_portal_sign_in_not_an_admin_password_form():
    client = Client()
    for page in admin_pages():
        response = client.get(page, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else page
        assert final.startswith(reverse("account_login")), f"anonymous GET {page} ends at {final}"


def test_an_administrator_with_the_second_factor_reaches_the_list_of_every_record_of_the_portal():
    from accounts.roles import PROJECT_APPS

    administrator = UserFactory(administrator=True)
    client = Client()
    force_login_with_second_factor(client, administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    checked = 0
    for model in admin.site._registry:
        meta = model._meta
        page = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        allowed = administrator.has_perm(f"{meta.app_label}.view_{meta.model_name}") or administrator.has_perm(
            f"{meta.app_label}.change_{meta.model_name}"
        )
        assert allowed or meta.app_label not in PROJECT_APPS, f"administrators cannot see {meta.label}"
        response = client.get(page, follow=True)
        assert response.status_code == (200 if allowed else 403), f"GET {page}: {response.status_code}"
        assert all(url.startswith("/admin/") for url, _status in response.redirect_chain)  # a singleton's own page
        checked += allowed
    assert checked > 20
