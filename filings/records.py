"""Writing the filed records when the administration approves an order — the only place that does (DESIGN.md)."""

from django.utils.translation import gettext_lazy as _

from core import clock
from subjects.constants import RecordStatus
from subjects.models import Person, Subject
from websites.models import Domain, Website

from .constants import OrderType
from .errors import OrderError
from .models import FilingOrder, PersonApplication, WebsiteApplication

PERSON_FIELDS = ("name", "certificate_type", "certificate_number", "mobile", "office_phone", "emergency_phone", "email")
SUBJECT_FIELDS = (
    "province_id",
    "city_id",
    "district_id",
    "nature",
    "certificate_type",
    "certificate_number",
    "name",
    "certificate_address",
    "mailing_address",
    "investor",
    "remarks",
)
WEBSITE_FIELDS = ("name", "homepage_url", "service_content", "languages", "pre_approvals", "remarks")


def _person_for(application: PersonApplication, subject: Subject, cache: dict) -> Person:
    if application.pk in cache:
        return cache[application.pk]
    values = {name: getattr(application, name) for name in PERSON_FIELDS}
    person = application.existing_person
    if person is not None and person.subject_id == subject.pk:
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
    else:
        person = Person.objects.create(subject=subject, **values)
    cache[application.pk] = person
    return person


def ensure_number_unused(*, subject_number: str = "", website_numbers=(), keep_website: Website | None = None) -> None:
    """Numbers are assigned once and never reused (RULES.md, Numbers): a number a record holds — a cancelled one
    included — is refused here with a clear error instead of a failed insert."""
    if subject_number and Subject.objects.filter(icp_number=subject_number).exists():
        raise OrderError(
            "number_in_use",
            _("ICP number %(number)s is already held by a filed record; numbers are never reused.")
            % {"number": subject_number},
        )
    taken = Website.objects.filter(icp_number__in=[n for n in website_numbers if n])
    if keep_website is not None:
        taken = taken.exclude(pk=keep_website.pk)
    held = taken.values_list("icp_number", flat=True).first()
    if held:
        raise OrderError(
            "number_in_use",
            _("ICP number %(number)s is already held by a filed record; numbers are never reused.") % {"number": held},
        )


def _write_websites(order: FilingOrder, subject: Subject, website_numbers: dict[int, str], people: dict, now) -> None:
    for application in order.websites.select_related("principal", "existing_website").prefetch_related("domains"):
        website = application.existing_website
        # A changed website keeps its number unless the administration gives it another.
        number = website_numbers.get(application.pk) or (website.icp_number if website is not None else None)
        if not number:
            raise OrderError("missing_number", _("The administration gave no number for a website of this order."))
        principal = _person_for(application.principal, subject, people)
        values = {name: getattr(application, name) for name in WEBSITE_FIELDS}
        if website is None:
            ensure_number_unused(website_numbers=[number])
            website = Website.objects.create(
                subject=subject, principal=principal, icp_number=number, filed_at=now, **values
            )
        else:
            for name, value in values.items():
                setattr(website, name, value)
            website.principal = principal
            website.icp_number = website.icp_number or number
            website.status = RecordStatus.ACTIVE
            website.save()
        _replace_domains(website, [(d.name, d.ascii_name) for d in application.domains.all()])


def _replace_domains(website: Website, domains: list[tuple[str, str]]) -> None:
    """Keep the domains still listed, end the ones removed (they are free to file again), add the new ones."""
    wanted = {ascii_name: name for name, ascii_name in domains}
    current = {d.ascii_name: d for d in website.domains.filter(status=RecordStatus.ACTIVE)}
    removed = [d.pk for ascii_name, d in current.items() if ascii_name not in wanted]
    Domain.objects.filter(pk__in=removed).update(status=RecordStatus.CANCELLED)
    Domain.objects.bulk_create(
        Domain(website=website, name=name, ascii_name=ascii_name)
        for ascii_name, name in wanted.items()
        if ascii_name not in current
    )


def _end_websites(websites, status: str) -> None:
    ids = list(websites.values_list("pk", flat=True))
    Website.objects.filter(pk__in=ids).update(status=status)
    Domain.objects.filter(website_id__in=ids, status=RecordStatus.ACTIVE).update(status=RecordStatus.CANCELLED)


def records_write_for_approval(order: FilingOrder, *, subject_icp_number: str, website_numbers: dict[int, str]) -> None:
    """Runs inside the approval's transaction, on the locked order."""
    now = clock.now()
    application = getattr(order, "subject_application", None)
    people: dict = {}
    kind = order.order_type

    if kind in (OrderType.CANCEL_SUBJECT, OrderType.CANCEL_WEBSITE, OrderType.CANCEL_ACCESS):
        if kind == OrderType.CANCEL_SUBJECT:
            _end_websites(order.subject.websites.all(), RecordStatus.CANCELLED)
            Subject.objects.filter(pk=order.subject_id).update(status=RecordStatus.CANCELLED)
        else:
            status = RecordStatus.CANCELLED if kind == OrderType.CANCEL_WEBSITE else RecordStatus.ACCESS_REMOVED
            _end_websites(Website.objects.filter(pk=order.target_website_id), status)
        return

    if kind == OrderType.CLAIM:
        # Claims end at the reviewer's pass (filings.claims writes them there); an approval of one writes the same.
        from .claims import claim_legacy_record, claim_records_write

        legacy = claim_legacy_record(order)
        if legacy is None or not legacy.claimable:
            raise OrderError("legacy_not_claimable", _("No claimable HiChina record of this subject and domain."))
        claim_records_write(order, legacy)
        return

    subject = order.subject
    values = {name: getattr(application, name) for name in SUBJECT_FIELDS}
    if subject is None:
        ensure_number_unused(subject_number=subject_icp_number)
        subject = Subject.objects.create(owner=order.applicant, icp_number=subject_icp_number, filed_at=now, **values)
        FilingOrder.objects.filter(pk=order.pk).update(subject=subject)
        order.subject = subject
    elif kind in (OrderType.CHANGE_SUBJECT, OrderType.CLAIM) or not subject.icp_number:
        for name, value in values.items():
            setattr(subject, name, value)
        subject.icp_number = subject.icp_number or subject_icp_number
        subject.save()
    if application.principal_id:
        subject.principal = _person_for(application.principal, subject, people)
        subject.save(update_fields=["principal"])

    if kind in (OrderType.CHANGE_SUBJECT, OrderType.CLAIM):
        return
    _write_websites(order, subject, website_numbers, people, now)


def website_numbers_needed(order: FilingOrder) -> list[WebsiteApplication]:
    """The website entries the administration must number at approval."""
    if order.order_type in (OrderType.CHANGE_SUBJECT, OrderType.CLAIM) or order.order_type.startswith("cancel"):
        return []
    return list(order.websites.all())
