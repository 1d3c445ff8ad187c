"""Every write to the registry: filing records (demo data, the admin, later the approval of submissions), ICP
passwords, the number sequences, and the submissions providers forward."""

import secrets
import string
from collections.abc import Iterable
from datetime import date

import idna
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from core import clock, phone
from regions.models import Region

from .constants import NUMBER_SEQUENCE_START, RegistryStatus
from .models import (
    DomainRegistration,
    LegacyRecord,
    NumberSequence,
    RegistryDomain,
    RegistrySubject,
    RegistryWebsite,
    SmsRule,
    Submission,
)
from .selectors import normalise_certificate_number


class RegistryError(ValueError):
    """A write the registry refuses (an unknown province, a domain already filed)."""


def domain_pair(value: str | tuple[str, str]) -> tuple[str, str]:
    """``(unicode, ascii)`` of a domain given either way; the registry stores both (IDNA 2008 with UTS #46)."""
    if isinstance(value, tuple):
        name, ascii_name = value
        return name, ascii_name.lower()
    ascii_name = idna.encode(value.strip().rstrip("."), uts46=True).decode("ascii")
    return idna.decode(ascii_name), ascii_name


# --- numbers -----------------------------------------------------------------------------------------------------


def _province(province: Region | str) -> Region:
    code = province.pk if isinstance(province, Region) else province
    found = Region.objects.filter(pk=code, level="province").first()
    if found is None or not found.abbreviation:
        raise RegistryError(f"not a province with an abbreviation: {code}")
    return found


def subject_number_format(province: Region, value: int) -> str:
    return f"{province.abbreviation}ICP备{value:08d}号"


def number_sequences_ensure() -> int:
    """A sequence row for every province that has none (reference data; idempotent). Returns how many it made."""
    provinces = Region.objects.filter(level="province", is_mainland=True).exclude(abbreviation="")
    existing = set(NumberSequence.objects.values_list("province_id", flat=True))
    missing = [NumberSequence(province=p, last_value=NUMBER_SEQUENCE_START) for p in provinces if p.pk not in existing]
    NumberSequence.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def subject_number_issue(*, province: Region | str) -> str:
    """The next subject number of a province (京ICP备24000001号). The sequence row is locked, so two approvals
    never get the same number; a number already held by a record filed earlier is skipped."""
    province = _province(province)
    NumberSequence.objects.get_or_create(province=province, defaults={"last_value": NUMBER_SEQUENCE_START})
    sequence = NumberSequence.objects.select_for_update().get(pk=province.pk)
    value = sequence.last_value
    while True:
        value += 1
        number = subject_number_format(province, value)
        taken = (
            RegistrySubject.objects.filter(icp_number=number).exists()
            or LegacyRecord.objects.filter(icp_number=number).exists()
        )
        if not taken:
            break
    sequence.last_value = value
    sequence.save(update_fields=["last_value", "updated_at"])
    return number


@transaction.atomic
def website_number_issue(*, subject_id: int) -> str:
    """The next website number under a subject (…号-1, -2…); a cancelled website's number is never given again."""
    subject = RegistrySubject.objects.select_for_update().get(pk=subject_id)
    index = subject.last_website_index
    while True:
        index += 1
        number = f"{subject.icp_number}-{index}"
        if not RegistryWebsite.objects.filter(icp_number=number).exists():
            break
    subject.last_website_index = index
    subject.save(update_fields=["last_website_index", "updated_at"])
    return number


# --- records -----------------------------------------------------------------------------------------------------


@transaction.atomic
def registry_subject_create(
    *,
    certificate_type: str,
    certificate_number: str,
    name: str,
    nature: str,
    province: Region | str,
    icp_number: str | None = None,
    password: str | None = None,
    principal_name: str = "",
    principal_certificate_type: str = "",
    principal_certificate_number: str = "",
    principal_mobile: str = "",
    filed_on: date | None = None,
) -> RegistrySubject:
    province = _province(province)
    subject = RegistrySubject(
        certificate_type=certificate_type,
        certificate_number=normalise_certificate_number(certificate_number),
        name=name,
        nature=nature,
        province=province,
        icp_number=icp_number or subject_number_issue(province=province),
        principal_name=principal_name,
        principal_certificate_type=principal_certificate_type,
        principal_certificate_number=normalise_certificate_number(principal_certificate_number),
        principal_mobile=principal_mobile,
        filed_on=filed_on or clock.today(),
    )
    subject.set_password(password)
    subject.save()
    return subject


