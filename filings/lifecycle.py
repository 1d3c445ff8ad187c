"""After approval: change orders, cancellation orders and continued transfer-in (docs/lifecycle.md).

Each flow starts here, with its guards, and then runs as an ordinary order through the wizard and the state machine
(``filings.services``); only the approval writes the filed records (``filings.records``).

- 变更主体 / 变更网站: the draft starts as a copy of the filed record (``order_create_draft`` copies the subject and its
  principals; a website change also copies the website, its principal and its active domains, with
  ``existing_website`` set so the reviewer sees the difference). The province cannot change — the application has no
  province to edit, and the pre-check refuses one that differs. A province whose rule forbids changes
  (``ProvinceRule.changes_allowed``) is answered with the way out: cancel, then file anew.
- 注销主体 / 注销网站 / 取消接入: the ICP password is kept for the administration, which checks it (a wrong one is its
  rejection); no photo and no SMS. Removing one of several domains is a website change, not a cancellation.
- 继续接入备案: a subject already with us moves one more website's access here; the detection decides whether the
  domain is one.

Every start refuses a record of another account (404 for the pages), a record that is no longer filed, and a
second order while one is in process for the subject.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.findings import Finding, error
from regions.selectors import province_rule_for
from subjects.constants import RecordStatus
from subjects.models import Subject
from subjects.validation.text import fail, interpolate
from websites.models import Domain, Website

from .constants import CANCELLATION_TYPES, OrderType
from .errors import NotPermitted, OrderError
from .models import DomainApplication, FilingOrder, PersonApplication, WebsiteApplication
from .services.application import PERSON_EDITABLE, SUBJECT_EDITABLE, WEBSITE_EDITABLE
from .services.drafts import order_create_draft, order_in_process_for, order_set_icp_password

CHANGE_TYPES = frozenset({OrderType.CHANGE_SUBJECT, OrderType.CHANGE_WEBSITE})
WEBSITE_CANCELLATION_TYPES = frozenset({OrderType.CANCEL_WEBSITE, OrderType.CANCEL_ACCESS})

# The way out a refusal offers (the page turns it into links).
WAY_OUT_CANCEL_AND_REFILE = "cancel_and_refile"
WAY_OUT_OPEN_ORDER = "open_order"
WAY_OUT_ADD_WEBSITE = "add_website"


@dataclass
class LifecycleRefused(OrderError):
    """A flow that cannot start (or go on), with the way out the page offers: ``way_out`` and, for an order in
    process, its number."""

    way_out: str = ""
    order_number: str = ""


# --- reads ---------------------------------------------------------------------------------------------------------


def subjects_of(user):
    return Subject.objects.filter(owner=user).select_related("province", "city", "district", "principal")


def websites_of(user):
    return Website.objects.filter(subject__owner=user).select_related("subject", "subject__province", "principal")


def active_domains(website: Website) -> list[Domain]:
    return list(website.domains.filter(status=RecordStatus.ACTIVE).order_by("id"))


def changes_allowed(subject: Subject) -> bool:
    rule = province_rule_for(subject.province_id)
    return rule is None or rule.changes_allowed


def _changes_forbidden(subject: Subject) -> LifecycleRefused:
    return LifecycleRefused(
        "changes_not_allowed",
        interpolate(
            _(
                "The communications administration of %(province)s does not accept changes to filed information. "
                "To change it, cancel the filing and then file again with the new information."
            ),
            province=subject.province.name,
        ),
        way_out=WAY_OUT_CANCEL_AND_REFILE,
    )


def _in_process(order: FilingOrder) -> LifecycleRefused:
    return LifecycleRefused(
        "order_in_process",
        interpolate(
            _(
                "Order %(number)s for this subject is in process. Finish or withdraw it before you change or "
                "cancel the filing."
            ),
            number=order.number,
        ),
        way_out=WAY_OUT_OPEN_ORDER,
        order_number=order.number,
    )


def _not_filed() -> LifecycleRefused:
    return LifecycleRefused("record_not_active", _("This record is no longer filed: there is nothing to change."))


def lifecycle_refusal(
    subject: Subject, *, website: Website | None = None, change: bool = False
) -> LifecycleRefused | None:
    """Why no change (``change``) or cancellation can start for ``subject`` (and ``website``) now, or None."""
    if subject.status != RecordStatus.ACTIVE or (website is not None and website.status != RecordStatus.ACTIVE):
        return _not_filed()
    busy = order_in_process_for(
        certificate_type=subject.certificate_type, certificate_number=subject.certificate_number
    )
    if busy is not None and busy.applicant_id != subject.owner_id:
        # Another account's order for the same certificate: say so without naming it.
        return LifecycleRefused(
            "order_in_process",
            _("Another account has an order in process for this subject. It must end before this one can start."),
        )
    if busy is not None:
        return _in_process(busy)
    if change and not changes_allowed(subject):
        return _changes_forbidden(subject)
    return None


def _owned(subject: Subject, applicant) -> None:
    if subject.owner_id != applicant.pk:
        raise NotPermitted(
            "subject_of_another_account", _("This subject is held by another account: sign in with that account.")
        )


def _draft(applicant, order_type: str, subject: Subject, **extra) -> FilingOrder:
    return order_create_draft(
        applicant=applicant,
        order_type=order_type,
        province=subject.province,
        nature=subject.nature,
        certificate_type=subject.certificate_type,
        certificate_number=subject.certificate_number,
        subject=subject,
        city=subject.city,
        district=subject.district,
        **extra,
    )


def _mark_copies_verified(order: FilingOrder) -> None:
    """Copied principals keep the mobile the administration verified at filing; an edited mobile must be verified
    again (``application_save_person`` clears the mark)."""
    PersonApplication.objects.filter(order=order, existing_person__isnull=False).update(mobile_verified_at=clock.now())


def _person_copy(order: FilingOrder, person) -> PersonApplication:
    found = PersonApplication.objects.filter(order=order, existing_person=person).first()
    if found is not None:
        return found
    return PersonApplication.objects.create(
        order=order,
        existing_person=person,
        **{name: getattr(person, name) for name in PERSON_EDITABLE},
    )


# --- changes ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def change_subject_start(*, applicant, subject_id: int) -> FilingOrder:
    """变更主体: a draft that starts as a copy of the filed subject and its principals."""
    subject = Subject.objects.select_related("province", "city", "district").get(pk=subject_id)
    _owned(subject, applicant)
    refusal = lifecycle_refusal(subject, change=True)
    if refusal is not None:
        raise refusal
    order = _draft(applicant, OrderType.CHANGE_SUBJECT, subject)
    _mark_copies_verified(order)
    return FilingOrder.objects.get(pk=order.pk)


@transaction.atomic
def change_website_start(*, applicant, website_id: int) -> FilingOrder:
    """变更网站信息: a draft carrying a copy of the filed website (fields, principal, active domains). The website
    needs a service number again, as every website of an order does."""
    website = Website.objects.select_related("subject__province", "principal").get(pk=website_id)
    subject = website.subject
    _owned(subject, applicant)
    refusal = lifecycle_refusal(subject, website=website, change=True)
    if refusal is not None:
        raise refusal
    order = _draft(applicant, OrderType.CHANGE_WEBSITE, subject)
    FilingOrder.objects.filter(pk=order.pk).update(target_website=website)
    order.target_website = website
    application = WebsiteApplication.objects.create(
        order=order,
        position=0,
        existing_website=website,
        principal=_person_copy(order, website.principal),
        **{name: getattr(website, name) for name in WEBSITE_EDITABLE},
    )
    DomainApplication.objects.bulk_create(
        DomainApplication(website=application, name=domain.name, ascii_name=domain.ascii_name)
        for domain in active_domains(website)
    )
    _mark_copies_verified(order)
    return FilingOrder.objects.get(pk=order.pk)


# --- cancellations ---------------------------------------------------------------------------------------------------


@transaction.atomic
def cancellation_start(
    *, applicant, order_type: str, icp_password: str, subject_id: int | None = None, website_id: int | None = None
) -> FilingOrder:
    """注销主体 (``subject_id``), 注销网站 or 取消接入 (``website_id``), with the ICP password for the administration.

    The password is not checked here: the administration checks it, and a wrong one comes back as its rejection.
    """
    if order_type not in CANCELLATION_TYPES:
        raise OrderError("not_a_cancellation", _("Not a cancellation."))
    if not (icp_password or "").strip():
        raise OrderError("icp_password_missing", _("Enter the ICP filing password."))
    website = None
    if order_type in WEBSITE_CANCELLATION_TYPES:
        website = Website.objects.select_related("subject__province").get(pk=website_id)
        subject = website.subject
    else:
        subject = Subject.objects.select_related("province", "city", "district").get(pk=subject_id)
    _owned(subject, applicant)
    refusal = lifecycle_refusal(subject, website=website)
    if refusal is not None:
        raise refusal
    order = _draft(applicant, order_type, subject)
    if website is not None:
        FilingOrder.objects.filter(pk=order.pk).update(target_website=website)
        order.target_website = website
    order_set_icp_password(order=order, actor=applicant, password=icp_password.strip())
    return FilingOrder.objects.get(pk=order.pk)


# --- continued transfer-in -------------------------------------------------------------------------------------------


def continue_transfer_in_start(*, applicant, subject_id: int, domain: str, gateway=None):
    """继续接入备案: detect the type of ``domain`` for a subject already with us; a continued transfer-in opens its
    draft (the subject copied, the domain on the first website). Returns ``(detection, order)``; ``order`` is None
    when the detection refused (its findings say why). Another type is refused with its way out."""
    from .detection import detect_filing_type

    subject = Subject.objects.select_related("province", "city", "district").get(pk=subject_id)
    _owned(subject, applicant)
    if subject.status != RecordStatus.ACTIVE:
        raise _not_filed()
    detection = detect_filing_type(
        applicant=applicant,
        province=subject.province,
        nature=subject.nature,
        certificate_type=subject.certificate_type,
        certificate_number=subject.certificate_number,
        domain=domain,
        gateway=gateway,
    )
    if not detection.ok:
        return detection, None
    if detection.order_type != OrderType.CONTINUE_TRANSFER_IN:
        raise LifecycleRefused(
            "not_filed_elsewhere",
            interpolate(
                _(
                    "%(domain)s is not filed through another provider, so there is no access to move here. To file "
                    "it for this subject, add a website instead."
                ),
                domain=detection.domain[0],
            ),
            way_out=WAY_OUT_ADD_WEBSITE,
        )
    order = _draft(applicant, OrderType.CONTINUE_TRANSFER_IN, subject, domain=detection.domain)
    return detection, order


# --- what a change changes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between a change order and the filed record. ``owner`` is ``subject`` or
    ``website:<application id>``: whose data it is (and so whose principal verifies it by SMS)."""

    owner: str
    label: str
    filed: str
    new: str


