"""The back office's forms: queue filters, the decisions, the call note, reassignment. They check input only; the
services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.constants import OrderType

from .constants import SlaState
from .reasons import ChosenReason
from .selectors.queues import AGE_CHOICES, QueueFilters


class QueueFilterForm(forms.Form):
    """GET filters of a queue page. Choices for provinces and reviewers are passed in (read once per page)."""

    province = forms.ChoiceField(label=_("Province"), required=False)
    order_type = forms.ChoiceField(
        label=_("Filing type"), required=False, choices=[("", _("All types")), *OrderType.choices]
    )
    age = forms.ChoiceField(
        label=_("Waiting"),
        required=False,
        choices=[("", _("Any time")), *((key, label) for key, (_delta, label) in AGE_CHOICES.items())],
    )
    sla = forms.ChoiceField(label=_("Due"), required=False, choices=[("", _("Any")), *SlaState.choices])
    assignee = forms.ChoiceField(label=_("Reviewer"), required=False)

    def __init__(self, *args, provinces=(), reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *((p.code, p.name) for p in provinces)]
        self.fields["assignee"].choices = [
            ("", _("Anyone or nobody")),
            ("none", _("Not claimed")),
            ("me", _("Claimed by me")),
            *((str(user.pk), user.get_short_name()) for user in reviewers),
        ]

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        return QueueFilters(**{name: self.cleaned_data.get(name) or "" for name in self.fields})


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the history (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def chosen_reasons(data) -> list[ChosenReason]:
    """The reasons ticked on a rejection form (``reason`` values), each with its note (``note:<value>``)."""
    chosen = []
    for value in data.getlist("reason"):
        parsed = ChosenReason.parse(value, (data.get(f"note:{value}") or "")[:300])
        if parsed is not None:
            chosen.append(parsed)
    return chosen


class CallForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Result of the call"),
        choices=[("yes", _("Reached")), ("no", _("Not reached"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Call note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Give to"), coerce=int)

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [(user.pk, f"{user.get_short_name()} ({user.email})") for user in reviewers]
