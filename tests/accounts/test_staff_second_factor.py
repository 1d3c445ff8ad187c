import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from accounts.middleware import ALLOWED_BEFORE_SECOND_FACTOR
from accounts.services import user_totp_set
from accounts.totp import totp_code, totp_secret_of
from tests.accounts.conftest import TOTP_SECRET, sign_in, signed_in_user_id
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def _plain_paths(patterns=None, prefix="", namespace=""):
    """Every URL of the portal without parameters, with its view name."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if not isinstance(entry.pattern, RoutePattern) or "<" in route:
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _plain_paths(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route, f"{namespace}{entry.name}"


def _activate_totp(client):
    assert client.get(ACTIVATE).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_a_staff_member_without_an_authenticator_is_sent_to_set_one_up_from_every_page_and_refused_by_the_api(
    client, reviewer
):
    sign_in(client, reviewer.email)
    assert signed_in_user_id(client) == reviewer.pk
    checked = 0
    for path, name in _plain_paths():
        if name in ALLOWED_BEFORE_SECOND_FACTOR or path.startswith("/static/"):
            continue
        response = client.get(path)
        if path.startswith("/api/"):  # a program is told, in the API's error format
            assert (response.status_code, response.json()["code"]) == (403, "second_factor_required"), path
        else:
            assert (response.status_code, response.get("Location")) == (302, ACTIVATE), path
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/"])
def test_an_administrator_without_an_authenticator_cannot_reach_the_admin(client, administrator, path):
    sign_in(client, administrator.email)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


# Activation: allauth marks it in a transaction.on_commit callback, which runs inside the request only when the
# request really commits.
@pytest.mark.django_db(transaction=True)
def test_after_activating_an_authenticator_the_staff_member_gets_in(
    client,
    administrator,
):
    sign_in(client, administrator.email)
    _activate_totp(client)
    assert Authenticator.objects.filter(user=administrator, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_staff_member_with_an_authenticator_must_enter_a_code_at_sign_in(client, reviewer_with_totp):
    response = sign_in(client, reviewer_with_totp.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert client.get("/").status_code == 200  # anonymous, so nothing to guard yet
    assert signed_in_user_id(client) is None


def test_a_wrong_code_is_refused(client, reviewer_with_totp):
    sign_in(client, reviewer_with_totp.email)
    wrong = "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_user_id(client) is None


def test_the_right_code_from_the_authenticator_lets_an_administrator_into_the_admin(client, administrator):
    user_totp_set(user=administrator, secret=TOTP_SECRET)
    sign_in(client, administrator.email)
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert signed_in_user_id(client) == administrator.pk
    assert client.get("/admin/").status_code == 200


def test_a_session_without_the_code_is_asked_for_it_before_going_on(client, reviewer_with_totp):
    client.force_login(reviewer_with_totp)  # a session that never passed allauth's sign-in stages
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2F"
    response = client.post(response["Location"], {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_activation_counts_only_for_the_account_that_activated(
    client,
    reviewer,
):
    sign_in(client, reviewer.email)
    _activate_totp(client)
    client.post(reverse("account_logout"))
    other = UserFactory(supervisor=True)
    sign_in(client, other.email)
    assert client.get("/").status_code == 302


def test_a_role_given_later_applies_to_the_next_request(client, applicant):
    sign_in(client, applicant.email)
    assert client.get("/").status_code == 200
    applicant.is_staff = True
    applicant.save()
    assert client.get("/").status_code == 302


def test_an_applicant_without_an_authenticator_is_not_forced(client, applicant):
    sign_in(client, applicant.email)
    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_applicant_may_turn_on_an_authenticator_and_is_then_asked_for_codes(
    client,
    applicant,
):
    sign_in(client, applicant.email)
    secret = _activate_totp(client)
    client.post(reverse("account_logout"))
    assert sign_in(client, applicant.email)["Location"] == reverse("mfa_authenticate")
    cache.clear()  # a code works once; here the next sign-in comes within the same 30 seconds
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert signed_in_user_id(client) == applicant.pk


def test_signing_out_stays_possible_before_the_second_factor(client, reviewer):
    sign_in(client, reviewer.email)
    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None


def test_the_admin_login_page_sends_people_to_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_the_admin_login_form_cannot_sign_in_with_a_password_alone(client, administrator):
    client.post("/admin/login/", {"username": administrator.email, "password": DEFAULT_PASSWORD})
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_setting_up_an_authenticator_asks_for_the_password_again_when_the_sign_in_is_old(client, reviewer):
    sign_in(client, reviewer.email)
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= 10 * 60
    session["account_authentication_methods"] = records
    session.save()
    response = client.get(ACTIVATE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200  # allowed before the second factor


def test_authenticator_secrets_are_stored_encrypted(reviewer_with_totp):
    stored = Authenticator.objects.get(user=reviewer_with_totp, type=Authenticator.Type.TOTP).data["secret"]
    assert TOTP_SECRET not in stored
    assert totp_secret_of(user=reviewer_with_totp) == TOTP_SECRET


def _sign_in_fully_and_confirm_password(client, user):
    sign_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})
    assert signed_in_user_id(client) == user.pk
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})


def test_a_staff_member_cannot_turn_off_the_only_second_factor(client, reviewer_with_totp):
    _sign_in_fully_and_confirm_password(client, reviewer_with_totp)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Authenticator.objects.filter(user=reviewer_with_totp, type=Authenticator.Type.TOTP).exists()


def test_an_applicant_may_turn_the_second_factor_off_again(client, applicant):
    user_totp_set(user=applicant, secret=TOTP_SECRET)
    _sign_in_fully_and_confirm_password(client, applicant)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=applicant, type=Authenticator.Type.TOTP).exists()
