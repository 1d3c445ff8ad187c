from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)
    email_on = forms.MultipleChoiceField(
        label=_("E-mail me about"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, optional_events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_on"].choices = [(e.key, e.label) for e in optional_events]
