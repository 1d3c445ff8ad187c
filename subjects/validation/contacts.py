"""Contacts of a principal: 联系方式1 (mobile), 联系方式2 (office phone), 应急联系电话, 电子邮件地址.

Also the rules across principals: different people use different mobiles and e-mails, and a mobile already on
another filed subject is a warning (the one check here that reads the database).
"""

import re
import unicodedata
from collections.abc import Mapping

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from core.findings import Finding
from core.phone import normalise_mobile

from ..constants import RecordStatus
from ..models import Person
from .certificates import normalise_certificate_number
from .text import fail, text, warn

OFFICE_PHONE_EXAMPLE = "086-010-12345678"
# 086-区号-号码[-分机]: the seed's form (086-010- [number] - [extension]). The country prefix may be left out or
# written +86 / 0086; it is put back when the number is normalised.
_LANDLINE = re.compile(r"(?:(?:\+86|0086|086)-)?(?P<area>0\d{2,3})-(?P<number>\d{7,8})(?:-(?P<extension>\d{1,6}))?")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "‑": "-", "_": "-"})

_email_validator = EmailValidator()


def _folded(value) -> str:
    return unicodedata.normalize("NFKC", text(value)).translate(_DASHES).replace(" ", "")


def _is_area_code(code: str) -> bool:
    # Three-digit area codes are 010 and 02X (the largest cities); every other area code has four digits.
    if len(code) == 3:
        return code == "010" or code.startswith("02")
    return code[1] not in "012"


def normalise_landline(value) -> str:
    """``010-12345678`` or ``+86-10…`` forms → ``086-010-12345678[-123]``; raises ValueError otherwise."""
    match = _LANDLINE.fullmatch(_folded(value))
    if not match or not _is_area_code(match["area"]):
        raise ValueError("not in the format 086-area code-number")
    parsed = phonenumbers.parse(match["area"] + match["number"], "CN")
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValueError("not a landline number")
    extension = f"-{match['extension']}" if match["extension"] else ""
    return f"086-{match['area']}-{match['number']}{extension}"


def _is_mobile(value) -> bool:
    try:
        normalise_mobile(_folded(value).removeprefix("086-"))
    except ValueError:
        return False
    return True


def _is_landline(value) -> bool:
    try:
        normalise_landline(value)
    except ValueError:
        pass
    else:
        return True
    try:
        parsed = phonenumbers.parse(_folded(value), "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) == (
        phonenumbers.PhoneNumberType.FIXED_LINE
    )


def mobile_key(value) -> str:
    """A mobile as compared and stored: the 11 national digits when it is a valid mobile, else the folded text."""
    folded = _folded(value)
    try:
        return normalise_mobile(folded)
    except ValueError:
        return folded


def check_mobile(value, *, field: str = "mobile") -> list[Finding]:
    """联系方式1: a mainland China mobile number (it receives the verification codes)."""
    if not text(value):
        return [fail(field, "mobile.required", _("Enter a mobile number: it receives the verification codes."))]
    if _is_mobile(value):
        return []
    if _is_landline(value):
        return [
            fail(
                field,
                "mobile.landline",
                _(
                    "Contact 1 must be a mobile number, which receives the verification codes; %(number)s is a "
                    "landline. Enter a mobile number here and the landline in Contact 2."
                ),
                number=text(value),
            )
        ]
    return [
        fail(
            field,
            "mobile.invalid",
            _("Enter a mainland China mobile number: 11 digits starting with 1, such as 13800138000."),
        )
    ]


def check_office_phone(value, *, field: str = "office_phone", required: bool = True) -> list[Finding]:
    """联系方式2: a landline as 086-区号-号码, optionally -分机 (area code 0 + 2–3 digits, number 7–8 digits).

    A mobile is refused here: the seed's form has fixed boxes for an area code and a number (086-010- _ - _).
    """
    if not text(value):
        if not required:
            return []
        return [
            fail(
                field,
                "office_phone.required",
                _("Enter an office phone in the format 086-area code-number, such as %(example)s."),
                example=OFFICE_PHONE_EXAMPLE,
            )
        ]
    if _is_mobile(value):
        return [
            fail(
                field,
                "office_phone.mobile",
                _(
                    "Contact 2 is an office landline in the format 086-area code-number, such as %(example)s; "
                    "the mobile number goes in Contact 1."
                ),
                example=OFFICE_PHONE_EXAMPLE,
            )
        ]
    match = _LANDLINE.fullmatch(_folded(value))
    if not match:
        return [
            fail(
                field,
                "office_phone.format",
                _(
                    "Write the office phone as 086-area code-number, with an optional -extension, such as "
                    "%(example)s or 086-0571-87654321-123."
                ),
                example=OFFICE_PHONE_EXAMPLE,
            )
        ]
    if not _is_area_code(match["area"]):
        return [
            fail(
                field,
                "office_phone.area_code",
                _(
                    "%(area_code)s is not an area code: area codes are 010, 02X or four digits starting with 03 to "
                    "09, such as 0571. Check where the area code ends and the number begins."
                ),
                area_code=match["area"],
            )
        ]
    try:
        normalise_landline(value)
    except ValueError:
        return [
            fail(
                field,
                "office_phone.invalid",
                _(
                    "%(number)s is not a valid number in area %(area_code)s: check the number of digits "
                    "(7 or 8, depending on the area)."
                ),
                number=match["number"],
                area_code=match["area"],
            )
        ]
    return []


