"""认领备案: a HiChina filing from before June 2010 that never moved becomes the applicant's records here (seed
chapter 12; docs/lifecycle.md).

The start page detects the claim and opens the draft; the applicant names the principal and uploads the ID photos;
the pre-check insists that the registry still holds a claimable legacy record of this subject and domain. At
submission the application is filled from that record (so the reviewer sees the name on file beside the photos),
and when the reviewer passes the claim (initial review → 备案成功, no administration involved) the record is
turned into a filed subject, website and domain of the applicant's account, with the legacy ICP number.

Both steps run as the ``effects`` of the transition services (``order_submit``/``order_resubmit`` and
``order_initial_review_pass``), inside the move's transaction on the locked order: the records are written with the
move or not at all.
"""

import logging
from datetime import datetime, time

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.background import enqueue_after_commit
from core.findings import Finding, error
from subjects.constants import RecordStatus, SubjectNature
from subjects.models import Person, Subject
from websites.models import Domain, Website

from .constants import OrderStatus, OrderType
from .errors import OrderError, TransitionRefused
from .gateway import GatewayError
from .models import DomainApplication, FilingOrder, SubjectApplication, WebsiteApplication
from .records import PERSON_FIELDS, ensure_number_unused

logger = logging.getLogger(__name__)


def claim_domain(order: FilingOrder) -> DomainApplication | None:
    return DomainApplication.objects.filter(website__order=order).order_by("website__position", "id").first()


def claim_legacy_record(order: FilingOrder, *, gateway=None):
    """The registry's legacy record this claim is about (claimable or not), or None. Raises GatewayError."""
    from .gateway import get_gateway

    domain = claim_domain(order)
    if domain is None:
        return None
    gateway = gateway or get_gateway()
    return gateway.lookup_legacy(
        certificate_type=order.subject_certificate_type,
        certificate_number=order.subject_certificate_number,
        ascii_name=domain.ascii_name,
    )


def _not_claimable():
    return TransitionRefused(
        "legacy_not_claimable",
        _(
            "The administration's registry no longer shows a claimable HiChina record of this subject and domain "
            "(it was moved or claimed meanwhile). Start again from Start filing to see the filing type now."
        ),
    )


def _unavailable():
    return OrderError(
        "registry_unavailable",
        _("The administration's registry cannot be reached at the moment. Try again in a few minutes."),
        503,
    )


def claim_findings(order: FilingOrder) -> list[Finding]:
    """The pre-check's part for a claim: the legacy record must still be claimable."""
    try:
        legacy = claim_legacy_record(order)
    except GatewayError:
        return [error("", "registry_unavailable", _unavailable().message)]
    if legacy is None or not legacy.claimable:
        return [error("", "legacy_not_claimable", _not_claimable().message)]
    return []


def claim_application_fill(order: FilingOrder, legacy) -> None:
    """What the reviewer compares the ID photos with: the name and number on file, copied into the application."""
    SubjectApplication.objects.filter(order=order).update(name=legacy.subject_name, nature=legacy.nature)
    for website in WebsiteApplication.objects.filter(order=order):
        website.name = website.name or legacy.subject_name
        website.homepage_url = website.homepage_url or f"http://{legacy.domain}/"
        website.save(update_fields=["name", "homepage_url"])


def _filed_at(legacy) -> datetime | None:
    if legacy.filed_on is None:
        return None
    return timezone.make_aware(datetime.combine(legacy.filed_on, time.min))


def _principal(order: FilingOrder, subject: Subject, legacy) -> Person:
    application = order.subject_application.principal
    if application is not None:
        return Person.objects.create(subject=subject, **{name: getattr(application, name) for name in PERSON_FIELDS})
    # Only reachable when the pre-check was skipped: a personal subject is its own principal.
    personal = legacy.nature == SubjectNature.INDIVIDUAL
    return Person.objects.create(
        subject=subject,
        name=legacy.subject_name,
        certificate_type=legacy.certificate_type if personal else "",
        certificate_number=legacy.certificate_number if personal else "",
    )


