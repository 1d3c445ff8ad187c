from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.api.errors import error_body

from .second_factor import second_factor_passed
from .selectors import user_has_second_factor

API_PREFIX = "/api/"

# Pages a signed-in staff member may open before passing a second factor: what it takes to set one up or prove
# one (and what allauth sends them through on the way), signing out, the language switch, the health check.
ALLOWED_BEFORE_SECOND_FACTOR = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        # allauth refuses a new authenticator while an address is unverified and says so on the 2FA overview.
        "account_email",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "admin:logout",
        "set_language",
        "healthz",
    }
)


# Sessions signed in before the backends became the portal's own (accounts.backends) name Django's and allauth's.
RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}


class RenamedBackendMiddleware:
    """A session that names a backend by its former path is given the new one, before Django reads it (a path it
    does not know would sign the session out): nobody is signed out by the upgrade. Runs before
    ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        renamed = RENAMED_BACKENDS.get(request.session.get(BACKEND_SESSION_KEY))
        if renamed is not None:
            request.session[BACKEND_SESSION_KEY] = renamed
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Provider staff (reviewers, supervisors, administrators) reach nothing but the pages above until their
    session has passed a second factor: those without an authenticator app are sent to set one up, those with one
    to enter a code. allauth's sign-in asks for the code anyway; this catches every other way into a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if (match and match.view_name in ALLOWED_BEFORE_SECOND_FACTOR) or request.path.startswith(settings.STATIC_URL):
            return None
        if second_factor_passed(request, user) or not user.is_provider_staff:
            return None
        if request.path.startswith(API_PREFIX) and "text/html" not in request.headers.get("Accept", ""):
            # A program cannot follow a redirect to a sign-in page: the API answers in its own error format (a
            # browser opening the API's documentation page still goes to the second factor).
            return JsonResponse(
                error_body(
                    "second_factor_required",
                    _("Staff accounts pass a second factor before using the API: sign in again with your code."),
                ),
                status=403,
            )
        if user_has_second_factor(user=user):
            url = f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}"
        else:
            url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            from django_htmx.http import HttpResponseClientRedirect

            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
