"""The page django-axes shows a locked-out person (setting AXES_LOCKOUT_CALLABLE)."""

from datetime import timedelta

from axes.conf import settings as axes_settings
from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out person sees (HTTP 429): how long, and that a password reset lifts it at once."""
    cool_off = get_cool_off(request) or timedelta(0)
    # Every attempt during a lock-out starts the wait again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), and
    # axes counts in real time, not on the portal's settable clock.
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "locked_until": timezone.localtime(timezone.now() + cool_off),
    }
    response = TemplateResponse(
        request, "accounts/locked_out.html", context, status=axes_settings.AXES_HTTP_RESPONSE_CODE
    )
    return response.render()
