"""Receivers of allauth's signals; they only call services and the session helper. Connected in apps.ready()."""

from allauth.account.signals import password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from .second_factor import second_factor_mark_activated
from .services import user_unlock


@receiver(password_reset, dispatch_uid="accounts.unlock_on_password_reset")
def unlock_on_password_reset(sender, request, user, **kwargs):
    # Proving control of the mailbox is a stronger proof than waiting out the lock.
    user_unlock(user=user)


@receiver(authenticator_added, dispatch_uid="accounts.second_factor_on_activation")
def second_factor_on_activation(sender, request, user, authenticator, **kwargs):
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    if getattr(request, "user", None) is not None and request.user.pk == user.pk:
        second_factor_mark_activated(request, user)
