from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import PhotoMethod, PrincipalRule, RegionLevel

division_code_validator = RegexValidator(r"^\d{6}$", _("Enter a six-digit division code."))


class Region(models.Model):
    """A GB/T 2260 administrative division: a province, a prefecture (city) or a county (district).

    The code is the key because other apps store it and the cascade sends it, and it never changes meaning: a
    division that is abolished keeps its row (``is_active=False``) so that filed addresses still resolve. Rows come
    from ``regions/data/divisions.csv`` through ``reference_data.load()``; the admin only reads them.
    """

    code = models.CharField(_("division code"), max_length=6, primary_key=True, validators=[division_code_validator])
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    abbreviation = models.CharField(
        _("abbreviation"), max_length=1, blank=True, help_text=_("The one-character name that starts ICP numbers.")
    )
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    is_mainland = models.BooleanField(_("mainland China"), default=True)
    is_grouping = models.BooleanField(
        _("grouping row"),
        default=False,
        help_text=_(
            "A GB/T 2260 grouping (市辖区, 县, 省直辖县级行政区划) rather than a real city; addresses skip it."
        ),
    )
    is_active = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~models.Q(level=RegionLevel.PROVINCE) & models.Q(parent__isnull=False)),
                name="regions_region_only_provinces_have_no_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def is_province(self) -> bool:
        return self.level == RegionLevel.PROVINCE


class ProvinceRule(models.Model):
    """The rules of one province from ``effective_from`` until the next row of that province.

    Each row is complete (every rule, not just the one that changed), so the rule in force on a day is one row:
    the latest whose ``effective_from`` is not after that day (``selectors.province_rule_for``).
    """

    province = models.ForeignKey(
        Region,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="rules",
        limit_choices_to={"level": RegionLevel.PROVINCE, "is_mainland": True},
    )
    effective_from = models.DateField(_("effective from"))
    sms_verification_required = models.BooleanField(_("SMS verification required"), default=False)
    photo_method = models.CharField(
        _("photo method"), max_length=20, choices=PhotoMethod.choices, default=PhotoMethod.BACKDROP
    )
    principal_rule = models.CharField(
        _("principal"), max_length=30, choices=PrincipalRule.choices, default=PrincipalRule.LEGAL_REPRESENTATIVE
    )
    changes_allowed = models.BooleanField(_("changes allowed"), default=True)
    extra = models.JSONField(_("more rules"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("province rule")
        verbose_name_plural = _("province rules")
        ordering = ["province", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "effective_from"], name="regions_provincerule_unique_date"),
        ]

    def __str__(self):
        return f"{self.province.name} {self.effective_from:%Y-%m-%d}"

    def clean(self):
        super().clean()
        province = self.province if self.province_id else None
        if province is not None and (province.level != RegionLevel.PROVINCE or not province.is_mainland):
            raise ValidationError({"province": _("Choose a mainland province.")})


class WorkingDayOverride(models.Model):
    """An administrator's word on one date, above the holidays library: a year's official schedule once announced."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (a make-up day, 调休). Unticked: a day off.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"
