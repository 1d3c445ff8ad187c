"""Service content (admin data), languages and pre-approval content of a website."""

import pytest
from django.utils import translation

from subjects.constants import SubjectNature
from tests.subjects.numbers import by_field, codes
from websites.constants import PreApprovalType, WebsiteLanguage
from websites.models import ServiceContent
from websites.reference_data import SERVICE_CONTENTS
from websites.validation import check_languages, check_pre_approvals, check_service_content

ENTERPRISE = SubjectNature.ENTERPRISE
INDIVIDUAL = SubjectNature.INDIVIDUAL

# --- Service content -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", [code for code, _name, _name_en in SERVICE_CONTENTS])
def test_each_service_content_on_the_list_passes_for_an_organisation(code):
    assert check_service_content([code], subject_nature=ENTERPRISE) == []


@pytest.mark.django_db
def test_several_contents_pass_together():
    assert check_service_content(["portal", "ecommerce", "other"], subject_nature=ENTERPRISE) == []


@pytest.mark.django_db
def test_a_personal_website_may_only_choose_other():
    assert check_service_content(["other"], subject_nature=INDIVIDUAL) == []


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["blog", "portal", "ecommerce", "online_games"])
def test_any_other_content_is_refused_on_a_personal_website(code):
    findings = check_service_content([code, "other"], subject_nature=INDIVIDUAL)
    assert codes(findings) == ["service_content.not_for_individuals"]
    assert findings[0].params == {"allowed": ["other"], "refused": [code]}


@pytest.mark.django_db
def test_the_personal_refusal_names_the_contents_in_the_readers_language():
    (finding,) = check_service_content(["blog"], subject_nature=INDIVIDUAL)
    with translation.override("en"):
        assert "Other" in str(finding.message) and "Blog or personal space" in str(finding.message)
    with translation.override("zh-hans"):
        assert "其他" in str(finding.message) and "博客/个人空间" in str(finding.message)


@pytest.mark.django_db
def test_an_unknown_or_inactive_content_is_refused():
    ServiceContent.objects.filter(code="webmail").update(is_active=False)
    assert codes(check_service_content(["webmail"], subject_nature=ENTERPRISE)) == ["service_content.unknown"]
    assert codes(check_service_content(["shopping"], subject_nature=ENTERPRISE)) == ["service_content.unknown"]


@pytest.mark.django_db
def test_at_least_one_service_content_is_required():
    assert codes(check_service_content([], subject_nature=ENTERPRISE)) == ["service_content.required"]
    assert codes(check_service_content(None, subject_nature=ENTERPRISE)) == ["service_content.required"]


@pytest.mark.django_db
def test_an_administrator_may_open_a_content_to_individuals():
    ServiceContent.objects.filter(code="images").update(allowed_for_individuals=True)
    assert check_service_content(["images"], subject_nature=INDIVIDUAL) == []


# --- Languages -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", WebsiteLanguage.values)
def test_each_website_language_passes(language):
    assert check_languages([language]) == []


def test_several_languages_pass():
    assert check_languages([WebsiteLanguage.SIMPLIFIED_CHINESE, WebsiteLanguage.ENGLISH, WebsiteLanguage.UYGHUR]) == []


def test_a_language_not_on_the_list_is_refused():
    assert codes(check_languages(["zh_hans", "klingon"])) == ["languages.unknown"]


def test_at_least_one_language_is_required():
    assert codes(check_languages([])) == ["languages.required"]


# --- Pre-approval ----------------------------------------------------------------------------------------------------


def test_no_pre_approval_content_passes_for_anyone():
    assert check_pre_approvals([], subject_nature=INDIVIDUAL) == []
    assert check_pre_approvals(None, subject_nature=ENTERPRISE) == []


@pytest.mark.parametrize("approval_type", PreApprovalType.values)
def test_each_pre_approval_content_with_its_document_passes(approval_type):
    entries = [{"type": approval_type, "document_number": "京ICP证000000号"}]
    assert check_pre_approvals(entries, subject_nature=ENTERPRISE) == []


@pytest.mark.parametrize("document_number", ["", "   "])
def test_a_pre_approval_content_without_its_document_is_refused(document_number):
    entries = [
        {"type": PreApprovalType.NEWS, "document_number": "国新网许可证0000号"},
        {"type": PreApprovalType.HEALTHCARE, "document_number": document_number},
    ]
    findings = check_pre_approvals(entries, subject_nature=ENTERPRISE)
    assert by_field(findings) == {"pre_approvals.1.document_number": ["pre_approvals.document_required"]}
    with translation.override("en"):
        assert "Healthcare" in str(findings[0].message)


def test_a_type_given_alone_needs_its_document():
    assert codes(check_pre_approvals(["education"], subject_nature=ENTERPRISE)) == ["pre_approvals.document_required"]


def test_a_pre_approval_content_on_a_personal_website_is_refused():
    entries = [{"type": PreApprovalType.CULTURE, "document_number": "网文0000号"}]
    findings = check_pre_approvals(entries, subject_nature=INDIVIDUAL)
    assert by_field(findings) == {"pre_approvals": ["pre_approvals.not_for_individuals"]}


def test_an_unknown_or_repeated_pre_approval_type_is_refused():
    entries = [
        {"type": "news", "document_number": "1"},
        {"type": "gambling", "document_number": "2"},
        {"type": "news", "document_number": "3"},
    ]
    assert by_field(check_pre_approvals(entries, subject_nature=ENTERPRISE)) == {
        "pre_approvals.1.type": ["pre_approvals.unknown_type"],
        "pre_approvals.2.type": ["pre_approvals.duplicate"],
    }
