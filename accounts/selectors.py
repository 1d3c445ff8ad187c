"""Reads of the accounts app that views, the middleware and the admin share."""

from allauth.mfa.models import Authenticator

from .models import User


def user_email_addresses(*, user: User) -> set[str]:
    """Every address the account can sign in with, lower-cased (as the lock-out records them)."""
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()}
    addresses.update(e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return addresses


def user_has_second_factor(*, user: User) -> bool:
    """An authenticator that allauth's sign-in asks for (an app code or a security key); recovery codes alone
    do not count."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
