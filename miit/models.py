"""The national registry kept by the (simulated) administration — its own data, not the portal's.

Subjects, websites and domains filed through *any* access provider, the domain registration records it verifies
domains against (since 2018-01-01), HiChina's legacy filings from before June 2010, and the number sequences it
issues ICP numbers from. The portal never reads these tables: it asks through ``filings.gateway``.
"""

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import LEGACY_CLAIM_CUTOFF, CertificateType, RegistryStatus, SubjectNature


class RegistrySubject(models.Model):
    """A filed subject (主办单位) as the administration knows it, whoever its access provider."""

    certificate_type = models.CharField(_("Subject certificate type"), max_length=40, choices=CertificateType.choices)
    certificate_number = models.CharField(_("Subject certificate number"), max_length=40)
    name = models.CharField(_("Subject or sponsor name"), max_length=100)
    nature = models.CharField(_("Subject nature"), max_length=30, choices=SubjectNature.choices)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("Province"), on_delete=models.PROTECT, related_name="+"
    )
    icp_number = models.CharField(_("ICP subject number"), max_length=40, unique=True)
    # The ICP filing password (备案密码), hashed with Django's password hashers: the administration checks it,
    # nobody reads it back.
    password_hash = models.CharField(_("ICP password (hashed)"), max_length=128, blank=True)
    principal_name = models.CharField(_("Principal name"), max_length=50, blank=True)
    principal_certificate_type = models.CharField(
        _("Principal certificate type"), max_length=40, choices=CertificateType.choices, blank=True
    )
    principal_certificate_number = models.CharField(_("Principal certificate number"), max_length=40, blank=True)
    principal_mobile = models.CharField(_("Principal mobile"), max_length=20, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=RegistryStatus.choices, default=RegistryStatus.ACTIVE, db_index=True
    )
    # The last website number issued under this subject (…号-N): numbers are never reused, even after a
    # website is cancelled.
    last_website_index = models.PositiveIntegerField(_("Last website number"), default=0)
    filed_on = models.DateField(_("Filed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registry subject")
        verbose_name_plural = _("registry subjects")
        ordering = ["icp_number"]
        indexes = [
            models.Index(fields=["certificate_type", "certificate_number"], name="miit_subject_certificate"),
            models.Index(fields=["principal_certificate_number"], name="miit_subject_principal"),
            models.Index(fields=["principal_mobile"], name="miit_subject_mobile"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_type", "certificate_number"],
                condition=Q(status="active"),
                name="miit_subject_one_active_per_certificate",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.icp_number})"

    def set_password(self, raw_password: str | None) -> None:
        self.password_hash = make_password(raw_password) if raw_password else ""

    def check_password(self, raw_password: str) -> bool:
        return bool(self.password_hash) and check_password(raw_password, self.password_hash)


class RegistryWebsite(models.Model):
    """A filed website (…号-1) and the provider it is accessed through (接入商)."""

    subject = models.ForeignKey(
        RegistrySubject, verbose_name=_("Subject"), on_delete=models.CASCADE, related_name="websites"
    )
    name = models.CharField(_("Website name"), max_length=100)
    icp_number = models.CharField(_("ICP website number"), max_length=44, unique=True)
    access_provider = models.CharField(_("Access provider"), max_length=100, db_index=True)
    principal_name = models.CharField(_("Website principal"), max_length=50, blank=True)
    principal_certificate_type = models.CharField(
        _("Principal certificate type"), max_length=40, choices=CertificateType.choices, blank=True
    )
    principal_certificate_number = models.CharField(_("Principal certificate number"), max_length=40, blank=True)
    principal_mobile = models.CharField(_("Principal mobile"), max_length=20, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=RegistryStatus.choices, default=RegistryStatus.ACTIVE, db_index=True
    )
    filed_on = models.DateField(_("Filed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registry website")
        verbose_name_plural = _("registry websites")
        ordering = ["subject", "icp_number"]
        indexes = [models.Index(fields=["subject", "status"], name="miit_website_subject_status")]

    def __str__(self):
        return f"{self.name} ({self.icp_number})"


class RegistryDomain(models.Model):
    """A domain of a filed website. At most one active filing per domain, nationwide."""

    website = models.ForeignKey(
        RegistryWebsite, verbose_name=_("Website"), on_delete=models.CASCADE, related_name="domains"
    )
    name = models.CharField(_("Domain"), max_length=255)
    ascii_name = models.CharField(_("Domain (ASCII)"), max_length=255)
    status = models.CharField(
        _("Status"), max_length=20, choices=RegistryStatus.choices, default=RegistryStatus.ACTIVE, db_index=True
    )

    class Meta:
        verbose_name = _("registry domain")
        verbose_name_plural = _("registry domains")
        ordering = ["website", "ascii_name"]
        indexes = [models.Index(fields=["ascii_name"], name="miit_domain_ascii")]
        constraints = [
            models.UniqueConstraint(
                fields=["ascii_name"], condition=Q(status="active"), name="miit_domain_one_active_filing"
            ),
        ]

    def __str__(self):
        return self.name


class RegistryVersion(models.Model):
    """How many times the registry's subjects, websites and domains have changed: one row, moved by database
    triggers only (migration 0005), in the writing statement's transaction. The public query page is kept in the
    cache under it (``miit.views.public_query``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("registry version")
        verbose_name_plural = _("registry versions")

    def __str__(self):
        return str(self.version)


class DomainRegistration(models.Model):
    """What the domain registry says about a domain: registrar, holder, expiry, real-name status (域名核验)."""

    ascii_name = models.CharField(_("Domain (ASCII)"), max_length=255, unique=True)
    name = models.CharField(_("Domain"), max_length=255)
    registrar = models.CharField(_("Registrar"), max_length=100)
    holder_name = models.CharField(_("Holder name"), max_length=100)
    holder_certificate_type = models.CharField(
        _("Holder certificate type"), max_length=40, choices=CertificateType.choices, blank=True
    )
    holder_certificate_number = models.CharField(_("Holder certificate number"), max_length=40, blank=True)
    registered_on = models.DateField(_("Registered on"), null=True, blank=True)
    expires_on = models.DateField(_("Expires on"))
    real_name_verified = models.BooleanField(_("Real-name verified"), default=False)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("domain registration")
        verbose_name_plural = _("domain registrations")
        ordering = ["ascii_name"]
        indexes = [
            models.Index(
                fields=["holder_certificate_type", "holder_certificate_number"], name="miit_registration_holder"
            ),
        ]

    def __str__(self):
        return self.name


class LegacyRecord(models.Model):
    """A filing made through HiChina (中国万网) before the national system moved on: claimable when filed before
    June 2010 and never transferred to another provider or the new system (seed chapter 12)."""

    certificate_type = models.CharField(_("Subject certificate type"), max_length=40, choices=CertificateType.choices)
    certificate_number = models.CharField(_("Subject certificate number"), max_length=40)
    subject_name = models.CharField(_("Subject or sponsor name"), max_length=100)
    nature = models.CharField(_("Subject nature"), max_length=30, choices=SubjectNature.choices)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("Province"), on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField(_("Domain"), max_length=255)
    ascii_domain = models.CharField(_("Domain (ASCII)"), max_length=255)
    icp_number = models.CharField(_("ICP number"), max_length=44, unique=True)
    filed_on = models.DateField(_("Filed on"))
    transferred = models.BooleanField(
        _("Ever transferred"),
        default=False,
        help_text=_("Moved to another provider or to the new filing system at any time: no longer claimable."),
    )
    claimed_at = models.DateTimeField(_("Claimed at"), null=True, blank=True)
    claimed_by = models.CharField(
        _("Claimed by order"),
        max_length=20,
        blank=True,
        help_text=_("The provider's order whose approval claimed the record (认领备案)."),
    )

    class Meta:
        verbose_name = _("legacy HiChina record")
        verbose_name_plural = _("legacy HiChina records")
        ordering = ["filed_on", "icp_number"]
        indexes = [
            models.Index(fields=["certificate_type", "certificate_number"], name="miit_legacy_certificate"),
            models.Index(fields=["ascii_domain"], name="miit_legacy_domain"),
        ]

    def __str__(self):
        return f"{self.subject_name} {self.domain} ({self.icp_number})"

    @property
    def claimable(self) -> bool:
        return self.filed_on < LEGACY_CLAIM_CUTOFF and not self.transferred and self.claimed_at is None


class NumberSequence(models.Model):
    """The subject numbers of one province (京ICP备24000001号…): each issued once, never reused."""

    province = models.OneToOneField(
        "regions.Region",
        verbose_name=_("Province"),
        on_delete=models.PROTECT,
        related_name="+",
        primary_key=True,
    )
    last_value = models.PositiveBigIntegerField(_("Last number issued"))
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        ordering = ["province"]

    def __str__(self):
        return f"{self.province_id}: {self.last_value}"


class Submission(models.Model):
    """An order an access provider forwarded to the administration (提交管局), as received.

    ``submission_key`` is the provider's name for this forwarding of this order (order number and how many times it
    was forwarded before), so a retried request is recognised and answered with the first receipt. Whether SMS
    verification comes first is the administration's own decision, from its province rule on the day and the order
    type. The simulator (``miit.simulator``) moves ``status`` on: received → SMS pending (codes sent) or under
    review → approved or rejected; SMS pending → returned (window missed, five wrong ID entries) → SMS pending again
    (resubmitted unchanged, new codes); a later forwarding of the same order supersedes an open one.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SMS_PENDING = "sms_pending", _("Awaiting SMS verification")
        IN_REVIEW = "in_review", _("Under review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded by a later submission")

    submission_key = models.CharField(_("Submission key"), max_length=60, unique=True)
    order_reference = models.CharField(_("Provider's order number"), max_length=20)
    provider = models.CharField(_("Access provider"), max_length=100, blank=True)
    order_type = models.CharField(_("Filing type"), max_length=30)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("Province"), on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("Payload"), default=dict)
    sms_required = models.BooleanField(_("SMS verification required"))
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("Received at"))
    # SMS verification: the current round (a resubmission unchanged starts the next one with new codes) and the
    # provider's key of the last resubmission honoured, so a retried request starts no second round.
    sms_round = models.PositiveSmallIntegerField(_("SMS verification round"), default=0)
    resend_key = models.CharField(_("Last resubmission key"), max_length=80, blank=True)
    # The review schedule: when the administration decides (on the portal's clock), and what it decided.
    decide_at = models.DateTimeField(_("Decision due at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    decision = models.JSONField(_("Decision"), default=dict, blank=True)
    # Processing that raised: retried with backoff from ``next_attempt_at``, then marked failed for an operator.
    attempts = models.PositiveSmallIntegerField(_("Failed attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("Next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("Last error"), blank=True)
    failed_at = models.DateTimeField(_("Failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="miit_submission_status"),
            models.Index(fields=["order_reference", "-received_at"], name="miit_submission_order"),
            models.Index(fields=["status", "decide_at"], name="miit_submission_due"),
        ]

    def __str__(self):
        return f"{self.order_reference} ({self.submission_key})"


from .simulator.models import OutboundCallback, SimulatorSettings, SmsRule, SmsVerification  # noqa: E402

__all__ = [
    "DomainRegistration",
    "LegacyRecord",
    "NumberSequence",
    "OutboundCallback",
    "RegistryDomain",
    "RegistrySubject",
    "RegistryWebsite",
    "SimulatorSettings",
    "SmsRule",
    "SmsVerification",
    "Submission",
]
