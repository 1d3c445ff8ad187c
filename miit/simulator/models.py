"""The simulator's own data: its settings, its SMS rule table, the verification records of each submission and the
callbacks it owes the portal. Loaded by ``miit/models.py``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_BANNED_WORDS = "\n".join(["赌博", "博彩", "六合彩", "彩票预测", "色情", "私服", "外挂", "代开发票", "枪支"])


def default_seconds_per_working_day() -> int:
    return int(getattr(settings, "MIIT_SECONDS_PER_WORKING_DAY", 0) or 0)


def default_sms_window_hours() -> int:
    return int(settings.ICP.get("SMS_WINDOW_HOURS", 24))


class SimulatorSettings(models.Model):
    """One row (pk 1): how the simulated administration behaves. Administrators change it in the admin."""

    seconds_per_working_day = models.PositiveIntegerField(
        _("Seconds per simulated working day"),
        default=default_seconds_per_working_day,
        help_text=_(
            "0: the review takes real working days on the portal's clock (holidays and make-up days counted). "
            "Above 0: each working day of review passes in this many seconds, so a demo order reaches its number "
            "in minutes."
        ),
    )
    review_days_min = models.PositiveSmallIntegerField(
        _("Shortest review (working days)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    review_days_max = models.PositiveSmallIntegerField(
        _("Longest review (working days)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    rejection_rate = models.PositiveSmallIntegerField(
        _("Random rejection rate (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of otherwise acceptable submissions rejected anyway, to rehearse 管局驳回. 0 by default."),
    )
    banned_words = models.TextField(
        _("Banned words"),
        blank=True,
        default=DEFAULT_BANNED_WORDS,
        help_text=_("One per line. A subject or website name containing one is rejected."),
    )
    sms_window_hours = models.PositiveSmallIntegerField(
        _("SMS verification window (hours)"),
        default=default_sms_window_hours,
        validators=[MinValueValidator(1)],
        help_text=_("How long the codes of one round stay valid; a missed window returns the order."),
    )
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("simulator settings")
        verbose_name_plural = _("simulator settings")

    def __str__(self):
        return str(_("Simulator settings"))

    def clean(self):
        if self.review_days_min > self.review_days_max:
            raise ValidationError({"review_days_max": _("The longest review cannot be shorter than the shortest.")})

    @classmethod
    def load(cls) -> "SimulatorSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row

    @property
    def banned_word_list(self) -> list[str]:
        return [word.strip() for word in self.banned_words.splitlines() if word.strip()]


class SmsRule(models.Model):
    """The administration's own table of where SMS verification is required, from which day (RULES.md: pilots from
    2017-12-18, 2018-09-10 and 2018-09-24, every province from 2020-08-17). The row with the latest
    ``effective_from`` not after the day decides; no row means no SMS."""

    province = models.ForeignKey(
        "regions.Region", verbose_name=_("Province"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("Effective from"))
    required = models.BooleanField(_("SMS verification required"))
    note = models.CharField(_("Note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("SMS verification rule")
        verbose_name_plural = _("SMS verification rules")
        ordering = ["province", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "effective_from"], name="miit_sms_rule_once_per_day"),
        ]

    def __str__(self):
        return f"{self.province_id} {self.effective_from}: {self.required}"


class SmsVerification(models.Model):
    """One mobile to verify in one round of a submission: the code (hashed), its window, the wrong ID entries.

    A mobile shared by the subject principal and a website principal gets one record and one message; ``roles``
    says for whom, ``id_suffixes`` the last six characters of each of their ID numbers (any one of them matches).
    """

    submission = models.ForeignKey(
        "miit.Submission", verbose_name=_("Submission"), on_delete=models.CASCADE, related_name="verifications"
    )
    round = models.PositiveSmallIntegerField(_("Round"))
    mobile = models.CharField(_("Mobile"), max_length=20)
    roles = models.JSONField(_("For"), default=list)
    names = models.JSONField(_("Principals"), default=list)
    id_suffixes = models.JSONField(default=list)
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(_("Sent at"))
    last_sent_at = models.DateTimeField(_("Last sent at"))
    sends = models.PositiveSmallIntegerField(_("Messages sent"), default=1)
    expires_at = models.DateTimeField(_("Window ends at"))
    wrong_id_attempts = models.PositiveSmallIntegerField(_("Wrong ID entries in a row"), default=0)
    wrong_code_attempts = models.PositiveSmallIntegerField(_("Wrong codes"), default=0)
    verified_at = models.DateTimeField(_("Verified at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("Failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS verification record")
        verbose_name_plural = _("SMS verification records")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "round", "mobile"], name="miit_verification_once_per_round"),
        ]
        indexes = [
            models.Index(
                fields=["mobile"],
                name="miit_verification_open",
                condition=Q(verified_at__isnull=True, failed_at__isnull=True),
            ),
            models.Index(
                fields=["expires_at"],
                name="miit_verification_window",
                condition=Q(verified_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.submission_id}/{self.round} {self.mobile}"

    @property
    def is_open(self) -> bool:
        return self.verified_at is None and self.failed_at is None


class CallbackType(models.TextChoices):
    """What the administration reports to the portal (the callback protocol, docs/administration.md)."""

    SMS_VERIFIED = "sms_verified", _("SMS verification complete")
    SMS_FAILED = "sms_failed", _("SMS verification failed (returned)")
    APPROVED = "approved", _("Approved, numbers issued")
    REJECTED = "rejected", _("Rejected, with reasons")


class OutboundCallback(models.Model):
    """A result the portal must hear about, written in the same transaction as the decision it reports and
    delivered by ``callbacks`` until the portal answers 200 (409: not ready yet, retried with backoff)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event_id = models.CharField(_("Event id"), max_length=40, unique=True)
    submission = models.ForeignKey(
        "miit.Submission", verbose_name=_("Submission"), on_delete=models.CASCADE, related_name="callbacks"
    )
    order_reference = models.CharField(_("Provider's order number"), max_length=20)
    type = models.CharField(_("Type"), max_length=20, choices=CallbackType.choices)
    payload = models.JSONField(_("Body"), default=dict)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("Next attempt at"))
    last_status_code = models.PositiveSmallIntegerField(_("Last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("Last error"), blank=True)
    created_at = models.DateTimeField(_("Created at"))
    delivered_at = models.DateTimeField(_("Delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("callback to the portal")
        verbose_name_plural = _("callbacks to the portal")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="miit_callback_due", condition=Q(status="pending")),
            models.Index(fields=["order_reference", "created_at"], name="miit_callback_order"),
        ]

    def __str__(self):
        return f"{self.order_reference} {self.type} ({self.event_id})"
