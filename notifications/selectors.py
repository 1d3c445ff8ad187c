from django.conf import settings

from . import events
from .constants import Audience
from .models import InboxMessage, NotificationPreference


def inbox_of(user):
    """A person's in-app messages, newest first. Every inbox query starts from the user (DESIGN.md)."""
    return InboxMessage.objects.filter(user=user)


def inbox_unread_count(user) -> int:
    return InboxMessage.objects.filter(user=user, read_at__isnull=True).count()


def preference_of(user) -> NotificationPreference:
    """Saved settings, or the defaults (not saved)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user, language=settings.LANGUAGE_CODE, email_off=[])


def events_for(user) -> list[events.EventType]:
    """The events a person may hear about: applicants' for everyone, staff events for staff too."""
    audiences = {Audience.APPLICANT, Audience.EVERYONE}
    if getattr(user, "is_provider_staff", False):
        audiences.add(Audience.STAFF)
    return [e for e in events.all_events() if e.audience in audiences]
