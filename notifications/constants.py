from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In-app message")
    # Order events pushed to the applicant's registered URLs (notifications.webhooks); no templates: a JSON body.
    WEBHOOK = "webhook", _("Webhook")


class OutboxStatus(models.TextChoices):
    """An outbox row is pending until it is sent, or failed once its attempts are spent (an operator may retry)."""

    PENDING = "pending", _("Waiting to send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Audience(models.TextChoices):
    """Who an event speaks to: decides which events a person's notification settings list."""

    APPLICANT = "applicant", _("Applicants")
    STAFF = "staff", _("Provider staff")
    EVERYONE = "everyone", _("Everyone")
