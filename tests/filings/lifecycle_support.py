"""What the lifecycle tests share: filed records of the portal, an order driven through the provider's steps, and the
administration's decision.

``administration`` stands in for the simulator that processes submissions (being built elsewhere): today it calls
the filings services ``order_approve`` / ``order_reject_by_administration`` directly. Once the simulator decides
orders, point ``Administration.approve`` / ``reject`` at it and every ``…_through_the_administration`` test runs
end to end through it unchanged.
"""

from dataclasses import dataclass

from django.utils import timezone

from core import clock
from filings import services
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, Material
from filings.services.transitions import Remark
from subjects.models import Person
from tests.miit import registry
from websites import services as website_services
from websites.constants import Billing, CloudRegion
from websites.models import Website


def filed_subject(owner, *, domains=("lifecycle-a.cn",), province_code="110000", **kwargs):
    """A subject filed through this portal, one website per domain, filed a while ago."""
    subject = registry.portal_subject(
        owner=owner,
        certificate_number=kwargs.pop("certificate_number", None) or registry.credit_code(),
        province_code=province_code,
        domains=domains,
        **kwargs,
    )
    subject.filed_at = timezone.now()
    subject.principal = Person.objects.filter(subject=subject).first()
    subject.save(update_fields=["filed_at", "principal"])
    Website.objects.filter(subject=subject).update(filed_at=timezone.now())
    return subject


def service_number(owner, *, region=CloudRegion.BEIJING):
    instance = website_services.instance_buy(
        owner=owner,
        name=f"web-{region}",
        region=region,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    return website_services.service_number_apply(instance_id=instance.pk, actor=owner)


def bind_service_number(order, owner=None, *, region=CloudRegion.BEIJING):
    owner = owner or order.applicant
    for website in order.websites.all():
        number = service_number(owner, region=region)
        services.application_bind_service_number(
            order_id=order.pk, actor=owner, website_id=website.pk, number=number.number
        )


def photo(order):
    Material.objects.create(
        order=order,
        kind="verification_photo",
        file="x.jpg",
        extension="jpg",
        content_type="image/jpeg",
        size=1,
        width=1,
        height=1,
        sha256="0" * 64,
        uploaded_by=order.applicant,
        uploaded_at=clock.now(),
    )


def through_the_provider(order, reviewer, *, sms_required=False) -> FilingOrder:
    """Submit (the caller decides whether the pre-check runs), initial review, photo (not for cancellations),
    forwarding: the order ends where the administration holds it (or approved, for a claim)."""
    order = services.order_submit(order_id=order.pk, actor=order.applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    order = services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    if order.status == S.PENDING_PHOTO:
        photo(order)
        services.order_photos_submit(order_id=order.pk, actor=order.applicant)
        order = services.order_photo_review_pass(order_id=order.pk, actor=reviewer)
    if order.status == S.PENDING_MIIT_SUBMISSION:
        order = services.order_forward(order_id=order.pk, actor=reviewer, sms_required=sms_required)
    if order.status == S.SMS_VERIFICATION:
        order = services.order_sms_verified(order_id=order.pk)
    return order


@dataclass
class Administration:
    """The administration's decision on an order it holds (管局审核)."""

    def approve(self, order, *, subject_number: str = "", website_numbers: dict | None = None) -> FilingOrder:
        order = FilingOrder.objects.get(pk=order.pk)
        subject_number = subject_number or (order.subject.icp_number if order.subject_id else "")
        return services.order_approve(
            order_id=order.pk, subject_icp_number=subject_number, website_numbers=website_numbers or {}
        )

    def reject(self, order, reason: str) -> FilingOrder:
        return services.order_reject_by_administration(
            order_id=order.pk, remarks=[Remark(field="", message=reason, code="administration")]
        )


administration = Administration()
