import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.constants import Role
from core.navigation import NavItem, _nav, _nav_html, nav_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_links():
    """The links are reversed once per process; these tests change what reverse() and the items are."""
    _nav.cache_clear()
    _nav_html.cache_clear()
    yield
    _nav.cache_clear()
    _nav_html.cache_clear()


def _user(email, *roles, **extra):
    user = get_user_model().objects.create_user(email=email, password="x-unused-x", **extra)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


@pytest.fixture
def fake_pages(monkeypatch):
    """Pretend every page exists so the test sees the audience rules, not which apps are built yet."""
    monkeypatch.setattr("core.navigation.reverse", lambda name: f"/{name}/")


def _names(user, demo_mode=True):
    return {item["url_name"] for item in nav_for(user, demo_mode=demo_mode)}


def test_applicants_see_their_filing_pages_and_no_back_office(fake_pages):
    names = _names(_user("a@example.com", Role.APPLICANT))
    assert {"filings:start", "filings:order_list", "websites:instance_list"} <= names
    assert not names & {"reviews:queues", "reviews:dashboard", "admin:index"}


def test_reviewers_see_the_queues_but_not_the_dashboard_or_filing_pages(fake_pages):
    names = _names(_user("r@example.com", Role.REVIEWER))
    assert "reviews:queues" in names
    assert not names & {"reviews:dashboard", "filings:start", "admin:index"}


def test_supervisors_also_see_the_dashboard(fake_pages):
    assert {"reviews:queues", "reviews:dashboard"} <= _names(_user("s@example.com", Role.SUPERVISOR))


def test_administrators_see_the_admin(fake_pages):
    assert "admin:index" in _names(_user("ad@example.com", Role.ADMINISTRATOR, is_staff=True))


def test_anonymous_visitors_see_only_public_pages(fake_pages):
    from django.contrib.auth.models import AnonymousUser

    names = _names(AnonymousUser())
    assert names <= {"home", "miit:public_query", "core:demo_phone"}


def test_demo_phone_link_is_hidden_outside_demo_mode(fake_pages):
    user = _user("a2@example.com", Role.APPLICANT)
    assert "core:demo_phone" in _names(user, demo_mode=True)
    assert "core:demo_phone" not in _names(user, demo_mode=False)


def test_pages_not_built_yet_are_left_out_rather_than_breaking_the_header(monkeypatch):
    monkeypatch.setattr("core.navigation.NAV_ITEMS", (NavItem("Nowhere", "no:such_page", ("anonymous",)),))
    from django.contrib.auth.models import AnonymousUser

    assert nav_for(AnonymousUser(), demo_mode=True) == ()


def test_links_follow_the_script_prefix_of_a_portal_mounted_under_a_path():
    from django.contrib.auth.models import AnonymousUser
    from django.urls import set_script_prefix

    set_script_prefix("/portal/")
    try:
        mounted = {item["url_name"]: item["url"] for item in nav_for(AnonymousUser(), demo_mode=True)}
    finally:
        set_script_prefix("/")
    at_root = {item["url_name"]: item["url"] for item in nav_for(AnonymousUser(), demo_mode=True)}
    assert mounted["home"] == "/portal/" and at_root["home"] == "/"


def test_the_header_marks_the_current_page_and_speaks_the_visitors_language(client):
    from django.urls import reverse

    user = _user("nav@example.com", Role.APPLICANT)
    client.force_login(user)
    orders = client.get(reverse("filings:order_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<a href="{reverse("filings:order_list")}" aria-current="page">我的备案订单</a>' in orders
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<a href="{reverse("filings:order_list")}">我的备案订单</a>' in home
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("filings:order_list")).content.decode()
    assert f'<a href="{reverse("filings:order_list")}" aria-current="page">My orders</a>' in english
