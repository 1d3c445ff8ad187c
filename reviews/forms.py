"""The back office's forms: queue filters, the decisions, the call note, reassignment. They check input only; the
services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import PlainSelect
from filings.constants import OrderType

from .constants import SlaState
from .reasons import ChosenReason
from .selectors.queues import AGE_CHOICES, QueueFilters


class QueueFilterForm(forms.Form):
    """GET filters of a queue page. Choices for provinces and reviewers are passed in (the selectors cache them).

    The reviewer filter takes any user id: its ``<select>`` offers the reviewers, but checking a value against
    1 600 of them bought nothing (another id only finds no orders). Every ``<select>`` renders with ``PlainSelect``
    (docs/performance.md)."""

    province = forms.ChoiceField(label=_("Province"), required=False, widget=PlainSelect)
    order_type = forms.ChoiceField(
        label=_("Filing type"), required=False, choices=[("", _("All types")), *OrderType.choices], widget=PlainSelect
    )
    age = forms.ChoiceField(
        label=_("Waiting"),
        required=False,
        choices=[("", _("Any time")), *((key, label) for key, (_delta, label) in AGE_CHOICES.items())],
        widget=PlainSelect,
    )
    sla = forms.ChoiceField(
        label=_("Due"), required=False, choices=[("", _("Any")), *SlaState.choices], widget=PlainSelect
    )
    assignee = forms.RegexField(
        label=_("Reviewer"), required=False, regex=r"^(none|me|[0-9]{1,18})$", widget=PlainSelect
    )

    def __init__(self, *args, provinces=(), reviewer_options="", **kwargs):
        """``provinces``: ``(code, name)`` pairs (``selectors.queues.province_choices``); ``reviewer_options``: the
        reviewers' ``<option>`` markup (``selectors.queues.reviewer_options``)."""
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        assignee = self.fields["assignee"].widget
        assignee.choices = [("", _("Anyone or nobody")), ("none", _("Not claimed")), ("me", _("Claimed by me"))]
        assignee.more_options = reviewer_options

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
