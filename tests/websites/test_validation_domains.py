"""Domains: normalisation (IDNA 2008, registrable domain), the approved-suffix list, suffixes by subject nature,
domains of one website and of one application, and the homepage URL."""

import pytest
from django.utils import translation

from subjects.constants import SubjectNature
from tests.subjects.numbers import by_field, codes, error_codes, warning_codes
from websites.models import DomainSuffix
from websites.validation import (
    InvalidDomain,
    check_domain,
    check_domains,
    check_domains_across_websites,
    check_homepage_url,
    normalise_domain,
)
from websites.validation.domains import EXTRACTOR

# --- Normalisation ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name", "ascii_name"),
    [
        ("例子.中国", "例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("xn--fsqu00a.xn--fiqs8s", "例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("XN--FSQU00A.XN--FIQS8S", "例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("中文.公司", "中文.公司", "xn--fiq228c.xn--55qx5d"),
        ("测试.网络", "测试.网络", "xn--0zwm56d.xn--io0a7i"),
        ("我的.我爱你", "我的.我爱你", "xn--wnu286b.xn--6qq986b3xl"),
        ("例子.中國", "例子.中國", "xn--fsqu00a.xn--fiqz9s"),
        ("例子。中国", "例子.中国", "xn--fsqu00a.xn--fiqs8s"),  # ideographic full stop
        ("EXAMPLE.COM", "example.com", "example.com"),
        ("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com", "example.com"),  # full-width
        ("example.com.", "example.com", "example.com"),
        ("www.example.com", "example.com", "example.com"),
        ("https://www.Example.com/path/index.html?q=1#top", "example.com", "example.com"),
        ("http://example.com:8080/", "example.com", "example.com"),
        ("  example.com.cn  ", "example.com.cn", "example.com.cn"),
        ("www.moe.gov.cn", "moe.gov.cn", "moe.gov.cn"),
        ("http://www.例子.中国/", "例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("bücher.com", "bücher.com", "xn--bcher-kva.com"),
    ],
)
def test_a_domain_is_normalised_to_its_registrable_domain_in_unicode_and_ascii(typed, name, ascii_name):
    domain = normalise_domain(typed)
    assert (domain.name, domain.ascii_name) == (name, ascii_name)


def test_the_public_suffix_and_the_cut_subdomain_are_kept():
    domain = normalise_domain("blog.shop.example.com.cn")
    assert (domain.suffix, domain.subdomain, domain.label) == ("com.cn", "blog.shop", "example")


def test_the_extractor_works_offline_with_its_bundled_list():
    assert EXTRACTOR.suffix_list_urls == ()
    assert EXTRACTOR("例子.中国").suffix == "中国"


@pytest.mark.django_db
def test_www_is_cut_silently_and_other_subdomains_with_a_warning():
    assert check_domain("www.example.com") == []
    findings = check_domain("blog.example.com")
    assert warning_codes(findings) == ["domain.subdomain"]
    with translation.override("en"):
        assert "example.com" in str(findings[0].message)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "domain.required"),
        ("exa_mple.com", "domain.invalid_character"),
        ("ex ample.com", "domain.invalid_character"),
        ("☃.com", "domain.invalid_character"),
        ("example!.com", "domain.invalid_character"),
        ("-abc.com", "domain.hyphen"),
        ("abc-.com", "domain.hyphen"),
        ("ab--cd.com", "domain.hyphen_34"),
        ("a..b.com", "domain.empty_label"),
        ("a" * 64 + ".com", "domain.label_too_long"),
        ("xn--abc.com", "domain.punycode"),
        ("1.2.3.4", "domain.ip_address"),
        ("http://[2001:db8::1]/", "domain.ip_address"),
        ("localhost", "domain.unknown_suffix"),
        ("example.invalid", "domain.unknown_suffix"),
        ("com.cn", "domain.suffix_only"),
        ("中国", "domain.suffix_only"),
        ("user@example.com", "domain.invalid"),
        ("http://example.com:port/", "domain.invalid"),
    ],
)
def test_malformed_domains_are_refused_with_the_reason(typed, code):
    with pytest.raises(InvalidDomain) as refused:
        normalise_domain(typed)
    assert refused.value.code == code
    assert codes(check_domain(typed, suffixes={})) == [code]


