"""What the pre-check looks at, in one place (filings.precheck.order_precheck calls it).

The application rows go through the same validators as the API's pre-check endpoint and the reviewer's page —
``subjects.validation`` and ``websites.validation`` — and then the rules only an order knows: a verified mobile for
each principal, a service number per website, the ICP password, the required materials, and the domain registry.

Field names are dotted paths: ``subject.name``, ``people.<id>.mobile`` (each principal once, whatever it is the
principal of), ``websites.<index>.homepage_url``, ``websites.<index>.domains.<index>``, ``materials.<…>``,
``icp_password``.
"""

from django.utils.translation import gettext_lazy as _

from core.findings import Finding, error, warning
from subjects.validation import record_data, validate_principals, validate_subject
from subjects.validation.text import placed
from websites.validation import WebsiteRules, validate_websites

from .constants import CANCELLATION_TYPES, PASSWORD_TYPES, WEBSITE_TYPES, OrderType
from .models import FilingOrder

# Orders whose subject data the applicant enters or may change (the others carry the filed subject unchanged).
SUBJECT_EDIT_TYPES = frozenset(
    {OrderType.FIRST_FILING, OrderType.ADD_WEBSITE_NEW_USER, OrderType.TRANSFER_IN, OrderType.CHANGE_SUBJECT}
)


def _website_data(website) -> dict:
    data = record_data(website)
    data["domains"] = [domain.name for domain in website.domains.all()]
    return data


def order_people(order: FilingOrder, websites) -> list:
    """The principals the order names, each once: the subject's first, then the websites' in order."""
    people, seen = [], set()
    subject = getattr(order, "subject_application", None)
    candidates = [subject.principal if subject else None] + [w.principal for w in websites]
    for person in candidates:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            people.append(person)
    return people


def order_findings(order: FilingOrder) -> list[Finding]:
    findings: list[Finding] = []
    subject = getattr(order, "subject_application", None)
    websites = list(order.websites.select_related("principal", "service_number").prefetch_related("domains"))

    if subject is not None and order.order_type not in CANCELLATION_TYPES:
        findings += placed(validate_subject(record_data(subject)), "subject")
        if subject.principal_id is None:
            findings.append(error("subject.principal", "principal_missing", _("Enter the subject's principal.")))

    people = order_people(order, websites)
    if people and order.order_type not in CANCELLATION_TYPES:
        findings += validate_principals({f"people.{p.pk}": record_data(p) for p in people}, subject=order.subject)
        for person in people:
            if person.mobile and person.mobile_verified_at is None:
                findings.append(
                    error(
                        f"people.{person.pk}.mobile",
                        "mobile_not_verified",
                        _("Verify this mobile number with the code sent to it (Get verification code)."),
                    )
                )

    if order.order_type in WEBSITE_TYPES:
        if not websites:
            findings.append(error("websites", "no_website", _("Add at least one website.")))
        nature = subject.nature if subject else ""
        name = subject.name if subject else ""
        findings += validate_websites(
            [_website_data(w) for w in websites], subject_nature=nature, subject_name=name, rules=WebsiteRules()
        )
        for index, website in enumerate(websites):
            if website.service_number_id is None:
                findings.append(
                    error(
                        f"websites.{index}.service_number",
                        "service_number_missing",
                        _("Each website needs its own verified service number."),
                    )
                )
            if website.principal_id is None:
                findings.append(
                    error(f"websites.{index}.principal", "principal_missing", _("Choose the website's principal."))
                )
            if not website.domains.all():
                findings.append(error(f"websites.{index}.domains", "no_domain", _("Add the website's domain.")))
        findings += _registry_findings(order, subject, websites)

    if order.order_type in PASSWORD_TYPES and not order.icp_password_encrypted:
        findings.append(error("icp_password", "icp_password_missing", _("Enter the ICP filing password.")))

    findings += _material_findings(order)
    return findings


def _registry_findings(order, subject, websites) -> list[Finding]:
    """The administration checks each domain's registration (RULES.md, "Domains in the registry"); so do we first."""
    try:
        from .gateway import get_gateway
    except ImportError:
        return []
    gateway = get_gateway()
    check = getattr(gateway, "check_domain_holder", None)
    if check is None or subject is None:
        return []
    findings = []
    for index, website in enumerate(websites):
        for position, domain in enumerate(website.domains.all()):
            for problem in check(
                ascii_name=domain.ascii_name,
                subject_name=subject.name,
                certificate_number=subject.certificate_number,
                nature=subject.nature,
            ):
                make = warning if getattr(problem, "level", "error") == "warning" else error
                findings.append(make(f"websites.{index}.domains.{position}", problem.code, problem.message))
    return findings


def _material_findings(order) -> list[Finding]:
    try:
        from .requirements import missing_materials
    except ImportError:
        return []
    return list(missing_materials(order))
