"""The applicant's edits of an order's content (the wizard's pages, the API). Each edit locks the order, checks that
the actor is its applicant and that it is editable (待完善, 初审驳回, 管局退回, 管局驳回), then writes."""

import contextlib
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock, mobile_codes
from subjects.validation.certificates import normalise_certificate_number
from subjects.validation.contacts import mobile_key, normalise_landline
from websites import services as website_services

from ..constants import EDITABLE_STATES
from ..errors import NotPermitted, OrderError
from ..models import DomainApplication, FilingOrder, PersonApplication, SubjectApplication, WebsiteApplication

SUBJECT_EDITABLE = ("name", "certificate_address", "mailing_address", "investor", "remarks")
PERSON_EDITABLE = (
    "name",
    "certificate_type",
    "certificate_number",
    "mobile",
    "office_phone",
    "emergency_phone",
    "email",
)
WEBSITE_EDITABLE = ("name", "homepage_url", "service_content", "languages", "pre_approvals", "remarks")
MAX_WEBSITES_PER_ORDER = 20
MAX_DOMAINS_PER_WEBSITE = 20


def _locked_editable(order_id: int, actor) -> FilingOrder:
    order = FilingOrder.objects.select_for_update(of=("self",)).get(pk=order_id)
    if order.applicant_id != actor.pk:
        raise NotPermitted("not_your_order", _("Only the applicant of this order can do this."))
    if order.status not in EDITABLE_STATES:
        raise OrderError(
            "not_editable",
            _("The order cannot be edited while it is “%(status)s”.") % {"status": order.get_status_display()},
        )
    return order


def _touch(order: FilingOrder) -> None:
    FilingOrder.objects.filter(pk=order.pk).update(edited_at=clock.now())


def mobile_code_purpose(order: FilingOrder) -> str:
    return f"order:{order.number}"


@transaction.atomic
def application_save_subject(*, order_id: int, actor, data: Mapping) -> SubjectApplication:
    order = _locked_editable(order_id, actor)
    subject = SubjectApplication.objects.get(order=order)
    for name in SUBJECT_EDITABLE:
        if name in data:
            setattr(subject, name, data[name] or "")
    subject.save()
    _touch(order)
    return subject


@transaction.atomic
def application_save_person(*, order_id: int, actor, data: Mapping, person_id: int | None = None) -> PersonApplication:
    """Create or update a principal. A changed mobile must be verified again (获取手机验证码)."""
    order = _locked_editable(order_id, actor)
    person = (
        PersonApplication(order=order)
        if person_id is None
        else PersonApplication.objects.get(pk=person_id, order=order)
    )
    old_mobile = person.mobile
    for name in PERSON_EDITABLE:
        if name in data:
            setattr(person, name, (data[name] or "").strip() if isinstance(data[name], str) else data[name])
    # Stored in the forms the checks compare: 11-digit mobiles, upper-case certificate numbers, 086-区号-号码.
    person.mobile = mobile_key(person.mobile) if person.mobile else ""
    person.certificate_number = normalise_certificate_number(person.certificate_number)
    if person.office_phone:
        with contextlib.suppress(ValueError):  # kept as typed; the check shows what is wrong with it
            person.office_phone = normalise_landline(person.office_phone)
    if person.mobile != old_mobile:
        person.mobile_verified_at = None
    if (
        person.mobile
        and person.mobile_verified_at is None
        and mobile_codes.mobile_is_verified(mobile=person.mobile, purpose=mobile_code_purpose(order))
    ):
        person.mobile_verified_at = clock.now()
    person.save()
    _touch(order)
    return person


@transaction.atomic
def application_set_subject_principal(*, order_id: int, actor, person_id: int) -> None:
    order = _locked_editable(order_id, actor)
    person = PersonApplication.objects.get(pk=person_id, order=order)
    SubjectApplication.objects.filter(order=order).update(principal=person)
    _touch(order)


def application_send_mobile_code(*, order_id: int, actor, mobile: str):
    """获取手机验证码 for a principal's 联系方式1. Raises core.mobile_codes.CodeError."""
    order = FilingOrder.objects.get(pk=order_id)
    if order.applicant_id != actor.pk:
        raise NotPermitted()
    return mobile_codes.mobile_code_send(mobile=mobile, purpose=mobile_code_purpose(order), user=actor)


