"""The photo step's records. Imported by ``filings/models.py`` (Django loads an app's models from there only).

``Backdrop``            the official backdrop (幕布) of an order: bought and shipped, or declared as already there.
``PrincipalPhotoLink``  a link the applicant gives a principal without an account, to upload their own photo once.
``ShanghaiAppSession``  one principal's round in the Shanghai administration's app (simulated): QR code → mobile
                        and ID → photo → picture code (图片验证码) → pulled into the order by the applicant.
``PhotoCheck``          what the pre-check found on a verification photo and how it came, for the reviewer.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import BackdropDeclaration, PhotoSource, ShipmentStatus

__all__ = ["Backdrop", "PhotoCheck", "PrincipalPhotoLink", "ShanghaiAppSession"]


def new_nonce() -> str:
    return secrets.token_hex(16)


class Backdrop(models.Model):
    """An order's backdrop. ``ready`` once the bought one is delivered, or as soon as the applicant says they have
    one (我已有幕布) or use the provider's app. A declaration does not cancel a parcel on its way."""

    order = models.OneToOneField("filings.FilingOrder", on_delete=models.CASCADE, related_name="backdrop")
    declared = models.CharField(
        _("Photographing without a bought backdrop"), max_length=20, choices=BackdropDeclaration.choices, blank=True
    )
    declared_at = models.DateTimeField(_("Declared at"), null=True, blank=True)

    status = models.CharField(_("Shipment"), max_length=20, choices=ShipmentStatus.choices, blank=True)
    recipient = models.CharField(_("Recipient"), max_length=50, blank=True)
    mobile = models.CharField(_("Recipient's mobile"), max_length=20, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("Region"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    street = models.CharField(_("Street address"), max_length=200, blank=True)
    price = models.DecimalField(_("Price (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True)
    tracking_number = models.CharField(_("Tracking number"), max_length=30, blank=True)
    purchased_at = models.DateTimeField(_("Purchased at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("Shipped at"), null=True, blank=True)
    in_transit_at = models.DateTimeField(_("In transit since"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("Delivered at"), null=True, blank=True)
    # When the parcel takes its next step on the portal's clock; empty once delivered.
    next_step_due_at = models.DateTimeField(_("Next step due at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"))

    class Meta:
        verbose_name = _("backdrop")
        verbose_name_plural = _("backdrops")
        indexes = [
            models.Index(
                fields=["status", "next_step_due_at"],
                name="photos_backdrop_due",
                condition=Q(next_step_due_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.get_status_display() or self.get_declared_display()}"

    @property
    def purchased(self) -> bool:
        return bool(self.status)

    @property
    def ready(self) -> bool:
        return bool(self.declared) or self.status == ShipmentStatus.DELIVERED


class PrincipalPhotoLink(models.Model):
    """A link for one principal of one order. Its token is signed with the project's secret over the id and a
    random nonce (``tokens.py``), so neither the database alone nor a guess makes one. It works until
    ``expires_at`` (portal clock), once, and only while the order waits for photos; a newer link revokes it."""

    order = models.ForeignKey("filings.FilingOrder", on_delete=models.CASCADE, related_name="photo_links")
    person = models.ForeignKey("filings.PersonApplication", on_delete=models.CASCADE, related_name="photo_links")
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Created at"))
    expires_at = models.DateTimeField(_("Expires at"))
    used_at = models.DateTimeField(_("Used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    material = models.ForeignKey("filings.Material", on_delete=models.SET_NULL, related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("principal's photo link")
        verbose_name_plural = _("principals' photo links")
        ordering = ["order", "-created_at", "-id"]
        indexes = [models.Index(fields=["order", "person"], name="photos_link_person")]

    def __str__(self):
        return f"{self.order_id}/{self.person_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_open(self, now) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class ShanghaiAppSession(models.Model):
    """One principal's round in the Shanghai administration's app (simulated). The QR code on the portal opens it;
    the principal verifies mobile and ID, takes the photo (held privately here until pulled), and gets a picture
    code. Only the code's keyed hash is stored; the applicant's entry of it pulls the photo into the order."""

    order = models.ForeignKey("filings.FilingOrder", on_delete=models.CASCADE, related_name="app_sessions")
    person = models.ForeignKey("filings.PersonApplication", on_delete=models.CASCADE, related_name="app_sessions")
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("Created at"))
    expires_at = models.DateTimeField(_("Expires at"))
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    verify_failures = models.PositiveSmallIntegerField(_("Wrong entries"), default=0)
    verified_at = models.DateTimeField(_("Mobile and ID verified at"), null=True, blank=True)
    photo_name = models.CharField(max_length=200, blank=True)
    photo_taken_at = models.DateTimeField(_("Photo taken at"), null=True, blank=True)
    photo_width = models.PositiveIntegerField(null=True, blank=True)
    photo_height = models.PositiveIntegerField(null=True, blank=True)
    photo_warnings = models.JSONField(default=list, blank=True)
    red_share = models.FloatField(null=True, blank=True)
    blue_share = models.FloatField(null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_expires_at = models.DateTimeField(_("Picture code valid until"), null=True, blank=True)
    pulled_at = models.DateTimeField(_("Pulled into the order at"), null=True, blank=True)
    material = models.ForeignKey("filings.Material", on_delete=models.SET_NULL, related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("Shanghai app session")
        verbose_name_plural = _("Shanghai app sessions")
        ordering = ["order", "-created_at", "-id"]
        indexes = [models.Index(fields=["order", "person"], name="photos_app_person")]

    def __str__(self):
        return f"{self.order_id}/{self.person_id} {self.created_at:%Y-%m-%d %H:%M}"

    def is_open(self, now) -> bool:
        return self.revoked_at is None and self.pulled_at is None and self.expires_at > now

    @property
    def locked(self) -> bool:
        from .constants import APP_MAX_VERIFY_FAILURES

        return self.verify_failures >= APP_MAX_VERIFY_FAILURES


class PhotoCheck(models.Model):
    """The pre-check of one verification photo: its size, the clothing heuristic's shares and warnings, and how it
    came. Goes with the material (a replaced photo takes its check along)."""

    material = models.OneToOneField("filings.Material", on_delete=models.CASCADE, related_name="photo_check")
    source = models.CharField(_("Source"), max_length=20, choices=PhotoSource.choices)
    method = models.CharField(_("Photo method"), max_length=20, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    red_share = models.FloatField(_("Share of strongly red pixels (clothing area)"))
    blue_share = models.FloatField(_("Share of strongly blue pixels (clothing area)"))
    warnings = models.JSONField(_("Warnings"), default=list, blank=True)
    created_at = models.DateTimeField(_("Checked at"))

    class Meta:
        verbose_name = _("photo check")
        verbose_name_plural = _("photo checks")

    def __str__(self):
        return f"{self.material_id}: {', '.join(self.warnings) or 'ok'}"

    @property
    def warning_messages(self) -> list[str]:
        from .constants import PhotoWarning

        return [PhotoWarning(code).label for code in self.warnings if code in PhotoWarning.values]