def test_the_invalid_character_is_named_in_the_message():
    (finding,) = check_domain("exa_mple.com", suffixes={})
    with translation.override("en"):
        assert "“_”" in str(finding.message)


# --- Approved suffixes (admin data, loaded from RULES.md) ----------------------------------------------------------

APPROVED = [
    *("xin", "top", "citic", "mobi", "tel", "wang", "ren", "com", "cn", "net", "cc", "tv", "gov", "org", "shop"),
    *("vip", "ltd", "biz", "club", "site", "中国", "网络", "公司", "我爱你", "中文网", "网址", "商城", "在线"),
    *("com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "bj.cn"),
]
REFUSED = ["hk", "tw", "asia", "jp", "co", "so", "me", "xyz", "com.hk", "co.jp"]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", APPROVED)
def test_a_domain_on_an_approved_suffix_passes(suffix):
    assert check_domain(f"example.{suffix}") == []


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", REFUSED)
def test_a_domain_on_a_refused_suffix_is_refused_by_name(suffix):
    findings = check_domain(f"example.{suffix}")
    assert codes(findings) == ["domain.suffix_refused"]
    with translation.override("en"):
        assert "cannot be filed" in str(findings[0].message)


@pytest.mark.django_db
@pytest.mark.parametrize("domain", ["example.io", "example.co.uk", "example.info", "example.рф"])
def test_a_domain_on_a_suffix_not_on_the_list_is_refused(domain):
    assert codes(check_domain(domain)) == ["domain.suffix_not_listed"]


@pytest.mark.django_db
def test_an_administrator_decides_the_suffix_list():
    DomainSuffix.objects.filter(ascii_suffix="xyz").update(approved=True)
    DomainSuffix.objects.filter(ascii_suffix="com.cn").update(approved=False)
    assert check_domain("example.xyz") == []
    assert codes(check_domain("example.com.cn")) == ["domain.suffix_refused"]
    assert check_domain("example.cn") == []


@pytest.mark.django_db
def test_a_suffix_typed_by_an_administrator_with_a_dot_and_capitals_still_counts():
    DomainSuffix.objects.create(suffix=".IO", ascii_suffix=".IO", approved=True)
    DomainSuffix.objects.create(suffix="游戏", ascii_suffix="", approved=False)
    assert check_domain("example.io") == []
    assert codes(check_domain("例子.游戏")) == ["domain.suffix_refused"]


# --- Suffixes by subject nature -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nature", "domain"),
    [
        (SubjectNature.PUBLIC_INSTITUTION, "example.cn"),
        (SubjectNature.PUBLIC_INSTITUTION, "example.org.cn"),
        (SubjectNature.PUBLIC_INSTITUTION, "例子.公益"),
        (SubjectNature.GOVERNMENT, "beijing.gov.cn"),
        (SubjectNature.GOVERNMENT, "www.moe.gov.cn"),
        (SubjectNature.GOVERNMENT, "例子.政务"),
        (SubjectNature.ENTERPRISE, "example.com"),
        (SubjectNature.INDIVIDUAL, "example.cn"),
    ],
)
def test_a_domain_on_a_suffix_of_its_subjects_nature_passes(nature, domain):
    assert check_domain(domain, nature=nature) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nature", "domain"),
    [
        (SubjectNature.PUBLIC_INSTITUTION, "example.com"),
        (SubjectNature.PUBLIC_INSTITUTION, "例子.中国"),
        (SubjectNature.GOVERNMENT, "example.cn"),
        (SubjectNature.GOVERNMENT, "example.com.cn"),
        (SubjectNature.GOVERNMENT, "example.com"),
    ],
)
def test_a_domain_off_the_suffixes_of_its_subjects_nature_is_refused(nature, domain):
    assert codes(check_domain(domain, nature=nature)) == ["domain.suffix_not_for_nature"]


@pytest.mark.django_db
def test_the_nature_refusal_lists_the_allowed_suffixes():
    (finding,) = check_domain("example.com", nature=SubjectNature.GOVERNMENT)
    with translation.override("en"):
        message = str(finding.message)
    assert ".gov.cn" in message and ".政务" in message
    assert finding.params["allowed"] == ["gov.cn", "政务"]


