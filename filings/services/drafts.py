from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core import clock, crypto
from subjects.constants import RecordStatus
from subjects.models import Subject

from ..constants import IN_PROCESS_STATES, ORDER_VALIDITY_DAYS, ActorKind, OrderStatus
from ..errors import NotPermitted, OrderError
from ..models import (
    DomainApplication,
    FilingOrder,
    OrderEvent,
    PersonApplication,
    SubjectApplication,
    WebsiteApplication,
)

ICP_PASSWORD_PURPOSE = "filings.icp-password"  # noqa: S105 (a key-derivation label, not a secret)


def order_in_process_for(*, certificate_type: str, certificate_number: str) -> FilingOrder | None:
    return (
        FilingOrder.objects.filter(
            subject_certificate_type=certificate_type,
            subject_certificate_number=certificate_number,
            status__in=IN_PROCESS_STATES,
        )
        .only("id", "number", "applicant_id", "status")
        .first()
    )


def _another_order_in_process() -> OrderError:
    return OrderError(
        "order_in_process",
        _("This subject already has an order in process. Finish or withdraw it before starting another."),
    )


def order_create_draft(
    *,
    applicant,
    order_type: str,
    province,
    nature: str,
    certificate_type: str,
    certificate_number: str,
    domain: tuple[str, str] | None = None,
    subject: Subject | None = None,
    city=None,
    district=None,
) -> FilingOrder:
    """Open a draft (待完善) after 验证备案类型 detected ``order_type``.

    ``domain`` is ``(unicode, ascii)``. The subject application starts as a copy of the filed subject when there is
    one (add website, transfer-in of a subject already here, changes), else with what was entered on the first page.
    Refuses a second order in process for the same subject and a subject that belongs to another account.
    """
    if subject is not None and subject.owner_id != applicant.pk:
        raise NotPermitted(
            "subject_of_another_account", _("This subject is held by another account: sign in with that account.")
        )
    now = clock.now()
    try:
        with transaction.atomic():
            if order_in_process_for(certificate_type=certificate_type, certificate_number=certificate_number):
                raise _another_order_in_process()
            order = FilingOrder.objects.create(
                applicant=applicant,
                order_type=order_type,
                province=province,
                subject=subject,
                subject_certificate_type=certificate_type,
                subject_certificate_number=certificate_number,
                created_at=now,
                status_changed_at=now,
                expires_at=now + timedelta(days=ORDER_VALIDITY_DAYS),
            )
            if subject is not None:
                _copy_filed_subject(order, subject)
            else:
                SubjectApplication.objects.create(
                    order=order,
                    province=province,
                    city=city,
                    district=district,
                    nature=nature,
                    certificate_type=certificate_type,
                    certificate_number=certificate_number,
                )
            if domain is not None:
                website = WebsiteApplication.objects.create(order=order, position=0)
                DomainApplication.objects.create(website=website, name=domain[0], ascii_name=domain[1])
            OrderEvent.objects.create(
                order=order,
                action="create",
                from_status="",
                to_status=OrderStatus.DRAFT,
                actor=applicant,
                actor_kind=ActorKind.APPLICANT,
                created_at=now,
            )
    except IntegrityError:
        # Two drafts for one subject at the same moment: the database's constraint decided.
        raise _another_order_in_process() from None
    return order


def _copy_filed_subject(order: FilingOrder, subject: Subject) -> None:
    """A change order, or an order on a subject already filed here, starts as a copy of the filed records."""
    people = {}
    for person in subject.people.all():
        people[person.pk] = PersonApplication.objects.create(
            order=order,
            existing_person=person,
            name=person.name,
            certificate_type=person.certificate_type,
            certificate_number=person.certificate_number,
            mobile=person.mobile,
            office_phone=person.office_phone,
            emergency_phone=person.emergency_phone,
            email=person.email,
        )
    SubjectApplication.objects.create(
        order=order,
        principal=people.get(subject.principal_id),
        **{name: getattr(subject, name) for name in SUBJECT_FIELD_NAMES},
    )


SUBJECT_FIELD_NAMES = (
    "province",
    "city",
    "district",
    "nature",
    "certificate_type",
    "certificate_number",
    "name",
    "certificate_address",
    "mailing_address",
    "investor",
    "remarks",
)


def order_set_icp_password(*, order: FilingOrder, actor, password: str) -> None:
    """Keep the ICP password to forward it; the portal never checks it (RULES.md)."""
    if order.applicant_id != actor.pk:
        raise NotPermitted()
    if not order.is_editable:
        raise OrderError("not_editable", _("The order cannot be edited in its current state."))
    FilingOrder.objects.filter(pk=order.pk).update(
        icp_password_encrypted=crypto.encrypt(password, purpose=ICP_PASSWORD_PURPOSE)
    )


def order_icp_password(order: FilingOrder) -> str | None:
    if not order.icp_password_encrypted:
        return None
    return crypto.decrypt(order.icp_password_encrypted, purpose=ICP_PASSWORD_PURPOSE)


def filed_subject_for(*, certificate_type: str, certificate_number: str) -> Subject | None:
    return Subject.objects.filter(
        certificate_type=certificate_type, certificate_number=certificate_number, status=RecordStatus.ACTIVE
    ).first()
