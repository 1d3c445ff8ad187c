"""GET /regions/children/: the options of the next select, as HTML for htmx or as JSON."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/regions/children/"


def test_the_url_is_named_regions_children():
    assert reverse("regions:children") == URL


def test_options_of_a_province_start_with_an_empty_choice_and_list_its_cities(client):
    response = client.get(URL, {"parent": "440000", "field": "city"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.startswith('<option value="">')  # the empty choice; its text follows the language (below)
    assert '<option value="441900">东莞市</option>' in html
    assert '<option value="440300">深圳市</option>' in html
    assert html.count("<option") == 1 + 21


def test_beijing_gives_its_shixiaqu_and_that_gives_dongcheng(client):
    assert '<option value="110100">市辖区</option>' in client.get(URL, {"parent": "110000"}).content.decode()
    assert '<option value="110101">东城区</option>' in client.get(URL, {"parent": "110100"}).content.decode()


def test_htmx_sends_the_parent_under_the_selects_own_name(client):
    response = client.get(URL, {"field": "city", "parent_from": "province", "province": "420000"})
    html = response.content.decode()
    assert '<option value="429000">省直辖县级行政区划</option>' in html


def test_a_changed_province_also_empties_the_district_select_out_of_band(client):
    html = client.get(URL, {"parent": "420000", "clear": "id_district"}).content.decode()
    assert '<select id="id_district" hx-swap-oob="innerHTML"><option value="">' in html


def test_a_clear_target_that_is_not_an_element_id_is_ignored(client):
    html = client.get(URL, {"parent": "420000", "clear": '"><script>'}).content.decode()
    assert "hx-swap-oob" not in html and "<script>" not in html


def test_a_city_without_districts_gives_only_the_empty_option(client):
    response = client.get(URL, {"parent": "441900"})
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 1


def test_no_parent_gives_only_the_empty_option(client):
    response = client.get(URL, {"parent": "", "field": "city"})
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 1


@pytest.mark.parametrize("code", ["999999", "11", "abcdef", "1101011"])
def test_an_unknown_or_malformed_parent_is_not_found(client, code):
    assert client.get(URL, {"parent": code}).status_code == 404
    assert client.get(URL, {"parent": code, "format": "json"}).status_code == 404


def test_json_when_asked_with_the_accept_header(client):
    response = client.get(URL, {"parent": "440000", "field": "city"}, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    data = response.json()
    assert data["parent"] == {"code": "440000", "name": "广东省"}
    assert data["field"] == "city"
    by_code = {option["code"]: option for option in data["options"]}
    assert by_code["441900"] == {"code": "441900", "name": "东莞市", "level": "prefecture", "final": True}
    assert by_code["440300"]["final"] is False
    assert len(data["options"]) == 21


def test_json_when_asked_with_format_json(client):
    data = client.get(URL, {"parent": "429000", "format": "json"}).json()
    assert [o["name"] for o in data["options"]] == ["仙桃市", "潜江市", "天门市", "神农架林区"]
    assert all(o["final"] and o["level"] == "county" for o in data["options"])


def test_a_browser_accept_header_gets_html(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(URL, {"parent": "110000"}, headers={"accept": accept})
    assert response["Content-Type"].startswith("text/html")


def test_the_placeholder_follows_the_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(URL, {"parent": "110100"}).content.decode()
    assert html.startswith('<option value="">Choose a district or county</option>')


def test_only_get_is_allowed(client):
    assert client.post(URL, {"parent": "110000"}).status_code == 405
