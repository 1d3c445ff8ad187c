from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health, phone


@require_GET
def home(request):
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request):
    problems = {"database": health.check_database(), "broker": health.check_broker()}
    body = {name: ("ok" if error is None else f"error: {error}") for name, error in problems.items()}
    healthy = not any(problems.values())
    body["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def demo_phone(request):
    """The simulated phone: type a mobile number, read the texts it received. Demo mode only."""
    if not settings.DEMO_MODE:
        raise Http404
    number = request.GET.get("number", "").strip()
    messages, error = [], ""
    if number:
        try:
            number = phone.normalise_mobile(number)
            messages = list(phone.inbox(number))
        except ValueError:
            error = _("Enter a mainland China mobile number, such as 13800138000.")
    return render(request, "core/demo_phone.html", {"number": number, "texts": messages, "error": error})
