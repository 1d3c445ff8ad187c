"""The wizard's forms. They check types and lengths only: the content rules live in the shared validators and are
shown beside each field (and block submission on the pre-check page), so a half-finished draft can always be saved."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from subjects.constants import PERSONAL_CERTIFICATE_TYPES, CertificateType
from websites.constants import PreApprovalType, WebsiteLanguage
from websites.models import ServiceContent

from ..models import PersonApplication, SubjectApplication


class SubjectForm(forms.ModelForm):
    class Meta:
        model = SubjectApplication
        fields = ("name", "certificate_address", "mailing_address", "investor", "remarks")
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": _("As on the certificate, e.g. the business licence."),
            "certificate_address": _("As on the certificate."),
            "mailing_address": _("The street address; do not repeat the province and city."),
            "investor": _("For a person, their own name."),
            "remarks": _("Explain here if the address has no street number."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class PersonForm(forms.ModelForm):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        help_text=_("Sent to Contact 1 when you choose “Get verification code”."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    class Meta:
        model = PersonApplication
        fields = (
            "name",
            "certificate_type",
            "certificate_number",
            "mobile",
            "office_phone",
            "emergency_phone",
            "email",
        )
        help_texts = {
            "name": _("For an organisation, the legal representative."),
            "mobile": _("A mainland mobile number; it receives the verification codes."),
        }
        widgets = {"mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_type"].choices = [("", _("Choose the principal's certificate type"))] + [
            (value, CertificateType(value).label) for value in PERSONAL_CERTIFICATE_TYPES
        ]
        for field in self.fields.values():
            field.required = False

    def person_data(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.Meta.fields}


class WebsiteForm(forms.Form):
    name = forms.CharField(label=_("Website name"), max_length=100, required=False)
    homepage_url = forms.CharField(
        label=_("Homepage URL"),
        max_length=255,
        required=False,
        help_text=_("On one of the website's domains, e.g. https://www.example.com/"),
    )
    service_content = forms.MultipleChoiceField(
        label=_("Website service content"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Website language"),
        choices=WebsiteLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        english = (get_language() or "").startswith("en")
        self.fields["service_content"].choices = [
            (c.code, c.name_en if english else c.name) for c in ServiceContent.objects.filter(is_active=True)
        ]
        for kind in PreApprovalType:
            self.fields[f"pre_{kind.value}"] = forms.BooleanField(label=kind.label, required=False)
            self.fields[f"pre_{kind.value}_number"] = forms.CharField(
                label=_("Approval document number"), max_length=60, required=False
            )

    @staticmethod
    def initial_from(website) -> dict:
        initial = {
            "name": website.name,
            "homepage_url": website.homepage_url,
            "service_content": website.service_content,
            "languages": website.languages,
            "remarks": website.remarks,
        }
        for item in website.pre_approvals or []:
            initial[f"pre_{item.get('type')}"] = True
            initial[f"pre_{item.get('type')}_number"] = item.get("document_number", "")
        return initial

    def pre_approval_rows(self):
        return [(self[f"pre_{kind.value}"], self[f"pre_{kind.value}_number"]) for kind in PreApprovalType]

    def website_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "homepage_url": data["homepage_url"],
            "service_content": list(data["service_content"]),
            "languages": list(data["languages"]),
            "remarks": data["remarks"],
            "pre_approvals": [
                {"type": kind.value, "document_number": (data.get(f"pre_{kind.value}_number") or "").strip()}
                for kind in PreApprovalType
                if data.get(f"pre_{kind.value}")
            ],
        }


class DomainAddForm(forms.Form):
    domain = forms.CharField(
        label=_("Add a domain"),
        max_length=255,
        required=False,
        help_text=_("Several domains of one website go on the same website entry."),
    )


class ServiceNumberForm(forms.Form):
    number = forms.CharField(label=_("Service number"), max_length=40)


class IcpPasswordForm(forms.Form):
    icp_password = forms.CharField(
        label=_("ICP filing password"),
        max_length=64,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Issued by the administration when the subject was filed."),
    )
