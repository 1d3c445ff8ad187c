"""Reads behind the review page: the order with everything on it, what the reviewer should be warned about, the
difference from the filed record for change orders, and the back office's own history of the order."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filings import precheck
from filings.constants import IN_PROCESS_STATES, MaterialKind, OrderType
from filings.materials.selectors import materials_of
from filings.models import DomainApplication, FieldRemark, FilingOrder, PersonApplication, WebsiteApplication
from filings.records import PERSON_FIELDS, WEBSITE_FIELDS
from filings.wizard_labels import place_of
from subjects.constants import RecordStatus
from subjects.models import Person, Subject
from websites.constants import WebsiteLanguage
from websites.models import ServiceContent, Website

from ..models import CallAttempt, Claim

CHANGE_TYPES = frozenset({OrderType.CHANGE_SUBJECT, OrderType.CHANGE_WEBSITE})
SUBJECT_DIFF_FIELDS = ("name", "certificate_address", "mailing_address", "investor", "remarks")


def order_for_review(number: str) -> FilingOrder:
    queryset = FilingOrder.objects.select_related(
        "province",
        "applicant",
        "assignee",
        "subject",
        "target_website",
        "subject_application",
        "subject_application__province",
        "subject_application__city",
        "subject_application__district",
        "subject_application__principal",
    ).prefetch_related(
        Prefetch(
            "websites",
            queryset=WebsiteApplication.objects.select_related(
                "principal", "service_number", "existing_website"
            ).prefetch_related(Prefetch("domains", queryset=DomainApplication.objects.order_by("id"))),
        ),
        Prefetch("people", queryset=PersonApplication.objects.select_related("existing_person").order_by("id")),
        Prefetch("remarks", queryset=FieldRemark.objects.filter(resolved_at__isnull=True), to_attr="open_remarks"),
    )
    return get_object_or_404(queryset, number=number)


# --- warnings ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    kind: str
    message: str
    place: str = ""
    links: list = field(default_factory=list)


def _mobile_warnings(order: FilingOrder, people: list) -> list[Warning]:
    mobiles = {p.mobile: p for p in people if p.mobile}
    if not mobiles:
        return []
    found = []
    filed = Person.objects.filter(mobile__in=mobiles, subject__status=RecordStatus.ACTIVE).select_related("subject")
    if order.subject_id:
        filed = filed.exclude(subject_id=order.subject_id)
    by_mobile: dict[str, set] = {}
    for person in filed:
        by_mobile.setdefault(person.mobile, set()).add(
            f"{person.subject.name} ({person.subject.icp_number or _('not filed')})"
        )
    other_orders = (
        PersonApplication.objects.filter(mobile__in=mobiles, order__status__in=IN_PROCESS_STATES)
        .exclude(order=order)
        .exclude(order__subject_certificate_number=order.subject_certificate_number)
        .select_related("order", "order__subject_application")
    )
    for person in other_orders:
        subject = getattr(person.order, "subject_application", None)
        by_mobile.setdefault(person.mobile, set()).add(
            f"{subject.name if subject and subject.name else '—'} ({_('open order')} {person.order.number})"
        )
    for mobile, subjects in sorted(by_mobile.items()):
        person = mobiles[mobile]
        found.append(
            Warning(
                "mobile_on_other_subjects",
                str(
                    _("Mobile %(mobile)s of %(name)s is also given for: %(subjects)s.")
                    % {"mobile": mobile, "name": person.name, "subjects": "; ".join(sorted(subjects))}
                ),
            )
        )
    return found


def _domain_warnings(order: FilingOrder, websites: list) -> list[Warning]:
    names = {d.ascii_name: d.name for w in websites for d in w.domains.all()}
    if not names:
        return []
    others = (
        DomainApplication.objects.filter(ascii_name__in=names, website__order__status__in=IN_PROCESS_STATES)
        .exclude(website__order=order)
        .select_related("website__order")
        .order_by("ascii_name", "website__order__number")
    )
    by_domain: dict[str, list] = {}
    for domain in others:
        other = domain.website.order
        by_domain.setdefault(domain.ascii_name, []).append(f"{other.number} ({other.get_status_display()})")
    return [
        Warning(
            "domain_in_other_orders",
            str(
                _("Domain %(domain)s is also in other open orders: %(orders)s.")
                % {"domain": names[ascii_name], "orders": ", ".join(orders)}
            ),
        )
        for ascii_name, orders in sorted(by_domain.items())
    ]


def order_warnings(order: FilingOrder, *, people: list, websites: list) -> list[Warning]:
    """What the reviewer must look at: mobiles shared with other subjects, domains in other open orders, and the
    pre-check's findings (errors and warnings, each with the place it concerns)."""
    warnings = _mobile_warnings(order, people) + _domain_warnings(order, websites)
    people_by_id = {p.pk: p for p in people}
    for finding in precheck.order_precheck(order):
        place = place_of(order, finding.field, people=people_by_id, websites=websites)
        label = f"{place.section} · {place.label}" if place.label else str(place.section)
        warnings.append(Warning(f"precheck_{finding.level}", str(finding.message), label))
    return warnings


