"""开始备案 / 验证备案类型 end to end through the test client: the form, the no-JavaScript refreshes, the detected
type, the draft it opens, and refusals beside their fields."""

import contextlib
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from filings.constants import OrderStatus, OrderType
from filings.models import FilingOrder, OrderEvent
from filings.services.drafts import order_create_draft
from filings.views.start import SESSION_KEY
from tests.factories import UserFactory
from tests.miit import registry

pytestmark = pytest.mark.django_db

START = "/filing/start/"
RESULT = "/filing/start/result/"


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(number, domain, **overrides):
    data = {
        "province": "110000",
        "city": "110100",
        "district": "110101",
        "nature": "enterprise",
        "certificate_type": "business_licence",
        "certificate_number": number,
        "domain": domain,
        "captcha_0": "any-key",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def draft_urls(order):
    urls = set()
    for name in ("filings:wizard", "filings:order_detail", "filings:start_created"):
        with contextlib.suppress(NoReverseMatch):
            urls.add(reverse(name, args=[order.number]))
    return urls


def options(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select name="{select_name}".*?</select>', html, re.S)
    assert select, f"no select {select_name}"
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def test_the_start_page_needs_sign_in(client):
    response = client.get(START)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_first_page_asks_what_the_seed_asks(signed_in):
    response = signed_in.get(START)
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Subject region",
        "Subject nature",
        "Subject certificate type",
        "Subject certificate number",
        "Website domain",
        "Verification code",
        "Verify filing type",
    ):
        assert label in html
    for name in ("province", "city", "district", "nature", "certificate_type", "certificate_number", "domain"):
        assert f'name="{name}"' in html
    assert 'name="captcha_1"' in html and "/captcha/image/" in html
    assert "110000" in options(html, "province")


def test_the_page_is_chinese_by_default(client, user):
    client.force_login(user)
    html = client.get(START).content.decode()
    assert 'lang="zh-CN"' in html


def test_choosing_a_nature_without_javascript_lists_only_its_certificate_types(signed_in):
    response = signed_in.post(START, {"nature": "individual", "refresh": "certificate_types"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" not in html
    types = options(html, "certificate_type")
    assert "resident_id" in types and "passport" in types
    assert "business_licence" not in types


def test_a_nature_with_one_certificate_type_has_it_chosen(signed_in):
    html = signed_in.post(START, {"nature": "enterprise", "refresh": "1"}).content.decode()
    assert options(html, "certificate_type") == ["", "business_licence"]
    assert re.search(r'<option value="business_licence" selected', html)


def test_htmx_fetches_the_certificate_types_of_a_nature(signed_in):
    response = signed_in.get(reverse("filings:start_certificate_types"), {"nature": "law_firm"}, HTTP_HX_REQUEST="true")
    assert re.findall(r'value="([^"]*)"', response.content.decode()) == ["", "law_firm_licence"]


def test_the_region_cascade_fills_without_javascript(signed_in):
    response = signed_in.post(START, {"province": "110000", "region_refresh": "1"})
    html = response.content.decode()
    assert "error-summary" not in html
    assert "110100" in options(html, "city")


def test_a_wrong_captcha_is_refused_and_nothing_is_detected(signed_in):
    response = signed_in.post(START, form_data(registry.credit_code(), "new-site.cn", captcha_1="WRONG"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The verification code is wrong" in html
    assert SESSION_KEY not in signed_in.session


def test_detected_type_is_shown_and_the_draft_is_created_with_its_event(signed_in, user):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, name="北京页面测试有限公司", websites=(("theirs.cn", False),))
    response = signed_in.post(START, form_data(number, "www.new-page.cn"))
    assert response.status_code == 302
    assert response.url == RESULT

    result = signed_in.get(RESULT)
    html = result.content.decode()
    assert result.status_code == 200
    assert 'data-order-type="add_website_new_user"' in html
    assert "Your filing type is: Add website (new user)" in html
    assert "What happens next" in html
    assert "北京页面测试有限公司" in html
    assert "new-page.cn" in html
    assert not FilingOrder.objects.filter(applicant=user).exists()

    started = signed_in.post(RESULT)
    order = FilingOrder.objects.get(applicant=user)
    assert started.status_code == 302
    assert started.url in draft_urls(order)
    assert order.order_type == OrderType.ADD_WEBSITE_NEW_USER
    assert order.status == OrderStatus.DRAFT
    assert order.subject_certificate_number == number
    assert order.subject_application.district_id == "110101"
    assert [d.ascii_name for w in order.websites.all() for d in w.domains.all()] == ["new-page.cn"]
    event = OrderEvent.objects.get(order=order)
    assert (event.action, event.to_status, event.actor) == ("create", OrderStatus.DRAFT, user)
    assert SESSION_KEY not in signed_in.session


def test_starting_twice_does_not_open_a_second_order(signed_in, user):
    number = registry.credit_code()
    signed_in.post(START, form_data(number, "once.cn"))
    signed_in.post(RESULT)
    session = signed_in.session
    session[SESSION_KEY] = {k: v for k, v in form_data(number, "twice.cn").items() if not k.startswith("captcha")}
    session.save()
    response = signed_in.post(RESULT, follow=True)
    assert FilingOrder.objects.filter(applicant=user).count() == 1
    assert "already has an order in process" in response.content.decode()


def test_a_refusal_is_shown_beside_its_field_and_in_the_summary(signed_in):
    registry.registry_subject(websites=(("taken-page.cn", False),))
    response = signed_in.post(START, form_data(registry.credit_code(), "taken-page.cn"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_domain"' in html
    beside = re.search(r'<p class="error-message" id="id_domain-error">(.*?)</p>', html, re.S)
    assert beside and "already filed under another subject" in beside.group(1)
    assert SESSION_KEY not in signed_in.session


def test_a_region_refusal_is_shown_beside_the_province(signed_in):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, province_code="310000")
    html = signed_in.post(START, form_data(number, "region-page.cn")).content.decode()
    assert re.search(r'id="id_province-error">.*?filed in 上海市', html, re.S)


def test_another_accounts_subject_is_refused(signed_in):
    number = registry.credit_code()
    registry.portal_subject(owner=UserFactory(), certificate_number=number, domains=("someone.cn",))
    html = signed_in.post(START, form_data(number, "mine-now.cn")).content.decode()
    beside = re.search(r'id="id_certificate_number-error">(.*?)</p>', html, re.S)
    assert beside and "sign in with that account" in beside.group(1)
    assert not FilingOrder.objects.exists()


def test_the_result_is_checked_again_before_the_draft_opens(signed_in, user):
    number = registry.credit_code()
    signed_in.post(START, form_data(number, "race.cn"))
    order_create_draft(
        applicant=UserFactory(),
        order_type=OrderType.FIRST_FILING,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=number,
    )
    response = signed_in.post(RESULT, follow=True)
    assert "held by another account" in response.content.decode()
    assert not FilingOrder.objects.filter(applicant=user).exists()


def test_the_result_page_without_a_detection_goes_back_to_the_start(signed_in):
    response = signed_in.get(RESULT)
    assert response.status_code == 302 and response.url == START


def test_a_claim_offers_to_upload_certificates(signed_in):
    number = registry.resident_id()
    record = registry.legacy("claim-page.cn", certificate_number=number)
    signed_in.post(START, form_data(number, "claim-page.cn", nature="individual", certificate_type="resident_id"))
    html = signed_in.get(RESULT).content.decode()
    assert 'data-order-type="claim"' in html
    assert record.icp_number in html
    assert "Upload certificates and claim the filing" in html


def test_domain_registration_warnings_are_shown_with_the_type(signed_in):
    registry.registration(
        "lapsed.cn",
        holder_name="别人",
        holder_certificate_type="business_licence",
        holder_certificate_number=registry.credit_code(),
        expires_on=date(2020, 1, 1),
    )
    signed_in.post(START, form_data(registry.credit_code(), "lapsed.cn"))
    html = signed_in.get(RESULT).content.decode()
    assert 'data-order-type="first_filing"' in html
    assert 'data-code="expired"' in html and 'data-code="holder_mismatch"' in html


def test_the_placeholder_page_shows_only_the_applicants_own_order(signed_in, user, client):
    mine = order_create_draft(
        applicant=user,
        order_type=OrderType.FIRST_FILING,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=registry.credit_code(),
    )
    theirs = order_create_draft(
        applicant=UserFactory(),
        order_type=OrderType.FIRST_FILING,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=registry.credit_code(),
    )
    assert signed_in.get(reverse("filings:start_created", args=[mine.number])).status_code == 200
    assert signed_in.get(reverse("filings:start_created", args=[theirs.number])).status_code == 404
