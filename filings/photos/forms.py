"""The photo step's forms. They only collect input; the services judge it, and the views put a refusal
(``PhotoRefused``) beside the field it names (``add_refusal``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regions.forms import RegionCascadeMixin

ACCEPT = "image/jpeg,image/png,image/gif,.jpg,.jpeg,.png,.gif"


class RefusalMixin:
    def add_refusal(self, refusal) -> None:
        field = refusal.field if refusal.field in self.fields else None
        self.add_error(field, ValidationError(refusal.message, code=refusal.code))


def photo_field(**kwargs) -> forms.FileField:
    return forms.FileField(
        label=kwargs.pop("label", _("Photo")),
        allow_empty_file=True,  # the service says why an empty file is refused
        help_text=_("JPG, PNG or GIF, at most 4 MB, at least 600 × 800 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose the photo to upload.")},
        **kwargs,
    )


class BackdropAddressForm(RefusalMixin, RegionCascadeMixin, forms.Form):
    """第1步、请您提供收费幕布邮寄地址: a mailing address in mainland China (the cascade offers mainland provinces)."""

    field_order = ["recipient", "mobile", "province", "city", "district", "street"]

    recipient = forms.CharField(
        label=_("Recipient"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = forms.CharField(
        label=_("Recipient's mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
    )
    street = forms.CharField(
        label=_("Street address"),
        max_length=200,
        help_text=_("Street, number, building and room, e.g. 中关村大街1号3号楼502室."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


class PhotoUploadForm(RefusalMixin, forms.Form):
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    file = photo_field()


class PersonForm(forms.Form):
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PictureCodeForm(RefusalMixin, forms.Form):
    code = forms.CharField(
        label=_("Picture code"),
        max_length=20,
        help_text=_("The code the app showed after the photo was taken."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class PrincipalPhotoForm(RefusalMixin, forms.Form):
    file = photo_field(label=_("Your photo"))
    backdrop_confirmed = forms.BooleanField(
        label=_("I took this photo of myself in front of the official backdrop, as the instructions say."),
        required=False,
    )


class AppVerifyForm(RefusalMixin, forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number of the website principal"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
    )
    id_last6 = forms.CharField(
        label=_("Last six characters of the ID number"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


LOCATIONS = (
    ("shanghai", _("Shanghai (simulated location)")),
    ("elsewhere", _("Outside Shanghai (simulated location)")),
)


class AppPhotoForm(RefusalMixin, forms.Form):
    location = forms.ChoiceField(
        label=_("Where the phone is"),
        choices=LOCATIONS,
        initial="shanghai",
        help_text=_("The app asks for the phone's location: the photo must be taken in Shanghai."),
    )
    file = photo_field(label=_("Photo holding the ID card"))
