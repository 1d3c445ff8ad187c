from django.conf import settings
from django.core.cache import cache

from core.caching import forget

from . import events
from .constants import Audience
from .models import InboxMessage, NotificationPreference


def inbox_of(user):
    """A person's in-app messages, newest first. Every inbox query starts from the user (DESIGN.md)."""
    return InboxMessage.objects.filter(user=user)


# The header shows the count on every page: it is kept in the cache, and every change of a person's unread messages
# (a delivery, marking read) forgets it at once. The expiry is a backstop for a change made outside those paths.
UNREAD_CACHE_SECONDS = 300


def _unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def inbox_unread_count(user) -> int:
    return cache.get_or_set(
        _unread_cache_key(user.pk),
        lambda: InboxMessage.objects.filter(user=user, read_at__isnull=True).count(),
        UNREAD_CACHE_SECONDS,
    )


def inbox_unread_count_forget(user_id: int) -> None:
    """After a change of ``user_id``'s unread messages: now, and again once the transaction commits."""
    forget([_unread_cache_key(user_id)])


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
