"""Which filings use my ID? (docs/lifecycle.md)

A signed-in person enters a name and a personal document number; the administration answers (through the gateway's
``lookup_by_principal``) only if that name is on record for the document, with the mobiles on record for it. The
person proves control of one of those mobiles with an SMS code; only then does the portal ask again and show every
active subject and website that names the document as principal — names partly hidden, ICP numbers shown — with a way
to report misuse to the provider's staff.

Every lookup writes an ``IdentityLookup`` row (the ID number only as an HMAC and a masked form), and those rows are
the rate limit: a few lookups per account and per IP address a day. A name that does not match, an unknown document
and a document with no mobile on record all get the same answer, so the page tells a stranger nothing.
"""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from core import mobile_codes
from notifications.services import Notice, notify_many
from regions.models import Region
from subjects.constants import PERSONAL_CERTIFICATE_TYPES
from subjects.validation import check_certificate_number, normalise_certificate_number
from websites.models import IdentityLookup, IdentityLookupOutcome

Outcome = IdentityLookupOutcome

DEFAULT_PER_USER = 5
DEFAULT_PER_IP = 20
WINDOW = timedelta(hours=24)
# How long the code step and the report stay open after the lookup.
CODE_STEP_MINUTES = 30
REPORT_HOURS = 24


@dataclass
class LookupRefused(Exception):
    code: str
    message: str

    def __str__(self):
        return str(self.message)


def _limits() -> tuple[int, int]:
    icp = getattr(settings, "ICP", {})
    return icp.get("IDENTITY_LOOKUPS_PER_USER", DEFAULT_PER_USER), icp.get("IDENTITY_LOOKUPS_PER_IP", DEFAULT_PER_IP)


# --- masking ---------------------------------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """Partly hidden: about a quarter kept at each end (北京测试科技有限公司 → 北京******公司, 张三 → 张*)."""
    name = (name or "").strip()
    length = len(name)
    if length <= 1:
        return "*" * length
    if length == 2:
        return name[0] + "*"
    keep = max(1, math.floor(length / 4))
    return name[:keep] + "*" * (length - 2 * keep) + name[-keep:]


def mask_certificate(number: str) -> str:
    number = normalise_certificate_number(number)
    if len(number) <= 5:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


def mask_mobile(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) >= 7 else "****"


def certificate_hash(certificate_type: str, number: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = f"identity-lookup:{certificate_type}:{normalise_certificate_number(number)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_purpose(lookup: IdentityLookup) -> str:
    return f"identity-lookup:{lookup.pk}"


# --- the lookup ------------------------------------------------------------------------------------------------------


def _no_match() -> LookupRefused:
    return LookupRefused(
        "no_match",
        _(
            "We could not match this name and ID number to a mobile on record. Check both as they appear on the "
            "document. If a filing uses your ID with another name or mobile, contact us."
        ),
    )


def _recent(queryset, now):
    return queryset.filter(created_at__gte=now - WINDOW).exclude(outcome=Outcome.RATE_LIMITED)


def identity_lookup_start(
    *, user, ip: str | None, name: str, certificate_type: str, certificate_number: str, gateway=None
) -> tuple[IdentityLookup, list[str]]:
    """Step 1: check the limits, ask the administration whether ``name`` is on record for the document, and return
    the audit row with the mobiles on record (never shown in full). Raises LookupRefused; the row stays written."""
    from .gateway import GatewayError, get_gateway

    name = (name or "").strip()
    number = normalise_certificate_number(certificate_number)
    if certificate_type not in PERSONAL_CERTIFICATE_TYPES:
        raise LookupRefused("certificate_type", _("Choose a personal identity document."))
    problems = [f for f in check_certificate_number(certificate_type, number) if f.is_error]
    if not name or problems:
        raise LookupRefused("invalid_input", problems[0].message if problems else _("Enter the name on the document."))
    now = timezone.now()
    row = IdentityLookup(
        user=user,
        name_entered=name[:50],
        certificate_type=certificate_type,
        certificate_hash=certificate_hash(certificate_type, number),
        certificate_masked=mask_certificate(number),
        ip=ip,
        created_at=now,
    )
    per_user, per_ip = _limits()
    with transaction.atomic():
        # The account's row is locked so two lookups of one person at once cannot both slip under the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        too_many = _recent(IdentityLookup.objects.filter(user=user), now).count() >= per_user or (
            ip is not None and _recent(IdentityLookup.objects.filter(ip=ip), now).count() >= per_ip
        )
        row.outcome = Outcome.RATE_LIMITED if too_many else Outcome.CODE_PENDING
        row.save()
    if too_many:
        raise LookupRefused("rate_limited", _("You have made as many lookups as one day allows. Try again tomorrow."))
    try:
        answer = (gateway or get_gateway()).lookup_by_principal(
            name=name, certificate_type=certificate_type, certificate_number=number
        )
    except GatewayError:
        IdentityLookup.objects.filter(pk=row.pk).update(outcome=Outcome.UNAVAILABLE)
        raise LookupRefused(
            "registry_unavailable",
            _("The administration's registry cannot be reached at the moment. Try again in a few minutes."),
        ) from None
    if not answer.matched or not answer.mobiles:
        IdentityLookup.objects.filter(pk=row.pk).update(outcome=Outcome.NO_MATCH)
        row.outcome = Outcome.NO_MATCH
        raise _no_match()
    return row, list(answer.mobiles)


