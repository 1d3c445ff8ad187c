"""A principal (负责人) on their own, and the principals of an application together."""

from collections.abc import Mapping, Sequence
from datetime import date

from django.utils.translation import gettext_lazy as _

from core.findings import Finding

from ..constants import PERSONAL_CERTIFICATE_TYPES, CertificateType
from ..models import CertificatePattern
from .certificates import certificate_patterns, check_certificate_number, check_personal_certificate_type
from .contacts import (
    check_distinct_principals,
    check_email,
    check_emergency_phone,
    check_mobile,
    check_mobiles_on_other_subjects,
    check_office_phone,
)
from .text import fail, placed, text

_PATTERN_TYPES = frozenset(PERSONAL_CERTIFICATE_TYPES) - {CertificateType.RESIDENT_ID}


def check_person_name(value, *, field: str = "name") -> list[Finding]:
    """负责人姓名: required, and no digits (a name as on the identity document)."""
    name = text(value)
    if not name:
        return [fail(field, "person_name.required", _("Enter the principal's name as on the identity document."))]
    if any(character.isdigit() for character in name):
        return [
            fail(
                field,
                "person_name.digits",
                _("A name has no digits: enter the principal's name as on the identity document."),
            )
        ]
    return []


def validate_person(
    data: Mapping,
    *,
    field_prefix: str = "",
    patterns: Mapping[str, CertificatePattern] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Every check of one principal: name, personal document type and number, mobile, office and emergency phone,
    e-mail. Fields are ``PersonFields``' names, placed under ``field_prefix`` (``principal`` → ``principal.mobile``).
    Reads the database only for a permit or passport pattern (when ``patterns`` is not given) and the clock."""
    certificate_type = text(data.get("certificate_type"))
    if patterns is None and certificate_type in _PATTERN_TYPES:
        patterns = certificate_patterns()
    findings = [
        *check_person_name(data.get("name")),
        *check_personal_certificate_type(certificate_type),
        *check_certificate_number(certificate_type, data.get("certificate_number"), patterns=patterns, today=today),
        *check_mobile(data.get("mobile")),
        *check_office_phone(data.get("office_phone")),
        *check_emergency_phone(data.get("emergency_phone")),
        *check_email(data.get("email")),
    ]
    return placed(findings, field_prefix)


def _by_prefix(principals: Mapping[str, Mapping] | Sequence[Mapping]) -> dict[str, Mapping]:
    if isinstance(principals, Mapping):
        return dict(principals)
    return {f"principals.{index}": data for index, data in enumerate(principals)}


def validate_principals(
    principals: Mapping[str, Mapping] | Sequence[Mapping],
    *,
    subject=None,
    check_other_subjects: bool = True,
    patterns: Mapping[str, CertificatePattern] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """All principals of an application: each one (``validate_person``), distinct contacts for distinct people, and
    (unless ``check_other_subjects`` is off) a warning for a mobile already on another filed subject.

    ``principals`` maps each field prefix to the person's data, in the order shown (``{"principal": …,
    "websites.0.principal": …}``); a plain list gets the prefixes ``principals.0``, ``principals.1``…
    ``subject`` is the filed subject being changed, if any. Queries: at most one for patterns, one for mobiles.
    """
    by_prefix = _by_prefix(principals)
    if patterns is None and any(text(data.get("certificate_type")) in _PATTERN_TYPES for data in by_prefix.values()):
        patterns = certificate_patterns()
    findings = []
    for prefix, data in by_prefix.items():
        findings.extend(validate_person(data, field_prefix=prefix, patterns=patterns, today=today))
    findings.extend(check_distinct_principals(by_prefix))
    if check_other_subjects:
        mobiles = {f"{prefix}.mobile": data.get("mobile") for prefix, data in by_prefix.items()}
        findings.extend(check_mobiles_on_other_subjects(mobiles, subject=subject))
    return findings
