"""A website (网站基本信息) as a whole, and the websites of one application together."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.findings import Finding
from subjects.validation.text import placed

from ..models import DomainSuffix, ServiceContent
from .content import check_languages, check_pre_approvals, check_service_content, service_contents
from .domains import check_domains, check_domains_across_websites, check_homepage_url, domain_suffixes, nature_suffixes
from .names import check_website_name, reserved_words


@dataclass
class WebsiteRules:
    """The admin data the website checks read, loaded once (four queries) and shared by every website checked."""

    suffixes: dict[str, DomainSuffix] = field(default_factory=domain_suffixes)
    nature_rules: dict[str, tuple[str, ...]] = field(default_factory=nature_suffixes)
    words: dict[str, tuple[str, ...]] = field(default_factory=reserved_words)
    contents: dict[str, ServiceContent] = field(default_factory=service_contents)


def website_domains(data: Mapping) -> list:
    """The domains of a website's data: ``domains`` as strings or ``{"name": …}`` mappings."""
    return list(data.get("domains") or [])


def validate_website(
    data: Mapping,
    *,
    subject_nature: str,
    subject_name: str = "",
    rules: WebsiteRules | None = None,
    field_prefix: str = "",
) -> list[Finding]:
    """Every check of one website (``WebsiteFields`` names plus ``domains``): name, domains, homepage, service
    content, languages, pre-approvals. The website's principal goes to ``subjects.validation.validate_principals``
    with the other principals of the application."""
    rules = rules or WebsiteRules()
    domains = website_domains(data)
    findings = [
        *check_website_name(
            data.get("name"),
            subject_nature=subject_nature,
            subject_name=subject_name,
            domains=domains,
            words=rules.words,
        ),
        *check_domains(domains, nature=subject_nature, suffixes=rules.suffixes, nature_rules=rules.nature_rules),
        *check_homepage_url(data.get("homepage_url"), domains),
        *check_service_content(data.get("service_content"), subject_nature=subject_nature, contents=rules.contents),
        *check_languages(data.get("languages")),
        *check_pre_approvals(data.get("pre_approvals"), subject_nature=subject_nature),
    ]
    return placed(findings, field_prefix)


def validate_websites(
    websites: Sequence[Mapping],
    *,
    subject_nature: str,
    subject_name: str = "",
    rules: WebsiteRules | None = None,
    field: str = "websites",
) -> list[Finding]:
    """The websites of one application (``websites.0.name``…): each one, and no domain on two of them."""
    rules = rules or WebsiteRules()
    findings = []
    for index, data in enumerate(websites):
        findings.extend(
            validate_website(
                data,
                subject_nature=subject_nature,
                subject_name=subject_name,
                rules=rules,
                field_prefix=f"{field}.{index}",
            )
        )
    findings.extend(check_domains_across_websites([website_domains(data) for data in websites], field=field))
    return findings