@transaction.atomic
def registry_website_add(
    *,
    subject: RegistrySubject,
    name: str,
    access_provider: str,
    domains: Iterable[str | tuple[str, str]],
    icp_number: str | None = None,
    principal_name: str = "",
    principal_certificate_type: str = "",
    principal_certificate_number: str = "",
    principal_mobile: str = "",
    filed_on: date | None = None,
) -> RegistryWebsite:
    """File a website under ``subject`` with its domains. ``icp_number`` given (records filed earlier) moves the
    subject's website counter past it, so the next issued number does not collide."""
    pairs = [domain_pair(d) for d in domains]
    taken = RegistryDomain.objects.filter(
        ascii_name__in=[a for _, a in pairs], status=RegistryStatus.ACTIVE
    ).values_list("ascii_name", flat=True)
    if taken:
        raise RegistryError(f"already filed: {', '.join(sorted(taken))}")
    if icp_number is None:
        icp_number = website_number_issue(subject_id=subject.pk)
    else:
        suffix = icp_number.rsplit("-", 1)[-1]
        if suffix.isdigit() and int(suffix) > subject.last_website_index:
            RegistrySubject.objects.filter(pk=subject.pk).update(last_website_index=int(suffix))
            subject.last_website_index = int(suffix)
    website = RegistryWebsite.objects.create(
        subject=subject,
        name=name,
        icp_number=icp_number,
        access_provider=access_provider,
        principal_name=principal_name,
        principal_certificate_type=principal_certificate_type,
        principal_certificate_number=normalise_certificate_number(principal_certificate_number),
        principal_mobile=principal_mobile,
        filed_on=filed_on or clock.today(),
    )
    RegistryDomain.objects.bulk_create(RegistryDomain(website=website, name=n, ascii_name=a) for n, a in pairs)
    return website


def subject_password_set(*, subject: RegistrySubject, password: str) -> None:
    """Issue a new ICP password (at approval, or by the retrieval page); only its hash is kept."""
    subject.set_password(password)
    subject.save(update_fields=["password_hash", "updated_at"])


def subject_password_check(*, subject: RegistrySubject, password: str) -> bool:
    return subject.check_password(password)


PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def new_password() -> str:
    """A fresh ICP password: 10 characters, upper and lower case letters and digits, no look-alikes."""
    while True:
        value = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value):
            return value


