"""SMS verification (短信核验, RULES.md): who gets a code, the provincial page's checks, resending, the window.

A round sends one six-digit code per mobile — one message where the subject principal and a website principal share
a number — through the phone network in ``core`` (the carrier's sender number comes with it). Codes are stored as an
HMAC, never in clear. On the provincial page the applicant enters mobile, code and the last six characters of the ID
number: a code that matches no open record of that province finds nothing; the right code with a wrong ID counts a
wrong entry, and the fifth in a row fails the round; once every mobile of the round is verified, the review starts.
A round that is not complete when its window ends (``sms_window_hours``, 24 by default) fails in the beat sweep.
A failed round returns the order (管局退回) through an ``sms_failed`` callback.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import clock, phone

from ..models import Submission
from . import callbacks, review
from .models import CallbackType, SimulatorSettings, SmsVerification
from .timing import sms_window

MAX_WRONG_ID_ENTRIES = 5
MAX_WRONG_CODES = 10
RESEND_AFTER = timedelta(seconds=60)
MAX_SENDS_PER_ROUND = 6

# Whose mobiles a filing type verifies (RULES.md, SMS verification). Types missing here verify none.
SUBJECT_PRINCIPAL, WEBSITE_PRINCIPAL = "subject_principal", "website_principal"
PRINCIPALS_BY_TYPE = {
    "first_filing": (SUBJECT_PRINCIPAL, WEBSITE_PRINCIPAL),
    "add_website": (WEBSITE_PRINCIPAL,),
    "add_website_new_user": (WEBSITE_PRINCIPAL,),
    "transfer_in": (WEBSITE_PRINCIPAL,),
    "continue_transfer_in": (WEBSITE_PRINCIPAL,),
    "change_subject": (SUBJECT_PRINCIPAL,),
    "change_website": (WEBSITE_PRINCIPAL,),
}


@dataclass
class SmsError(Exception):
    code: str
    message: str

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Recipient:
    mobile: str
    roles: tuple[str, ...]
    names: tuple[str, ...]
    id_suffixes: tuple[str, ...]


def id_suffix(certificate_number: str) -> str:
    return "".join((certificate_number or "").split()).upper()[-6:]


def recipients(submission: Submission) -> list[Recipient]:
    """The mobiles this submission verifies, one entry per number (shared numbers merged)."""
    wanted = PRINCIPALS_BY_TYPE.get(submission.order_type, ())
    payload = submission.payload or {}
    people = []
    if SUBJECT_PRINCIPAL in wanted and payload.get("subject"):
        people.append((SUBJECT_PRINCIPAL, (payload["subject"] or {}).get("principal")))
    if WEBSITE_PRINCIPAL in wanted:
        people += [(WEBSITE_PRINCIPAL, (website or {}).get("principal")) for website in payload.get("websites") or ()]
    merged: dict[str, dict] = {}
    for role, person in people:
        if not person:
            continue
        try:
            mobile = phone.normalise_mobile(person.get("mobile") or "")
        except ValueError:
            continue
        entry = merged.setdefault(mobile, {"roles": [], "names": [], "suffixes": []})
        for key, value in (
            ("roles", role),
            ("names", person.get("name", "")),
            ("suffixes", id_suffix(person.get("certificate_number", ""))),
        ):
            if value and value not in entry[key]:
                entry[key].append(value)
    return [
        Recipient(mobile, tuple(e["roles"]), tuple(e["names"]), tuple(e["suffixes"])) for mobile, e in merged.items()
    ]


def _code_hash(code: str, *, submission_id: int, round: int, mobile: str) -> str:
    message = f"miit-sms:{submission_id}:{round}:{mobile}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _matches(record: SmsVerification, code: str) -> bool:
    expected = _code_hash(code, submission_id=record.submission_id, round=record.round, mobile=record.mobile)
    return hmac.compare_digest(record.code_hash, expected)


def verification_page_url(province_code: str) -> str:
    base = getattr(settings, "MIIT_BASE_URL", "") or "http://127.0.0.1:8000/miit/"
    return urljoin(base, reverse("miit:sms_verify", args=[province_code]))


def _send_code(record: SmsVerification, code: str, *, order_reference: str, province_code: str, hours: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext(
            "[MIIT ICP filing] Your SMS verification code for filing %(order)s is %(code)s. Enter it with this "
            "mobile number and the last six characters of the ID number at %(url)s within %(hours)d hours."
        ) % {"order": order_reference, "code": code, "url": verification_page_url(province_code), "hours": hours}
    phone.phone_send(to=record.mobile, body=body, source="miit")


def sms_round_start(submission: Submission, *, now: datetime, config: SimulatorSettings) -> list[SmsVerification]:
    """Send new codes to every mobile of the submission and wait for them (status SMS pending). Runs inside the
    caller's transaction, on the locked submission; the caller saves it."""
    submission.sms_round += 1
    submission.status = Submission.Status.SMS_PENDING
    submission.decide_at = None
    # An earlier round's open records end here: only the newest codes count.
    SmsVerification.objects.filter(
        submission=submission, verified_at__isnull=True, failed_at__isnull=True, round__lt=submission.sms_round
    ).update(failed_at=now)
    expires_at = now + sms_window(config)
    records = []
    for recipient in recipients(submission):
        code = f"{secrets.randbelow(1_000_000):06d}"
        record = SmsVerification.objects.create(
            submission=submission,
            round=submission.sms_round,
            mobile=recipient.mobile,
            roles=list(recipient.roles),
            names=list(recipient.names),
            id_suffixes=list(recipient.id_suffixes),
            code_hash=_code_hash(
                code, submission_id=submission.pk, round=submission.sms_round, mobile=recipient.mobile
            ),
            sent_at=now,
            last_sent_at=now,
            expires_at=expires_at,
        )
        _send_code(
            record,
            code,
            order_reference=submission.order_reference,
            province_code=submission.province_id,
            hours=config.sms_window_hours,
        )
        records.append(record)
    return records


