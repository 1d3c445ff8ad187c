"""Messages are rendered when they are sent, in the recipient's language (stored on the outbox row).

Templates are plain text: rendered without HTML escaping, surrounding whitespace stripped; a subject is one line.
"""

from dataclasses import dataclass

from django.template import Context, engines
from django.utils import translation
from django.utils.translation import gettext

from . import conf, events
from .constants import Channel


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _render(name: str, context: dict) -> str:
    template = engines["django"].get_template(name).template
    return template.render(Context(context, autoescape=False)).strip()


def render_message(*, event: str, channel: str, context: dict, language: str) -> Rendered:
    """Raises TemplateDoesNotExist for a missing template, UnknownEvent for an unregistered event."""
    definition = events.get(event)
    full_context = {"site_url": conf.get("SITE_URL").rstrip("/"), **context}
    with translation.override(language):
        if channel == Channel.SMS:
            body = " ".join(_render(definition.template_name("sms.txt"), full_context).split())
            # Carriers require the sender's signature in brackets at the start of every text.
            signature = gettext("[ICP Filing]")
            return Rendered(subject="", body=signature + body)
        subject = " ".join(_render(definition.template_name("subject.txt"), full_context).split())
        body_file = "body.txt" if channel == Channel.EMAIL else "inapp.txt"
        return Rendered(subject=subject, body=_render(definition.template_name(body_file), full_context))
