"""allauth's pages in the portal's layout, in Chinese by default (read as a browser would get them)."""

import re

import pytest
from django.urls import reverse

from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


def _assert_portal_page(response, heading):
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert 'class="site-header"' in html  # templates/base.html
    assert 'class="card card-narrow"' in html
    assert re.search(rf"<h1>\s*{heading}\s*</h1>", html), heading
    return html


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "登录"),
        ("account_signup", "注册"),
        ("account_reset_password", "密码重置"),
        ("account_email_verification_sent", "验证您的Email地址"),
    ],
)
def test_entrance_pages_are_chinese_in_the_portal_layout(client, url_name, heading):
    _assert_portal_page(client.get(reverse(url_name)), heading)


def test_form_fields_carry_the_portal_label_hint_and_error_markup(client):
    html = client.post(reverse("account_signup"), {"email": "not-an-address"}).content.decode()
    assert 'class="error-summary"' in html
    assert 'class="form-group form-group-error required" id="group-id_email"' in html
    assert '<label class="label" for="id_password1">' in html
    assert 'class="hint" id="id_password1_helptext"' in html  # the password rules
    assert 'class="error-message"' in html
    assert '<button type="submit" class="button">' in html


def test_the_second_factor_page_at_sign_in_is_chinese_in_the_portal_layout(client, reviewer_with_totp):
    sign_in(client, reviewer_with_totp.email)
    html = _assert_portal_page(client.get(reverse("mfa_authenticate")), "双因素身份认证")
    assert 'name="code"' in html
    assert 'class="button button-secondary"' in html  # cancel


def test_the_authenticator_set_up_page_is_chinese_in_the_portal_layout_and_tells_staff_why(client, reviewer):
    sign_in(client, reviewer.email)
    html = _assert_portal_page(client.get(reverse("mfa_activate_totp")), "激活身份验证器应用")
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, served inline (CSP allows data: images)
    assert 'class="message message-warning"' in html


def test_the_two_factor_overview_shows_each_method_as_a_card(client, applicant):
    sign_in(client, applicant.email)
    html = client.get(reverse("mfa_index")).content.decode()
    assert '<section class="card">' in html
    assert 'class="site-header"' in html
