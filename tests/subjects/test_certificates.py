"""Certificate types and numbers: resident IDs, unified social credit codes, 15-digit licence numbers, documents
checked against admin patterns, and which certificate each subject nature files with."""

from datetime import date

import pytest
from django.utils import translation

from subjects.constants import NATURE_CERTIFICATE_TYPES, CertificateType, SubjectNature
from subjects.models import CertificatePattern
from subjects.validation import (
    check_business_licence_number,
    check_certificate_number,
    check_certificate_type_for_nature,
    check_document_pattern,
    check_personal_certificate_type,
    check_registration_number,
    check_resident_id,
    check_uscc,
    normalise_certificate_number,
)
from tests.subjects.numbers import (
    codes,
    error_codes,
    registration_number,
    resident_id,
    resident_id_with_check_x,
    uscc_code,
    warning_codes,
    with_wrong_check,
)

TODAY = date(2025, 6, 1)

# --- Resident identity card ----------------------------------------------------------------------------------------

VALID_RESIDENT_IDS = [
    "11010519491231002X",  # the example of GB 11643 itself, check digit X
    resident_id(),  # 北京市东城区, 1990
    resident_id_with_check_x(),  # 杭州市西湖区, check digit X
    resident_id(area="440305", birth="20000229", sequence="456"),  # 深圳市南山区, born on a leap day
    resident_id(area="310104", birth="19780615", sequence="021"),  # 上海市徐汇区
    resident_id(area="650102", birth="19920101", sequence="888"),  # 乌鲁木齐市天山区
    resident_id(area="540102", birth="19951020", sequence="310"),  # 拉萨市城关区
    resident_id(area="500103", birth="20070707", sequence="777"),  # 重庆市渝中区, a minor
]


@pytest.mark.parametrize("number", VALID_RESIDENT_IDS)
def test_valid_resident_ids_pass(number):
    assert check_resident_id(number, today=TODAY) == []


def test_a_lower_case_x_check_digit_is_accepted_and_normalised_to_upper_case():
    assert check_resident_id("11010519491231002x", today=TODAY) == []
    assert normalise_certificate_number("11010519491231002x") == "11010519491231002X"


def test_spaces_and_full_width_digits_in_a_resident_id_are_folded():
    assert normalise_certificate_number(" 110105 19491231 002X ") == "11010519491231002X"
    assert check_resident_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY) == []


@pytest.mark.parametrize("number", [with_wrong_check(n) for n in VALID_RESIDENT_IDS])
def test_a_wrong_check_digit_is_refused(number):
    assert codes(check_resident_id(number, today=TODAY)) == ["resident_id.checksum"]


def test_the_checksum_message_says_which_character_to_check():
    (finding,) = check_resident_id(with_wrong_check(resident_id()), today=TODAY)
    with translation.override("en"):
        assert str(finding.message).startswith("The check digit is wrong: check the last character of the ID number")


def test_an_impossible_birth_date_is_refused_even_with_a_correct_check_digit():
    findings = check_resident_id(resident_id(birth="19990230"), today=TODAY)
    assert codes(findings) == ["resident_id.birth_date"]
    with translation.override("en"):
        assert "19990230 is not a real date" in str(findings[0].message)


def test_month_thirteen_is_not_a_birth_date():
    assert codes(check_resident_id(resident_id(birth="19901301"), today=TODAY)) == ["resident_id.birth_date"]


def test_a_birth_date_in_the_future_is_refused():
    findings = check_resident_id(resident_id(birth="20250602"), today=TODAY)
    assert codes(findings) == ["resident_id.birth_date_future"]


def test_a_birth_today_is_not_in_the_future():
    assert check_resident_id(resident_id(birth="20250601"), today=TODAY) == []


def test_the_future_is_measured_on_the_portal_clock(clock):
    number = resident_id(birth="20300101")
    clock.freeze(clock.now().replace(year=2031))
    assert check_resident_id(number) == []
    clock.freeze(clock.now().replace(year=2029))
    assert codes(check_resident_id(number)) == ["resident_id.birth_date_future"]


def test_a_birth_before_1900_is_refused():
    # GB 11643's own second example: 广东省 1880 — a valid checksum, but nobody alive was born then.
    assert codes(check_resident_id("440524188001010014", today=TODAY)) == ["resident_id.birth_date_too_early"]


def test_a_fifteen_digit_first_generation_number_is_refused_with_its_own_message():
    assert codes(check_resident_id("110105491231002", today=TODAY)) == ["resident_id.old_15_digit"]


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002XX", "1101"])
def test_a_resident_id_of_the_wrong_length_is_refused(number):
    assert codes(check_resident_id(number, today=TODAY)) == ["resident_id.length"]


