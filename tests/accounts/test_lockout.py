from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.testing import force_login_with_second_factor
from accounts.totp import totp_code
from tests.accounts.conftest import HOME_IP, OTHER_IP, TOTP_SECRET, link_in, sign_in, signed_in_user_id
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Wrong-Pass-2026!"
MFA = reverse("mfa_authenticate")


def _fail_five_times(client, email, ip=HOME_IP):
    return [sign_in(client, email, WRONG, ip=ip).status_code for _ in range(5)]


def test_four_wrong_passwords_do_not_lock(client, applicant):
    for _ in range(4):
        assert sign_in(client, applicant.email, WRONG).status_code == 200
    sign_in(client, applicant.email)
    assert signed_in_user_id(client) == applicant.pk


def test_five_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_password(client, applicant):
    statuses = _fail_five_times(client, applicant.email)
    assert statuses[:4] == [200] * 4
    response = sign_in(client, applicant.email)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_the_locked_out_page_says_how_long_and_that_a_password_reset_lifts_it(client, applicant):
    _fail_five_times(client, applicant.email)
    response = sign_in(client, applicant.email)
    assert response.status_code == 429
    html = response.content.decode()
    assert "30" in html
    assert reverse("account_reset_password") in html
    assert 'class="site-header"' in html  # the portal's layout


def test_the_same_account_from_another_address_still_signs_in(client, applicant):
    _fail_five_times(client, applicant.email)
    sign_in(client, applicant.email, ip=OTHER_IP)
    assert signed_in_user_id(client) == applicant.pk


def test_another_account_from_the_same_address_still_signs_in(client, applicant):
    other = UserFactory()
    _fail_five_times(client, applicant.email)
    sign_in(client, other.email)
    assert signed_in_user_id(client) == other.pk


def test_changing_the_capitals_of_the_address_does_not_buy_more_attempts(client, applicant):
    for variant in ("Wang.Fang@example.com", "WANG.FANG@example.com", "wang.fang@EXAMPLE.com"):
        sign_in(client, variant, WRONG)
    sign_in(client, "wang.fang@example.COM", WRONG)
    sign_in(client, "Wang.Fang@Example.Com", WRONG)
    assert sign_in(client, applicant.email).status_code == 429


def test_the_lock_lifts_after_thirty_minutes(client, applicant):
    _fail_five_times(client, applicant.email)
    assert sign_in(client, applicant.email).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert sign_in(client, applicant.email).status_code == 429  # ...and that attempt starts the wait again
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=30, seconds=1))
    sign_in(client, applicant.email)
    assert signed_in_user_id(client) == applicant.pk


def test_an_administrator_unlocks_sign_in_from_the_user_admin(client, applicant, administrator):
    _fail_five_times(client, applicant.email)
    admin_client = client.__class__()
    force_login_with_second_factor(admin_client, administrator)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"), {"action": "unlock_sign_in", "_selected_action": [applicant.pk]}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=applicant.email).exists()
    sign_in(client, applicant.email)
    assert signed_in_user_id(client) == applicant.pk


def test_a_password_reset_lifts_the_lock(client, applicant):
    _fail_five_times(client, applicant.email)
    client.post(reverse("account_reset_password"), {"email": applicant.email}, REMOTE_ADDR=HOME_IP)
    response = client.get(link_in(mail.outbox[-1]), follow=True)
    form_path = response.redirect_chain[-1][0]
    client.post(form_path, {"password1": "New-Secret-Pass-2026", "password2": "New-Secret-Pass-2026"})
    sign_in(client, applicant.email, "New-Secret-Pass-2026")
    assert signed_in_user_id(client) == applicant.pk


def test_a_successful_sign_in_clears_earlier_failures(client, applicant):
    for _ in range(4):
        sign_in(client, applicant.email, WRONG)
    sign_in(client, applicant.email)
    client.post(reverse("account_logout"))
    for _ in range(4):
        assert sign_in(client, applicant.email, WRONG).status_code == 200


def _wrong_code():
    return "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"


def test_five_wrong_second_factor_codes_lock_like_wrong_passwords(client, reviewer_with_totp):
    sign_in(client, reviewer_with_totp.email)
    statuses = [client.post(MFA, {"code": _wrong_code()}, REMOTE_ADDR=HOME_IP).status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    response = client.post(MFA, {"code": totp_code(TOTP_SECRET)}, REMOTE_ADDR=HOME_IP)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    assert sign_in(client.__class__(), reviewer_with_totp.email).status_code == 429  # the password too


def test_wrong_codes_and_wrong_passwords_add_up(client, reviewer_with_totp):
    for _ in range(3):
        sign_in(client, reviewer_with_totp.email, WRONG)
    sign_in(client, reviewer_with_totp.email)
    client.post(MFA, {"code": _wrong_code()}, REMOTE_ADDR=HOME_IP)
    assert client.post(MFA, {"code": _wrong_code()}, REMOTE_ADDR=HOME_IP).status_code == 429


def test_a_code_lock_leaves_other_addresses_free(client, reviewer_with_totp):
    sign_in(client, reviewer_with_totp.email)
    for _ in range(5):
        client.post(MFA, {"code": _wrong_code()}, REMOTE_ADDR=HOME_IP)
    elsewhere = client.__class__()
    sign_in(elsewhere, reviewer_with_totp.email, ip=OTHER_IP)
    elsewhere.post(MFA, {"code": totp_code(TOTP_SECRET)}, REMOTE_ADDR=OTHER_IP)
    assert signed_in_user_id(elsewhere) == reviewer_with_totp.pk
