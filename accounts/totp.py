"""Reading TOTP codes from a known secret, for the demo (``manage.py demo_totp``) and tests.

allauth keeps the secret encrypted by its MFA adapter and checks codes against real time (``time.time()``), not the
portal's settable clock; so does this module.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from .models import User


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows for ``secret`` at ``at`` (now by default)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_seconds_left(*, at: float | None = None) -> int:
    now = time.time() if at is None else at
    return mfa_settings.TOTP_PERIOD - int(now) % mfa_settings.TOTP_PERIOD


def totp_secret_of(*, user: User) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None
