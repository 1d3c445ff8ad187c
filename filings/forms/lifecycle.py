"""Forms of the pages after approval: cancellation, continued transfer-in, the PSB record, the ID lookup. They check
types and lengths; the services (filings.lifecycle, filings.psb, filings.identity) decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from subjects.constants import PERSONAL_CERTIFICATE_TYPES, CertificateType


class CancellationForm(forms.Form):
    icp_password = forms.CharField(
        label=_("ICP filing password"),
        max_length=64,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Issued by the administration when the subject was filed. Only the administration checks it."),
        error_messages={"required": _("Enter the ICP filing password.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone once the administration approves it."),
        error_messages={"required": _("Confirm the cancellation.")},
    )


class ContinueTransferInForm(forms.Form):
    domain = forms.CharField(
        label=_("Domain"),
        max_length=255,
        help_text=_("A domain filed for this subject through another provider, e.g. example.com."),
        error_messages={"required": _("Enter the domain.")},
    )


class PsbRecordForm(forms.Form):
    opening_date = forms.DateField(
        label=_("Website opened on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The 30 days for the PSB filing run from this day. Empty: from the day the website was filed."),
    )
    psb_number = forms.CharField(
        label=_("PSB filing number"),
        max_length=40,
        required=False,
        help_text=_("As issued, e.g. 京公网安备11010502053948号."),
    )


class IdentityLookupForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        help_text=_("As on the document."),
        error_messages={"required": _("Enter the name on the document.")},
    )
    certificate_type = forms.ChoiceField(
        label=_("Document type"),
        choices=[(value, CertificateType(value).label) for value in PERSONAL_CERTIFICATE_TYPES],
        initial=CertificateType.RESIDENT_ID,
    )
    certificate_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        error_messages={"required": _("Enter the document number.")},
    )


class IdentityCodeForm(forms.Form):
    mobile = forms.TypedChoiceField(label=_("Mobile on record"), coerce=int, widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, mobiles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].choices = list(enumerate(mobiles))
        if len(mobiles) == 1:
            self.fields["mobile"].initial = 0


class MisuseReportForm(forms.Form):
    numbers = forms.MultipleChoiceField(
        label=_("Records that are not yours"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the records that are not yours.")},
    )
    note = forms.CharField(
        label=_("What happened (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, numbers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"].choices = [(number, number) for number in numbers]
