"""Proving that a person holds a mobile (获取手机验证码): a six-digit code sent over the phone network.

Codes are stored hashed, valid for a few minutes (settings.ICP["MOBILE_CODE_VALID_MINUTES"]), resent at most once
a minute and a few times an hour per number, and a code dies after five wrong tries. Each send and each check is a
service that locks the number's latest code row, so two quick clicks cannot send twice or verify twice.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import clock, phone
from .models import MobileCode

MAX_WRONG_ATTEMPTS = 5
MAX_SENDS_PER_HOUR = 5


@dataclass
class CodeError(Exception):
    code: str
    message: str
    retry_after_seconds: int = 0

    def __str__(self):
        return str(self.message)


def _hash(code: str, *, mobile: str, purpose: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _settings():
    icp = settings.ICP
    return (
        timedelta(minutes=icp.get("MOBILE_CODE_VALID_MINUTES", 5)),
        timedelta(seconds=icp.get("MOBILE_CODE_RESEND_SECONDS", 60)),
    )


def mobile_code_send(*, mobile: str, purpose: str, user=None) -> MobileCode:
    """Send a fresh code to ``mobile`` (and invalidate any earlier one for the same purpose).

    Raises CodeError ``invalid_mobile``, ``too_soon`` (with retry_after_seconds) or ``too_many``.
    """
    try:
        mobile = phone.normalise_mobile(mobile)
    except ValueError:
        raise CodeError("invalid_mobile", _("Enter a mainland China mobile number.")) from None
    valid_for, resend_after = _settings()
    now = clock.now()
    with transaction.atomic():
        recent = list(
            MobileCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, sent_at__gte=now - timedelta(hours=1))
            .order_by("-sent_at")
        )
        if recent and now - recent[0].sent_at < resend_after:
            wait = int((resend_after - (now - recent[0].sent_at)).total_seconds()) + 1
            raise CodeError(
                "too_soon",
                _("A code was sent less than a minute ago. You can ask for another in %(seconds)d seconds.")
                % {"seconds": wait},
                retry_after_seconds=wait,
            )
        if len(recent) >= MAX_SENDS_PER_HOUR:
            raise CodeError("too_many", _("Too many codes were sent to this number. Try again in an hour."))
        code = f"{secrets.randbelow(1_000_000):06d}"
        record = MobileCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_hash(code, mobile=mobile, purpose=purpose),
            sent_at=now,
            expires_at=now + valid_for,
            requested_by=user,
        )
        minutes = int(valid_for.total_seconds() // 60)
        text = _("[ICP Filing] Your verification code is %(code)s, valid for %(minutes)d minutes. Do not share it.") % {
            "code": code,
            "minutes": minutes,
        }
        phone.phone_send(to=mobile, body=str(text), source="portal")
    return record


def mobile_code_check(*, mobile: str, purpose: str, code: str) -> MobileCode:
    """Check ``code`` against the latest code sent to ``mobile`` for ``purpose`` and mark it verified.

    Raises CodeError ``no_code``, ``expired``, ``too_many_attempts`` or ``wrong_code``.
    """
    try:
        mobile = phone.normalise_mobile(mobile)
    except ValueError:
        raise CodeError("invalid_mobile", _("Enter a mainland China mobile number.")) from None
    code = (code or "").strip()
    failure = None
    with transaction.atomic():
        record = (
            MobileCode.objects.select_for_update().filter(mobile=mobile, purpose=purpose).order_by("-sent_at").first()
        )
        if record is None:
            failure = CodeError("no_code", _("Ask for a verification code first."))
        elif record.verified_at is not None:
            return record
        elif clock.now() > record.expires_at:
            failure = CodeError("expired", _("The verification code has expired. Ask for a new one."))
        elif record.attempts >= MAX_WRONG_ATTEMPTS:
            failure = CodeError("too_many_attempts", _("Too many wrong codes. Ask for a new one."))
        elif not hmac.compare_digest(record.code_hash, _hash(code, mobile=mobile, purpose=purpose)):
            # The wrong attempt is counted and committed before the error is raised outside the transaction.
            record.attempts += 1
            record.save(update_fields=["attempts"])
            failure = CodeError("wrong_code", _("The verification code is wrong."))
        else:
            record.verified_at = clock.now()
            record.save(update_fields=["verified_at"])
    if failure is not None:
        raise failure
    return record


def mobile_is_verified(*, mobile: str, purpose: str, within: timedelta = timedelta(days=1)) -> bool:
    """Whether ``mobile`` proved itself for ``purpose`` recently (the wizard asks before saving 联系方式1)."""
    try:
        mobile = phone.normalise_mobile(mobile)
    except ValueError:
        return False
    return MobileCode.objects.filter(mobile=mobile, purpose=purpose, verified_at__gte=clock.now() - within).exists()
