"""An application as plain data: what the pre-check's rules read (filings.checks, filings.requirements).

The same rules run on an order (the wizard's pre-check, 提交) and on JSON nobody has saved (the API's pre-check
endpoint), so they take this structure rather than model rows. ``application_data_from_order`` builds it from an
order's application rows; the API builds it from its input.

Keys name the parts as the findings do: a principal is ``people.<key>`` (the row id for an order, the client's own
key in the API), a website ``websites.<index>``; materials use the person's and the website's key
(``materials.id_front.person.<key>``). Attribute names follow the models (``pk``, ``name``, ``certificate_type``…), so
code written for application rows reads these too.
"""

from dataclasses import dataclass, field

from subjects.validation import record_data

from .models import FilingOrder, Material, SubjectApplication

PERSON_FIELD_NAMES = (
    "name",
    "certificate_type",
    "certificate_number",
    "mobile",
    "office_phone",
    "emergency_phone",
    "email",
)
WEBSITE_FIELD_NAMES = ("name", "homepage_url", "service_content", "languages", "pre_approvals", "remarks")


@dataclass
class PersonData:
    """A principal (负责人). ``mobile_verified`` is None where nobody can know yet (no order, no code sent): the
    rule that asks for a verified mobile is then not applied."""

    key: int | str
    fields: dict
    mobile_verified: bool | None = None

    @property
    def pk(self):
        return self.key

    @property
    def name(self) -> str:
        return self.fields.get("name") or ""

    @property
    def certificate_type(self) -> str:
        return self.fields.get("certificate_type") or ""

    @property
    def certificate_number(self) -> str:
        return self.fields.get("certificate_number") or ""

    @property
    def mobile(self) -> str:
        return self.fields.get("mobile") or ""


@dataclass(frozen=True)
class DomainData:
    """``ascii_name`` is empty for a domain that cannot be read as one (its check says why)."""

    name: str
    ascii_name: str = ""


@dataclass
class WebsiteData:
    """A website. ``service_number`` is a number to verify for the applicant (the API), or empty; an order's
    website has ``service_number_bound`` once a verified number is bound to it."""

    key: int | str
    fields: dict
    domains: list[DomainData] = field(default_factory=list)
    principal: PersonData | None = None
    service_number: str = ""
    service_number_bound: bool = False

    @property
    def pk(self):
        return self.key

    @property
    def name(self) -> str:
        return self.fields.get("name") or ""

    @property
    def pre_approvals(self) -> list:
        return self.fields.get("pre_approvals") or []

    def check_data(self) -> dict:
        """What ``websites.validation`` reads: the website's fields and its domains as typed."""
        return {**self.fields, "domains": [domain.name for domain in self.domains]}


@dataclass
class SubjectData:
    """主办单位: ``fields`` are ``SubjectFields`` names (regions by code). ``principal_is_legal_representative`` is
    None while the application does not say."""

    fields: dict
    principal: PersonData | None = None
    principal_is_legal_representative: bool | None = None

    @property
    def name(self) -> str:
        return self.fields.get("name") or ""

    @property
    def nature(self) -> str:
        return self.fields.get("nature") or ""

    @property
    def certificate_type(self) -> str:
        return self.fields.get("certificate_type") or ""

    @property
    def certificate_number(self) -> str:
        return self.fields.get("certificate_number") or ""


@dataclass(frozen=True)
class MaterialData:
    """A material uploaded (an order) or to be uploaded (the API): the slot it fills."""

    kind: str
    person_id: int | str | None = None
    website_id: int | str | None = None


@dataclass
class ApplicationData:
    order_type: str
    province: str
    subject: SubjectData | None
    websites: list[WebsiteData] = field(default_factory=list)
    icp_password: bool = False
    materials: list[MaterialData] = field(default_factory=list)
    # The filed subject the application works on (its own people are not "another subject"), if any.
    filed_subject_id: int | None = None

    @property
    def people(self) -> list[PersonData]:
        """The principals the application names, each once: the subject's first, then the websites' in order."""
        found, seen = [], set()
        candidates = [self.subject.principal if self.subject else None] + [w.principal for w in self.websites]
        for person in candidates:
            if person is not None and person.key not in seen:
                seen.add(person.key)
                found.append(person)
        return found


def _person(row) -> PersonData | None:
    if row is None:
        return None
    return PersonData(
        key=row.pk,
        fields={name: getattr(row, name) for name in PERSON_FIELD_NAMES},
        mobile_verified=row.mobile_verified_at is not None,
    )


def application_data_from_order(order: FilingOrder, *, websites=None, materials: bool = True) -> ApplicationData:
    """The order's application as plain data. Queries: the subject (unless loaded), the websites with their
    principals and service numbers, their domains, and (unless ``materials`` is off) the materials' slots."""
    try:
        subject_row = order.subject_application
    except SubjectApplication.DoesNotExist:
        subject_row = None
    if websites is None:
        websites = list(order.websites.select_related("principal", "service_number").prefetch_related("domains"))
    people: dict[int, PersonData] = {}

    def person(row):
        if row is None:
            return None
        if row.pk not in people:
            people[row.pk] = _person(row)
        return people[row.pk]

    subject = None
    if subject_row is not None:
        subject = SubjectData(
            fields=record_data(subject_row),
            principal=person(subject_row.principal),
            principal_is_legal_representative=getattr(subject_row, "principal_is_legal_representative", None),
        )
    return ApplicationData(
        order_type=order.order_type,
        province=order.province_id,
        subject=subject,
        websites=[
            WebsiteData(
                key=website.pk,
                fields={name: getattr(website, name) for name in WEBSITE_FIELD_NAMES},
                domains=[DomainData(d.name, d.ascii_name) for d in website.domains.all()],
                principal=person(website.principal),
                service_number_bound=website.service_number_id is not None,
            )
            for website in websites
        ],
        icp_password=bool(order.icp_password_encrypted),
        materials=[
            MaterialData(kind, person_id, website_id)
            for kind, person_id, website_id in Material.objects.filter(order=order).values_list(
                "kind", "person_id", "website_id"
            )
        ]
        if materials
        else [],
        filed_subject_id=order.subject_id,
    )
