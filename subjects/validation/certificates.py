"""Certificate types and numbers (主办单位证件 / 负责人证件).

Checksums come from python-stdnum: the resident ID (GB 11643, ``stdnum.cn.ric``), the unified social credit code
(GB 32100, ``stdnum.cn.uscc``) and the 15-digit business registration number of licences issued before the 2015
merger of certificates (ISO 7064 MOD 11,10, ``stdnum.iso7064.mod_11_10``). Personal documents without a checksum
(permits, passports) are matched against the admin-editable ``CertificatePattern`` rows.
"""

import logging
import re
import unicodedata
from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_10

from core import clock
from core.findings import Finding

from ..constants import (
    NATURE_CERTIFICATE_TYPES,
    PERSONAL_CERTIFICATE_TYPES,
    USCC_CERTIFICATE_TYPES,
    CertificateType,
    SubjectNature,
)
from ..models import CertificatePattern
from .text import fail, text, warn

logger = logging.getLogger(__name__)

EARLIEST_BIRTH_YEAR = 1900
_RESIDENT_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
_USCC_UNUSED_LETTERS = frozenset("IOSVZ")

# GB 32100: the first character is the registering authority, the second the kind of organisation. A code whose
# kind does not match the certificate chosen is usually the wrong code (or the wrong nature): a warning, because
# the mapping has exceptions (群团组织 registered by 机构编制 are 13, some institutions hold a business licence).
USCC_KIND_PREFIXES: dict[str, tuple[str, ...]] = {
    CertificateType.BUSINESS_LICENCE: ("91", "92", "93"),
    CertificateType.USCC_CERTIFICATE: ("11",),
    CertificateType.PUBLIC_INSTITUTION_CERTIFICATE: ("12",),
    CertificateType.SOCIAL_GROUP_CERTIFICATE: ("51", "13"),
    CertificateType.PRIVATE_NON_ENTERPRISE_CERTIFICATE: ("52",),
    CertificateType.FOUNDATION_CERTIFICATE: ("53",),
    CertificateType.LAW_FIRM_LICENCE: ("31",),
}


def normalise_certificate_number(number) -> str:
    """The number as stored: full-width characters folded (NFKC), spaces and hyphens removed, upper case.

    A resident ID typed with a lower-case ``x`` check digit becomes ``X``.
    """
    folded = unicodedata.normalize("NFKC", text(number))
    return re.sub(r"[\s\-]", "", folded).upper()


def _required(field: str) -> list[Finding]:
    return [fail(field, "certificate_number.required", _("Enter the certificate number as printed on the document."))]


# --- Resident identity card ----------------------------------------------------------------------------------------


def resident_id_birth_date(number) -> date | None:
    """The date of birth in a resident ID number (characters 7–14), or None when it is not a real date."""
    compact = normalise_certificate_number(number)
    if not _RESIDENT_ID_SHAPE.fullmatch(compact):
        return None
    try:
        return ric.get_birth_date(compact)
    except StdnumError:
        return None


def is_known_area_code(code: str) -> bool:
    """Whether a six-digit code is (or was) a county-level division in python-stdnum's GB/T 2260 data.

    Unlike ``ric.get_birth_place`` this ignores when the code was created: a number is issued with the codes of the
    day it is issued, so someone born in 1966 may well carry 天山区's 650102 (created 1983).
    """
    found = {key: value for _part, props in numdb.get("cn/loc").info(code) for key, value in props.items()}
    return "county" in found


def check_resident_id(number, *, field: str = "certificate_number", today: date | None = None) -> list[Finding]:
    """居民身份证: 18 characters, a real birth date between 1900 and today, the GB 11643 check digit; a warning when
    the first six digits are not an area code known for the year of birth."""
    compact = normalise_certificate_number(number)
    if not compact:
        return _required(field)
    if len(compact) == 15 and compact.isdigit():
        return [
            fail(
                field,
                "resident_id.old_15_digit",
                _(
                    "This is a 15-digit number of a first-generation ID card, which is no longer valid. "
                    "Enter the 18-character number of your current ID card."
                ),
            )
        ]
    if len(compact) != 18:
        return [
            fail(
                field,
                "resident_id.length",
                _(
                    "A resident ID number has 18 characters; this one has %(length)s. "
                    "Check for a missing or an extra digit."
                ),
                length=len(compact),
            )
        ]
    if not _RESIDENT_ID_SHAPE.fullmatch(compact):
        return [
            fail(
                field,
                "resident_id.format",
                _(
                    "A resident ID number is 17 digits followed by a digit or the letter X. "
                    "Remove any other letters, spaces or symbols."
                ),
            )
        ]

    findings = []
    birth_date = resident_id_birth_date(compact)
    if birth_date is None:
        findings.append(
            fail(
                field,
                "resident_id.birth_date",
                _(
                    "Characters 7 to 14 of a resident ID number are the date of birth (YYYYMMDD), "
                    "but %(digits)s is not a real date. Check those digits against the ID card."
                ),
                digits=compact[6:14],
            )
        )
    if ric.calc_check_digit(compact) != compact[-1]:
        findings.append(
            fail(
                field,
                "resident_id.checksum",
                _(
                    "The check digit is wrong: check the last character of the ID number, "
                    "then the digits before it for a typing error."
                ),
            )
        )
    if birth_date is None:
        return findings

    today = today or clock.today()
    if birth_date > today:
        findings.append(
            fail(
                field,
                "resident_id.birth_date_future",
                _(
                    "The date of birth in this ID number (%(birth_date)s) is in the future. "
                    "Check characters 7 to 14 against the ID card."
                ),
                birth_date=birth_date.isoformat(),
            )
        )
    elif birth_date.year < EARLIEST_BIRTH_YEAR:
        findings.append(
            fail(
                field,
                "resident_id.birth_date_too_early",
                _(
                    "The date of birth in this ID number (%(birth_date)s) is before 1900. "
                    "Check characters 7 to 14 against the ID card."
                ),
                birth_date=birth_date.isoformat(),
            )
        )
    if not findings and not is_known_area_code(compact[:6]):
        findings.append(
            warn(
                field,
                "resident_id.area_code",
                _(
                    "The first six digits (%(area_code)s) are not a known area code. "
                    "Check them against the ID card; the reviewer will compare them too."
                ),
                area_code=compact[:6],
            )
        )
    return findings


