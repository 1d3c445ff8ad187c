"""Forms of the administration's pages. Each carries the slider check (``puzzle``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import widgets

from .constants import CertificateType
from .puzzle import POSITIONS


class RangeInput(forms.NumberInput):
    input_type = "range"


class SliderForm(forms.Form):
    slider = forms.IntegerField(
        label=_("Slide the block into the gap"),
        min_value=0,
        max_value=POSITIONS,
        required=False,
        widget=RangeInput(attrs={"min": 0, "max": POSITIONS, "step": 1, "class": "slider-input"}),
    )

    def __init__(self, *args, target: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["slider"].help_text = _("Position %(n)d of %(total)d.") % {"n": target, "total": POSITIONS}
        if not self.is_bound:
            self.initial["slider"] = 0


class SmsVerifyForm(SliderForm):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))
    code = forms.CharField(
        label=_("SMS verification code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    id_suffix = forms.CharField(
        label=_("Last six characters of the ID number"),
        max_length=6,
        min_length=6,
        help_text=_("Of the principal this mobile number belongs to, as on the ID document (X included)."),
    )

    field_order = ["mobile", "code", "id_suffix", "slider"]


class SmsResendForm(SliderForm):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"}))

    field_order = ["mobile", "slider"]


class PasswordRetrieveForm(SliderForm):
    certificate_type = forms.ChoiceField(label=_("Subject certificate type"), choices=CertificateType.choices)
    certificate_number = forms.CharField(label=_("Subject certificate number"), max_length=40)
    mobile = forms.CharField(
        label=_("Principal's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("The mobile of the subject's principal as filed. The new password is sent there."),
    )

    field_order = ["certificate_type", "certificate_number", "mobile", "slider"]


class PublicQueryForm(forms.Form):
    KINDS = (("domain", _("Domain")), ("icp_number", _("ICP number")), ("subject", _("Subject name")))

    # Django's markup written in Python (core.widgets): anyone may load this page, and its widgets' templates cost
    # more than the rest of the form.
    kind = forms.ChoiceField(label=_("Search by"), choices=KINDS, initial="domain", widget=widgets.Select)
    q = forms.CharField(label=_("Search for"), max_length=100, widget=widgets.TextInput)
