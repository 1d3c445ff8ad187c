"""What the lifecycle tests share: filed records (in the portal and, the same, in the administration's registry),
an order driven through the provider's steps, and the administration's decision.

``administration`` is the simulated administration in ``miit/simulator``, driven here as its worker and beat would
drive it: the reviewer's 提交管局 hands the order over through the gateway, each principal types the code the
administration texted, the portal's clock moves past the review, the due submission is decided (the registry's
own checks: the ICP password, the domains' holders, numbers never reused) and its callback reaches the portal's
endpoint, signed, through the in-process transport. Nothing of the filings services is called in its place.
"""

from django.test import TestCase
from django.utils import timezone

from core import clock
from filings import services
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, Material
from miit.constants import RegistryStatus
from miit.models import RegistrySubject, SimulatorSettings, SmsVerification, Submission
from miit.simulator import sms
from reviews import services as reviews
from subjects.models import Person
from tests.miit import registry, simulator_support
from tests.miit.simulator_support import refreshed
from websites import services as website_services
from websites.constants import Billing, CloudRegion
from websites.models import Website


def domain_held(subject, domain: str):
    """The domain registry's record of ``domain``, held by ``subject`` (portal or registry), real-name verified:
    what the administration's domain check wants since 2018."""
    return registry.registration(
        domain,
        holder_name=subject.name,
        holder_certificate_type=subject.certificate_type,
        holder_certificate_number=subject.certificate_number,
    )


def filed_subject(owner, *, domains=("lifecycle-a.cn",), province_code="110000", **kwargs):
    """A subject filed through this portal a while ago, one website per domain, and the same filing in the
    administration's registry (its numbers, ICP password ``Registry-Pass-1``, the domains registered to it). A
    registry subject of that certificate made beforehand (with websites elsewhere, say) is the one used."""
    certificate_number = kwargs.pop("certificate_number", None) or registry.credit_code()
    registered = RegistrySubject.objects.filter(
        certificate_number=certificate_number, status=RegistryStatus.ACTIVE
    ).first() or registry.registry_subject(
        certificate_number=certificate_number,
        province_code=province_code,
        name=kwargs.get("name", "北京测试科技有限公司"),
        nature=kwargs.get("nature", "enterprise"),
        certificate_type=kwargs.get("certificate_type", "business_licence"),
        websites=tuple((domain, True) for domain in domains),
    )
    subject = registry.portal_subject(
        owner=owner,
        certificate_number=certificate_number,
        province_code=province_code,
        domains=domains,
        **kwargs,
    )
    subject.icp_number = registered.icp_number
    subject.filed_at = timezone.now()
    subject.principal = Person.objects.filter(subject=subject).first()
    subject.save(update_fields=["icp_number", "filed_at", "principal"])
    numbers = dict(
        registered.websites.filter(domains__status=RegistryStatus.ACTIVE).values_list(
            "domains__ascii_name", "icp_number"
        )
    )
    for website in Website.objects.filter(subject=subject).prefetch_related("domains"):
        website.icp_number = numbers[website.domains.get().ascii_name]
        website.filed_at = timezone.now()
        website.save(update_fields=["icp_number", "filed_at"])
    for domain in domains:
        domain_held(subject, domain)
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


def through_the_provider(order, reviewer) -> FilingOrder:
    """Submit (the caller decides whether the pre-check runs), initial review, photo (not for cancellations),
    提交管局 through the gateway and, where the administration asks for it, every principal's SMS code: the order
    ends where the administration reviews it (or approved, for a claim, which the provider decides)."""
    order = services.order_submit(order_id=order.pk, actor=order.applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    order = services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    if order.status == S.PENDING_PHOTO:
        photo(order)
        services.order_photos_submit(order_id=order.pk, actor=order.applicant)
        order = services.order_photo_review_pass(order_id=order.pk, actor=reviewer)
    if order.status == S.PENDING_MIIT_SUBMISSION:
        order = administration.hand_over(order, reviewer)
    return order


class Administration(simulator_support.Administration):
    """The simulated administration, step by step as the simulator's own tests drive it (``run``, ``decide``), with
    what the lifecycle flows add: ``hand_over`` (提交管局 and every principal's SMS code), ``approve`` / ``reject``
    (``decide``, expecting that outcome)."""

    def __init__(self):
        # What a commit would start (the submission's processing, the callback's delivery) runs as it happens. The
        # reviewer who forwards is the caller's (``hand_over``), not one of the simulator tests' own.
        self.capture = TestCase.captureOnCommitCallbacks

    @staticmethod
    def submission(order) -> Submission:
        return Submission.objects.filter(order_reference=order.number).order_by("-received_at", "-pk").first()

    def hand_over(self, order, reviewer) -> FilingOrder:
        with self.capture(execute=True):
            reviews.review_forward(order_id=order.pk, actor=reviewer)
        self.verify_codes(order)
        return refreshed(order)

    def verify_codes(self, order) -> None:
        """Each principal types the latest code on the provincial page with the last six characters of their ID."""
        submission = self.submission(order)
        for recipient in sms.recipients(submission):
            if SmsVerification.objects.filter(
                submission=submission, mobile=recipient.mobile, verified_at__isnull=True
            ).exists():
                self.verify(
                    mobile=recipient.mobile,
                    suffix=recipient.id_suffixes[0],
                    province=submission.province_id,
                )

    def approve(self, order) -> FilingOrder:
        self.decide(order, clock)
        order = refreshed(order)
        assert order.status == S.APPROVED, (order.status, self.submission(order).decision)
        return order

    def reject(self, order) -> FilingOrder:
        """The administration rejects what it finds wrong; an order it would pass is rejected as a rehearsal of 管局
        驳回 (the settings' random rejection rate at 100 %)."""
        if not reasons_found(order):
            SimulatorSettings.objects.filter(pk=SimulatorSettings.load().pk).update(rejection_rate=100)
        self.decide(order, clock)
        order = refreshed(order)
        assert order.status == S.MIIT_REJECTED, (order.status, self.submission(order).decision)
        return order


def reasons_found(order) -> list[dict]:
    """What the administration would find wrong with the order's submission today."""
    from miit.simulator.review import review_reasons

    return review_reasons(administration.submission(order), config=SimulatorSettings.load())


administration = Administration()
