"""Whether this session has passed a second factor, for the staff rule (DESIGN.md, "Who sees what").

allauth records each authentication step of a session (``get_authentication_records``): a sign-in through its MFA
stage, or an MFA re-authentication, leaves a record with method ``"mfa"``. Activating an authenticator app proves
the same thing (a valid code from the new app), but allauth records no step for it, so we mark the session here.
"""

from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest

from .models import User

# The id of the user who activated an authenticator in this session. A sign-in as someone else starts a new
# session (django.contrib.auth.login flushes it), so the mark cannot leak to another account.
ACTIVATED_IN_SESSION_KEY = "accounts_second_factor_activated"


def second_factor_passed(request: HttpRequest, user: User) -> bool:
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        return True
    return request.session.get(ACTIVATED_IN_SESSION_KEY) == str(user.pk)


def second_factor_mark_activated(request: HttpRequest, user: User) -> None:
    request.session[ACTIVATED_IN_SESSION_KEY] = str(user.pk)