# --- Organisation codes --------------------------------------------------------------------------------------------


def check_uscc(number, *, field: str = "certificate_number", certificate_type: str | None = None) -> list[Finding]:
    """统一社会信用代码: 18 characters (8 digits, then digits and capitals without I O S V Z), the GB 32100 check
    character; a warning when the organisation kind in characters 1–2 does not match ``certificate_type``."""
    compact = normalise_certificate_number(number)
    if not compact:
        return _required(field)
    if len(compact) != 18:
        return [
            fail(
                field,
                "uscc.length",
                _(
                    "A unified social credit code has 18 characters; this one has %(length)s. "
                    "Copy it again from the certificate."
                ),
                length=len(compact),
            )
        ]
    if _USCC_UNUSED_LETTERS & set(compact):
        return [
            fail(
                field,
                "uscc.unused_letter",
                _(
                    "A unified social credit code never contains the letters I, O, S, V or Z. "
                    "Check whether the digit 1, 0, 5 or 2 was meant."
                ),
            )
        ]
    if not compact[:8].isdigit() or not set(compact[8:]) <= _USCC_ALPHABET:
        return [
            fail(
                field,
                "uscc.format",
                _(
                    "The first 8 characters of a unified social credit code are digits and the other 10 are digits "
                    "or capital letters. Remove any spaces or symbols."
                ),
            )
        ]
    try:
        uscc.validate(compact)
    except StdnumError:
        return [
            fail(
                field,
                "uscc.checksum",
                _(
                    "The check character is wrong: check the last character of the code, "
                    "then the characters before it for a typing error."
                ),
            )
        ]
    expected = USCC_KIND_PREFIXES.get(certificate_type, ())
    if expected and not compact.startswith(expected):
        return [
            warn(
                field,
                "uscc.kind_mismatch",
                _(
                    "The first two characters of this code (%(prefix)s) belong to another kind of organisation "
                    "than a %(certificate_type)s (expected %(expected)s). Check the code and the subject nature."
                ),
                prefix=compact[:2],
                certificate_type=CertificateType(certificate_type).label,
                expected=expected,
                data={"prefix": compact[:2], "certificate_type": str(certificate_type), "expected": list(expected)},
            )
        ]
    return []


def check_registration_number(number, *, field: str = "certificate_number") -> list[Finding]:
    """The 15-digit business registration number (工商注册号) of licences issued before the 2015 merger: 15 digits,
    ISO 7064 MOD 11,10 check digit; a warning that a newer licence shows the unified social credit code."""
    compact = normalise_certificate_number(number)
    if not compact:
        return _required(field)
    if len(compact) != 15 or not compact.isdigit():
        return [
            fail(
                field,
                "registration_number.format",
                _("A business registration number has 15 digits. Copy it again from the business licence."),
            )
        ]
    if not mod_11_10.is_valid(compact):
        return [
            fail(
                field,
                "registration_number.checksum",
                _(
                    "The check digit of this registration number is wrong: check the last digit, "
                    "then the digits before it for a typing error."
                ),
            )
        ]
    return [
        warn(
            field,
            "registration_number.old_licence",
            _(
                "This is the 15-digit registration number of a licence issued before the 2015 merger of "
                "certificates. If your licence shows an 18-character unified social credit code, enter that instead."
            ),
        )
    ]


def check_business_licence_number(number, *, field: str = "certificate_number") -> list[Finding]:
    """营业执照: the unified social credit code, or the 15-digit registration number of a pre-2015 licence."""
    compact = normalise_certificate_number(number)
    if not compact:
        return _required(field)
    if len(compact) == 18:
        return check_uscc(compact, field=field, certificate_type=CertificateType.BUSINESS_LICENCE)
    if len(compact) == 15:
        return check_registration_number(compact, field=field)
    return [
        fail(
            field,
            "business_licence.length",
            _(
                "A business licence number is the 18-character unified social credit code (or, on licences issued "
                "before the 2015 merger, a 15-digit registration number); this one has %(length)s characters."
            ),
            length=len(compact),
        )
    ]


