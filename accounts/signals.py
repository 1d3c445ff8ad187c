"""Receivers of allauth's signals, and of the changes of group membership that the cached roles must follow; they
only call services, the session helper and the role cache. Connected in apps.ready()."""

from allauth.account.signals import password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from .models import User
from .roles import role_names_forget
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


# --- The cached roles (accounts.roles) follow every change of membership, whichever way it is made: the admin's
# user or group form, a service, the shell.


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.roles_on_membership_change")
def roles_on_membership_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # user.groups.add/remove/clear/set
        instance.__dict__.pop("_role_names", None)
        role_names_forget([instance.pk])
    elif action == "pre_clear":  # group.user_set.clear(): its members, before they are gone
        role_names_forget(instance.user_set.values_list("pk", flat=True))
    elif pk_set:  # group.user_set.add/remove
        role_names_forget(pk_set)


@receiver(post_save, sender=Group, dispatch_uid="accounts.roles_on_group_save")
def roles_on_group_save(sender, instance, created, **kwargs):
    # A renamed group is a changed role for each of its members.
    if not created:
        role_names_forget(instance.user_set.values_list("pk", flat=True))


@receiver(pre_delete, sender=Group, dispatch_uid="accounts.roles_on_group_delete")
def roles_on_group_delete(sender, instance, **kwargs):
    role_names_forget(instance.user_set.values_list("pk", flat=True))


@receiver(post_save, sender=User, dispatch_uid="accounts.roles_on_new_user")
def roles_on_new_user(sender, instance, created, **kwargs):
    # A new account starts with no cached roles, even where a database reuses the id of a deleted one.
    if created:
        role_names_forget([instance.pk], after_commit=False)