# --- change orders -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    label: str
    filed: str
    new: str

    @property
    def changed(self) -> bool:
        return self.filed != self.new


@dataclass(frozen=True)
class DiffSection:
    title: str
    rows: list


def _shown(instance, name: str) -> str:
    display = getattr(instance, f"get_{name}_display", None)
    value = display() if display else getattr(instance, name, "")
    if isinstance(value, list | tuple):
        return ", ".join(str(v.get("type", v)) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(value)


def _rows(model, filed, new, names) -> list[DiffRow]:
    return [
        DiffRow(str(model._meta.get_field(name).verbose_name), _shown(filed, name), _shown(new, name)) for name in names
    ]


def order_diff(order: FilingOrder, *, people: list, websites: list) -> list[DiffSection]:
    """For a change order: each section of the application beside the filed record it changes."""
    if order.order_type not in CHANGE_TYPES:
        return []
    sections = []
    subject = getattr(order, "subject_application", None)
    if order.subject_id and subject is not None:
        filed = Subject.objects.get(pk=order.subject_id)
        sections.append(DiffSection(str(_("Subject information")), _rows(Subject, filed, subject, SUBJECT_DIFF_FIELDS)))
    for person in people:
        if person.existing_person is not None:
            sections.append(
                DiffSection(
                    str(_("Principal: %(name)s") % {"name": person.name}),
                    _rows(Person, person.existing_person, person, PERSON_FIELDS),
                )
            )
    filed_websites = {
        w.pk: w
        for w in Website.objects.filter(pk__in=[w.existing_website_id for w in websites if w.existing_website_id])
        .prefetch_related("domains")
        .select_related("principal")
    }
    for index, website in enumerate(websites):
        filed = filed_websites.get(website.existing_website_id)
        if filed is None:
            continue
        rows = _rows(Website, filed, website, WEBSITE_FIELDS)
        rows.append(
            DiffRow(
                str(_("Domains")),
                ", ".join(sorted(d.name for d in filed.domains.all() if d.status == RecordStatus.ACTIVE)),
                ", ".join(sorted(d.name for d in website.domains.all())),
            )
        )
        rows.append(
            DiffRow(
                str(_("Website principal")),
                filed.principal.name if filed.principal else "",
                website.principal.name if website.principal else "",
            )
        )
        sections.append(DiffSection(str(_("Website %(n)d") % {"n": index + 1}), rows))
    return sections


# --- materials and history ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialCard:
    material: object
    label: str
    is_photo: bool


def order_materials(order: FilingOrder, *, people: dict, websites: list) -> list[MaterialCard]:
    positions = {w.pk: i for i, w in enumerate(websites)}
    cards = []
    for material in materials_of(order):
        label = str(material.get_kind_display())
        if material.person_id and material.person_id in people:
            label += f" · {people[material.person_id].name}"
        elif material.website_id in positions:
            label += f" · {_('Website %(n)d') % {'n': positions[material.website_id] + 1}}"
        cards.append(MaterialCard(material, label, material.kind == MaterialKind.VERIFICATION_PHOTO))
    return cards


def order_claims(order: FilingOrder) -> list[Claim]:
    return list(order.review_claims.select_related("reviewer", "assigned_by").order_by("claimed_at", "id"))


def order_calls(order: FilingOrder) -> list[CallAttempt]:
    return list(order.call_attempts.select_related("reviewer").order_by("called_at", "id"))


def label_websites(websites: list) -> None:
    """Give each website the names of its service contents and languages (``content_labels``,
    ``language_labels``) in the reader's language; one query."""
    english = (get_language() or "").startswith("en")
    names = {
        code: (name_en if english else name)
        for code, name, name_en in ServiceContent.objects.values_list("code", "name", "name_en")
    }
    languages = dict(WebsiteLanguage.choices)
    for website in websites:
        website.content_labels = [names.get(code, code) for code in website.service_content or []]
        website.language_labels = [str(languages.get(code, code)) for code in website.languages or []]
