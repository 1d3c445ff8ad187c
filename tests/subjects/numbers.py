"""Real-format certificate numbers with correct check characters, computed with the same library the checks use,
and small helpers to read findings."""

from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_10


def resident_id(area: str = "110101", birth: str = "19900307", sequence: str = "123") -> str:
    """An 18-character resident ID number with its GB 11643 check digit."""
    body = f"{area}{birth}{sequence}"
    return body + ric.calc_check_digit(body + "0")


def resident_id_with_check_x() -> str:
    """A resident ID number whose check digit is X (the first sequence number that gives one)."""
    for sequence in range(1000):
        number = resident_id(area="330106", birth="19851111", sequence=f"{sequence:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


def with_wrong_check(number: str) -> str:
    """The same number with another check character."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def uscc_code(body: str) -> str:
    """An 18-character unified social credit code from its first 17 characters, with the GB 32100 check."""
    return body + uscc.calc_check_digit(body)


def registration_number(body: str) -> str:
    """A 15-digit business registration number from its first 14 digits, with the ISO 7064 MOD 11,10 check."""
    return body + mod_11_10.calc_check_digit(body)


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def error_codes(findings) -> list[str]:
    return [finding.code for finding in findings if finding.is_error]


def warning_codes(findings) -> list[str]:
    return [finding.code for finding in findings if not finding.is_error]


def by_field(findings) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for finding in findings:
        fields.setdefault(finding.field, []).append(finding.code)
    return fields
