import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.constants import Role
from accounts.models import User
from tests.accounts.conftest import link_in, sign_in, signed_in_user_id
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP_PASSWORD = "Sign-Up-Pass-2026!"


def _sign_up(client, email="Zhao.Lei@Example.com", password=SIGN_UP_PASSWORD):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def test_sign_up_sends_a_verification_email_and_signs_in_nobody_yet(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhao.lei@example.com"]
    assert signed_in_user_id(client) is None


def test_following_the_verification_link_signs_in_an_applicant(client):
    _sign_up(client)
    confirm_path = link_in(mail.outbox[0])
    assert client.get(confirm_path).status_code == 200  # a page with a button: links are not confirmed on GET
    response = client.post(confirm_path)
    assert response.status_code == 302
    user = User.objects.get(email="zhao.lei@example.com")
    assert signed_in_user_id(client) == user.pk
    assert user.role_names == {Role.APPLICANT.value}
    assert EmailAddress.objects.get(user=user).verified


def test_a_second_sign_up_with_the_address_in_other_capitals_creates_no_second_account(client):
    first = _sign_up(client)
    assert User.objects.filter(email="zhao.lei@example.com").exists()
    second = _sign_up(client.__class__(), email="ZHAO.LEI@example.com")
    # Same answer as a new sign-up, so the page does not tell who has an account.
    assert second.status_code == first.status_code == 302
    assert User.objects.filter(email__iexact="zhao.lei@example.com").count() == 1


def test_sign_up_refuses_a_weak_password(client):
    response = _sign_up(client, password="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_sign_in_with_an_unverified_address_is_held_for_verification(client):
    user = UserFactory(verified_email=False)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    assert len(mail.outbox) == 1  # a new verification link


def test_sign_in_with_a_verified_address_and_the_right_password_works(client, applicant):
    response = sign_in(client, applicant.email)
    assert response.status_code == 302
    assert signed_in_user_id(client) == applicant.pk


def test_sign_in_accepts_any_capitalisation_of_the_address(client, applicant):
    sign_in(client, applicant.email.upper())
    assert signed_in_user_id(client) == applicant.pk


def test_sign_in_with_a_wrong_password_is_refused_with_the_error_beside_the_form(client, applicant):
    response = sign_in(client, applicant.email, "Wrong-Pass-2026!")
    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert 'class="error-summary"' in response.content.decode()


def test_sign_out_ends_the_session(client, applicant):
    sign_in(client, applicant.email)
    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None


def test_a_forgotten_password_is_reset_by_the_emailed_link(client, applicant):
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    assert len(mail.outbox) == 1
    response = client.get(link_in(mail.outbox[0]), follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    client.post(form_path, {"password1": "New-Secret-Pass-2026", "password2": "New-Secret-Pass-2026"})
    applicant.refresh_from_db()
    assert applicant.check_password("New-Secret-Pass-2026")
    assert not applicant.check_password(DEFAULT_PASSWORD)
