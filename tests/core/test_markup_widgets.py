"""core.widgets.TextInput and Select write, in Python, exactly what Django's widget templates write: same characters
for every value, attribute, selected option, group and escape, and for the public query form bound, unbound and in
error."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from core import widgets
from miit.forms import PublicQueryForm

ATTRS = [
    None,
    {"id": "id_x"},
    {"id": "id_x", "required": True, "disabled": False, "maxlength": 100, "aria-invalid": "true"},
    {"class": 'a"b<c>&', "data-safe": mark_safe("<b>"), "data-tuple": (1, 2), "placeholder": "例如 example.cn"},
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "query-me.cn", "<script>\"'&", 42, "  spaced  "])
@pytest.mark.parametrize("widget_attrs", [{}, {"type": "tel"}, {"inputmode": "numeric", "autocomplete": "off"}])
def test_the_text_input_is_djangos(value, attrs, widget_attrs):
    ours, django = widgets.TextInput(attrs=widget_attrs), forms.TextInput(attrs=widget_attrs)
    assert ours.render("q", value, attrs) == django.render("q", value, attrs)


CHOICES = [
    (("domain", "域名"), ("icp_number", "ICP 备案号"), ("subject", "<主办单位>")),
    (("", "---------"), (1, "one"), (2, mark_safe("<i>two</i>"))),
    (("Group", (("a", "A"), ("b", "B"))), ("c", "C")),
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("choices", CHOICES)
@pytest.mark.parametrize("value", [None, "", "subject", "b", 1, "nonsense"])
def test_the_select_is_djangos(choices, value, attrs):
    ours, django = widgets.Select(choices=choices), forms.Select(choices=choices)
    assert ours.render("kind", value, attrs) == django.render("kind", value, attrs)


class DjangoQueryForm(PublicQueryForm):
    kind = forms.ChoiceField(label=PublicQueryForm.base_fields["kind"].label, choices=PublicQueryForm.KINDS)
    q = forms.CharField(label=PublicQueryForm.base_fields["q"].label, max_length=100)


@pytest.mark.parametrize(
    "data",
    [None, {"kind": "subject", "q": "北京<公开>查询"}, {"kind": "nonsense"}, {"kind": "domain", "q": "x" * 101}],
)
def test_the_public_query_form_renders_as_with_djangos_widgets(data):
    ours, django = PublicQueryForm(data, initial={"kind": "domain"}), DjangoQueryForm(data, initial={"kind": "domain"})
    for name in ("kind", "q"):
        assert ours[name].widget_type == django[name].widget_type
        assert str(ours[name]) == str(django[name])
