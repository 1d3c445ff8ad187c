"""The app's settings: ``settings.NOTIFICATIONS`` over these defaults."""

from django.conf import settings

DEFAULTS = {
    # Dotted path of the SMS gateway class (notifications.sms.SmsGateway).
    "SMS_GATEWAY": "notifications.sms.PhoneNetworkGateway",
    # Attempts before a message ends as failed, and the wait before each retry (the last value repeats).
    "MAX_ATTEMPTS": 5,
    "BACKOFF_SECONDS": (30, 120, 600, 1800),
    # How long a claimed row stays with its sender: longer than a delivery task may run (CELERY_TASK_TIME_LIMIT).
    "LEASE_SECONDS": 600,
    # Rows one claim takes.
    "BATCH_SIZE": 50,
    # Links in e-mails and texts are absolute: the portal's public address.
    "SITE_URL": "http://localhost:8000",
}


def get(name: str):
    overrides = getattr(settings, "NOTIFICATIONS", {}) or {}
    return overrides.get(name, DEFAULTS[name])
