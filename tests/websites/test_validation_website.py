"""The website aggregates: one website, and the websites of an application."""

import pytest

from subjects.constants import SubjectNature
from tests.subjects.numbers import by_field, codes, error_codes
from websites.validation import WebsiteRules, validate_website, validate_websites

pytestmark = pytest.mark.django_db

COMPANY_SITE = {
    "name": "某某科技官网",
    "domains": ["example.com", "例子.中国"],
    "homepage_url": "https://www.example.com/",
    "service_content": ["organisation_portal", "ecommerce"],
    "languages": ["zh_hans", "en"],
    "pre_approvals": [],
    "remarks": "域名指向同一网站",
}
PERSONAL_SITE = {
    "name": "张三的摄影作品集",
    "domains": [{"name": "zhangsan.cn"}],
    "homepage_url": "http://www.zhangsan.cn",
    "service_content": ["other"],
    "languages": ["zh_hans"],
    "pre_approvals": [],
}


def test_a_complete_company_website_passes():
    findings = validate_website(COMPANY_SITE, subject_nature=SubjectNature.ENTERPRISE, subject_name="某某科技有限公司")
    assert findings == []


def test_a_complete_personal_website_passes():
    assert validate_website(PERSONAL_SITE, subject_nature=SubjectNature.INDIVIDUAL, subject_name="张三") == []


def test_a_company_site_filed_by_an_individual_breaks_every_personal_rule():
    findings = validate_website(
        {**COMPANY_SITE, "pre_approvals": [{"type": "news", "document_number": "1"}]},
        subject_nature=SubjectNature.INDIVIDUAL,
        subject_name="张三",
    )
    assert by_field(findings) == {
        "name": ["website_name.personal_business"],
        "service_content": ["service_content.not_for_individuals"],
        "pre_approvals": ["pre_approvals.not_for_individuals"],
    }


def test_the_findings_of_a_website_go_under_its_prefix():
    findings = validate_website(
        {**PERSONAL_SITE, "homepage_url": "https://example.net"},
        subject_nature=SubjectNature.INDIVIDUAL,
        field_prefix="websites.0",
    )
    assert by_field(findings) == {"websites.0.homepage_url": ["homepage_url.off_domain"]}


def test_an_empty_website_names_every_missing_part():
    findings = validate_website({}, subject_nature=SubjectNature.ENTERPRISE)
    assert error_codes(findings) == [
        "website_name.required",
        "domains.required",
        "homepage_url.required",
        "service_content.required",
        "languages.required",
    ]


def test_a_government_site_on_a_commercial_domain_is_refused():
    findings = validate_website(
        {**COMPANY_SITE, "name": "某某区人民政府门户网站", "domains": ["example.gov.cn", "example.com"]},
        subject_nature=SubjectNature.GOVERNMENT,
        subject_name="某某区人民政府",
    )
    assert by_field(findings) == {"domains.1": ["domain.suffix_not_for_nature"]}


def test_the_websites_of_an_application_read_the_admin_data_once(django_assert_num_queries):
    second = {**PERSONAL_SITE, "name": "张三的旅行日记", "domains": ["zhangsan.net"], "homepage_url": "zhangsan.net"}
    with django_assert_num_queries(4):
        findings = validate_websites([PERSONAL_SITE, second], subject_nature=SubjectNature.INDIVIDUAL)
    assert findings == []


def test_a_domain_on_two_websites_of_an_application_is_refused():
    second = {**PERSONAL_SITE, "name": "张三的旅行日记", "domains": ["www.zhangsan.cn"]}
    findings = validate_websites([PERSONAL_SITE, second], subject_nature=SubjectNature.INDIVIDUAL)
    assert by_field(findings) == {"websites.1.domains.0": ["domain.in_other_website"]}


def test_rules_loaded_once_can_be_shared_by_the_caller(django_assert_num_queries):
    rules = WebsiteRules()
    with django_assert_num_queries(0):
        assert codes(validate_website({**PERSONAL_SITE, "name": "123"}, subject_nature="individual", rules=rules)) == [
            "website_name.digits_only"
        ]
