"""The subject (主办单位信息) as a whole."""

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _

from core.findings import Finding

from ..constants import SubjectNature
from ..models import CertificatePattern
from .addresses import check_addresses, first_of, place_names, region_code
from .certificates import check_certificate_number, check_certificate_type_for_nature
from .text import fail, text

_REQUIRED_TEXT = {
    "name": (
        "subject_name.required",
        _("Enter the subject's name exactly as on its certificate (for a person, the name on the ID card)."),
    ),
    "certificate_address": (
        "certificate_address.required",
        _("Enter the address printed on the subject's certificate."),
    ),
    "mailing_address": (
        "mailing_address.required",
        _("Enter the street address where the subject receives mail, with the street number."),
    ),
    "investor": (
        "investor.required",
        _("Enter the investor or the competent unit (for a person, their own name)."),
    ),
}


def check_nature(nature, *, field: str = "nature") -> list[Finding]:
    if text(nature) in SubjectNature.values:
        return []
    return [fail(field, "nature.invalid", _("Choose the nature of the subject, such as enterprise or individual."))]


def check_province(province, *, field: str = "province") -> list[Finding]:
    """The subject's region starts with a mainland province."""
    code = region_code(province)
    if code is None:
        return [fail(field, "province.required", _("Choose the province, city and district of the subject."))]
    if code not in place_names().mainland_provinces:
        return [fail(field, "province.not_mainland", _("Filings are made in a mainland province: choose one."))]
    return []


def validate_subject(
    data: Mapping,
    *,
    patterns: Mapping[str, CertificatePattern] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Every check of the subject's own fields (``SubjectFields`` names; regions as Region, code or ``*_id``):
    nature, certificate type for the nature, certificate number, required texts, province, addresses.
    The principal is checked by ``validate_principals``."""
    nature = text(data.get("nature"))
    certificate_type = text(data.get("certificate_type"))
    findings = [
        *check_nature(nature),
        *check_certificate_type_for_nature(nature, certificate_type),
        *check_certificate_number(certificate_type, data.get("certificate_number"), patterns=patterns, today=today),
    ]
    for field, (code, message) in _REQUIRED_TEXT.items():
        if not text(data.get(field)):
            findings.append(fail(field, code, message))
    findings.extend(check_province(first_of(data, "province", "province_id")))
    findings.extend(check_addresses(data))
    return findings
