from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockSetting(models.Model):
    """The one row behind the settable clock (core.clock). Real time plus an offset, or frozen at a moment."""

    offset_seconds = models.FloatField(_("offset (seconds)"), default=0)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clock")

    def __str__(self):
        if self.frozen_at:
            return str(_("Frozen at %(moment)s") % {"moment": self.frozen_at})
        return str(_("Real time %(offset)+.0f s") % {"offset": self.offset_seconds})


class Carrier(models.TextChoices):
    CHINA_TELECOM = "telecom", _("China Telecom")
    CHINA_UNICOM = "unicom", _("China Unicom")
    CHINA_MOBILE = "mobile", _("China Mobile")
    VIRTUAL = "virtual", _("Virtual carrier")
    UNKNOWN = "unknown", _("Unknown carrier")


class PhoneMessage(models.Model):
    """A text message on the simulated phone network: every SMS anyone in the system sends lands here."""

    to_number = models.CharField(_("to"), max_length=20, db_index=True)
    sender = models.CharField(_("sender number"), max_length=20, blank=True)
    carrier = models.CharField(_("carrier"), max_length=10, choices=Carrier.choices, default=Carrier.UNKNOWN)
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    source = models.CharField(
        _("sent by"), max_length=40, blank=True, help_text=_("The part of the system that sent it.")
    )

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["to_number", "-sent_at"], name="core_phone_to_sent")]

    def __str__(self):
        return f"{self.sender} → {self.to_number}: {self.body[:30]}"