def application_verify_mobile(*, order_id: int, actor, person_id: int, code: str) -> PersonApplication:
    """Check the code sent to a principal's mobile; on success the mobile counts as verified for this order.

    The code is checked outside this service's transaction: a wrong code's attempt must be committed, or the
    five-attempt limit could be walked around (mobile_code_check commits it in its own transaction).
    """
    order = FilingOrder.objects.get(pk=order_id)
    if order.applicant_id != actor.pk:
        raise NotPermitted("not_your_order", _("Only the applicant of this order can do this."))
    person = PersonApplication.objects.get(pk=person_id, order=order)
    mobile_codes.mobile_code_check(mobile=person.mobile, purpose=mobile_code_purpose(order), code=code)
    with transaction.atomic():
        _locked_editable(order_id, actor)
        PersonApplication.objects.filter(pk=person.pk, mobile=person.mobile).update(mobile_verified_at=clock.now())
    person.refresh_from_db()
    return person


@transaction.atomic
def application_add_website(*, order_id: int, actor) -> WebsiteApplication:
    order = _locked_editable(order_id, actor)
    count = order.websites.count()
    if count >= MAX_WEBSITES_PER_ORDER:
        raise OrderError("too_many_websites", _("An order can carry at most 20 websites."))
    _touch(order)
    return WebsiteApplication.objects.create(order=order, position=count)


@transaction.atomic
def application_remove_website(*, order_id: int, actor, website_id: int) -> None:
    order = _locked_editable(order_id, actor)
    website = WebsiteApplication.objects.get(pk=website_id, order=order)
    if website.service_number_id:
        website_services.service_numbers_release(service_number_ids=[website.service_number_id])
    website.delete()
    for position, remaining in enumerate(order.websites.order_by("position", "id")):
        WebsiteApplication.objects.filter(pk=remaining.pk).update(position=position)
    _touch(order)


@transaction.atomic
def application_save_website(
    *, order_id: int, actor, website_id: int, data: Mapping, principal_id: int | None = None
) -> WebsiteApplication:
    order = _locked_editable(order_id, actor)
    website = WebsiteApplication.objects.get(pk=website_id, order=order)
    for name in WEBSITE_EDITABLE:
        if name in data:
            setattr(website, name, data[name] if data[name] is not None else "")
    if principal_id is not None:
        website.principal = PersonApplication.objects.get(pk=principal_id, order=order)
    website.save()
    _touch(order)
    return website


@transaction.atomic
def application_add_domain(*, order_id: int, actor, website_id: int, name: str, ascii_name: str) -> DomainApplication:
    """继续增加域名. The domain must already be normalised (websites.validation.domains)."""
    order = _locked_editable(order_id, actor)
    website = WebsiteApplication.objects.get(pk=website_id, order=order)
    if DomainApplication.objects.filter(website__order=order, ascii_name=ascii_name).exists():
        raise OrderError("domain_twice", _("This domain is already in this order."))
    if website.domains.count() >= MAX_DOMAINS_PER_WEBSITE:
        raise OrderError("too_many_domains", _("A website can carry at most 20 domains."))
    _touch(order)
    return DomainApplication.objects.create(website=website, name=name, ascii_name=ascii_name)


@transaction.atomic
def application_remove_domain(*, order_id: int, actor, domain_id: int) -> None:
    order = _locked_editable(order_id, actor)
    DomainApplication.objects.filter(pk=domain_id, website__order=order).delete()
    _touch(order)


@transaction.atomic
def application_bind_service_number(*, order_id: int, actor, website_id: int, number: str) -> WebsiteApplication:
    """Verify a service number (the wizard's step 2) and bind it to one website of the order, freeing the one it
    had before. Raises websites.services.ServiceNumberError with a message for the field."""
    order = _locked_editable(order_id, actor)
    website = WebsiteApplication.objects.select_for_update().get(pk=website_id, order=order)
    found = website_services.service_number_verify(number=number, actor=actor)
    if website.service_number_id == found.pk:
        return website
    website_services.service_number_bind(service_number_id=found.pk)
    if website.service_number_id:
        website_services.service_numbers_release(service_number_ids=[website.service_number_id])
    website.service_number = found
    website.save(update_fields=["service_number"])
    _touch(order)
    return website
