"""API tokens (docs/api.md, "Authentication").

Anyone signed in to the portal can create a token on ``POST /api/v1/auth/token/`` — with the session only, never with
a token, so a stolen token cannot renew itself. Provider staff must have passed their second factor in that session
(the same rule as every staff page, accounts.middleware), and a staff token expires ``API_STAFF_TOKEN_HOURS`` after it
was created: a token sent with a request carries no second factor, so it must not outlive a working day. Applicants'
tokens do not expire; creating a new one replaces the old, and deleting it revokes it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def staff_token_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "API_STAFF_TOKEN_HOURS", 8))


def api_token_expires_at(token: Token) -> datetime | None:
    """When the token stops working: staff tokens expire, applicants' do not."""
    if not token.user.is_provider_staff:
        return None
    return token.created + staff_token_lifetime()


@transaction.atomic
def api_token_issue(*, user) -> Token:
    """A new token for ``user``, replacing any earlier one (rotation). Real time, not the portal's settable clock:
    the lifetime protects a credential, it is not a step of a filing."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def api_token_revoke(*, user) -> int:
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted


class PortalTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, refusing an expired staff token and an inactive account."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        expires_at = api_token_expires_at(token)
        if expires_at is not None and expires_at <= timezone.now():
            raise AuthenticationFailed(
                _("This staff token has expired. Sign in with your second factor and create a new one."),
                code="token_expired",
            )
        return user, token