def password_send(*, subject: RegistrySubject, password: str, mobile: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext(
            "[MIIT ICP filing] %(name)s is filed as %(number)s. Its ICP filing password is %(password)s. Keep it "
            "safe: it is needed to transfer or cancel the filing."
        ) % {"name": subject.name, "number": subject.icp_number, "password": password}
    phone.phone_send(to=mobile, body=body, source="miit")


def subject_password_retrieve(*, certificate_type: str, certificate_number: str, mobile: str) -> bool:
    """找回备案密码: when the certificate names an active subject and ``mobile`` is its principal's, a new password
    replaces the old one and goes to that mobile. False (and nothing sent) otherwise; the page says the same either
    way, so it tells nobody which subjects and mobiles are on record."""
    try:
        mobile = phone.normalise_mobile(mobile)
    except ValueError:
        return False
    with transaction.atomic():
        subject = (
            RegistrySubject.objects.select_for_update()
            .filter(
                certificate_type=certificate_type,
                certificate_number=normalise_certificate_number(certificate_number),
                status=RegistryStatus.ACTIVE,
            )
            .first()
        )
        if subject is None:
            return False
        try:
            on_record = phone.normalise_mobile(subject.principal_mobile)
        except ValueError:
            return False
        if on_record != mobile:
            return False
        password = new_password()
        subject_password_set(subject=subject, password=password)
        password_send(subject=subject, password=password, mobile=mobile)
    return True


def domain_registration_upsert(
    *,
    domain: str | tuple[str, str],
    registrar: str,
    holder_name: str,
    expires_on: date,
    holder_certificate_type: str = "",
    holder_certificate_number: str = "",
    registered_on: date | None = None,
    real_name_verified: bool = True,
) -> DomainRegistration:
    name, ascii_name = domain_pair(domain)
    registration, _created = DomainRegistration.objects.update_or_create(
        ascii_name=ascii_name,
        defaults={
            "name": name,
            "registrar": registrar,
            "holder_name": holder_name,
            "holder_certificate_type": holder_certificate_type,
            "holder_certificate_number": normalise_certificate_number(holder_certificate_number),
            "registered_on": registered_on,
            "expires_on": expires_on,
            "real_name_verified": real_name_verified,
        },
    )
    return registration


class ClaimRefused(Exception):
    """The legacy record cannot be claimed (by this order): moved, claimed by another order, or not there."""


def legacy_record_claim(*, certificate_type: str, certificate_number: str, ascii_name: str, order_reference: str):
    """认领备案, reported by the provider once its reviewer approved the claim: the record is marked claimed by that
    order, so no one claims it again. Reporting the same order's claim again answers the record as it is (a retried
    report is harmless); another order's claim, a transferred record or a late one raises ``ClaimRefused``."""
    with transaction.atomic():
        record = (
            LegacyRecord.objects.select_for_update()
            .filter(
                certificate_type=certificate_type,
                certificate_number=normalise_certificate_number(certificate_number),
                ascii_domain=ascii_name.lower(),
            )
            .first()
        )
        if record is None:
            raise ClaimRefused("no legacy record of this subject and domain")
        if record.claimed_at is not None:
            if record.claimed_by == order_reference:
                return record
            raise ClaimRefused("already claimed by another order")
        if not record.claimable:
            raise ClaimRefused("not claimable")
        record.claimed_at = clock.now()
        record.claimed_by = order_reference
        record.save(update_fields=["claimed_at", "claimed_by"])
    return record


def legacy_record_create(
    *,
    certificate_type: str,
    certificate_number: str,
    subject_name: str,
    nature: str,
    province: Region | str,
    domain: str | tuple[str, str],
    icp_number: str,
    filed_on: date,
    transferred: bool = False,
) -> LegacyRecord:
    name, ascii_name = domain_pair(domain)
    return LegacyRecord.objects.create(
        certificate_type=certificate_type,
        certificate_number=normalise_certificate_number(certificate_number),
        subject_name=subject_name,
        nature=nature,
        province=_province(province),
        domain=name,
        ascii_domain=ascii_name,
        icp_number=icp_number,
        filed_on=filed_on,
        transferred=transferred,
    )


# --- submissions (提交管局) ------------------------------------------------------------------------------------------

# Order types the administration never sends SMS codes for (RULES.md, SMS verification: cancellations need none;
# claims end at the provider's review). The provider's type names are the contract of the submission API.
NO_SMS_ORDER_TYPES = frozenset({"cancel_subject", "cancel_website", "cancel_access", "claim"})


def sms_required_for(*, province_code: str, order_type: str, on: date | None = None) -> bool:
    """The administration's own rule table (``SmsRule``): the province's row in force on the day, and never for
    the types above."""
    if order_type in NO_SMS_ORDER_TYPES:
        return False
    on = on or clock.today()
    rule = SmsRule.objects.filter(province_id=province_code, effective_from__lte=on).order_by("-effective_from").first()
    return bool(rule and rule.required)


def sms_rules_seed(rows: Iterable[tuple[str, date, bool, str]]) -> int:
    """``(province code, effective from, required, note)`` rows of the SMS rule table; an existing row (province
    and day) keeps what an administrator made of it. Returns how many were created."""
    existing = set(SmsRule.objects.values_list("province_id", "effective_from"))
    missing = [
        SmsRule(province_id=code, effective_from=day, required=required, note=note)
        for code, day, required, note in rows
        if (code, day) not in existing
    ]
    SmsRule.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def submission_receive(
    *,
    submission_key: str,
    order_reference: str,
    order_type: str,
    province_code: str,
    payload: dict,
    provider: str = "",
) -> Submission:
    """Record a forwarded order once: the same ``submission_key`` again returns the first row unchanged. Once the
    row is committed, the simulator takes it on (``miit.tasks.process_submission``; beat's sweep if that is lost)."""
    existing = Submission.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    province = _province(province_code)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                submission_key=submission_key,
                order_reference=order_reference,
                provider=provider,
                order_type=order_type,
                province=province,
                payload=payload,
                sms_required=sms_required_for(province_code=province.pk, order_type=order_type),
                received_at=clock.now(),
            )
            transaction.on_commit(lambda: _process_later(submission.pk), robust=True)
            return submission
    except IntegrityError:
        # The same key at the same moment (a retry racing the first request): the first one stands.
        return Submission.objects.get(submission_key=submission_key)


def _process_later(submission_id: int) -> None:
    from .tasks import process_submission

    process_submission.delay(submission_id)
