"""The log of staff looking at uploaded materials (DESIGN.md, "Who sees what": every staff view is logged).

Loaded through one import line at the end of ``filings/models.py`` (Django finds models only there).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialView(models.Model):
    """One staff member opening one material (or its thumbnail). Written once, never changed.

    The material may be replaced or deleted later; the row keeps the order number, kind and id as text so the log
    still says what was seen.
    """

    class Part(models.TextChoices):
        FILE = "file", _("File")
        THUMBNAIL = "thumbnail", _("Thumbnail")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Viewed by"), on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        "filings.Material",
        verbose_name=_("Material"),
        on_delete=models.SET_NULL,
        related_name="staff_views",
        null=True,
        blank=True,
    )
    material_ref = models.PositiveBigIntegerField(_("Material id"))
    order_number = models.CharField(_("Order number"), max_length=20)
    material_kind = models.CharField(_("Kind"), max_length=30)
    part = models.CharField(_("Part"), max_length=10, choices=Part.choices, default=Part.FILE)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("Viewed at"))

    class Meta:
        verbose_name = _("material view")
        verbose_name_plural = _("material views")
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["order_number", "-viewed_at"], name="filings_matview_order"),
            models.Index(fields=["user", "-viewed_at"], name="filings_matview_user"),
        ]

    def __str__(self):
        return f"{self.order_number} {self.material_kind} #{self.material_ref}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Material views are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Material views are immutable")
