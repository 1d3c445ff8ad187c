from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Billing, CloudRegion

SUBSCRIPTION_MONTHS = [
    (1, _("1 month")),
    (3, _("3 months")),
    (6, _("6 months")),
    (12, _("1 year")),
    (24, _("2 years")),
    (36, _("3 years")),
]


class InstanceBuyForm(forms.Form):
    name = forms.CharField(label=_("Instance name"), max_length=60, initial="web-server-1")
    region = forms.ChoiceField(label=_("Region"), choices=CloudRegion.choices, initial=CloudRegion.HANGZHOU)
    billing = forms.ChoiceField(
        label=_("Billing method"), choices=Billing.choices, initial=Billing.SUBSCRIPTION, widget=forms.RadioSelect
    )
    months = forms.TypedChoiceField(
        label=_("Subscription length"),
        choices=SUBSCRIPTION_MONTHS,
        coerce=int,
        initial=12,
        required=False,
        help_text=_("Only for subscriptions. Filing needs at least three months left."),
    )
    public_bandwidth_mbps = forms.IntegerField(
        label=_("Public bandwidth (Mbps)"),
        min_value=0,
        max_value=200,
        initial=5,
        help_text=_("0 means no public IP; a filing needs public bandwidth."),
    )

    def clean(self):
        data = super().clean()
        if data.get("billing") == Billing.SUBSCRIPTION and not data.get("months"):
            self.add_error("months", _("Choose how long the subscription runs."))
        return data


class InstanceRenewForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Renew for"), choices=SUBSCRIPTION_MONTHS, coerce=int, initial=12)


class ServiceNumberVerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Service number"),
        max_length=40,
        help_text=_("As shown on the ICP No. Management page, e.g. 1A2B3-C4D5E-6F708-192A3."),
    )
