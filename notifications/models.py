"""The outbox (every message to send, on any channel), the in-app inbox, and each person's notification settings.

An ``OutboxMessage`` is written in the same transaction as the change that causes it, so a message exists exactly
when its cause does. ``(channel, idempotency_key)`` is unique: a service that runs again inserts nothing new.
Delivery claims rows with ``skip_locked`` and a lease (``leased_until``) so that no two senders hold one row.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import Channel, OutboxStatus


class OutboxMessage(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    # The e-mail address or mobile number at the time of the event; empty for in-app messages.
    address = models.CharField(_("address"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("event"), max_length=60)  # indexed in Meta.indexes, without a pattern-matching copy
    context = models.JSONField(_("context"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    due_at = models.DateTimeField(_("due at"))
    # Set while a sender holds the row (real time, not the settable clock: it measures a process's life).
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "idempotency_key"], name="notifications_outbox_once"),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="notifications_outbox_due", condition=Q(status=OutboxStatus.PENDING)),
            models.Index(fields=["status", "-created_at"], name="notifications_outbox_status"),
            models.Index(fields=["event"], name="notifications_outbox_event"),
        ]

    def __str__(self):
        return f"{self.event} → {self.get_channel_display()} {self.address or self.recipient_id}"


class InboxMessage(models.Model):
    """An in-app message as delivered: rendered once, in the recipient's language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="inbox_messages"
    )
    # One in-app message per outbox row, whatever the number of deliveries.
    outbox = models.OneToOneField(
        OutboxMessage, on_delete=models.SET_NULL, related_name="inbox_message", null=True, blank=True
    )
    event = models.CharField(_("event"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("received at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("in-app message")
        verbose_name_plural = _("in-app messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notifications_inbox_user"),
            models.Index(fields=["user"], name="notifications_inbox_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """A person's notification settings: the language of their messages, and the events they get no e-mail for.

    Mandatory events (SMS codes, legal notices) ignore ``email_off``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(
        _("language of messages"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_off = models.JSONField(_("events without e-mail"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class WebhookEndpoint(models.Model):
    """An applicant's receiver of order events (docs/api.md, "Webhooks"): an https URL on a public address and the
    secret the events are signed with. The secret is shown once, when it is made, and kept encrypted: it must be
    read back to sign, so it cannot be a hash."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=100, blank=True)
    secret_encrypted = models.TextField()
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "active"], name="notifications_webhook_owner")]

    def __str__(self):
        return self.url
