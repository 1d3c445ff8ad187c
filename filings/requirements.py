"""Which materials an order needs (RULES.md, Validation → Materials; the table is in docs/materials.md).

``required_materials(order)`` lists the slots the upload page shows; ``missing_materials(order)`` turns the
unfilled required ones into pre-check findings named ``materials.<kind>[.person.<id>|.website.<id>]``. Both run on
the application as plain data (``filings.application_data``): ``required_materials_for`` and
``missing_materials_for`` answer the same for an application nobody has saved (the API's pre-check), where the
person's and the website's keys are the client's own.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.findings import Finding, error
from regions.constants import PrincipalRule
from regions.selectors import province_rule_for
from subjects.constants import CertificateType, SubjectNature
from websites.constants import PreApprovalType

from .application_data import ApplicationData, application_data_from_order
from .constants import CANCELLATION_TYPES, MaterialKind, OrderType
from .models import FilingOrder, Material, PersonApplication

K = MaterialKind

# Documents with one side only: the photo page of a passport. Every other ID document has a front and a back.
ONE_SIDED_CERTIFICATES = frozenset({CertificateType.PASSPORT})
# ProvinceRule.extra key: the province asks for a domain certificate for each domain.
DOMAIN_CERTIFICATE_RULE = "domain_certificate_required"


def _interpolate(template, params: dict) -> str:
    return str(template) % {key: str(value) for key, value in params.items()}


# Messages stay lazy until shown, so a finding renders in the reader's language.
interpolate_lazy = lazy(_interpolate, str)


@dataclass(frozen=True)
class Requirement:
    """One slot on the upload page: what, for whom, why, and whether the order can be submitted without it."""

    kind: str
    label: str
    why: str
    required: bool = True
    person_id: int | None = None
    website_id: int | None = None
    # For whom, as people read it: a principal's or a website's name; empty for the order as a whole.
    subject: str = ""
    # How many files fill the slot (one approval document per pre-approval type, one certificate per domain).
    count: int = 1

    @property
    def key(self) -> str:
        if self.person_id is not None:
            return f"{self.kind}.person.{self.person_id}"
        if self.website_id is not None:
            return f"{self.kind}.website.{self.website_id}"
        return str(self.kind)

    @property
    def field(self) -> str:
        return f"materials.{self.key}"

    @property
    def dom_id(self) -> str:
        """The HTML id of the slot's card on every page that shows it."""
        return "slot-" + self.key.replace(".", "-").replace("_", "-")

    def matches(self, material: Material) -> bool:
        return (
            material.kind == self.kind
            and material.person_id == self.person_id
            and material.website_id == self.website_id
        )


def _principals(subject, websites) -> list[PersonApplication]:
    """The subject principal, then each website principal, each person once (same row, or same ID document)."""
    people: list[PersonApplication] = []
    seen_ids: set[int] = set()
    seen_documents: set[tuple[str, str]] = set()
    candidates = [subject.principal if subject else None] + [website.principal for website in websites]
    for person in candidates:
        if person is None or person.pk in seen_ids:
            continue
        document = (person.certificate_type, person.certificate_number.strip().upper())
        if document[1] and document in seen_documents:
            continue
        seen_ids.add(person.pk)
        seen_documents.add(document)
        people.append(person)
    return people


def _id_requirements(person: PersonApplication) -> list[Requirement]:
    why = _("The principal's identity document, as entered in the principal's details.")
    found = [Requirement(K.ID_FRONT, K.ID_FRONT.label, why, person_id=person.pk, subject=person.name)]
    if person.certificate_type not in ONE_SIDED_CERTIFICATES:
        found.append(Requirement(K.ID_BACK, K.ID_BACK.label, why, person_id=person.pk, subject=person.name))
    return found


def _pre_approval_label(types: list[str]) -> str:
    names = []
    for value in types:
        try:
            names.append(str(PreApprovalType(value).label))
        except ValueError:
            names.append(value)
    return "、".join(names)


def required_materials(order: FilingOrder) -> list[Requirement]:
    """The materials ``order`` needs, in the order the upload page shows them (``required_materials_for``)."""
    return required_materials_for(application_data_from_order(order, materials=False))