@pytest.mark.parametrize("number", ["11010519491231A02X", "X10105194912310021", "1101051949123100Y2"])
def test_letters_other_than_a_final_x_are_refused(number):
    assert codes(check_resident_id(number, today=TODAY)) == ["resident_id.format"]


@pytest.mark.parametrize("area", ["990101", "110199", "000000"])
def test_an_unknown_area_code_is_only_a_warning(area):
    findings = check_resident_id(resident_id(area=area), today=TODAY)
    assert codes(findings) == ["resident_id.area_code"]
    assert warning_codes(findings) == ["resident_id.area_code"]


def test_an_area_code_created_after_the_birth_year_is_accepted():
    # 天山区 (650102) exists since 1983; people born before got numbers with the codes of the day they were issued.
    assert check_resident_id(resident_id(area="650102", birth="19660101", sequence="888"), today=TODAY) == []


def test_an_abolished_area_code_is_accepted():
    # 宣武区 (110104), merged into 西城区 in 2010, still on the cards of people registered there before.
    assert check_resident_id(resident_id(area="110104", birth="19800101", sequence="555"), today=TODAY) == []


def test_an_empty_resident_id_is_required():
    assert codes(check_resident_id("  ", today=TODAY)) == ["certificate_number.required"]


# --- Unified social credit code --------------------------------------------------------------------------------------

PUBLISHED_USCCS = [
    "91110000600037341L",  # python-stdnum's documented example
    "91330100716105852F",  # published codes of large companies (杭州, 深圳, 北京)
    "91440300708461136T",
    "91110000802100433B",
]
COMPUTED_USCCS = [
    uscc_code("91330106MA2GL1234"),  # a company registered since 2015 (MA… organisation code)
    uscc_code("92440300MA5F00001"),  # 个体工商户
    uscc_code("11100000000013127"),  # 机关
    uscc_code("12100000400000916"),  # 事业单位
    uscc_code("51100000500001234"),  # 社会团体
    uscc_code("52310000MJ4966012"),  # 民办非企业单位
    uscc_code("53100000500021676"),  # 基金会
    uscc_code("31110000E00012345"),  # 律师事务所
]


@pytest.mark.parametrize("number", PUBLISHED_USCCS + COMPUTED_USCCS)
def test_valid_unified_social_credit_codes_pass(number):
    assert check_uscc(number) == []


def test_a_lower_case_uscc_is_accepted():
    assert check_uscc("91330100716105852f") == []


@pytest.mark.parametrize("number", [with_wrong_check(n) for n in PUBLISHED_USCCS + COMPUTED_USCCS])
def test_a_uscc_with_a_wrong_check_character_is_refused(number):
    assert codes(check_uscc(number)) == ["uscc.checksum"]


def test_a_typo_inside_a_uscc_breaks_its_checksum():
    number = PUBLISHED_USCCS[1]
    assert codes(check_uscc(number[:10] + "9" + number[11:])) == ["uscc.checksum"]


@pytest.mark.parametrize("number", ["9133010071610585", "91330100716105852F0", "913301007161"])
def test_a_uscc_of_the_wrong_length_is_refused(number):
    assert codes(check_uscc(number)) == ["uscc.length"]


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_the_letters_a_uscc_never_uses_are_refused_by_name(letter):
    number = "91330100" + letter + "16105852F"
    assert codes(check_uscc(number)) == ["uscc.unused_letter"]


def test_letters_in_the_first_eight_characters_of_a_uscc_are_refused():
    assert codes(check_uscc("A1110000600037341L")) == ["uscc.format"]


def test_a_uscc_of_another_kind_of_organisation_is_a_warning():
    findings = check_uscc(PUBLISHED_USCCS[0], certificate_type=CertificateType.USCC_CERTIFICATE)
    assert codes(findings) == ["uscc.kind_mismatch"]
    assert findings[0].params["expected"] == ["11"]
    assert error_codes(findings) == []


@pytest.mark.parametrize(
    ("certificate_type", "number"),
    [
        (CertificateType.BUSINESS_LICENCE, PUBLISHED_USCCS[0]),
        (CertificateType.USCC_CERTIFICATE, COMPUTED_USCCS[2]),
        (CertificateType.PUBLIC_INSTITUTION_CERTIFICATE, COMPUTED_USCCS[3]),
        (CertificateType.SOCIAL_GROUP_CERTIFICATE, COMPUTED_USCCS[4]),
        (CertificateType.PRIVATE_NON_ENTERPRISE_CERTIFICATE, COMPUTED_USCCS[5]),
        (CertificateType.FOUNDATION_CERTIFICATE, COMPUTED_USCCS[6]),
        (CertificateType.LAW_FIRM_LICENCE, COMPUTED_USCCS[7]),
    ],
)
def test_each_organisation_certificate_carries_the_uscc_of_its_kind(certificate_type, number):
    assert check_certificate_number(certificate_type, number) == []


