"""The registry of notification events.

An event is a kind of message: its key names its templates (``templates/notifications/<key with / for .>/``), its
channels say which of them exist, ``mandatory`` events ignore e-mail preferences (SMS codes, legal notices), and
``example`` is a context it renders with in tests and previews. Apps declare their events in their own ``notify``
module (autodiscovered when the app registry is ready), so this app knows no app above it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import Audience, Channel

# The template files each channel needs, under the event's folder.
TEMPLATE_FILES = {
    Channel.EMAIL: ("subject.txt", "body.txt"),
    Channel.SMS: ("sms.txt",),
    Channel.IN_APP: ("subject.txt", "inapp.txt"),
}


class UnknownEvent(LookupError):
    pass


@dataclass(frozen=True)
class EventType:
    key: str
    label: str | Promise
    channels: tuple[str, ...]
    mandatory: bool = False
    audience: str = Audience.APPLICANT
    example: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        unknown = set(self.channels) - set(Channel.values)
        if unknown or not self.channels:
            raise ImproperlyConfigured(f"event {self.key!r}: channels must be some of {Channel.values}")

    @property
    def template_folder(self) -> str:
        return "notifications/" + self.key.replace(".", "/")

    def template_name(self, filename: str) -> str:
        return f"{self.template_folder}/{filename}"

    def template_names(self) -> list[str]:
        """Every template this event needs, for the channels it uses."""
        names = {self.template_name(f) for channel in self.channels for f in TEMPLATE_FILES[Channel(channel)]}
        return sorted(names)

    @property
    def email_optional(self) -> bool:
        """The recipient may switch e-mail off for it."""
        return Channel.EMAIL in self.channels and not self.mandatory


_registry: dict[str, EventType] = {}


def register(event: EventType) -> EventType:
    """Add an event (idempotent for the same definition); returns it, so ``X = register(EventType(...))`` reads."""
    existing = _registry.get(event.key)
    if existing is not None and existing != event:
        raise ImproperlyConfigured(f"notification event {event.key!r} is registered twice, differently")
    _registry[event.key] = event
    return event


def get(key: str) -> EventType:
    try:
        return _registry[key]
    except KeyError:
        raise UnknownEvent(f"no notification event {key!r} is registered") from None


def all_events() -> list[EventType]:
    return sorted(_registry.values(), key=lambda e: e.key)


# --- events of no particular app -----------------------------------------------------------------------------------

SMS_CODE = register(
    EventType(
        key="account.sms_code",
        label=_("Verification codes by SMS"),
        channels=(Channel.SMS,),
        mandatory=True,
        audience=Audience.EVERYONE,
        example={"code": "382915", "minutes": 5},
    )
)
LEGAL_NOTICE = register(
    EventType(
        key="legal.notice",
        label=_("Legal notices"),
        channels=(Channel.EMAIL, Channel.IN_APP),
        mandatory=True,
        audience=Audience.EVERYONE,
        example={"title": "Terms of service updated", "text": "The terms of service change on 2026-06-01.", "link": ""},
    )
)