def required_materials_for(data: ApplicationData) -> list[Requirement]:
    """The materials an application needs, in the order the upload page shows them.

    Every order: the authenticity statement (核验单) and the front and back of each principal's ID document.
    Not for cancellations, which need only those: the subject certificate of an organisation; the authorisation
    letter where the province allows a principal who is not the legal representative; each website's pre-approval
    documents; a domain certificate per domain where the province asks for one. A principal not yet chosen has no
    slot (the application's own check reports the missing principal).
    """
    subject = data.subject
    if data.order_type == OrderType.CLAIM:
        return _claim_requirements(subject)
    websites = data.websites
    cancellation = data.order_type in CANCELLATION_TYPES
    organisation = subject is not None and subject.nature != SubjectNature.INDIVIDUAL

    found = [
        Requirement(
            K.AUTHENTICITY_STATEMENT,
            K.AUTHENTICITY_STATEMENT.label,
            _("Download the form, check it, sign it in black ink and upload a scan or photo of the signed form."),
        )
    ]
    if organisation and not cancellation:
        found.append(
            Requirement(
                K.SUBJECT_CERTIFICATE,
                K.SUBJECT_CERTIFICATE.label,
                _("The organisation's certificate (for an enterprise, the business licence), as entered."),
                subject=subject.name,
            )
        )
    for person in _principals(subject, websites):
        found.extend(_id_requirements(person))
    if cancellation:
        return found

    rule = province_rule_for(data.province)
    if organisation and rule is not None and rule.principal_rule == PrincipalRule.AUTHORISATION_LETTER:
        # The application has no "is the legal representative" answer yet: until it does, the letter is offered
        # but not enforced. A later field on the subject application decides it.
        is_legal_representative = getattr(subject, "principal_is_legal_representative", None)
        if is_legal_representative is not True:
            found.append(
                Requirement(
                    K.AUTHORISATION_LETTER,
                    K.AUTHORISATION_LETTER.label,
                    _(
                        "In this province a principal who is not the legal representative needs a letter of "
                        "authorisation signed by the legal representative and stamped."
                    ),
                    required=is_legal_representative is False,
                    subject=subject.principal.name if subject.principal else "",
                )
            )
    for website in websites:
        types = [entry.get("type", "") for entry in (website.pre_approvals or []) if isinstance(entry, dict)]
        types = [value for value in types if value]
        if types:
            found.append(
                Requirement(
                    K.PRE_APPROVAL_DOCUMENT,
                    K.PRE_APPROVAL_DOCUMENT.label,
                    interpolate_lazy(
                        _("One approval document for each pre-approval type: %(types)s."),
                        {"types": _pre_approval_label(types)},
                    ),
                    website_id=website.pk,
                    subject=website.name,
                    count=len(types),
                )
            )
    if rule is not None and (rule.extra or {}).get(DOMAIN_CERTIFICATE_RULE):
        for website in websites:
            domains = list(website.domains)
            if domains:
                found.append(
                    Requirement(
                        K.DOMAIN_CERTIFICATE,
                        K.DOMAIN_CERTIFICATE.label,
                        interpolate_lazy(
                            _("This province asks for the certificate of each domain: %(domains)s."),
                            {"domains": ", ".join(domain.name for domain in domains)},
                        ),
                        website_id=website.pk,
                        subject=website.name,
                        count=len(domains),
                    )
                )
    return found


def _claim_requirements(subject) -> list[Requirement]:
    """认领备案 asks for the certificates only (seed chapter 12, 上传证件): an organisation's certificate and the
    principal's ID, front and back. Nothing is filed anew, so no 核验单, approvals or domain certificates."""
    found = []
    if subject is not None and subject.nature != SubjectNature.INDIVIDUAL:
        found.append(
            Requirement(
                K.SUBJECT_CERTIFICATE,
                K.SUBJECT_CERTIFICATE.label,
                _("The organisation's certificate, as on the HiChina filing you claim."),
                subject=subject.name,
            )
        )
    if subject is not None and subject.principal is not None:
        found.extend(_id_requirements(subject.principal))
    return found


def verification_photo_requirements(order: FilingOrder) -> list[Requirement]:
    """The photos of the photo step (核验): one per website principal (RULES.md, Photo verification)."""
    websites = list(order.websites.select_related("principal"))
    found = []
    for person in _principals(None, websites):
        found.append(
            Requirement(
                K.VERIFICATION_PHOTO,
                K.VERIFICATION_PHOTO.label,
                _("Taken in front of the official backdrop: full face, no red or blue clothing, backdrop visible."),
                person_id=person.pk,
                subject=person.name,
            )
        )
    return found


def missing_materials(order: FilingOrder) -> list[Finding]:
    """One error finding per required slot that has fewer files than it needs."""
    return missing_materials_for(application_data_from_order(order))


def missing_materials_for(data: ApplicationData) -> list[Finding]:
    """``missing_materials`` of an application as data: its ``materials`` are the files uploaded (or, in the API's
    pre-check, the files the client will upload)."""
    materials = data.materials
    findings = []
    for requirement in required_materials_for(data):
        if not requirement.required:
            continue
        have = sum(1 for material in materials if requirement.matches(material))
        if have >= requirement.count:
            continue
        if requirement.count == 1:
            message = (
                interpolate_lazy(
                    _("Upload: %(kind)s (%(whom)s)."), {"kind": requirement.label, "whom": requirement.subject}
                )
                if requirement.subject
                else interpolate_lazy(_("Upload: %(kind)s."), {"kind": requirement.label})
            )
        else:
            message = interpolate_lazy(
                _("Upload: %(kind)s (%(whom)s), %(have)s of %(need)s uploaded."),
                {"kind": requirement.label, "whom": requirement.subject, "have": have, "need": requirement.count},
            )
        findings.append(error(requirement.field, "material_missing", message, have=have, need=requirement.count))
    return findings