# --- Business licence and the 15-digit registration number -----------------------------------------------------------

VALID_REGISTRATION_NUMBERS = [
    registration_number("11010800000000"),  # 北京市海淀区
    registration_number("33010600012345"),  # 杭州市西湖区
    registration_number("44030110234567"),  # 深圳市
    registration_number("31000000098765"),  # 上海市
]


@pytest.mark.parametrize("number", VALID_REGISTRATION_NUMBERS)
def test_a_valid_fifteen_digit_licence_number_passes_with_a_warning_to_use_the_uscc(number):
    findings = check_business_licence_number(number)
    assert error_codes(findings) == []
    assert warning_codes(findings) == ["registration_number.old_licence"]


@pytest.mark.parametrize("number", [with_wrong_check(n) for n in VALID_REGISTRATION_NUMBERS])
def test_a_fifteen_digit_licence_number_with_a_wrong_check_digit_is_refused(number):
    assert codes(check_business_licence_number(number)) == ["registration_number.checksum"]


def test_a_fifteen_character_number_with_letters_is_not_a_registration_number():
    assert codes(check_registration_number("11010800000000A")) == ["registration_number.format"]


def test_a_business_licence_takes_the_uscc_too():
    assert check_business_licence_number(PUBLISHED_USCCS[2]) == []


@pytest.mark.parametrize("number", ["1101080000000", "1101080000000001", "91330100716105852"])
def test_a_business_licence_number_of_another_length_is_refused(number):
    assert codes(check_business_licence_number(number)) == ["business_licence.length"]


@pytest.mark.parametrize("certificate_type", [CertificateType.USCC_CERTIFICATE, CertificateType.LAW_FIRM_LICENCE])
def test_the_fifteen_digit_number_is_accepted_only_for_a_business_licence(certificate_type):
    assert codes(check_certificate_number(certificate_type, VALID_REGISTRATION_NUMBERS[0])) == ["uscc.length"]


# --- Natures and their certificate types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nature", "certificate_type"),
    [(nature, certificate_type) for nature, types in NATURE_CERTIFICATE_TYPES.items() for certificate_type in types],
)
def test_each_nature_files_with_its_certificate_types(nature, certificate_type):
    assert check_certificate_type_for_nature(nature, certificate_type) == []


@pytest.mark.parametrize(
    ("nature", "certificate_type"),
    [
        (SubjectNature.ENTERPRISE, CertificateType.RESIDENT_ID),
        (SubjectNature.ENTERPRISE, CertificateType.USCC_CERTIFICATE),
        (SubjectNature.INDIVIDUAL, CertificateType.BUSINESS_LICENCE),
        (SubjectNature.GOVERNMENT, CertificateType.BUSINESS_LICENCE),
        (SubjectNature.PUBLIC_INSTITUTION, CertificateType.USCC_CERTIFICATE),
        (SubjectNature.SOCIAL_GROUP, CertificateType.FOUNDATION_CERTIFICATE),
        (SubjectNature.LAW_FIRM, CertificateType.BUSINESS_LICENCE),
        (SubjectNature.FOUNDATION, CertificateType.PASSPORT),
    ],
)
def test_a_certificate_type_the_nature_does_not_allow_is_refused(nature, certificate_type):
    findings = check_certificate_type_for_nature(nature, certificate_type)
    assert codes(findings) == ["certificate_type.not_for_nature"]
    assert findings[0].params["allowed"] == [str(t) for t in NATURE_CERTIFICATE_TYPES[nature]]


def test_the_refusal_names_the_allowed_certificate_types():
    (finding,) = check_certificate_type_for_nature(SubjectNature.INDIVIDUAL, CertificateType.BUSINESS_LICENCE)
    with translation.override("en"):
        message = str(finding.message)
    assert "Resident identity card" in message
    assert "Passport" in message
    assert "Foreign permanent resident ID card" in message


def test_the_list_of_allowed_types_is_joined_in_the_readers_language():
    (finding,) = check_certificate_type_for_nature(SubjectNature.INDIVIDUAL, CertificateType.BUSINESS_LICENCE)
    with translation.override("en"):
        assert ", " in str(finding.message)
    with translation.override("zh-hans"):
        assert "、" in str(finding.message)


def test_a_missing_certificate_type_is_required():
    assert codes(check_certificate_type_for_nature(SubjectNature.ENTERPRISE, "")) == ["certificate_type.required"]


def test_an_unknown_nature_is_left_to_the_nature_check():
    assert check_certificate_type_for_nature("club", CertificateType.BUSINESS_LICENCE) == []


