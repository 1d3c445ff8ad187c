"""Helpers for tests elsewhere in the suite that need a signed-in staff member but do not test the sign-in."""

from .second_factor import ACTIVATED_IN_SESSION_KEY


def force_login_with_second_factor(client, user) -> None:
    """``client.force_login(user)``, and the session counts as having passed the staff second factor
    (``accounts.middleware.StaffSecondFactorMiddleware`` would otherwise send staff to set one up)."""
    client.force_login(user)
    session = client.session
    session[ACTIVATED_IN_SESSION_KEY] = str(user.pk)
    session.save()