def claim_records_write(order: FilingOrder, legacy) -> Subject:
    """Turn the legacy record into the applicant's subject, website (…号-1) and domain. Runs inside the reviewer's
    pass, on the locked order; sets ``order.subject`` on that instance so the move saves it."""
    if Subject.objects.filter(
        certificate_type=legacy.certificate_type,
        certificate_number=legacy.certificate_number,
        status=RecordStatus.ACTIVE,
    ).exists():
        raise TransitionRefused(
            "subject_already_filed_here",
            _("This subject is already filed with us; a claim cannot add it a second time."),
        )
    if Domain.objects.filter(ascii_name=legacy.ascii_domain, status=RecordStatus.ACTIVE).exists():
        raise TransitionRefused("domain_filed_with_us", _("The claimed domain is already filed with us."))
    website_number = f"{legacy.icp_number}-1"
    ensure_number_unused(subject_number=legacy.icp_number, website_numbers=[website_number])
    application = order.subject_application
    filed_at = _filed_at(legacy)
    subject = Subject.objects.create(
        owner=order.applicant,
        province_id=legacy.province_code,
        city_id=application.city_id,
        district_id=application.district_id,
        nature=legacy.nature,
        certificate_type=legacy.certificate_type,
        certificate_number=legacy.certificate_number,
        name=legacy.subject_name,
        certificate_address=application.certificate_address,
        mailing_address=application.mailing_address,
        investor=application.investor or legacy.subject_name,
        remarks=application.remarks,
        icp_number=legacy.icp_number,
        filed_at=filed_at,
    )
    principal = _principal(order, subject, legacy)
    subject.principal = principal
    subject.save(update_fields=["principal"])
    entry = WebsiteApplication.objects.filter(order=order).order_by("position", "id").first()
    website = Website.objects.create(
        subject=subject,
        principal=principal,
        name=(entry.name if entry else "") or legacy.subject_name,
        homepage_url=(entry.homepage_url if entry else "") or f"http://{legacy.domain}/",
        icp_number=website_number,
        filed_at=filed_at,
    )
    Domain.objects.create(website=website, name=legacy.domain, ascii_name=legacy.ascii_domain)
    if entry is not None:
        WebsiteApplication.objects.filter(pk=entry.pk).update(existing_website=website)
    FilingOrder.objects.filter(pk=order.pk).update(subject=subject)
    order.subject = subject
    return subject


def claim_moved(instance: FilingOrder, *, name: str, target: str) -> None:
    """Submitting a claim fills the application from the legacy record; passing it writes the records.

    A refusal raised here undoes the whole move (it runs inside the move's transaction). An order with no legacy
    record at all is left alone: the pre-check refuses to submit one, so only tests that skip it make them.
    """
    if instance.order_type != OrderType.CLAIM:
        return
    submitting = name in ("submit", "resubmit")
    approving = target == OrderStatus.APPROVED
    if not (submitting or approving):
        return
    try:
        legacy = claim_legacy_record(instance)
    except GatewayError:
        raise _unavailable() from None
    if legacy is None:
        logger.warning("claim %s moved (%s) without a legacy record in the registry", instance.number, name)
        return
    if not legacy.claimable:
        raise _not_claimable()
    if submitting:
        claim_application_fill(instance, legacy)
    else:
        claim_records_write(instance, legacy)
        claim_report_after_commit(instance.pk)


# --- telling the registry ------------------------------------------------------------------------------------------


@shared_task(
    name="filings.report_claim",
    autoretry_for=(GatewayError,),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=8,
)
def report_claim(order_id: int) -> bool:
    """Tell the administration that an approved claim took its legacy record, so the registry shows it claimed and
    nobody claims it again. Idempotent: the registry answers a repeated report of the same order as it did the first
    time. An order that is not an approved claim reports nothing."""
    from .gateway import get_gateway

    order = FilingOrder.objects.filter(pk=order_id, order_type=OrderType.CLAIM, status=OrderStatus.APPROVED).first()
    domain = claim_domain(order) if order else None
    if order is None or domain is None:
        return False
    get_gateway().claim_legacy(
        certificate_type=order.subject_certificate_type,
        certificate_number=order.subject_certificate_number,
        ascii_name=domain.ascii_name,
        order_number=order.number,
    )
    return True


def claim_report_after_commit(order_id: int) -> None:
    """Called inside the reviewer's pass: the report leaves only if the approval commits."""
    enqueue_after_commit(report_claim, order_id)