def _shown(value) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(item.get("type", item)) if isinstance(item, dict) else str(item) for item in value)
    return "" if value is None else str(value)


def _field_changes(owner: str, model, filed, application, names) -> list[Change]:
    changes = []
    for name in names:
        before, after = getattr(filed, name), getattr(application, name)
        if (before or "") != (after or ""):
            label = str(model._meta.get_field(name).verbose_name)
            changes.append(Change(owner, label, _shown(before), _shown(after)))
    return changes


def _person_changes(owner: str, role: str, filed_person, application_person) -> list[Change]:
    if application_person is None:
        return []
    if application_person.existing_person_id != getattr(filed_person, "pk", None):
        return [Change(owner, role, getattr(filed_person, "name", ""), application_person.name)]
    return [
        Change(owner, f"{role}: {c.label}", c.filed, c.new)
        for c in _field_changes(owner, PersonApplication, filed_person, application_person, PERSON_EDITABLE)
    ]


def order_changes(order: FilingOrder) -> list[Change]:
    """What a change order would change in the filed records, field by field (empty for other orders)."""
    if order.order_type not in CHANGE_TYPES or order.subject_id is None:
        return []
    subject = Subject.objects.select_related("principal").get(pk=order.subject_id)
    application = order.subject_application
    principal_label = str(_("Subject principal"))
    changes = []
    if order.order_type == OrderType.CHANGE_SUBJECT:
        changes += _field_changes("subject", Subject, subject, application, SUBJECT_EDITABLE)
    changes += _person_changes("subject", principal_label, subject.principal, application.principal)
    websites = order.websites.select_related("principal__existing_person", "existing_website__principal")
    for website in websites.prefetch_related("domains"):
        filed = website.existing_website
        if filed is None:
            continue
        owner = f"website:{website.pk}"
        changes += _field_changes(owner, Website, filed, website, WEBSITE_EDITABLE)
        before = sorted(d.name for d in active_domains(filed))
        after = sorted(d.name for d in website.domains.all())
        if before != after:
            changes.append(Change(owner, str(_("Domains")), ", ".join(before), ", ".join(after)))
        changes += _person_changes(owner, str(_("Website principal")), filed.principal, website.principal)
    return changes