@pytest.mark.parametrize("certificate_type", [CertificateType.BUSINESS_LICENCE, CertificateType.LAW_FIRM_LICENCE])
def test_a_principal_identifies_with_a_personal_document(certificate_type):
    assert codes(check_personal_certificate_type(certificate_type)) == ["certificate_type.not_personal"]


# --- Personal documents against their patterns ---------------------------------------------------------------------

pattern_cases = pytest.mark.django_db


@pattern_cases
@pytest.mark.parametrize(
    ("certificate_type", "number"),
    [
        (CertificateType.HK_MACAO_PERMIT, "H12345678"),
        (CertificateType.HK_MACAO_PERMIT, "M87654321"),
        (CertificateType.HK_MACAO_PERMIT, "H1234567801"),  # with the two-digit issue count
        (CertificateType.HK_MACAO_PERMIT, "h12345678"),  # typed in lower case
        (CertificateType.TAIWAN_PERMIT, "12345678"),  # card since 2015
        (CertificateType.TAIWAN_PERMIT, "1234567801"),  # older booklet with the issue count
        (CertificateType.TAIWAN_PERMIT, "830000199001011234"),  # residence permit number
        (CertificateType.PASSPORT, "E12345678"),  # Chinese e-passport
        (CertificateType.PASSPORT, "EA1234567"),  # Chinese e-passport after the E-series ran out
        (CertificateType.PASSPORT, "G12345678"),  # older Chinese passport
        (CertificateType.PASSPORT, "123456789"),  # United States
        (CertificateType.PASSPORT, "K1234567"),
        (CertificateType.FOREIGN_PERMANENT_RESIDENCE, "USA110079020101"),  # 15 characters, before 2017
        (CertificateType.FOREIGN_PERMANENT_RESIDENCE, "911156198001010016"),  # 18 digits, since 2017
    ],
)
def test_personal_documents_in_their_current_formats_pass(certificate_type, number):
    assert check_certificate_number(certificate_type, number) == []


@pattern_cases
@pytest.mark.parametrize(
    ("certificate_type", "number"),
    [
        (CertificateType.HK_MACAO_PERMIT, "H1234567"),
        (CertificateType.HK_MACAO_PERMIT, "X12345678"),
        (CertificateType.HK_MACAO_PERMIT, "12345678"),
        (CertificateType.TAIWAN_PERMIT, "1234567"),
        (CertificateType.TAIWAN_PERMIT, "T1234567"),
        (CertificateType.TAIWAN_PERMIT, "110105199001011234"),  # a mainland ID number is not a Taiwan permit
        (CertificateType.PASSPORT, "ABCDEFGH"),  # no digit
        (CertificateType.PASSPORT, "E1234567890123456789"),
        (CertificateType.PASSPORT, "E1234/678"),
        (CertificateType.FOREIGN_PERMANENT_RESIDENCE, "USA11007902010"),
        (CertificateType.FOREIGN_PERMANENT_RESIDENCE, "811156198001010016"),
    ],
)
def test_personal_documents_in_another_format_are_refused(certificate_type, number):
    assert codes(check_certificate_number(certificate_type, number)) == ["certificate_number.pattern"]


@pattern_cases
def test_the_pattern_refusal_shows_the_example_of_the_format():
    (finding,) = check_document_pattern(CertificateType.HK_MACAO_PERMIT, "H1234")
    with translation.override("en"):
        assert "H12345678" in str(finding.message)


@pattern_cases
def test_an_administrator_can_tighten_a_pattern():
    CertificatePattern.objects.filter(certificate_type=CertificateType.PASSPORT).update(pattern=r"E\d{8}")
    assert check_certificate_number(CertificateType.PASSPORT, "E12345678") == []
    assert codes(check_certificate_number(CertificateType.PASSPORT, "G12345678")) == ["certificate_number.pattern"]


@pattern_cases
def test_an_inactive_pattern_accepts_any_number():
    CertificatePattern.objects.filter(certificate_type=CertificateType.PASSPORT).update(is_active=False)
    assert check_certificate_number(CertificateType.PASSPORT, "ABCDEFGH") == []


@pattern_cases
def test_a_broken_pattern_does_not_stop_filings(caplog):
    CertificatePattern.objects.filter(certificate_type=CertificateType.PASSPORT).update(pattern="E(")
    assert check_certificate_number(CertificateType.PASSPORT, "ABCDEFGH") == []
    assert "not a valid regular expression" in caplog.text


def test_patterns_passed_in_are_used_without_a_query():
    # No django_db mark: a query would fail the test.
    patterns = {CertificateType.PASSPORT: CertificatePattern(certificate_type="passport", pattern=r"P\d{3}")}
    assert check_document_pattern(CertificateType.PASSPORT, "P123", patterns=patterns) == []
    assert codes(check_document_pattern(CertificateType.PASSPORT, "P1234", patterns=patterns)) == [
        "certificate_number.pattern"
    ]
