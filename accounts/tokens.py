"""API tokens (docs/api.md, "Authentication").

Anyone signed in to the portal can create a token on ``POST /api/v1/auth/token/`` — with the session only, never with
a token, so a stolen token cannot renew itself. Provider staff must have passed their second factor in that session
(the same rule as every staff page, accounts.middleware), and a staff token expires ``API_STAFF_TOKEN_HOURS`` after it
was created: a token sent with a request carries no second factor, so it must not outlive a working day. Applicants'
tokens do not expire; creating a new one replaces the old, and deleting it revokes it.
"""

import functools
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from .userrow import account_columns, account_from_row, converted


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


def _token_fields() -> list:
    return [Token._meta.get_field("key"), Token._meta.get_field("user"), Token._meta.get_field("created")]


@functools.cache
def _token_sql(account: str) -> str:
    """The lookup's statement, made once: identifiers from the models' metadata, quoted; the key is a parameter.
    ``account`` is the account's select list (``accounts.userrow``: its row, roles and extras)."""
    user_model = get_user_model()
    quote = connection.ops.quote_name
    columns = [f"t.{quote(field.column)}" for field in _token_fields()]
    token_table, user_table = quote(Token._meta.db_table), quote(user_model._meta.db_table)
    user_pk, token_user = quote(user_model._meta.pk.column), quote(Token._meta.get_field("user").column)
    return (
        f"SELECT {', '.join(columns)}, {account} FROM {token_table} t "  # noqa: S608 (no value in it: see above)
        f"JOIN {user_table} u ON u.{user_pk} = t.{token_user} WHERE t.{quote('key')} = %s"
    )


def _token_with_user(key: str) -> Token | None:
    """The token of ``key`` with its user (and the user's roles and extras, ``accounts.userrow``), in one statement
    written in SQL: what DRF's ``Token.objects.select_related("user").get(key=key)`` reads, without building that
    query at every API request (docs/performance.md, fixes 26 and 32)."""
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(account_columns("u")), [key])
        row = cursor.fetchone()
    if row is None:
        return None
    token_fields = _token_fields()
    token = Token.from_db(
        connection.alias, [field.attname for field in token_fields], converted(token_fields, row[: len(token_fields)])
    )
    token.user = account_from_row(row[len(token_fields) :])
    return token


class PortalTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, refusing an unknown token, an inactive account and an expired staff
    token."""

    def authenticate_credentials(self, key):
        token = _token_with_user(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        user = token.user
        expires_at = api_token_expires_at(token)
        if expires_at is not None and expires_at <= timezone.now():
            raise AuthenticationFailed(
                _("This staff token has expired. Sign in with your second factor and create a new one."),
                code="token_expired",
            )
        return user, token
