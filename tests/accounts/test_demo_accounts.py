import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import demo_data
from accounts.constants import Role
from accounts.models import User
from accounts.totp import totp_code, totp_secret_of
from tests.accounts.conftest import sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db

DEMO = {account.email: account for account in demo_data.DEMO_ACCOUNTS}


def test_there_is_a_demo_account_for_each_role_with_a_verified_address():
    demo_data.load()
    for account in demo_data.DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.role_names == {account.role.value}
        assert user.check_password(account.password)
        assert EmailAddress.objects.get(user=user).verified
    assert {a.role for a in demo_data.DEMO_ACCOUNTS} == set(Role)
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser and admin.is_staff


@pytest.mark.parametrize("account", demo_data.DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_demo_passwords_pass_the_password_rules(account):
    validate_password(account.password, User(email=account.email, full_name=account.full_name))


def test_staff_demo_accounts_have_an_authenticator_with_the_printed_secret():
    lines = "\n".join(demo_data.load())
    for account in demo_data.DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert totp_secret_of(user=user) == account.totp_secret
        assert account.password in lines
        if account.totp_secret:
            assert f"make totp EMAIL={account.email}" in lines
    assert totp_secret_of(user=User.objects.get(email="applicant@example.com")) is None


def test_loading_the_demo_again_changes_nothing_but_puts_back_a_changed_password():
    demo_data.load()
    reviewer = User.objects.get(email="reviewer@example.com")
    reviewer.set_password("Changed-In-The-Demo-1")
    reviewer.save()
    demo_data.load()
    assert User.objects.filter(email__endswith="@example.com").count() == len(demo_data.DEMO_ACCOUNTS)
    reviewer.refresh_from_db()
    assert reviewer.check_password(DEMO["reviewer@example.com"].password)
    assert reviewer.authenticator_set.count() == 1


def test_demo_totp_prints_the_code_the_sign_in_accepts(client, capsys):
    demo_data.load()
    call_command("demo_totp", "Reviewer@example.com")
    code = capsys.readouterr().out.strip()
    assert code == totp_code(DEMO["reviewer@example.com"].totp_secret)
    sign_in(client, "reviewer@example.com", DEMO["reviewer@example.com"].password)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert signed_in_user_id(client) == User.objects.get(email="reviewer@example.com").pk
    assert client.get("/").status_code == 200


def test_demo_totp_refuses_outside_demo_mode(settings):
    demo_data.load()
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_totp", "reviewer@example.com")


def test_demo_totp_refuses_an_account_without_an_authenticator():
    demo_data.load()
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_totp", "applicant@example.com")
