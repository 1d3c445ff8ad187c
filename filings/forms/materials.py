"""The upload form of 上传备案资料. It only collects input: the checks on the file are the service's
(``filings.materials.material_upload``), whose refusals the view puts beside the field they concern."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..constants import MaterialKind

ACCEPT = "image/jpeg,image/png,image/gif,.jpg,.jpeg,.png,.gif"


class MaterialUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=MaterialKind.choices)
    file = forms.FileField(
        label=_("File"),
        # The service says why an empty file is refused, in the same words as everywhere else.
        allow_empty_file=True,
        help_text=_("A JPG, PNG or GIF photo or colour scan of the original, at most 4 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose a file to upload.")},
    )
    person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    website = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def add_refusal(self, refusal) -> None:
        """Put a service refusal (``MaterialRefused``) beside its field, keeping its code."""
        # Person and website are hidden inputs: a refusal about them is shown above the form.
        field = refusal.field if refusal.field in ("kind", "file") else None
        self.add_error(field, ValidationError(refusal.message, code=refusal.code))
