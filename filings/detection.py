"""验证备案类型: the filing type follows from the national registry and this portal's records (RULES.md).

| subject in registry | domain in registry | subject has access with us | type |
|---|---|---|---|
| no | no | – | first filing |
| yes, with us | no | yes | add website |
| yes, elsewhere only | no | no | add website (new user) |
| yes | yes, same subject, not with us | no | transfer-in |
| yes | yes, same subject, not with us | yes | continue transfer-in |
| legacy HiChina record before 2010-06, never moved | – | no | claim |

"Access with us" means this portal holds the filed subject (``subjects.Subject``), or the registry shows one of
its websites accessed through this provider. The registry is asked through ``filings.gateway`` only.

Refusals come back as error findings on the field they concern, with stable codes: ``subject_of_another_account``
and ``order_in_process`` (certificate number), ``domain_filed_under_another_subject`` and ``domain_filed_with_us``
(domain), ``region_mismatch`` (province), ``registry_unavailable``; before those, the certificate and domain checks
of ``subjects.validation`` and ``websites.validation``. The domain registration (holder, expiry, real name) is asked
too, but only warns here: the pre-check and the administration check it again before anything is filed.
"""

import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.findings import Finding, Level
from regions.models import Region
from regions.selectors import province_of
from subjects.constants import RecordStatus, SubjectNature
from subjects.models import Subject
from subjects.validation import (
    check_certificate_number,
    check_certificate_type_for_nature,
    normalise_certificate_number,
)
from subjects.validation.text import fail
from websites.models import Domain
from websites.validation.domains import InvalidDomain, normalise_domain

from .constants import OrderType
from .gateway import (
    AdministrationGateway,
    DomainRecord,
    GatewayError,
    LegacyRecord,
    SubjectRecord,
    get_gateway,
    holder_findings,
)
from .services.drafts import filed_subject_for, order_in_process_for

logger = logging.getLogger(__name__)

# Which form field each refusal is shown beside.
CERTIFICATE_FIELD, DOMAIN_FIELD, PROVINCE_FIELD = "certificate_number", "domain", "province"


@dataclass(frozen=True)
class Detection:
    """What 验证备案类型 found. ``order_type`` is None when refused; ``findings`` holds the refusals (errors) and
    warnings, each on a field of the first page. ``subject`` is the portal's filed subject the order works on."""

    order_type: str | None
    findings: tuple[Finding, ...]
    province: Region
    nature: str
    certificate_type: str
    certificate_number: str
    domain: tuple[str, str] | None = None
    subject: Subject | None = None
    registry_subject: SubjectRecord | None = None
    registry_domain: DomainRecord | None = None
    legacy: LegacyRecord | None = None

    @property
    def refusals(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == Level.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == Level.WARNING)

    @property
    def ok(self) -> bool:
        return self.order_type is not None and not self.refusals

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]


def _refused(base: dict, findings: list[Finding], **extra) -> Detection:
    return Detection(order_type=None, findings=tuple(findings), **base, **extra)


def _input_findings(*, nature: str, certificate_type: str, certificate_number: str) -> list[Finding]:
    if nature not in SubjectNature.values:
        return [fail("nature", "nature.required", _("Choose the nature of the subject."))]
    findings = check_certificate_type_for_nature(nature, certificate_type, field="certificate_type")
    if not findings:
        findings = check_certificate_number(certificate_type, certificate_number, field=CERTIFICATE_FIELD)
    return findings


def _account_refusal(*, applicant, portal_subject: Subject | None, certificate_type: str, number: str):
    """The subject belongs to the account that filed it; one order in process per subject (RULES.md, guards)."""
    another_account = fail(
        CERTIFICATE_FIELD,
        "subject_of_another_account",
        _("This subject is held by another account: sign in with that account."),
    )
    if portal_subject is not None and portal_subject.owner_id != applicant.pk:
        return another_account
    order = order_in_process_for(certificate_type=certificate_type, certificate_number=number)
    if order is None:
        return None
    if order.applicant_id != applicant.pk:
        return another_account
    return fail(
        CERTIFICATE_FIELD,
        "order_in_process",
        _("This subject already has an order in process (%(number)s). Finish or withdraw it before starting another."),
        number=order.number,
    )


def _domain_refusal(
    *, domain_name: str, ascii_name: str, certificate_type: str, number: str, registry_domain: DomainRecord | None
) -> Finding | None:
    another_subject = fail(
        DOMAIN_FIELD,
        "domain_filed_under_another_subject",
        _(
            "%(domain)s is already filed under another subject. A domain is filed under one subject only: check "
            "the domain, or ask the subject it is filed under to cancel that filing first."
        ),
        domain=domain_name,
    )

    def with_us(icp_number: str) -> Finding:
        return fail(
            DOMAIN_FIELD,
            "domain_filed_with_us",
            _(
                "%(domain)s is already filed with us for this subject (%(icp_number)s). To change that website, "
                "start a website change from your filings instead of a new filing."
            ),
            domain=domain_name,
            icp_number=icp_number or "—",
        )

    portal_domain = (
        Domain.objects.filter(ascii_name=ascii_name, status=RecordStatus.ACTIVE)
        .select_related("website__subject")
        .first()
    )
    if portal_domain is not None:
        subject = portal_domain.website.subject
        if (subject.certificate_type, subject.certificate_number) != (certificate_type, number):
            return another_subject
        return with_us(portal_domain.website.icp_number)
    if registry_domain is not None:
        if not registry_domain.subject.is_certificate(certificate_type, number):
            return another_subject
        if registry_domain.with_us:
            return with_us(registry_domain.website.icp_number)
    return None


