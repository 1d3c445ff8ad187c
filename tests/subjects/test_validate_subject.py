"""The aggregates: a subject, a person, and the principals of an application together."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from regions.models import Region
from subjects.constants import CertificateType, SubjectNature
from subjects.models import Person, Subject
from subjects.validation import record_data, validate_person, validate_principals, validate_subject
from tests.subjects.numbers import by_field, codes, error_codes, resident_id, warning_codes

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)

ENTERPRISE = {
    "province": "330000",
    "city": "330100",
    "district": "330106",
    "nature": SubjectNature.ENTERPRISE,
    "certificate_type": CertificateType.BUSINESS_LICENCE,
    "certificate_number": "91330100716105852F",
    "name": "杭州某某网络科技有限公司",
    "certificate_address": "浙江省杭州市西湖区文三路90号",
    "mailing_address": "文三路90号东部软件园1号楼",
    "investor": "王某",
    "remarks": "",
}
INDIVIDUAL = {
    "province": "110000",
    "city": "110100",
    "district": "110105",
    "nature": SubjectNature.INDIVIDUAL,
    "certificate_type": CertificateType.RESIDENT_ID,
    "certificate_number": resident_id(area="110105", birth="19880808", sequence="123"),
    "name": "张三",
    "certificate_address": "北京市朝阳区建国路88号院3号楼",
    "mailing_address": "建国路88号院3号楼1单元101",
    "investor": "张三",
}
PRINCIPAL = {
    "name": "张三",
    "certificate_type": CertificateType.RESIDENT_ID,
    "certificate_number": INDIVIDUAL["certificate_number"],
    "mobile": "13800138000",
    "office_phone": "086-010-62345678",
    "emergency_phone": "",
    "email": "zhangsan@example.com",
}


@pytest.mark.parametrize("data", [ENTERPRISE, INDIVIDUAL], ids=["enterprise", "individual"])
def test_a_complete_subject_passes(data):
    assert validate_subject(data, today=TODAY) == []


def test_every_required_field_of_a_subject_is_named():
    findings = validate_subject({"nature": SubjectNature.ENTERPRISE}, today=TODAY)
    assert by_field(findings) == {
        "certificate_type": ["certificate_type.required"],
        "certificate_number": ["certificate_number.required"],
        "name": ["subject_name.required"],
        "certificate_address": ["certificate_address.required"],
        "mailing_address": ["mailing_address.required"],
        "investor": ["investor.required"],
        "province": ["province.required"],
    }


def test_an_unknown_nature_is_refused():
    assert "nature.invalid" in codes(validate_subject({**ENTERPRISE, "nature": "club"}, today=TODAY))


def test_a_subject_outside_the_mainland_is_refused():
    findings = validate_subject({**ENTERPRISE, "province": "810000"}, today=TODAY)
    assert by_field(findings)["province"] == ["province.not_mainland"]


def test_an_individual_filing_with_a_business_licence_is_refused():
    findings = validate_subject(
        {
            **INDIVIDUAL,
            "certificate_type": CertificateType.BUSINESS_LICENCE,
            "certificate_number": ENTERPRISE["certificate_number"],
        },
        today=TODAY,
    )
    assert error_codes(findings) == ["certificate_type.not_for_nature"]


def test_a_subject_with_a_bad_certificate_number_and_addresses_collects_every_finding():
    findings = validate_subject(
        {
            **ENTERPRISE,
            "certificate_number": "91330100716105852A",
            "certificate_address": "北京市海淀区中关村大街1号",
            "mailing_address": "杭州市西湖区文三路",
        },
        today=TODAY,
    )
    assert by_field(findings) == {
        "certificate_number": ["uscc.checksum"],
        "certificate_address": ["certificate_address.other_province"],
        "mailing_address": ["mailing_address.repeats_region", "mailing_address.street_number"],
    }


def test_a_filed_subject_instance_is_checked_through_record_data():
    owner = get_user_model().objects.create_user(email="owner@example.com", password="irrelevant-pw-123")
    subject = Subject(
        owner=owner,
        province=Region.objects.get(code="330000"),
        city=Region.objects.get(code="330100"),
        district=Region.objects.get(code="330106"),
        **{key: ENTERPRISE[key] for key in ENTERPRISE if key not in ("province", "city", "district")},
    )
    data = record_data(subject)
    assert data["province"] == "330000"
    assert validate_subject(data, today=TODAY) == []


# --- Person ----------------------------------------------------------------------------------------------------------


def test_a_complete_person_passes():
    assert validate_person(PRINCIPAL, today=TODAY) == []


def test_a_persons_findings_go_under_the_prefix():
    findings = validate_person({**PRINCIPAL, "mobile": "010-62345678"}, field_prefix="principal", today=TODAY)
    assert by_field(findings) == {"principal.mobile": ["mobile.landline"]}


def test_every_contact_of_a_person_is_checked():
    findings = validate_person(
        {
            "name": "张三3",
            "certificate_type": CertificateType.BUSINESS_LICENCE,
            "certificate_number": "91330100716105852F",
            "mobile": "1380013800",
            "office_phone": "13800138000",
            "emergency_phone": "12345",
            "email": "zhangsan@",
        },
        today=TODAY,
    )
    assert by_field(findings) == {
        "name": ["person_name.digits"],
        "certificate_type": ["certificate_type.not_personal"],
        "mobile": ["mobile.invalid"],
        "office_phone": ["office_phone.mobile"],
        "emergency_phone": ["emergency_phone.invalid"],
        "email": ["email.invalid"],
    }


def test_a_permit_holder_is_checked_against_the_permit_pattern():
    data = {**PRINCIPAL, "certificate_type": CertificateType.HK_MACAO_PERMIT, "certificate_number": "H1234"}
    assert codes(validate_person(data, today=TODAY)) == ["certificate_number.pattern"]
    assert validate_person({**data, "certificate_number": "H12345678"}, today=TODAY) == []


# --- Principals together ---------------------------------------------------------------------------------------------


def test_the_same_person_as_subject_and_website_principal_passes(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        findings = validate_principals({"principal": PRINCIPAL, "websites.0.principal": PRINCIPAL}, today=TODAY)
    assert findings == []


def test_two_people_sharing_a_mobile_are_refused_on_the_later_one():
    other = {**PRINCIPAL, "name": "李四", "certificate_number": resident_id(sequence="456"), "email": "li@example.com"}
    findings = validate_principals([PRINCIPAL, other], today=TODAY)
    assert by_field(findings) == {"principals.1.mobile": ["principal.mobile_shared"]}


def test_a_mobile_of_another_subjects_principal_is_a_warning_in_the_principals_check():
    owner = get_user_model().objects.create_user(email="someone@example.com", password="irrelevant-pw-123")
    subject = Subject.objects.create(
        owner=owner,
        province=Region.objects.get(code="330000"),
        **{key: ENTERPRISE[key] for key in ENTERPRISE if key not in ("province", "city", "district")},
    )
    Person.objects.create(subject=subject, **{**PRINCIPAL, "name": "王某"})

    findings = validate_principals({"principal": PRINCIPAL}, today=TODAY)
    assert warning_codes(findings) == ["mobile.on_other_subject"]
    assert error_codes(findings) == []
    assert validate_principals({"principal": PRINCIPAL}, subject=subject, today=TODAY) == []
    assert validate_principals({"principal": PRINCIPAL}, check_other_subjects=False, today=TODAY) == []
