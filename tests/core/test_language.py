import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_in_chinese_by_default_whatever_the_browser_asks(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-CN">' in page
    assert "首页" in page


def test_switching_to_english_lasts_for_the_browser_session(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert not cookie["max-age"], "a session cookie: it ends when the browser closes"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Home" in page
    assert "首页" not in page


def test_switching_back_to_chinese(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "首页" in client.get(reverse("home")).content.decode()


def test_an_unknown_language_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert "首页" in client.get(reverse("home")).content.decode()