def check_emergency_phone(value, *, field: str = "emergency_phone") -> list[Finding]:
    """应急联系电话: optional; when given, a mobile or a landline (086-area code-number, the 086- may be left out)."""
    if not text(value) or _is_mobile(value):
        return []
    try:
        normalise_landline(value)
    except ValueError:
        return [
            fail(
                field,
                "emergency_phone.invalid",
                _(
                    "Enter the emergency phone as a mobile number (such as 13800138000) or a landline "
                    "(such as %(example)s), or leave it empty."
                ),
                example=OFFICE_PHONE_EXAMPLE,
            )
        ]
    return []


def check_email(value, *, field: str = "email") -> list[Finding]:
    """电子邮件地址: required, a valid address (notifications of the review go there)."""
    value = text(value)
    if not value:
        return [fail(field, "email.required", _("Enter an e-mail address: review results and notifications go there."))]
    try:
        _email_validator(value)
    except ValidationError:
        return [
            fail(
                field,
                "email.invalid",
                _(
                    "Enter a valid e-mail address, such as name@example.com. "
                    "Check for a missing @, a space or a full-width character."
                ),
            )
        ]
    return []


# --- Across principals -----------------------------------------------------------------------------------------------


def person_key(data: Mapping) -> tuple[str, str] | None:
    """Who a principal is: their certificate (type, number); None when the number is missing."""
    number = normalise_certificate_number(data.get("certificate_number"))
    return (text(data.get("certificate_type")), number) if number else None


def check_distinct_principals(principals: Mapping[str, Mapping]) -> list[Finding]:
    """Different people (different certificates) use different mobiles and e-mails; the same person may appear
    twice (subject principal and website principal) with the same contacts.

    ``principals`` maps a field prefix (``principal``, ``websites.0.principal``) to the person's data, in the order
    shown; the error goes on the later of two.
    """
    findings = []
    first_by_person: dict[tuple[str, str], tuple[str, str]] = {}
    mobiles: dict[str, tuple[object, str]] = {}
    emails: dict[str, tuple[object, str]] = {}
    for prefix, data in principals.items():
        name = text(data.get("name"))
        person = person_key(data) or ("", prefix)  # without a number, nobody is the same as anybody
        if person in first_by_person:
            first_prefix, first_name = first_by_person[person]
            if name and first_name and name != first_name:
                findings.append(
                    fail(
                        f"{prefix}.name",
                        "principal.name_mismatch",
                        _(
                            "This principal has the same certificate number as %(other)s but another name. "
                            "One certificate is one person: check the name and the number."
                        ),
                        other=first_name,
                        data={"other": first_prefix},
                    )
                )
        else:
            first_by_person[person] = (prefix, name)

        mobile = mobile_key(data.get("mobile"))
        if mobile:
            other_person, other_name = mobiles.setdefault(mobile, (person, name))
            if other_person != person:
                findings.append(
                    fail(
                        f"{prefix}.mobile",
                        "principal.mobile_shared",
                        _(
                            "This mobile number is already given for %(other)s. Different principals must use "
                            "different mobile numbers: enter this principal's own mobile."
                        ),
                        other=other_name or _("another principal"),
                    )
                )
        email = text(data.get("email")).lower()
        if email:
            other_person, other_name = emails.setdefault(email, (person, name))
            if other_person != person:
                findings.append(
                    fail(
                        f"{prefix}.email",
                        "principal.email_shared",
                        _(
                            "This e-mail address is already given for %(other)s. Different principals must use "
                            "different e-mail addresses: enter this principal's own address."
                        ),
                        other=other_name or _("another principal"),
                    )
                )
    return findings


def check_mobiles_on_other_subjects(mobiles: Mapping[str, str], *, subject=None) -> list[Finding]:
    """A warning for each mobile already on a principal of another filed (active) subject. One query.

    ``mobiles`` maps a field name (``principal.mobile``) to the number entered; ``subject`` (a Subject or its id) is
    the filed subject being changed, whose own people are not "another subject". The message names nobody (the
    applicant must not learn who else uses the number); ``params["subject_ids"]`` tells a reviewer which subjects.
    Person.mobile is compared in its normalised form (11 digits), as the services store it.
    """
    keys = {field: mobile_key(value) for field, value in mobiles.items() if text(value)}
    if not keys:
        return []
    rows = Person.objects.filter(mobile__in=set(keys.values()), subject__status=RecordStatus.ACTIVE)
    if subject is not None:
        rows = rows.exclude(subject=subject)
    subjects_by_mobile: dict[str, set[int]] = {}
    for mobile, subject_id in rows.values_list("mobile", "subject_id"):
        subjects_by_mobile.setdefault(mobile, set()).add(subject_id)
    return [
        warn(
            field,
            "mobile.on_other_subject",
            _(
                "This mobile number is already registered for another filed subject. If it is not your own "
                "number, enter your own: the reviewer checks numbers that several subjects share."
            ),
            data={"subject_ids": sorted(subjects_by_mobile[mobile])},
        )
        for field, mobile in keys.items()
        if mobile in subjects_by_mobile
    ]
