"""PlainSelect renders what Django's Select renders for flat choices; CountedPaginator pages with the count it is
given, and a count a little behind the list does not hide rows."""

import pytest
from django import forms

from core.paging import CountedPaginator
from core.widgets import PlainSelect, option_markup


def test_plain_select_escapes_and_marks_the_chosen_value():
    widget = PlainSelect(attrs={"class": "x"}, choices=[("", "Any"), ("a&b", "<b>A</b>"), (3, "三")])
    html = widget.render("pick", "a&b", attrs={"id": "id_pick"})
    assert html.startswith('<select class="x" id="id_pick" name="pick">')
    assert '<option value="">Any</option>' in html
    assert '<option value="a&amp;b" selected>&lt;b&gt;A&lt;/b&gt;</option>' in html
    assert '<option value="3">三</option>' in html
    assert html.endswith("</select>")


def test_plain_select_in_a_form_offers_the_same_options_as_djangos():
    class Plain(forms.Form):
        pick = forms.ChoiceField(choices=[("", "Any"), ("1", "One"), ("2", "Two")], required=False, widget=PlainSelect)

    class Stock(forms.Form):
        pick = forms.ChoiceField(choices=[("", "Any"), ("1", "One"), ("2", "Two")], required=False)

    def options(html):
        return [line.strip() for line in html.splitlines() if line.strip().startswith("<option")]

    plain, stock = str(Plain({"pick": "2"})["pick"]), str(Stock({"pick": "2"})["pick"])
    assert options(plain) == options(stock)
    assert Plain({"pick": "2"}).is_valid() and not Plain({"pick": "9"}).is_valid()


def test_options_kept_as_markup_render_as_the_same_choices_would():
    choices = [("", "Anyone"), ("me", "Me")]
    more = [(1, "<i>One</i>"), (12, "Twelve & co"), (2, "Two")]
    kept = PlainSelect(choices=choices)
    kept.more_options = option_markup(more)
    listed = PlainSelect(choices=[*choices, *more])
    for value in ("", "me", "1", "12", "2", "99", None):
        assert kept.render("who", value) == listed.render("who", value), value
    assert kept.render("who", "1").count(" selected") == 1  # "1" is not "12"
    assert '<option value="12">Twelve &amp; co</option>' in kept.more_options


def test_a_counted_paginator_pages_with_the_count_it_is_given():
    paginator = CountedPaginator(list(range(12)), 5, count=12)
    assert paginator.num_pages == 3
    assert list(paginator.get_page(3).object_list) == [10, 11]


def test_a_count_behind_the_list_does_not_hide_rows():
    paginator = CountedPaginator(list(range(12)), 5, count=2)
    assert list(paginator.get_page(1).object_list) == [0, 1, 2, 3, 4]


def test_a_count_given_as_a_function_is_asked_once_and_not_for_a_page_number_that_is_no_number():
    from django.core.paginator import PageNotAnInteger

    asked = []

    def count():
        asked.append(1)
        return 12

    with pytest.raises(PageNotAnInteger):
        CountedPaginator(list(range(12)), 5, count=count).page("x")
    assert asked == []
    paginator = CountedPaginator(list(range(12)), 5, count=count)
    assert paginator.num_pages == 3 and list(paginator.page(3).object_list) == [10, 11]
    assert asked == [1]
