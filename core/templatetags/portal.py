"""Template tags and filters the busiest pages use in their loops, where Django's general ones cost the most.

``{% main_nav %}`` writes the header's links, rendered once per language, audience set and page (core.navigation).

``{% status_badge status label %}`` is the coloured status label of orders, websites, subjects and service numbers:
``<span class="badge badge-{status}" data-status="{status}">{label}</span>``. It was an include; in a list of 20 or
25 rows the include cost about 20 µs a row more than writing the span (docs/performance.md, fix 14).

``{{ value|stamp }}`` formats a date-time as ``|date:"Y-m-d H:i"`` does, and ``{{ value|stamp:"m-d H:i" }}`` with one
of the other numeric formats the pages show. The formats are digits and separators only, the same in every
language, so they need none of the locale machinery of the ``date`` filter: a local time and ``strftime``, under half
its cost (docs/performance.md, fix 14).
"""

from datetime import date

from django import template
from django.conf import settings
from django.utils.html import format_html

from core.navigation import nav_html

register = template.Library()

# Django's format characters, as the pages use them, and the strftime directives that give the same digits.
STRFTIME = {
    "Y-m-d H:i": "%Y-%m-%d %H:%M",
    "Y-m-d": "%Y-%m-%d",
    "m-d H:i": "%m-%d %H:%M",
    "m-d": "%m-%d",
    "H:i": "%H:%M",
}


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    """The header's links (``core.navigation.nav_html``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return ""
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return nav_html(user, demo_mode=settings.DEMO_MODE, current=current)


@register.simple_tag
def status_badge(status, label) -> str:
    return format_html('<span class="badge badge-{}" data-status="{}">{}</span>', status, status, label)


@register.filter(expects_localtime=True)
def stamp(value, format_string: str = "Y-m-d H:i") -> str:
    """``value``, already in the current time zone (``expects_localtime``), in one of the ``STRFTIME`` formats; an
    empty string for no value, as the ``date`` filter gives. Another format is a mistake in the template: KeyError."""
    if not isinstance(value, date):
        return ""
    return value.strftime(STRFTIME[format_string])
