import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from subjects.constants import RecordStatus, SubjectNature

from .constants import Billing, CloudRegion, ServiceNumberStatus, WordKind
from .fields import DomainFields, WebsiteFields


class Website(WebsiteFields):
    """A filed website with its ICP number (京ICP备12345678号-1). Written only by the approval of an order."""

    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Subject"), on_delete=models.PROTECT, related_name="websites"
    )
    principal = models.ForeignKey(
        "subjects.Person", verbose_name=_("Website principal"), on_delete=models.PROTECT, related_name="websites"
    )
    icp_number = models.CharField(_("ICP website number"), max_length=44, unique=True, null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.ACTIVE, db_index=True
    )
    filed_at = models.DateTimeField(_("Filed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("filed website")
        verbose_name_plural = _("filed websites")
        ordering = ["subject", "icp_number", "id"]

    def __str__(self):
        return f"{self.name} ({self.icp_number or _('not filed')})"


class Domain(DomainFields):
    """A domain of a filed website. One active filing per domain, whoever holds it."""

    website = models.ForeignKey(Website, verbose_name=_("Website"), on_delete=models.CASCADE, related_name="domains")
    status = models.CharField(
        _("Status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("filed domain")
        verbose_name_plural = _("filed domains")
        ordering = ["website", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ascii_name"], condition=Q(status="active"), name="websites_domain_unique_while_active"
            ),
        ]
        indexes = [models.Index(fields=["ascii_name"], name="websites_domain_ascii")]

    def __str__(self):
        return self.name


# --- Admin data used by validation ---------------------------------------------------------------------------------


class ServiceContent(models.Model):
    """A choice of 网站服务内容 (admin data)."""

    code = models.SlugField(_("Code"), max_length=40, unique=True)
    name = models.CharField(_("Name (Chinese)"), max_length=40)
    name_en = models.CharField(_("Name (English)"), max_length=60)
    allowed_for_individuals = models.BooleanField(_("Allowed on personal websites"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("Sort order"), default=0)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("website service content")
        verbose_name_plural = _("website service contents")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class DomainSuffix(models.Model):
    """A domain suffix and whether the administration accepts filings on it (admin data; RULES.md's list)."""

    suffix = models.CharField(_("Suffix"), max_length=63, unique=True, help_text=_("Without the leading dot."))
    ascii_suffix = models.CharField(_("Suffix (ASCII)"), max_length=63, unique=True)
    approved = models.BooleanField(_("Approved for filing"), default=True)
    note = models.CharField(_("Note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("domain suffix")
        verbose_name_plural = _("domain suffixes")
        ordering = ["-approved", "suffix"]

    def __str__(self):
        return f".{self.suffix}"


class NatureDomainSuffix(models.Model):
    """Subjects of this nature file only domains on these suffixes (government: .gov.cn or .政务; admin data)."""

    nature = models.CharField(_("Subject nature"), max_length=30, choices=SubjectNature.choices)
    suffix = models.CharField(_("Suffix"), max_length=63, help_text=_("Without the leading dot, e.g. gov.cn."))

    class Meta:
        verbose_name = _("domain suffix rule by subject nature")
        verbose_name_plural = _("domain suffix rules by subject nature")
        ordering = ["nature", "suffix"]
        constraints = [models.UniqueConstraint(fields=["nature", "suffix"], name="websites_nature_suffix_unique")]

    def __str__(self):
        return f"{self.get_nature_display()}: .{self.suffix}"


class ReservedWord(models.Model):
    """A word that website names may not contain, or may contain only in some cases (admin data)."""

    word = models.CharField(_("Word"), max_length=30)
    kind = models.CharField(_("Kind"), max_length=30, choices=WordKind.choices)

    class Meta:
        verbose_name = _("reserved word")
        verbose_name_plural = _("reserved words")
        ordering = ["kind", "word"]
        constraints = [models.UniqueConstraint(fields=["word", "kind"], name="websites_reservedword_unique")]

    def __str__(self):
        return self.word


# --- Cloud instances and service numbers ---------------------------------------------------------------------------


def _new_instance_id() -> str:
    return "i-" + secrets.token_hex(10)


def _new_service_number() -> str:
    # Opaque and unguessable: 80 random bits, in groups people can read out on the phone.
    raw = secrets.token_hex(10).upper()
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


class CloudInstance(models.Model):
    """A (simulated) cloud server the applicant bought. It qualifies for service numbers under RULES.md's rules."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), on_delete=models.PROTECT, related_name="instances"
    )
    instance_id = models.CharField(_("Instance ID"), max_length=32, unique=True, default=_new_instance_id)
    name = models.CharField(_("Instance name"), max_length=60)
    region = models.CharField(_("Region"), max_length=20, choices=CloudRegion.choices)
    billing = models.CharField(_("Billing method"), max_length=20, choices=Billing.choices)
    subscription_end = models.DateField(_("Subscription ends"), null=True, blank=True)
    public_bandwidth_mbps = models.PositiveIntegerField(_("Public bandwidth (Mbps)"), default=0)
    public_ip = models.GenericIPAddressField(_("Public IP"), protocol="IPv4", null=True, blank=True)
    created_at = models.DateTimeField(_("Bought at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cloud instance")
        verbose_name_plural = _("cloud instances")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="websites_instance_owner")]
        constraints = [
            models.CheckConstraint(
                condition=Q(billing="pay_as_you_go") | Q(subscription_end__isnull=False),
                name="websites_instance_subscription_has_end",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.instance_id})"


class ServiceNumber(models.Model):
    """备案服务号: one per website in an order, single use, at most five per instance ever."""

    # Each index is written again whenever a number changes state, and the expiry sweep releases 100 000 at once:
    # the instance is indexed by websites_servicenumber_state (instance, status), which leads with it, and the
    # number is unique through Meta.constraints, without the pattern-matching copy ``unique=True`` adds on
    # PostgreSQL, which no query uses (docs/performance.md, fix 18).
    instance = models.ForeignKey(
        CloudInstance,
        verbose_name=_("Instance"),
        on_delete=models.PROTECT,
        related_name="service_numbers",
        db_index=False,
    )
    number = models.CharField(_("Service number"), max_length=32, default=_new_service_number)
    status = models.CharField(
        _("Status"), max_length=10, choices=ServiceNumberStatus.choices, default=ServiceNumberStatus.UNBOUND
    )
    created_at = models.DateTimeField(_("Issued at"), auto_now_add=True)
    bound_at = models.DateTimeField(_("Bound at"), null=True, blank=True)
    used_at = models.DateTimeField(_("Used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service number")
        verbose_name_plural = _("service numbers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["instance", "status"], name="websites_servicenumber_state")]
        constraints = [models.UniqueConstraint(fields=["number"], name="websites_servicenumber_number_unique")]

    def __str__(self):
        return self.number


class InstanceReminder(models.Model):
    """A renewal reminder sent for an instance that carries a filing; one per instance, subscription end and lead
    time, so a sweep that runs twice reminds once."""

    instance = models.ForeignKey(CloudInstance, on_delete=models.CASCADE, related_name="reminders")
    subscription_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "subscription_end", "days_before"], name="websites_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.instance} −{self.days_before}d"


# --- After approval: what the applicant keeps beside a filed website (lifecycle; docs/lifecycle.md) ----------------


class PsbRecord(models.Model):
    """公安备案: the applicant's own record beside a filed website (DESIGN.md: not a filed field).

    ``opening_date`` starts the 30 days within which the website must be filed with the public security bureau
    (RULES.md, Time); empty means "opened when it was filed". ``psb_number`` (京公网安备11010502053948号) is entered
    once the PSB filing is done; from then on no reminder is sent.
    """

    website = models.OneToOneField(
        Website, verbose_name=_("Website"), on_delete=models.CASCADE, related_name="psb_record"
    )
    opening_date = models.DateField(_("Website opened on"), null=True, blank=True)
    psb_number = models.CharField(_("PSB filing number"), max_length=40, blank=True)
    recorded_at = models.DateTimeField(_("PSB number recorded at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("PSB filing record")
        verbose_name_plural = _("PSB filing records")
        ordering = ["website"]
        constraints = [
            models.UniqueConstraint(
                fields=["psb_number"], condition=~Q(psb_number=""), name="websites_psb_number_unique"
            ),
        ]

    def __str__(self):
        return self.psb_number or f"{self.website} (—)"


class PsbReminder(models.Model):
    """A PSB deadline reminder sent for a website: one per website, opening date and lead time, so a sweep that
    runs twice (or two at once) reminds once; a new opening date starts the reminders afresh."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="psb_reminders")
    opening_date = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("PSB filing reminder")
        verbose_name_plural = _("PSB filing reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["website", "opening_date", "days_before"], name="websites_psb_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.website} −{self.days_before}d"


class IdentityLookupOutcome(models.TextChoices):
    CODE_PENDING = "code_pending", _("Waiting for the SMS code")
    SHOWN = "shown", _("Records shown")
    NO_MATCH = "no_match", _("Name and ID did not match a mobile on record")
    RATE_LIMITED = "rate_limited", _("Refused: too many lookups")
    UNAVAILABLE = "unavailable", _("Registry unavailable")


class IdentityLookup(models.Model):
    """One "which filings use my ID?" lookup, kept as its audit row (docs/lifecycle.md).

    The ID number is never stored: an HMAC of it (to see repeated lookups of one ID) and a masked form for people.
    Rows double as the rate limit's counter. The time is real time, not the settable portal clock: it records what a
    person did.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), on_delete=models.PROTECT, related_name="+"
    )
    name_entered = models.CharField(_("Name entered"), max_length=50)
    certificate_type = models.CharField(_("Certificate type"), max_length=40)
    certificate_hash = models.CharField(_("ID number (HMAC)"), max_length=64, db_index=True)
    certificate_masked = models.CharField(_("ID number (masked)"), max_length=40)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=20, choices=IdentityLookupOutcome.choices)
    mobile_masked = models.CharField(_("Code sent to"), max_length=20, blank=True)
    result_count = models.PositiveIntegerField(_("Records shown"), null=True, blank=True)
    result_numbers = models.JSONField(_("ICP numbers shown"), default=list, blank=True)
    created_at = models.DateTimeField(_("Time"), db_index=True)
    verified_at = models.DateTimeField(_("Code verified at"), null=True, blank=True)
    reported = models.BooleanField(_("Misuse reported"), default=False)
    reported_at = models.DateTimeField(_("Reported at"), null=True, blank=True)
    reported_numbers = models.JSONField(_("Reported ICP numbers"), default=list, blank=True)
    report_note = models.TextField(_("Report"), blank=True)

    class Meta:
        verbose_name = _("identity lookup")
        verbose_name_plural = _("identity lookups")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="websites_idlookup_user"),
            models.Index(fields=["ip", "created_at"], name="websites_idlookup_ip"),
        ]

    def __str__(self):
        return f"{self.certificate_masked} ({self.get_outcome_display()})"