def _open_records(*, province_code: str, mobile: str, now: datetime):
    return SmsVerification.objects.filter(
        mobile=mobile,
        verified_at__isnull=True,
        failed_at__isnull=True,
        expires_at__gt=now,
        round=F("submission__sms_round"),
        submission__status=Submission.Status.SMS_PENDING,
        submission__province_id=province_code,
    )


def _normalised(mobile: str) -> str:
    try:
        return phone.normalise_mobile(mobile or "")
    except ValueError:
        raise SmsError("invalid_mobile", _("Enter a mainland China mobile number.")) from None


def sms_round_fail(submission: Submission, *, code: str, reason: str, now: datetime) -> None:
    """End the current round and return the order (管局退回): the open records fail, the portal is told."""
    SmsVerification.objects.filter(
        submission=submission, round=submission.sms_round, verified_at__isnull=True, failed_at__isnull=True
    ).update(failed_at=now)
    submission.status = Submission.Status.RETURNED
    submission.save(update_fields=["status"])
    callbacks.callback_create(
        submission=submission, type=CallbackType.SMS_FAILED, data={"code": code, "reason": reason}, now=now
    )


def _wrong_id_reason() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(
            "The last six characters of the ID number were entered wrongly five times in a row on the SMS "
            "verification page."
        )