def _holder_warnings(gateway, *, domain_name, ascii_name, certificate_type, number, nature, holder_name):
    check = gateway.verify_domain_holder(
        ascii_name, certificate_type=certificate_type, certificate_number=number, holder_name=holder_name, nature=nature
    )
    return holder_findings(check, domain_name=domain_name, field=DOMAIN_FIELD, level=Level.WARNING)


def detect_filing_type(
    *,
    applicant,
    province: Region,
    nature: str,
    certificate_type: str,
    certificate_number: str,
    domain: str,
    gateway: AdministrationGateway | None = None,
) -> Detection:
    """The filing type of this subject and domain for ``applicant``, or why none can start (see the module)."""
    province = province_of(province)
    number = normalise_certificate_number(certificate_number)
    base = {"province": province, "nature": nature, "certificate_type": certificate_type, "certificate_number": number}

    findings = _input_findings(nature=nature, certificate_type=certificate_type, certificate_number=number)
    try:
        parsed = normalise_domain(domain)
    except InvalidDomain as problem:
        findings.append(problem.finding(DOMAIN_FIELD))
        parsed = None
    if any(f.is_error for f in findings) or parsed is None:
        return _refused(base, findings)
    warnings = [f for f in findings if not f.is_error]
    domain_pair = (parsed.name, parsed.ascii_name)
    base["domain"] = domain_pair

    portal_subject = filed_subject_for(certificate_type=certificate_type, certificate_number=number)
    refusal = _account_refusal(
        applicant=applicant, portal_subject=portal_subject, certificate_type=certificate_type, number=number
    )
    if refusal is not None:
        return _refused(base, [refusal])

    gateway = gateway or get_gateway()
    try:
        registry_subject = gateway.lookup_subject(certificate_type=certificate_type, certificate_number=number)
        registry_domain = gateway.lookup_domain(parsed.ascii_name)
        legacy = gateway.lookup_legacy(
            certificate_type=certificate_type, certificate_number=number, ascii_name=parsed.ascii_name
        )
    except GatewayError:
        logger.exception("registry lookup failed")
        unavailable = fail(
            "",
            "registry_unavailable",
            _("The administration's registry cannot be reached at the moment. Try again in a few minutes."),
        )
        return _refused(base, [unavailable])
    found = {"registry_subject": registry_subject, "registry_domain": registry_domain, "legacy": legacy}

    access_with_us = portal_subject is not None or bool(registry_subject and registry_subject.has_access_with_us)
    claim = legacy is not None and legacy.claimable and not access_with_us

    refusals = []
    domain_refusal = _domain_refusal(
        domain_name=parsed.name,
        ascii_name=parsed.ascii_name,
        certificate_type=certificate_type,
        number=number,
        registry_domain=registry_domain,
    )
    if domain_refusal is not None:
        refusals.append(domain_refusal)
    registered_province = (
        portal_subject.province_id
        if portal_subject is not None
        else registry_subject.province_code
        if registry_subject is not None
        else legacy.province_code
        if claim
        else None
    )
    if registered_province and registered_province != province.pk:
        registered = Region.objects.filter(pk=registered_province).first()
        refusals.append(
            fail(
                PROVINCE_FIELD,
                "region_mismatch",
                _(
                    "This subject is filed in %(registered)s, not in %(entered)s. Choose the province where the "
                    "subject is registered; the other details must match its filing too."
                ),
                registered=registered.name if registered else registered_province,
                entered=province.name,
            )
        )
    if refusals:
        return _refused(base, refusals, subject=portal_subject, **found)

    if claim:
        order_type = OrderType.CLAIM
    elif portal_subject is None and registry_subject is None:
        order_type = OrderType.FIRST_FILING
    elif registry_domain is None:
        order_type = OrderType.ADD_WEBSITE if access_with_us else OrderType.ADD_WEBSITE_NEW_USER
    else:
        order_type = OrderType.CONTINUE_TRANSFER_IN if access_with_us else OrderType.TRANSFER_IN

    holder_name = (
        portal_subject.name
        if portal_subject is not None
        else registry_subject.name
        if registry_subject is not None
        else legacy.subject_name
        if legacy is not None
        else ""
    )
    try:
        warnings += _holder_warnings(
            gateway,
            domain_name=parsed.name,
            ascii_name=parsed.ascii_name,
            certificate_type=certificate_type,
            number=number,
            nature=nature,
            holder_name=holder_name,
        )
    except GatewayError:
        logger.warning("domain registration check failed; the pre-check asks again", exc_info=True)
    return Detection(order_type=order_type, findings=tuple(warnings), subject=portal_subject, **base, **found)
