"""Form widgets of our own."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe


class PlainSelect(forms.Select):
    """A ``<select>`` of flat ``(value, label)`` choices, rendered in Python.

    Django's ``Select`` renders a template per option: with the 1 600 reviewers of a large back office, the queue
    page's reviewer filter alone took ~40 ms (docs/performance.md); this renders the same markup in ~0.5 ms. The
    choices are kept as given (no nested groups), without Django's normalisation of every pair.

    ``more_options``: markup of further options, already rendered (``option_markup``) and kept in the cache by the
    caller, after the choices; a chosen value among them is marked by rewriting its option's opening tag. A long list
    that changes rarely (the reviewers) is then neither read back as pairs nor escaped again at each page
    (docs/performance.md, fix 31)."""

    more_options = ""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = list(value)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attributes = flatatt({**self.build_attrs(self.attrs, attrs), "name": name})
        options, matched = [], set()
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            if selected:
                matched.add(option_value)
            options.append(f'<option value="{escape(option_value)}"{selected}>{escape(str(label))}</option>')
        if self.more_options:
            more = self.more_options
            for option_value in chosen - matched:
                opening = f'<option value="{escape(option_value)}">'
                more = more.replace(opening, f'<option value="{escape(option_value)}" selected>', 1)
            options.append(more)
        return mark_safe(f"<select{attributes}>\n" + "\n".join(options) + "\n</select>")  # noqa: S308 (escaped above)


def option_markup(choices) -> str:
    """``<option>`` lines of ``(value, label)`` pairs, escaped, none selected: ``PlainSelect.more_options``."""
    return "\n".join(f'<option value="{escape(str(value))}">{escape(str(label))}</option>' for value, label in choices)


# --- Django's own markup for a text input and a <select>, written in Python ----------------------------------------
# Django renders each widget through its form templates (``django/forms/widgets/input.html``, ``select.html`` and an
# included ``select_option.html`` per option): on the public query page, a page for anyone that the benchmark loads,
# the two fields cost more than the rest of the form. These keep the widgets' contexts (value, attributes, ``aria-*``
# set by the bound field, selected options) and write the same characters the templates would
# (tests/core/test_markup_widgets.py compares them with Django's). They keep Django's class names, so a bound field's
# ``widget_type`` is still ``text`` or ``select``.


def _text(value) -> str:
    # ``{{ value|stringformat:'s' }}``: "%s" of the value, still safe if it was safe, then escaped if it is not.
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 - it was safe


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class TextInput(forms.TextInput):
    """Django's ``TextInput`` markup, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        return mark_safe(  # noqa: S308 - every part escaped above
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value}{_attrs(widget['attrs'])}>"
        )


class Select(forms.Select):
    """Django's ``Select`` markup, option groups included, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above
