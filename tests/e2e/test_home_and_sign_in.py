import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.constants import Role

PASSWORD = "Browser-Test-Pass-2026"


@pytest.fixture
def applicant(transactional_db):
    user = get_user_model().objects.create_user(email="wang.fang@example.com", password=PASSWORD, full_name="王芳")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name=Role.APPLICANT.value))
    return user


def test_home_page_is_chinese_and_served_with_its_own_assets(page, shot, live_server, transactional_db):
    failed_assets = []
    page.on("requestfailed", lambda request: failed_assets.append(request.url))
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("link", name="登录").first.is_visible()
    # The stylesheet applied: the navigation bar carries the brand's bottom border.
    border = page.eval_on_selector(".nav-bar", "el => getComputedStyle(el).borderBottomStyle")
    assert border == "solid"
    assert page.evaluate("typeof htmx") == "object", "htmx is served by the project"
    shot("home")
    assert not failed_assets, failed_assets


def test_a_demo_applicant_signs_in_and_out(page, shot, applicant):
    page.goto("/")
    page.get_by_role("link", name="登录").first.click()
    page.wait_for_url("**/accounts/login/**")
    shot("sign-in-form")
    page.locator("input[name=login]").fill(applicant.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    assert page.locator(".user-name").inner_text() == "王芳"
    shot("signed-in")
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    if "/accounts/logout" in page.url:  # allauth asks to confirm
        page.locator("main form button[type=submit]").click()
    assert page.get_by_role("link", name="登录").first.is_visible()


def test_switching_the_language_to_english(page, shot, transactional_db):
    page.goto("/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Sign in").first.is_visible()
    shot("home-english")
