from django.conf import settings
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


class MobileCode(models.Model):
    """A six-digit code sent to a mobile to prove the person holds it (获取手机验证码). Only its hash is kept."""

    mobile = models.CharField(_("mobile"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=40)
    code_hash = models.CharField(max_length=128)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mobile verification code")
        verbose_name_plural = _("mobile verification codes")
        indexes = [models.Index(fields=["mobile", "purpose", "-sent_at"], name="core_mobilecode_latest")]

    def __str__(self):
        return f"{self.mobile} ({self.purpose})"
