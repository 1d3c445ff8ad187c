"""The field sets of a subject and of a person, written once.

The filed records (``Subject``, ``Person``) and the application rows of a filing order use the same abstract models,
so a change order can start as a field-for-field copy of the filed record and a reviewer can compare the two.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CertificateType, SubjectNature


class SubjectFields(models.Model):
    """主办单位信息."""

    province = models.ForeignKey(
        "regions.Region", verbose_name=_("Province"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("City"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("District or county"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    nature = models.CharField(_("Subject nature"), max_length=30, choices=SubjectNature.choices)
    certificate_type = models.CharField(_("Subject certificate type"), max_length=40, choices=CertificateType.choices)
    certificate_number = models.CharField(_("Subject certificate number"), max_length=40)
    name = models.CharField(_("Subject or sponsor name"), max_length=100)
    certificate_address = models.CharField(_("Subject certificate address"), max_length=200)
    mailing_address = models.CharField(
        _("Subject mailing address"),
        max_length=200,
        help_text=_("The street address; do not repeat the province and city."),
    )
    investor = models.CharField(_("Investor or competent unit"), max_length=100)
    remarks = models.TextField(_("Remarks"), blank=True)

    class Meta:
        abstract = True

    @property
    def region_label(self) -> str:
        """北京市海淀区: the levels people write, without GB/T 2260's grouping rows (市辖区, 县, 省直辖…)."""
        parts = [self.province, self.city, self.district]
        return "".join(r.name for r in parts if r is not None and not r.is_grouping)


class PersonFields(models.Model):
    """负责人信息: the principal of a subject or of a website."""

    name = models.CharField(_("Principal name"), max_length=50)
    certificate_type = models.CharField(_("Principal certificate type"), max_length=40, choices=CertificateType.choices)
    certificate_number = models.CharField(_("Principal certificate number"), max_length=40)
    mobile = models.CharField(_("Contact 1 (mobile)"), max_length=20)
    office_phone = models.CharField(
        _("Contact 2 (office phone)"), max_length=30, help_text=_("Format 086-area code-number, e.g. 086-010-12345678.")
    )
    emergency_phone = models.CharField(_("Emergency phone"), max_length=30, blank=True)
    email = models.EmailField(_("E-mail address"))

    class Meta:
        abstract = True
