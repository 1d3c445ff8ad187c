"""Contacts of principals: mobiles, office and emergency phones, e-mail, distinct contacts for distinct people, and
the warning for a mobile already on another filed subject."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from regions.models import Region
from subjects.constants import CertificateType, RecordStatus, SubjectNature
from subjects.models import Person, Subject
from subjects.validation import (
    check_distinct_principals,
    check_email,
    check_emergency_phone,
    check_mobile,
    check_mobiles_on_other_subjects,
    check_office_phone,
)
from subjects.validation.contacts import mobile_key, normalise_landline
from tests.subjects.numbers import by_field, codes, resident_id, uscc_code

# --- 联系方式1: mobile ------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "13800138000",  # China Mobile
        "15912345678",
        "18812345678",
        "19812345678",
        "13012345678",  # China Unicom
        "15612345678",
        "18612345678",
        "16612345678",
        "13312345678",  # China Telecom
        "18912345678",
        "19912345678",
        "17712345678",
        "19212345678",  # China Broadnet
        "17012345678",  # a virtual carrier
        "+86 138 0013 8000",
        "138-0013-8000",
        "0086 13800138000",
    ],
)
def test_mainland_mobiles_of_every_carrier_pass(number):
    assert check_mobile(number) == []


@pytest.mark.parametrize("number", ["010-62345678", "01062345678", "0571-87654321", "086-021-51234567"])
def test_a_landline_in_contact_1_is_refused_with_its_own_message(number):
    findings = check_mobile(number)
    assert codes(findings) == ["mobile.landline"]
    with translation.override("en"):
        assert "Contact 1 must be a mobile number" in str(findings[0].message)


@pytest.mark.parametrize(
    "number", ["1380013800", "138001380001", "12012345678", "23800138000", "mobile", "+852 91234567"]
)
def test_numbers_that_are_not_mainland_mobiles_are_refused(number):
    assert codes(check_mobile(number)) == ["mobile.invalid"]


def test_a_mobile_is_required():
    assert codes(check_mobile("")) == ["mobile.required"]


def test_mobiles_compare_by_their_eleven_digits():
    assert mobile_key("+86 138-0013-8000") == mobile_key("13800138000") == "13800138000"


# --- 联系方式2: office phone ------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "086-010-62345678",  # 北京
        "086-021-51234567",  # 上海
        "086-0571-87654321",  # 杭州
        "086-0755-86013388",  # 深圳
        "086-0571-87654321-123",  # with an extension
        "086-0991-2345678",  # 乌鲁木齐, seven digits
        "010-62345678",  # without the country prefix
        "086－010－62345678",  # full-width hyphens
        " 086-010-62345678 ",
    ],
)
def test_office_phones_in_the_086_area_number_format_pass(number):
    assert check_office_phone(number) == []


def test_an_office_phone_is_normalised_with_its_country_prefix():
    assert normalise_landline("010-62345678") == "086-010-62345678"
    assert normalise_landline("086-0571-87654321-123") == "086-0571-87654321-123"


@pytest.mark.parametrize("number", ["13800138000", "086-13800138000"])
def test_a_mobile_in_contact_2_is_refused(number):
    findings = check_office_phone(number)
    assert codes(findings) == ["office_phone.mobile"]
    with translation.override("en"):
        assert "the mobile number goes in Contact 1" in str(findings[0].message)


@pytest.mark.parametrize("number", ["62345678", "086-010-123456789", "086 010 62345678 ext 5", "(010)62345678"])
def test_office_phones_in_another_format_are_refused(number):
    assert codes(check_office_phone(number)) == ["office_phone.format"]


@pytest.mark.parametrize("number", ["086-031-12345678", "086-0123-4567890", "086-011-62345678"])
def test_an_area_code_that_does_not_exist_is_refused(number):
    assert codes(check_office_phone(number)) == ["office_phone.area_code"]


def test_a_number_too_short_for_its_area_is_refused():
    # 杭州 numbers have eight digits.
    assert codes(check_office_phone("086-0571-8765432")) == ["office_phone.invalid"]


def test_an_office_phone_is_required_unless_told_otherwise():
    assert codes(check_office_phone("")) == ["office_phone.required"]
    assert check_office_phone("", required=False) == []


# --- 应急联系电话 ------------------------------------------------------------


@pytest.mark.parametrize("number", ["", "13800138000", "086-010-62345678", "010-62345678", "0571-87654321"])
def test_an_emergency_phone_is_optional_and_may_be_a_mobile_or_a_landline(number):
    assert check_emergency_phone(number) == []


@pytest.mark.parametrize("number", ["12345", "110", "phone", "086-0571-8765432"])
def test_a_malformed_emergency_phone_is_refused(number):
    assert codes(check_emergency_phone(number)) == ["emergency_phone.invalid"]


# --- E-mail ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["zhangsan@example.com", "li.si+icp@example.com.cn", "wangwu@163.com", "zhao@例子.中国"]
)
def test_valid_email_addresses_pass(address):
    assert check_email(address) == []


@pytest.mark.parametrize("address", ["zhangsan@", "zhangsan example.com", "zhangsan＠example.com", "@example.com"])
def test_malformed_email_addresses_are_refused(address):
    assert codes(check_email(address)) == ["email.invalid"]


def test_an_email_address_is_required():
    assert codes(check_email(" ")) == ["email.required"]


# --- Distinct principals ---------------------------------------------------------------------------------------------


def person(name, number, mobile, email, certificate_type=CertificateType.RESIDENT_ID):
    return {
        "name": name,
        "certificate_type": certificate_type,
        "certificate_number": number,
        "mobile": mobile,
        "email": email,
    }


ZHANG = person("张三", resident_id(sequence="111"), "13800138000", "zhangsan@example.com")
LI = person("李四", resident_id(sequence="222"), "13912345678", "lisi@example.com")


def test_different_principals_with_their_own_contacts_pass():
    assert check_distinct_principals({"principal": ZHANG, "websites.0.principal": LI}) == []


def test_a_mobile_shared_by_two_people_is_refused_on_the_later_one():
    later = {**LI, "mobile": "+86 138 0013 8000"}
    findings = check_distinct_principals({"principal": ZHANG, "websites.0.principal": later})
    assert by_field(findings) == {"websites.0.principal.mobile": ["principal.mobile_shared"]}
    with translation.override("en"):
        assert "张三" in str(findings[0].message)


def test_an_email_shared_by_two_people_is_refused_whatever_its_case():
    later = {**LI, "email": "ZhangSan@Example.com"}
    findings = check_distinct_principals({"principal": ZHANG, "websites.0.principal": later})
    assert by_field(findings) == {"websites.0.principal.email": ["principal.email_shared"]}


def test_the_same_person_twice_may_use_the_same_contacts():
    again = {**ZHANG, "certificate_number": ZHANG["certificate_number"].lower()}
    assert check_distinct_principals({"principal": ZHANG, "websites.0.principal": again}) == []


def test_one_certificate_with_two_names_is_refused():
    findings = check_distinct_principals({"principal": ZHANG, "websites.0.principal": {**ZHANG, "name": "张山"}})
    assert by_field(findings) == {"websites.0.principal.name": ["principal.name_mismatch"]}


def test_only_the_later_duplicates_are_refused_among_three_principals():
    third = person("王五", resident_id(sequence="333"), "13800138000", "lisi@example.com")
    findings = check_distinct_principals(
        {"principal": ZHANG, "websites.0.principal": LI, "websites.1.principal": third}
    )
    assert by_field(findings) == {
        "websites.1.principal.mobile": ["principal.mobile_shared"],
        "websites.1.principal.email": ["principal.email_shared"],
    }


def test_principals_without_certificate_numbers_count_as_different_people():
    first = {**ZHANG, "certificate_number": ""}
    second = {**LI, "certificate_number": "", "mobile": ZHANG["mobile"]}
    assert codes(check_distinct_principals({"a": first, "b": second})) == ["principal.mobile_shared"]


# --- A mobile on another filed subject (database) --------------------------------------------------------------------


@pytest.fixture
def filed_subject(db):
    owner = get_user_model().objects.create_user(email="other-owner@example.com", password="irrelevant-pw-123")
    subject = Subject.objects.create(
        owner=owner,
        province=Region.objects.get(code="110000"),
        nature=SubjectNature.ENTERPRISE,
        certificate_type=CertificateType.BUSINESS_LICENCE,
        certificate_number=uscc_code("91110108MA0000001"),
        name="北京某某科技有限公司",
        certificate_address="北京市海淀区中关村大街1号",
        mailing_address="中关村大街1号",
        investor="某某",
        status=RecordStatus.ACTIVE,
    )
    Person.objects.create(
        subject=subject,
        name="赵六",
        certificate_type=CertificateType.RESIDENT_ID,
        certificate_number=resident_id(sequence="666"),
        mobile="13800138000",
        office_phone="086-010-62345678",
        email="zhaoliu@example.com",
    )
    return subject


def test_a_mobile_already_on_another_filed_subject_is_a_warning(filed_subject, django_assert_num_queries):
    with django_assert_num_queries(1):
        findings = check_mobiles_on_other_subjects(
            {"principal.mobile": "+86 138 0013 8000", "websites.0.principal.mobile": "13912345678"}
        )
    assert [(f.field, f.code, f.level) for f in findings] == [
        ("principal.mobile", "mobile.on_other_subject", "warning")
    ]
    assert findings[0].params["subject_ids"] == [filed_subject.pk]


def test_the_warning_does_not_name_the_other_subject(filed_subject):
    (finding,) = check_mobiles_on_other_subjects({"principal.mobile": "13800138000"})
    with translation.override("en"):
        message = str(finding.message)
    assert "北京某某科技有限公司" not in message
    assert "赵六" not in message


def test_the_subject_being_changed_is_not_another_subject(filed_subject):
    assert check_mobiles_on_other_subjects({"principal.mobile": "13800138000"}, subject=filed_subject) == []
    assert check_mobiles_on_other_subjects({"principal.mobile": "13800138000"}, subject=filed_subject.pk) == []


def test_a_cancelled_subject_does_not_count(filed_subject):
    Subject.objects.filter(pk=filed_subject.pk).update(status=RecordStatus.CANCELLED)
    assert check_mobiles_on_other_subjects({"principal.mobile": "13800138000"}) == []


def test_no_mobiles_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert check_mobiles_on_other_subjects({"principal.mobile": ""}) == []
