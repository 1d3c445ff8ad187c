from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from .models import User


class UserEmailMixin:
    """E-mail is the login: stored in lower case, unique whatever the capitalisation."""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."), code="unique")
        return email


class UserAdminCreationForm(UserEmailMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserAdminChangeForm(UserEmailMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class SecondFactorLockoutMixin:
    """Wrong second-factor codes count toward the same lock-out as wrong passwords (axes: one mechanism, per
    account and network address). Without it a six-digit code could be guessed at leisure once the password is
    known, since allauth's own failed-login limit is off."""

    def _lockout_credentials(self) -> dict:
        # The address the person typed at the password step, as axes recorded it; else the account's own.
        request = context.request
        typed = [r["email"] for r in get_authentication_records(request, self.user) if r.get("email")]
        return {"email": (typed[-1] if typed else self.user.email).lower()}

    def clean_code(self):
        request = context.request
        credentials = self._lockout_credentials()
        if not AxesProxyHandler.is_allowed(request, credentials):
            # Recorded like a refused password, so axes' middleware answers with the lock-out page.
            user_login_failed.send(sender=self.__class__, credentials=credentials, request=request)
            raise get_account_adapter().validation_error("too_many_login_attempts")
        try:
            return super().clean_code()
        except forms.ValidationError:
            user_login_failed.send(sender=self.__class__, credentials=credentials, request=request)
            raise


class SecondFactorForm(SecondFactorLockoutMixin, AuthenticateForm):
    """The code asked at sign-in (MFA_FORMS["authenticate"])."""


class SecondFactorReauthenticateForm(SecondFactorLockoutMixin, ReauthenticateForm):
    """The code asked to confirm a session (MFA_FORMS["reauthenticate"])."""
