"""Checks of websites: domains, names, content. Plain functions returning ``list[core.findings.Finding]``, shared by
the wizard's pre-check, the reviewer's page and the API. Rules, codes and decisions: docs/validation.md."""

from .content import check_languages, check_pre_approvals, check_service_content
from .domains import (
    DomainName,
    InvalidDomain,
    check_domain,
    check_domains,
    check_domains_across_websites,
    check_homepage_url,
    normalise_domain,
)
from .names import check_website_name
from .website import WebsiteRules, validate_website, validate_websites

__all__ = [
    "DomainName",
    "InvalidDomain",
    "WebsiteRules",
    "check_domain",
    "check_domains",
    "check_domains_across_websites",
    "check_homepage_url",
    "check_languages",
    "check_pre_approvals",
    "check_service_content",
    "check_website_name",
    "normalise_domain",
    "validate_website",
    "validate_websites",
]
