"""The applicant's wizard through the test client: pages save drafts, show the shared validators' findings beside
fields, verify the principal's mobile by code, and keep 提交 disabled until the pre-check is clean."""

import re

import pytest
from django.urls import reverse

from core.models import PhoneMessage
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import DomainApplication, FilingOrder, PersonApplication, WebsiteApplication
from filings.services import order_create_draft
from regions.models import Region
from tests.factories import UserFactory
from websites import services as website_services
from websites.constants import Billing, CloudRegion, ServiceNumberStatus

from .conftest import valid_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client):
    applicant = UserFactory()
    client.force_login(applicant)
    order = order_create_draft(
        applicant=applicant,
        order_type=OrderType.FIRST_FILING,
        province=Region.objects.get(code="110000"),
        city=Region.objects.get(code="110100"),
        district=Region.objects.get(code="110108"),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=valid_uscc("91110108MA01WXRD7"),
        domain=("example.com", "example.com"),
    )
    return order


def _url(name, order, *args):
    return reverse(f"filings:{name}", args=[order.number, *args])


def _service_number(order):
    instance = website_services.instance_buy(
        owner=order.applicant,
        name="web",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    return website_services.service_number_apply(instance_id=instance.pk, actor=order.applicant)


SUBJECT = {
    "subject-name": "北京示例科技有限公司",
    "subject-certificate_address": "北京市海淀区中关村大街1号",
    "subject-mailing_address": "中关村大街1号",
    "subject-investor": "张伟",
    "subject-remarks": "",
    "principal-name": "张伟",
    "principal-certificate_type": "resident_id",
    "principal-certificate_number": "11010519491231002X",
    "principal-mobile": "13800138000",
    "principal-office_phone": "086-010-62345678",
    "principal-emergency_phone": "",
    "principal-email": "zhang.wei@example.com",
}


def test_the_task_list_shows_each_part_and_the_problems_left(client, draft):
    page = client.get(_url("wizard", draft)).content.decode()
    for part in (
        "wizard/service-numbers" if False else "apply/service-numbers/",
        "apply/subject/",
        "apply/websites/0/",
        "apply/materials/",
    ):
        assert part in page
    assert "apply/check/" in page


def test_saving_the_subject_page_keeps_the_draft_and_shows_findings_beside_fields(client, draft):
    data = dict(SUBJECT, **{"principal-certificate_number": "110105194912310021", "action": "save"})
    response = client.post(_url("wizard_subject", draft), data)
    assert response.status_code == 302 and response["Location"].endswith("?checked=1")
    page = client.get(response["Location"]).content.decode()
    draft.refresh_from_db()
    assert draft.subject_application.name == "北京示例科技有限公司"
    assert draft.subject_application.principal.certificate_number == "110105194912310021"
    # The wrong ID check digit is shown beside the field, and in the summary at the top linking to it.
    assert 'id="id_principal-certificate_number-error"' in page
    assert 'href="#id_principal-certificate_number"' in page


def test_the_principals_mobile_is_verified_by_a_code_sent_to_it(client, draft):
    client.post(_url("wizard_subject", draft), dict(SUBJECT, action="send_code"))
    text = PhoneMessage.objects.get(to_number="13800138000")
    code = re.search(r"\d{6}", text.body).group(0)
    person = PersonApplication.objects.get(order=draft)
    assert person.mobile_verified_at is None
    client.post(_url("wizard_subject", draft), dict(SUBJECT, **{"principal-code": code, "action": "save"}))
    person.refresh_from_db()
    assert person.mobile_verified_at is not None
    # Changing the mobile afterwards needs a new verification.
    client.post(_url("wizard_subject", draft), dict(SUBJECT, **{"principal-mobile": "13900139000", "action": "save"}))
    person.refresh_from_db()
    assert person.mobile_verified_at is None


def test_a_wrong_code_is_refused_with_a_message(client, draft):
    client.post(_url("wizard_subject", draft), dict(SUBJECT, action="send_code"))
    response = client.post(
        _url("wizard_subject", draft), dict(SUBJECT, **{"principal-code": "000000", "action": "save"}), follow=True
    )
    assert PersonApplication.objects.get(order=draft).mobile_verified_at is None
    assert "message-error" in response.content.decode()


def test_service_numbers_are_verified_and_bound_and_a_foreign_one_is_refused(client, draft):
    mine = _service_number(draft)
    website = WebsiteApplication.objects.get(order=draft)
    stranger = UserFactory()
    instance = website_services.instance_buy(
        owner=stranger,
        name="x",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=1,
    )
    theirs = website_services.service_number_apply(instance_id=instance.pk, actor=stranger)
    page = client.post(_url("wizard_service_numbers", draft), {f"number-{website.pk}": theirs.number}).content.decode()
    assert "error-message" in page
    client.post(_url("wizard_service_numbers", draft), {f"number-{website.pk}": mine.number})
    website.refresh_from_db()
    mine.refresh_from_db()
    assert website.service_number == mine
    assert mine.status == ServiceNumberStatus.BOUND


def test_adding_domains_normalises_them_and_refuses_bad_ones(client, draft):
    url = _url("wizard_website", draft, 0)
    client.post(url, {"domain": "HTTPS://www.例子.中国/path", "action": "save", "principal_choice": ""})
    assert DomainApplication.objects.filter(website__order=draft, ascii_name="xn--fsqu00a.xn--fiqs8s").exists()
    page = client.post(url, {"domain": "not a domain", "action": "save"}).content.decode()
    assert 'id="id_domain-error"' in page
    client.cookies["django_language"] = "en"
    page = client.post(url, {"domain": "example.com", "action": "save"}).content.decode()
    assert "already in this order" in page


def test_save_and_add_another_website_opens_the_next_website(client, draft):
    response = client.post(_url("wizard_website", draft, 0), {"name": "示例官网", "action": "save_add"})
    assert response["Location"] == _url("wizard_website", draft, 1)
    assert WebsiteApplication.objects.filter(order=draft).count() == 2


def test_a_new_website_principal_can_be_entered_on_the_website_page(client, draft):
    client.post(
        _url("wizard_website", draft, 0),
        {
            "name": "示例官网",
            "principal_choice": "new",
            "new_principal-name": "李娜",
            "new_principal-certificate_type": "resident_id",
            "new_principal-certificate_number": "11010519491231002X",
            "new_principal-mobile": "13700137000",
            "new_principal-office_phone": "086-010-62345679",
            "new_principal-email": "li.na@example.com",
            "action": "save",
        },
    )
    website = WebsiteApplication.objects.get(order=draft)
    assert website.principal.name == "李娜"


def test_the_check_page_lists_problems_with_links_and_keeps_submit_disabled(client, draft):
    page = client.get(_url("wizard_check", draft)).content.decode()
    assert 'disabled aria-disabled="true"' in page
    assert 'data-code="service_number_missing"' in page
    assert _url("wizard_service_numbers", draft) in page
    response = client.post(_url("wizard_submit", draft), {"action": "confirm"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_not_now_on_the_confirmation_leaves_the_draft(client, draft, precheck_passes):
    client.post(_url("wizard_submit", draft), {"action": "cancel"})
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_confirming_submits_when_the_precheck_is_clean(client, draft, precheck_passes):
    page = client.get(_url("wizard_check", draft)).content.decode()
    assert 'data-dialog="confirm-dialog"' in page
    response = client.post(_url("wizard_submit", draft), {"action": "confirm"})
    assert response["Location"] == reverse("filings:order_detail", args=[draft.number])
    draft.refresh_from_db()
    assert draft.status == S.PENDING_INITIAL_REVIEW


def test_a_submitted_order_cannot_be_edited_through_the_wizard(client, draft):
    FilingOrder.objects.filter(pk=draft.pk).update(status=S.PENDING_INITIAL_REVIEW)
    response = client.post(_url("wizard_subject", draft), dict(SUBJECT, action="save"))
    assert response["Location"] == reverse("filings:order_detail", args=[draft.number])
    draft.refresh_from_db()
    assert draft.subject_application.name == ""


def test_another_applicants_order_answers_404_on_every_wizard_page(client, draft):
    client.force_login(UserFactory())
    for name, args in [
        ("wizard", []),
        ("wizard_subject", []),
        ("wizard_website", [0]),
        ("wizard_check", []),
        ("wizard_service_numbers", []),
        ("wizard_submit", []),
        ("order_detail", []),
        ("order_history", []),
    ]:
        assert client.get(_url(name, draft, *args)).status_code == 404, name
    assert client.post(_url("order_withdraw", draft)).status_code == 404
