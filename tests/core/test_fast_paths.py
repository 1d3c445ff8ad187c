"""The cheap stand-ins the busiest pages use in their loops give exactly what Django's own tags give."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from core.links import link_maker

WHEN = datetime(2026, 1, 5, 23, 30, tzinfo=ZoneInfo("UTC"))  # already the next day in Beijing


def _render(source: str, **context) -> str:
    return engines["django"].from_string("{% load portal %}" + source).render(context)


@pytest.mark.parametrize("format_string", ["Y-m-d H:i", "Y-m-d", "m-d H:i", "m-d", "H:i"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_stamp_writes_the_same_local_time_as_the_date_filter(format_string, language):
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert _render(f'{{{{ when|stamp:"{format_string}" }}}}', when=WHEN) == _render(
            f'{{{{ when|date:"{format_string}" }}}}', when=WHEN
        )
    assert _render("{{ when|stamp }}", when=WHEN) == "2026-01-06 07:30"


def test_stamp_of_nothing_is_empty_and_of_a_day_is_that_day():
    assert _render("{{ when|stamp }}", when=None) == ""
    assert _render('{{ when|stamp:"Y-m-d" }}', when=date(2026, 3, 1)) == "2026-03-01"


def test_stamp_refuses_a_format_it_does_not_know_rather_than_guess():
    with pytest.raises(KeyError):
        _render('{{ when|stamp:"D, d M" }}', when=WHEN)


@pytest.mark.parametrize("value", ["ICP2026000123", "B77", "a b+c", "备案-1"])
def test_a_link_maker_gives_what_reverse_gives(value):
    assert link_maker("filings:order_detail")(value) == reverse("filings:order_detail", args=[value])


def test_a_link_maker_follows_the_script_prefix_and_refuses_what_reverse_would_not_match():
    set_script_prefix("/portal/")
    try:
        assert link_maker("reviews:order")("B1") == "/portal/review/orders/B1/"
    finally:
        set_script_prefix("/")
    with pytest.raises(ValueError):
        link_maker("reviews:order")("a/b")


def test_the_status_badge_writes_the_status_as_its_colour_and_escapes_the_label():
    html = _render("{% status_badge status label %}", status="approved", label="<已通过>")
    assert html == '<span class="badge badge-approved" data-status="approved">&lt;已通过&gt;</span>'