def _open_lookup(*, user, lookup_id: int) -> IdentityLookup:
    lookup = IdentityLookup.objects.select_for_update().filter(pk=lookup_id, user=user).first()
    expired = lookup is None or timezone.now() - lookup.created_at > timedelta(minutes=CODE_STEP_MINUTES)
    if expired or lookup.outcome != Outcome.CODE_PENDING:
        raise LookupRefused("lookup_closed", _("This lookup has ended. Start a new one."))
    return lookup


@transaction.atomic
def identity_lookup_send_code(*, user, lookup_id: int, mobile: str) -> IdentityLookup:
    """Step 2: send the code to one of the mobiles on record. Raises LookupRefused or core.mobile_codes.CodeError."""
    lookup = _open_lookup(user=user, lookup_id=lookup_id)
    mobile_codes.mobile_code_send(mobile=mobile, purpose=code_purpose(lookup), user=user)
    lookup.mobile_masked = mask_mobile(mobile)
    lookup.save(update_fields=["mobile_masked"])
    return lookup


@dataclass(frozen=True)
class MaskedRecord:
    kind: str
    name: str
    subject_name: str
    icp_number: str
    province: str
    filed_on: object

    @property
    def kind_label(self) -> str:
        return str(_("Subject principal") if self.kind == "subject" else _("Website principal"))


def identity_lookup_verify(
    *,
    user,
    lookup_id: int,
    mobile: str,
    code: str,
    name: str,
    certificate_type: str,
    certificate_number: str,
    gateway=None,
) -> list[MaskedRecord]:
    """Step 3: check the code, ask the administration again and return the records, masked. The audit row gets the
    count and the ICP numbers shown. Raises LookupRefused or core.mobile_codes.CodeError."""
    from .gateway import GatewayError, get_gateway

    with transaction.atomic():
        lookup = _open_lookup(user=user, lookup_id=lookup_id)
    # Outside the lock: a wrong code is counted and committed by mobile_codes before it raises.
    mobile_codes.mobile_code_check(mobile=mobile, purpose=code_purpose(lookup), code=code)
    try:
        answer = (gateway or get_gateway()).lookup_by_principal(
            name=name, certificate_type=certificate_type, certificate_number=certificate_number
        )
    except GatewayError:
        raise LookupRefused(
            "registry_unavailable",
            _("The administration's registry cannot be reached at the moment. Try again in a few minutes."),
        ) from None
    if not answer.matched or mobile not in answer.mobiles:
        raise _no_match()
    provinces = dict(Region.objects.filter(level="province").values_list("code", "name"))
    records = [
        MaskedRecord(
            kind=record.kind,
            name=mask_name(record.name),
            subject_name=mask_name(record.subject_name),
            icp_number=record.icp_number,
            province=provinces.get(record.province_code, ""),
            filed_on=record.filed_on,
        )
        for record in answer.records
    ]
    with transaction.atomic():
        lookup = _open_lookup(user=user, lookup_id=lookup_id)
        lookup.outcome = Outcome.SHOWN
        lookup.verified_at = timezone.now()
        lookup.result_count = len(records)
        lookup.result_numbers = [record.icp_number for record in records]
        lookup.save(update_fields=["outcome", "verified_at", "result_count", "result_numbers"])
    return records


@transaction.atomic
def identity_lookup_report(*, user, lookup_id: int, numbers: list[str], note: str = "") -> IdentityLookup:
    """举报冒用: the person marks records shown to them as not theirs. Recorded on the lookup's audit row, and the
    provider's supervisors get an in-app message to follow it up with the administration."""
    from .notify import IDENTITY_MISUSE_REPORTED

    lookup = IdentityLookup.objects.select_for_update().filter(pk=lookup_id, user=user).first()
    if lookup is None or lookup.outcome != Outcome.SHOWN or lookup.verified_at is None:
        raise LookupRefused("not_shown", _("Report from the list of your records, after the SMS code."))
    if timezone.now() - lookup.verified_at > timedelta(hours=REPORT_HOURS):
        raise LookupRefused("lookup_closed", _("This lookup has ended. Start a new one."))
    chosen = [number for number in dict.fromkeys(numbers) if number in lookup.result_numbers]
    if not chosen:
        raise LookupRefused("nothing_chosen", _("Choose the records that are not yours."))
    lookup.reported = True
    lookup.reported_at = timezone.now()
    lookup.reported_numbers = sorted(set(lookup.reported_numbers) | set(chosen))
    lookup.report_note = (note or "").strip()[:2000]
    lookup.save(update_fields=["reported", "reported_at", "reported_numbers", "report_note"])
    supervisors = get_user_model().objects.filter(groups__name=Role.SUPERVISOR.value, is_active=True).distinct()
    notify_many(
        Notice(
            event=IDENTITY_MISUSE_REPORTED.key,
            context={"reference": f"L{lookup.pk}", "numbers": chosen, "link": ""},
            idempotency_key=f"identity-lookup:{lookup.pk}:report:{len(lookup.reported_numbers)}",
            recipient=person,
        )
        for person in supervisors
    )
    return lookup
