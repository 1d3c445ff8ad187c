"""Every write of the accounts app (STYLE.md): accounts, roles, sign-in lock-outs, known authenticator secrets."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from axes.utils import reset as axes_reset
from cryptography.fernet import InvalidToken
from django.contrib.auth.models import Group
from django.db import transaction

from .constants import Role
from .models import User
from .selectors import user_email_addresses
from .totp import totp_secret_of


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    roles: tuple[Role, ...] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
    email_verified: bool = False,
) -> User:
    """An account with its roles; ``email_verified`` records the address as already confirmed (admin, demo)."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, is_staff=is_staff, is_superuser=is_superuser
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    for role in roles:
        user_join_role(user=user, role=role)
    return user


def user_join_role(*, user: User, role: Role) -> None:
    # The groups exist once reference data is loaded; get_or_create keeps a fresh database working anyway.
    group, _created = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    user.__dict__.pop("_role_names", None)


def email_unlock(*, email: str) -> int:
    """Lift every sign-in lock-out of one e-mail address, from any network. Returns the attempts removed."""
    return axes_reset(username=email.strip().lower())


@transaction.atomic
def user_unlock(*, user: User) -> int:
    """Lift the sign-in lock-outs of an account (every address it can sign in with, every network)."""
    return sum(email_unlock(email=email) for email in user_email_addresses(user=user))


@transaction.atomic
def user_totp_set(*, user: User, secret: str) -> None:
    """Give the account an authenticator app with a known secret (demo accounts), replacing any other one."""
    try:
        if totp_secret_of(user=user) == secret:
            return
    except InvalidToken:
        pass  # written under a SECRET_KEY that is gone: replace it
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    # allauth's own API, so the secret is stored the way allauth reads it (encrypted by the MFA adapter).
    TOTP.activate(user, secret)
