"""The field set of a website, written once for the filed record and the application row (see subjects.fields)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebsiteFields(models.Model):
    """网站基本信息."""

    name = models.CharField(_("Website name"), max_length=100)
    homepage_url = models.CharField(_("Homepage URL"), max_length=255)
    # Codes of ServiceContent rows (admin data), in the order chosen.
    service_content = models.JSONField(_("Website service content"), default=list, blank=True)
    # WebsiteLanguage values.
    languages = models.JSONField(_("Website language"), default=list, blank=True)
    # [{"type": PreApprovalType, "document_number": "..."}]
    pre_approvals = models.JSONField(_("Pre-approval or special approval content"), default=list, blank=True)
    remarks = models.TextField(_("Remarks"), blank=True)

    class Meta:
        abstract = True


class DomainFields(models.Model):
    """One domain of a website. ``name`` is what people read (Unicode), ``ascii_name`` what the registry keys on."""

    name = models.CharField(_("Domain"), max_length=255)
    ascii_name = models.CharField(_("Domain (ASCII)"), max_length=255)

    class Meta:
        abstract = True