def change_sms_principals(order: FilingOrder) -> list[PersonApplication]:
    """Whose mobiles the administration verifies for a change (RULES.md, SMS verification): the subject principal
    if subject data changed, each changed website's principal if website data changed; each person once."""
    owners = {change.owner for change in order_changes(order)}
    people: list[PersonApplication] = []
    candidates = []
    if "subject" in owners:
        candidates.append(order.subject_application.principal)
    for website in order.websites.select_related("principal"):
        if f"website:{website.pk}" in owners:
            candidates.append(website.principal)
    for person in candidates:
        if person is not None and person not in people:
            people.append(person)
    return people


# --- the pre-check's part --------------------------------------------------------------------------------------------


def lifecycle_findings(order: FilingOrder) -> list[Finding]:
    """What the pre-check adds for changes and cancellations: the record is still filed, the province unchanged and
    still accepting changes, something actually changes, and an added domain is not filed elsewhere."""
    if order.order_type not in CHANGE_TYPES | CANCELLATION_TYPES or order.subject_id is None:
        return []
    subject = Subject.objects.select_related("province").get(pk=order.subject_id)
    target = order.target_website
    if subject.status != RecordStatus.ACTIVE or (target is not None and target.status != RecordStatus.ACTIVE):
        return [error("", "record_not_active", _("This record is no longer filed: there is nothing to change."))]
    if order.order_type in CANCELLATION_TYPES:
        return []
    findings = []
    application = order.subject_application
    if application.province_id != subject.province_id:
        findings.append(
            error(
                "subject.province",
                "province_cannot_change",
                _("The province of a filing cannot change. To file in another province, cancel this filing first."),
            )
        )
    if not changes_allowed(subject):
        findings.append(error("", "changes_not_allowed", _changes_forbidden(subject).message))
    if not order_changes(order):
        findings.append(
            error("", "nothing_changed", _("Nothing differs from the filed record yet: edit what you want to change."))
        )
    if order.order_type == OrderType.CHANGE_WEBSITE:
        findings += _added_domain_findings(order)
    return findings


def _added_domain_findings(order: FilingOrder) -> list[Finding]:
    from .gateway import GatewayError, get_gateway

    findings = []
    gateway = None
    for index, website in enumerate(order.websites.select_related("existing_website").prefetch_related("domains")):
        filed = website.existing_website
        current = {d.ascii_name for d in active_domains(filed)} if filed else set()
        for position, domain in enumerate(website.domains.all()):
            if domain.ascii_name in current:
                continue
            field = f"websites.{index}.domains.{position}"
            taken = Domain.objects.filter(ascii_name=domain.ascii_name, status=RecordStatus.ACTIVE)
            if filed is not None:
                taken = taken.exclude(website=filed)
            elsewhere = taken.exists()
            if not elsewhere:
                try:
                    gateway = gateway or get_gateway()
                    record = gateway.lookup_domain(domain.ascii_name)
                except GatewayError:
                    record = None  # the administration checks again; the pre-check is a courtesy
                elsewhere = record is not None and (filed is None or record.website.icp_number != filed.icp_number)
            if elsewhere:
                findings.append(
                    fail(
                        field,
                        "domain_filed_elsewhere",
                        _("%(domain)s is already filed for another website. A domain is filed for one website only."),
                        domain=domain.name,
                    )
                )
    return findings