# --- Personal documents without a checksum -------------------------------------------------------------------------


def certificate_patterns() -> dict[str, CertificatePattern]:
    """The active number patterns by certificate type (one query)."""
    return {row.certificate_type: row for row in CertificatePattern.objects.filter(is_active=True)}


def check_document_pattern(
    certificate_type: str,
    number,
    *,
    field: str = "certificate_number",
    patterns: Mapping[str, CertificatePattern] | None = None,
) -> list[Finding]:
    """A permit, passport or permanent residence card number against its admin-editable pattern.

    No active pattern for the type (or a pattern that is not a valid regular expression) accepts any number: the
    administrator's data decides, and a broken pattern must not stop every filing.
    """
    compact = normalise_certificate_number(number)
    if not compact:
        return _required(field)
    if patterns is None:
        patterns = certificate_patterns()
    row = patterns.get(certificate_type)
    if row is None:
        return []
    try:
        matches = re.fullmatch(row.pattern, compact) is not None
    except re.error:
        logger.warning("CertificatePattern %s is not a valid regular expression: %r", certificate_type, row.pattern)
        return []
    if matches:
        return []
    label = CertificateType(certificate_type).label
    if row.example:
        return [
            fail(
                field,
                "certificate_number.pattern",
                _(
                    "This does not look like a number of a %(certificate_type)s, which is written like %(example)s. "
                    "Check the number on the document."
                ),
                certificate_type=label,
                example=row.example,
                data={"certificate_type": str(certificate_type), "example": row.example},
            )
        ]
    return [
        fail(
            field,
            "certificate_number.pattern",
            _("This does not look like a number of a %(certificate_type)s. Check the number on the document."),
            certificate_type=label,
            data={"certificate_type": str(certificate_type)},
        )
    ]


# --- Types and dispatch ----------------------------------------------------------------------------------------------


def allowed_certificate_types(nature: str) -> tuple[str, ...]:
    """The certificate types a subject of this nature files with (RULES.md); empty for an unknown nature."""
    return NATURE_CERTIFICATE_TYPES.get(nature, ())


def check_certificate_type_for_nature(
    nature: str, certificate_type: str, *, field: str = "certificate_type"
) -> list[Finding]:
    """The subject's certificate type is one its nature allows (RULES.md, "Subject natures and their
    certificates"). An unknown nature is left to the nature check."""
    allowed = allowed_certificate_types(nature)
    certificate_type = text(certificate_type)
    if not allowed:
        return []
    if not certificate_type:
        return [fail(field, "certificate_type.required", _("Choose the type of the subject's certificate."))]
    if certificate_type in allowed:
        return []
    return [
        fail(
            field,
            "certificate_type.not_for_nature",
            _("A subject of the nature “%(nature)s” files with one of: %(allowed)s. Choose one of those."),
            nature=SubjectNature(nature).label,
            allowed=[CertificateType(item).label for item in allowed],
            data={"nature": str(nature), "certificate_type": certificate_type, "allowed": [str(a) for a in allowed]},
        )
    ]


def check_personal_certificate_type(certificate_type: str, *, field: str = "certificate_type") -> list[Finding]:
    """A principal (负责人) identifies with a personal document."""
    certificate_type = text(certificate_type)
    if not certificate_type:
        return [fail(field, "certificate_type.required", _("Choose the type of the principal's identity document."))]
    if certificate_type in PERSONAL_CERTIFICATE_TYPES:
        return []
    return [
        fail(
            field,
            "certificate_type.not_personal",
            _("A principal identifies with a personal document: choose one of %(allowed)s."),
            allowed=[CertificateType(item).label for item in PERSONAL_CERTIFICATE_TYPES],
            data={"certificate_type": certificate_type, "allowed": [str(a) for a in PERSONAL_CERTIFICATE_TYPES]},
        )
    ]


def check_certificate_number(
    certificate_type: str,
    number,
    *,
    field: str = "certificate_number",
    patterns: Mapping[str, CertificatePattern] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """The number checked the way its type requires; an unknown type is left to the type check."""
    certificate_type = text(certificate_type)
    if certificate_type == CertificateType.RESIDENT_ID:
        return check_resident_id(number, field=field, today=today)
    if certificate_type == CertificateType.BUSINESS_LICENCE:
        return check_business_licence_number(number, field=field)
    if certificate_type in USCC_CERTIFICATE_TYPES:
        return check_uscc(number, field=field, certificate_type=certificate_type)
    if certificate_type in PERSONAL_CERTIFICATE_TYPES:
        return check_document_pattern(certificate_type, number, field=field, patterns=patterns)
    if not normalise_certificate_number(number):
        return _required(field)
    return []
