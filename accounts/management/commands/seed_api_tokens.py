"""API tokens for the demo applicant and the demo reviewer (docs/api.md): for trying the API, and for the schemathesis
run, which calls every endpoint as both. An operator's command on the server, like `make totp`: the reviewer's token
expires as every staff token does (API_STAFF_TOKEN_HOURS)."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.demo_data import DEMO_ACCOUNTS, _ensure
from accounts.tokens import api_token_expires_at, api_token_issue

ROLES = ("applicant", "reviewer")


def seed_api_tokens(*, rotate: bool = False) -> dict[str, Token]:
    """{"applicant": token, "reviewer": token}: the demo accounts (created if missing) with a working token each; an
    existing one is kept unless ``rotate`` or expired."""
    tokens = {}
    with transaction.atomic():
        for role, account in zip(ROLES, DEMO_ACCOUNTS[:2], strict=True):
            user = _ensure(account)
            token = Token.objects.filter(user=user).first()
            expires_at = api_token_expires_at(token) if token else None
            if rotate or token is None or (expires_at is not None and expires_at <= timezone.now()):
                token = api_token_issue(user=user)
            tokens[role] = token
    return tokens


class Command(BaseCommand):
    help = "Create (or print) API tokens for the demo applicant and the demo reviewer."

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="Replace the tokens with new ones.")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help='Print {"applicant": key, "reviewer": key}.'
        )

    def handle(self, *args, rotate=False, as_json=False, **options):
        tokens = seed_api_tokens(rotate=rotate)
        if as_json:
            self.stdout.write(json.dumps({role: token.key for role, token in tokens.items()}))
            return
        for role, token in tokens.items():
            expires_at = api_token_expires_at(token)
            until = f"  (expires {timezone.localtime(expires_at):%Y-%m-%d %H:%M})" if expires_at else ""
            self.stdout.write(f"{role:<10} {token.user.email:<24} Authorization: Token {token.key}{until}")
