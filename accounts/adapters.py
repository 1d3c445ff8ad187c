import base64
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

from .constants import Role
from .selectors import user_has_second_factor
from .services import user_join_role


class AccountAdapter(DefaultAccountAdapter):
    """Our hooks into allauth's sign-up and sign-in."""

    def clean_email(self, email: str) -> str:
        # allauth stores addresses in lower case (EmailAddress); the User row follows, so both say the same.
        return super().clean_email(email).strip().lower()

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Whoever signs up is an applicant; staff roles are given in the admin.
            user_join_role(user=user, role=Role.APPLICANT)
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before an authenticator is added. Staff are sent to add their first
        one straight after signing in with that password; a sign-in within the re-authentication window counts,
        so they are not asked twice. Every other sensitive step (removing an authenticator, new recovery codes,
        a second authenticator) still asks."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user_has_second_factor(user=user):
            return required
        records = get_authentication_records(request, user)
        signed_in_at = max((r.get("at", 0) for r in records if r.get("method") == "password"), default=0)
        return time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT


def _fernet_key(secret: str) -> bytes:
    digest = salted_hmac("accounts.mfa.secret", "", secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest)


class MFAAdapter(DefaultMFAAdapter):
    """Our hooks into allauth's second factor: secrets encrypted at rest, and staff keep theirs."""

    def _fernet(self) -> MultiFernet:
        # One key per SECRET_KEY (the current one first, then SECRET_KEY_FALLBACKS), so a rotated key still reads
        # the secrets written before the rotation. Dropping an old key makes its authenticators unreadable.
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return MultiFernet([Fernet(_fernet_key(key)) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Provider staff sign in with a second factor: they may replace theirs, not remove the last one."""
        user = authenticator.user
        if not user.is_provider_staff:
            return True
        return (
            Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
            .exclude(pk=authenticator.pk)
            .exists()
        )
