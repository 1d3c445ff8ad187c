"""开始备案: the first page, whose answers decide the filing type (seed chapter 2, step 1)."""

from captcha.fields import CaptchaField
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions.forms import RegionCascadeMixin
from subjects.constants import NATURE_CERTIFICATE_TYPES, CertificateType, SubjectNature

# A second "show again, judge nothing" button beside the region cascade's: after choosing a nature without
# JavaScript, and for a new CAPTCHA picture (看不清，换一张).
REFRESH_FIELD = "refresh"


def certificate_type_choices(nature: str | None) -> list[tuple[str, str]]:
    """The certificate types a subject of ``nature`` files with, after an empty first option."""
    types = NATURE_CERTIFICATE_TYPES.get(nature or "", ())
    if not types:
        return [("", _("Choose the subject nature first"))]
    return [("", _("Choose the certificate type")), *((t, CertificateType(t).label) for t in types)]


class StartFilingForm(RegionCascadeMixin, forms.Form):
    nature = forms.ChoiceField(
        label=_("Subject nature"),
        choices=[("", _("Choose the subject nature")), *SubjectNature.choices],
        error_messages={"required": _("Choose the nature of the subject."), "invalid_choice": _("Choose a nature.")},
        help_text=_("For a personal website, choose Individual."),
    )
    certificate_type = forms.ChoiceField(
        label=_("Subject certificate type"),
        error_messages={
            "required": _("Choose the type of the subject's certificate."),
            "invalid_choice": _("Choose one of the certificate types listed for this nature."),
        },
    )
    certificate_number = forms.CharField(
        label=_("Subject certificate number"),
        max_length=40,
        error_messages={"required": _("Enter the certificate number as printed on the document.")},
        help_text=_("As printed on the certificate, e.g. the 18-character unified social credit code or ID number."),
    )
    domain = forms.CharField(
        label=_("Website domain"),
        max_length=255,
        error_messages={"required": _("Enter the domain, such as example.com.")},
        help_text=_("The domain without www., e.g. example.com. Enter it as it was filed, if it was."),
    )
    captcha = CaptchaField(
        label=_("Verification code"),
        error_messages={
            "invalid": _("The verification code is wrong. Enter the characters in the new picture."),
            "required": _("Enter the characters in the picture."),
            "incomplete": _("Enter the characters in the picture."),
        },
    )

    field_order = ["province", "city", "district", "nature", "certificate_type", "certificate_number", "domain"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nature = self["nature"].value() or None
        choices = certificate_type_choices(nature)
        field = self.fields["certificate_type"]
        field.choices = choices
        # Exactly one type for this nature (an enterprise: the business licence): chosen for the applicant.
        if len(choices) == 2 and not self["certificate_type"].value():
            field.initial = choices[1][0]
            if self.is_bound:
                self.data = self.data.copy()
                self.data[self.add_prefix("certificate_type")] = choices[1][0]
        self.fields["nature"].widget.attrs.update(
            {
                "hx-get": reverse("filings:start_certificate_types"),
                "hx-trigger": "change",
                "hx-target": f"#{self['certificate_type'].auto_id}",
                "hx-swap": "innerHTML",
            }
        )
        self.fields["certificate_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["domain"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off", "inputmode": "url"}
        )

    def region_refresh_requested(self) -> bool:
        return super().region_refresh_requested() or (self.is_bound and REFRESH_FIELD in self.data)

    def session_data(self) -> dict:
        """What the result page needs to ask again (codes and text only: it goes into the session)."""
        data = self.cleaned_data
        return {
            "province": data["province"].code,
            "city": data["city"].code if data.get("city") else "",
            "district": data["district"].code if data.get("district") else "",
            "nature": data["nature"],
            "certificate_type": data["certificate_type"],
            "certificate_number": data["certificate_number"].strip(),
            "domain": data["domain"].strip(),
        }