# --- The domains of a website and of an application ----------------------------------------------------------------


@pytest.mark.django_db
def test_several_domains_of_one_website_are_checked_each_under_its_index(django_assert_num_queries):
    with django_assert_num_queries(2):  # the suffix list and the nature rules, once
        findings = check_domains(
            ["example.cn", "例子.公益", "example.xyz", "bad_domain.cn"], nature=SubjectNature.PUBLIC_INSTITUTION
        )
    assert by_field(findings) == {
        "domains.2": ["domain.suffix_refused", "domain.suffix_not_for_nature"],
        "domains.3": ["domain.invalid_character"],
    }


@pytest.mark.django_db
def test_the_same_domain_twice_on_one_website_is_refused_on_the_second():
    findings = check_domains(["example.com", "WWW.Example.com", "example.cn"])
    assert by_field(findings) == {"domains.1": ["domain.duplicate"]}


@pytest.mark.django_db
def test_an_idn_and_its_punycode_are_the_same_domain():
    assert codes(check_domains(["例子.中国", "xn--fsqu00a.xn--fiqs8s"])) == ["domain.duplicate"]


@pytest.mark.django_db
def test_a_website_needs_a_domain():
    assert codes(check_domains([])) == ["domains.required"]


def test_domains_may_be_given_as_rows():
    findings = check_domains([{"name": "example.com"}, {"name": "example.com"}], suffixes={"com": _approved("com")})
    assert codes(findings) == ["domain.duplicate"]


def test_the_same_domain_on_two_websites_of_one_application_is_refused():
    findings = check_domains_across_websites([["example.com", "example.cn"], ["例子.中国"], ["www.example.cn"]])
    assert by_field(findings) == {"websites.2.domains.0": ["domain.in_other_website"]}
    assert findings[0].params["other"] == "1"


def test_different_domains_on_different_websites_pass():
    assert check_domains_across_websites([["example.com"], ["example.cn"], ["例子.中国"]]) == []


def _approved(suffix):
    return DomainSuffix(suffix=suffix, ascii_suffix=suffix, approved=True)


# --- Homepage URL ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "domains"),
    [
        ("http://www.example.com/", ["example.com"]),
        ("https://example.com", ["example.com"]),
        ("www.example.com", ["example.com"]),
        ("https://blog.example.com/index.html", ["example.com"]),
        ("https://WWW.EXAMPLE.COM", ["example.com"]),
        ("http://www.example.cn:80/", ["example.com", "example.cn"]),
        ("https://www.example.cn:443/", ["example.com", "example.cn"]),
        ("http://例子.中国/", ["xn--fsqu00a.xn--fiqs8s"]),
        ("http://www.xn--fsqu00a.xn--fiqs8s/", ["例子.中国"]),
        ("https://例子。中国", ["例子.中国"]),
    ],
)
def test_a_homepage_on_one_of_the_websites_domains_passes(url, domains):
    assert check_homepage_url(url, domains) == []


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", "homepage_url.required"),
        ("https://example.net/", "homepage_url.off_domain"),
        ("https://notexample.com/", "homepage_url.off_domain"),
        ("https://example.com.evil.cn/", "homepage_url.off_domain"),
        ("ftp://example.com/", "homepage_url.scheme"),
        ("http://1.2.3.4/", "homepage_url.ip_address"),
        ("http://example.com:8080/", "homepage_url.port"),
        ("http://user@example.com/", "homepage_url.invalid"),
        ("http:///path", "homepage_url.invalid"),
    ],
)
def test_a_homepage_off_the_websites_domains_or_malformed_is_refused(url, code):
    assert codes(check_homepage_url(url, ["example.com"])) == [code]


def test_the_off_domain_refusal_lists_the_websites_domains():
    (finding,) = check_homepage_url("https://example.net/", ["example.com", "例子.中国"])
    with translation.override("en"):
        message = str(finding.message)
    assert "example.com" in message and "例子.中国" in message and "example.net" in message


def test_a_homepage_is_not_judged_against_invalid_domains():
    assert error_codes(check_homepage_url("https://example.net/", ["bad_domain.com"])) == []
