"""What the pre-check looks at, in one place (filings.precheck.order_precheck calls it).

The rules run on an application as plain data (``filings.application_data``), so the wizard's pre-check of an order
and the API's pre-check of JSON nobody has saved answer the same problems for the same application:
``order_findings(order)`` is ``application_findings(application_data_from_order(order))`` plus what only a saved
order has (the filed record a change works on, a claim's legacy record).

The application goes through the shared validators — ``subjects.validation`` and ``websites.validation`` — and then
the rules of an application as a whole: a verified mobile for each principal, a service number per website, the ICP
password, the required materials, and the domain registry.

Field names are dotted paths: ``subject.name``, ``people.<key>.mobile`` (each principal once, whatever it is the
principal of), ``websites.<index>.homepage_url``, ``websites.<index>.domains.<index>``, ``materials.<…>``,
``icp_password``.
"""

from django.utils.translation import gettext_lazy as _

from core.findings import Finding, error, warning
from subjects.validation import validate_principals, validate_subject
from subjects.validation.text import placed
from websites.validation import WebsiteRules, validate_websites

from .application_data import ApplicationData, application_data_from_order
from .constants import CANCELLATION_TYPES, PASSWORD_TYPES, WEBSITE_TYPES, OrderType
from .models import FilingOrder

# Orders whose subject data the applicant enters or may change (the others carry the filed subject unchanged).
SUBJECT_EDIT_TYPES = frozenset(
    {OrderType.FIRST_FILING, OrderType.ADD_WEBSITE_NEW_USER, OrderType.TRANSFER_IN, OrderType.CHANGE_SUBJECT}
)


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
    data = application_data_from_order(order)
    return _content_findings(data) + _lifecycle_findings(order) + _material_findings(data)


def application_findings(data: ApplicationData, *, service_number_check=None) -> list[Finding]:
    """Every problem of an application given as data (the API's pre-check; nothing is saved or read back).

    ``service_number_check(number)`` verifies a website's service number for the caller and returns findings for it
    (placed under ``websites.<index>.service_number``); without it, a number given counts as verified.
    """
    return _content_findings(data, service_number_check=service_number_check) + _material_findings(data)


def _content_findings(data: ApplicationData, *, service_number_check=None) -> list[Finding]:
    findings: list[Finding] = []
    subject = data.subject
    websites = data.websites

    if subject is not None and data.order_type not in CANCELLATION_TYPES:
        # A claim's subject is the registry's legacy record, copied at submission (filings.claims), not typed in.
        if data.order_type != OrderType.CLAIM:
            findings += placed(validate_subject(subject.fields), "subject")
        if subject.principal is None:
            findings.append(error("subject.principal", "principal_missing", _("Enter the subject's principal.")))

    people = data.people
    if people and data.order_type not in CANCELLATION_TYPES:
        findings += validate_principals({f"people.{p.key}": p.fields for p in people}, subject=data.filed_subject_id)
        for person in people:
            if person.mobile and person.mobile_verified is False:
                findings.append(
                    error(
                        f"people.{person.key}.mobile",
                        "mobile_not_verified",
                        _("Verify this mobile number with the code sent to it (Get verification code)."),
                    )
                )

    if data.order_type in WEBSITE_TYPES:
        if not websites:
            findings.append(error("websites", "no_website", _("Add at least one website.")))
        nature = subject.nature if subject else ""
        name = subject.name if subject else ""
        findings += validate_websites(
            [w.check_data() for w in websites], subject_nature=nature, subject_name=name, rules=WebsiteRules()
        )
        for index, website in enumerate(websites):
            findings += _service_number_findings(index, website, service_number_check)
            if website.principal is None:
                findings.append(
                    error(f"websites.{index}.principal", "principal_missing", _("Choose the website's principal."))
                )
            if not website.domains:
                findings.append(error(f"websites.{index}.domains", "no_domain", _("Add the website's domain.")))
        findings += _registry_findings(subject, websites)

    if data.order_type in PASSWORD_TYPES and not data.icp_password:
        findings.append(error("icp_password", "icp_password_missing", _("Enter the ICP filing password.")))
    return findings


def _service_number_findings(index: int, website, check) -> list[Finding]:
    field = f"websites.{index}.service_number"
    if website.service_number_bound:
        return []
    if not website.service_number:
        return [error(field, "service_number_missing", _("Each website needs its own verified service number."))]
    return placed(check(website.service_number), field) if check is not None else []


def _lifecycle_findings(order) -> list[Finding]:
    """Changes, cancellations and claims: the record still filed, something changed, the legacy record claimable
    (filings.lifecycle, filings.claims)."""
    if order.order_type == OrderType.CLAIM:
        from .claims import claim_findings

        return claim_findings(order)
    from .lifecycle import lifecycle_findings

    return lifecycle_findings(order)


def _registry_findings(subject, websites) -> list[Finding]:
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
        for position, domain in enumerate(website.domains):
            if not domain.ascii_name:
                continue  # not a domain at all: its own check says so
            for problem in check(
                ascii_name=domain.ascii_name,
                subject_name=subject.name,
                certificate_number=subject.certificate_number,
                nature=subject.nature,
            ):
                make = warning if getattr(problem, "level", "error") == "warning" else error
                findings.append(make(f"websites.{index}.domains.{position}", problem.code, problem.message))
    return findings


def _material_findings(data: ApplicationData) -> list[Finding]:
    from .requirements import missing_materials_for

    return list(missing_materials_for(data))