def _window_reason(hours: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The SMS verification was not completed within %(hours)d hours of sending.") % {"hours": hours}


@dataclass(frozen=True)
class VerifyResult:
    order_reference: str
    complete: bool  # every mobile of the round is verified: the review has started


def sms_verify(*, province_code: str, mobile: str, code: str, id_number_suffix: str) -> VerifyResult:
    """The provincial page's check. Raises ``SmsError``: ``invalid_mobile``, ``no_record`` (no open record of this
    province has this mobile and code), ``too_many_codes``, ``wrong_id`` (counted), ``wrong_id_failed`` (the
    fifth: the round failed and the order is returned)."""
    mobile = _normalised(mobile)
    code = "".join((code or "").split())
    suffix = id_suffix(id_number_suffix)
    now = clock.now()
    candidates = list(_open_records(province_code=province_code, mobile=mobile, now=now))
    match = next((r for r in candidates if code.isdigit() and len(code) == 6 and _matches(r, code)), None)
    if match is None:
        if candidates:
            SmsVerification.objects.filter(pk__in=[r.pk for r in candidates]).update(
                wrong_code_attempts=F("wrong_code_attempts") + 1
            )
        raise SmsError(
            "no_record",
            _("No verification is waiting for this mobile number and code. Check both, or ask for a new code."),
        )
    failure = None
    result = None
    with transaction.atomic():
        # The submission first, then its record: the same order as the sweeps, so they never deadlock.
        submission = Submission.objects.select_for_update().get(pk=match.submission_id)
        record = SmsVerification.objects.select_for_update().get(pk=match.pk)
        if (
            not record.is_open
            or record.round != submission.sms_round
            or submission.status != Submission.Status.SMS_PENDING
            or record.expires_at <= now
        ):
            failure = SmsError("no_record", _("This verification is no longer open."))
        elif record.wrong_code_attempts >= MAX_WRONG_CODES:
            failure = SmsError("too_many_codes", _("Too many wrong codes were entered. Ask for a new code."))
        elif suffix not in record.id_suffixes:
            record.wrong_id_attempts += 1
            record.save(update_fields=["wrong_id_attempts"])
            left = MAX_WRONG_ID_ENTRIES - record.wrong_id_attempts
            if left <= 0:
                sms_round_fail(submission, code="wrong_id", reason=_wrong_id_reason(), now=now)
                failure = SmsError(
                    "wrong_id_failed",
                    _(
                        "The ID number was wrong five times in a row. The verification failed and the filing was "
                        "returned to the provider: submit it again to receive new codes."
                    ),
                )
            else:
                failure = SmsError(
                    "wrong_id",
                    _("The last six characters of the ID number do not match. %(left)d more tries.") % {"left": left},
                )
        else:
            record.verified_at = now
            record.wrong_id_attempts = 0
            record.save(update_fields=["verified_at", "wrong_id_attempts"])
            still_open = SmsVerification.objects.filter(
                submission=submission, round=submission.sms_round, verified_at__isnull=True, failed_at__isnull=True
            ).exists()
            if not still_open:
                config = SimulatorSettings.load()
                review.review_schedule(submission, now=now, config=config)
                submission.save(update_fields=["status", "decide_at"])
                callbacks.callback_create(submission=submission, type=CallbackType.SMS_VERIFIED, data={}, now=now)
            result = VerifyResult(order_reference=submission.order_reference, complete=not still_open)
    if failure is not None:
        raise failure
    return result


def sms_resend(*, province_code: str, mobile: str) -> int:
    """A new code for each open record of this mobile in this province (the window does not move). Returns how
    many were sent; raises ``SmsError`` ``too_soon`` or ``too_many``."""
    mobile = _normalised(mobile)
    now = clock.now()
    sent = 0
    config = SimulatorSettings.load()
    with transaction.atomic():
        for match in list(_open_records(province_code=province_code, mobile=mobile, now=now)):
            submission = Submission.objects.select_for_update().get(pk=match.submission_id)
            record = SmsVerification.objects.select_for_update().get(pk=match.pk)
            if not record.is_open or submission.status != Submission.Status.SMS_PENDING:
                continue
            if now - record.last_sent_at < RESEND_AFTER:
                raise SmsError("too_soon", _("A code was sent less than a minute ago. Wait a minute and try again."))
            if record.sends >= MAX_SENDS_PER_ROUND:
                raise SmsError("too_many", _("Too many codes were sent for this filing. Ask the provider for help."))
            code = f"{secrets.randbelow(1_000_000):06d}"
            record.code_hash = _code_hash(code, submission_id=submission.pk, round=record.round, mobile=mobile)
            record.last_sent_at = now
            record.sends += 1
            record.wrong_code_attempts = 0
            record.save(update_fields=["code_hash", "last_sent_at", "sends", "wrong_code_attempts"])
            _send_code(
                record,
                code,
                order_reference=submission.order_reference,
                province_code=submission.province_id,
                hours=config.sms_window_hours,
            )
            sent += 1
    return sent


def sms_windows_sweep(*, now: datetime | None = None) -> list[int]:
    """Every round whose window ended unverified fails, set-based (DESIGN.md): the due submissions are taken with
    ``skip_locked`` (one a visitor is verifying right now waits for the next sweep), moved in one UPDATE, their
    records closed in another, and their callbacks inserted in bulk, all in one transaction."""
    now = now or clock.now()
    config = SimulatorSettings.load()
    expired = SmsVerification.objects.filter(
        verified_at__isnull=True,
        failed_at__isnull=True,
        expires_at__lte=now,
        round=F("submission__sms_round"),
        submission__status=Submission.Status.SMS_PENDING,
    ).values("submission_id")
    with transaction.atomic():
        due = list(
            Submission.objects.select_for_update(skip_locked=True)
            .filter(pk__in=expired, status=Submission.Status.SMS_PENDING)
            .values_list("pk", "order_reference", "submission_key")
        )
        if not due:
            return []
        ids = [pk for pk, _ref, _key in due]
        Submission.objects.filter(pk__in=ids, status=Submission.Status.SMS_PENDING).update(
            status=Submission.Status.RETURNED
        )
        SmsVerification.objects.filter(submission_id__in=ids, verified_at__isnull=True, failed_at__isnull=True).update(
            failed_at=now
        )
        reason = _window_reason(config.sms_window_hours)
        callbacks.callbacks_create_bulk(
            [
                (pk, reference, key, CallbackType.SMS_FAILED, {"code": "window_missed", "reason": reason})
                for pk, reference, key in due
            ],
            now=now,
        )
    return ids
