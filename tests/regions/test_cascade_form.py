"""RegionCascadeMixin: province → city → district selects that check each level lies in the one above."""

import re

import pytest
from django import forms
from django.utils import translation

from regions.forms import REFRESH_FIELD, RegionCascade, RegionCascadeMixin

from .urls import AddressForm

pytestmark = pytest.mark.django_db

DISTRICT_NOT_IN_CITY_EN = "The district or county you chose is not in the city you chose."
DISTRICT_NOT_IN_CITY_ZH = "所选区县不在所选城市内。"


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="(\d*)"', select.group(0))


def test_a_county_in_its_city_in_its_province_is_accepted():
    form = AddressForm({"province": "110000", "city": "110100", "district": "110101"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].name == "东城区"
    assert form.cleaned_data["province"].name == "北京市"
    assert form.cleaned_data["city"].code == "110100"


def test_a_city_without_districts_is_a_complete_answer():
    form = AddressForm({"province": "440000", "city": "441900", "district": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].name == "东莞市"
    assert form.cleaned_data["district"] is None


def test_a_county_governed_by_the_province_is_accepted():
    form = AddressForm({"province": "420000", "city": "429000", "district": "429004"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].name == "仙桃市"


def test_a_district_of_another_city_is_refused_on_the_district_field_in_english():
    with translation.override("en"):
        form = AddressForm({"province": "440000", "city": "440300", "district": "440106"})  # 天河区 is in 广州
        assert not form.is_valid()
        assert form.errors == {"district": [DISTRICT_NOT_IN_CITY_EN]}
    assert form.has_error("district", "invalid_choice")


def test_a_district_of_another_city_is_refused_on_the_district_field_in_chinese():
    with translation.override("zh-hans"):
        if translation.gettext(DISTRICT_NOT_IN_CITY_EN) == DISTRICT_NOT_IN_CITY_EN:
            pytest.skip("the zh_Hans catalogue does not have var/i18n/regions.json merged yet")
        form = AddressForm({"province": "440000", "city": "440300", "district": "440106"})
        assert not form.is_valid()
        assert form.errors == {"district": [DISTRICT_NOT_IN_CITY_ZH]}


def test_a_city_of_another_province_is_refused_on_the_city_field():
    with translation.override("en"):
        form = AddressForm({"province": "110000", "city": "440300", "district": "440305"})
        assert not form.is_valid()
        assert form.errors == {"city": ["The city you chose is not in the province you chose."]}


def test_a_district_given_for_a_city_without_districts_is_refused():
    form = AddressForm({"province": "440000", "city": "441900", "district": "440305"})
    assert not form.is_valid()
    assert list(form.errors) == ["district"]


def test_a_city_with_districts_needs_one():
    with translation.override("en"):
        form = AddressForm({"province": "440000", "city": "440300", "district": ""})
        assert not form.is_valid()
        assert form.errors == {"district": ["Choose a district or county."]}


def test_nothing_chosen_asks_for_province_and_city():
    with translation.override("en"):
        form = AddressForm({"province": "", "city": "", "district": ""})
        assert not form.is_valid()
        assert form.errors == {"province": ["Choose a province."], "city": ["Choose a city."]}


@pytest.mark.parametrize("code", ["810000", "440300", "999999", "x"])
def test_a_province_that_is_not_a_mainland_province_is_refused(code):
    form = AddressForm({"province": code, "city": "", "district": ""})
    assert not form.is_valid()
    assert "province" in form.errors


def test_the_selects_list_the_children_of_what_was_submitted():
    form = AddressForm({"province": "110000", "city": "110100"})
    html = str(form)
    assert len(options(html, "province")) == 1 + 31
    assert options(html, "city") == ["", "110100"]
    assert "110101" in options(html, "district") and len(options(html, "district")) == 1 + 16


def test_the_selects_show_initial_values_from_a_region(region):
    form = AddressForm(initial=RegionCascade().initial_for(region("429004")))
    html = str(form)
    assert options(html, "city")[-1] == "429000"
    assert re.search(r'<option value="429004" selected>仙桃市</option>', html)


def test_the_province_select_fetches_the_cities_with_htmx():
    html = str(AddressForm())
    province = re.search(r'<select name="province"[^>]*>', html).group(0)
    assert 'hx-get="/regions/children/?field=city&amp;parent_from=province&amp;clear=id_district"' in province
    assert 'hx-target="#id_city"' in province and 'hx-trigger="change"' in province
    city = re.search(r'<select name="city"[^>]*>', html).group(0)
    assert 'hx-target="#id_district"' in city


def test_two_cascades_in_one_form_are_checked_separately():
    class TwoAddressForm(RegionCascadeMixin, forms.Form):
        region_cascades = (RegionCascade(), RegionCascade(prefix="mailing_"))

    form = TwoAddressForm(
        {
            "province": "110000",
            "city": "110100",
            "district": "110101",
            "mailing_province": "440000",
            "mailing_city": "440300",
            "mailing_district": "110101",
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["mailing_district"]
    assert form.cleaned_data["region"].code == "110101"


def test_an_optional_cascade_may_be_left_empty():
    class OptionalForm(RegionCascadeMixin, forms.Form):
        region_cascades = (RegionCascade(required=False),)

    form = OptionalForm({"province": "", "city": "", "district": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] is None


# --- through the test client, without JavaScript ------------------------------------------------------------------


@pytest.mark.urls("tests.regions.urls")
def test_posting_only_a_province_shows_the_form_again_with_its_cities(client):
    response = client.post("/test/address/", {"province": "420000"})
    assert response.status_code == 200
    html = response.content.decode()
    cities = options(html, "city")
    assert "420100" in cities and "429000" in cities and len(cities) == 1 + 14
    assert 'id="id_province"' in html and re.search(r'<option value="420000" selected>湖北省</option>', html)


@pytest.mark.urls("tests.regions.urls")
def test_the_refresh_button_fills_the_next_select_without_error_messages(client):
    response = client.post("/test/address/", {"province": "420000", "city": "429000", REFRESH_FIELD: "1"})
    html = response.content.decode()
    assert "error-summary" not in html and "error-message" not in html
    assert options(html, "district") == ["", "429004", "429005", "429006", "429021"]


@pytest.mark.urls("tests.regions.urls")
def test_a_complete_post_is_accepted(client):
    response = client.post("/test/address/", {"province": "460000", "city": "460400"})
    assert response.content.decode() == "chosen 460400"


@pytest.mark.urls("tests.regions.urls")
def test_a_wrong_district_is_shown_beside_the_field_and_in_the_summary(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/test/address/", {"province": "500000", "city": "500100", "district": "500229"})
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_district">District or county: ' + DISTRICT_NOT_IN_CITY_EN + "</a>" in html
    assert 'id="id_district-error"' in html
