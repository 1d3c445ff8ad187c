"""A first filing from 开始备案 to 提交 in a real browser (issue "Filing orders": tried as a new user would).

Screenshots of every page land in test-artifacts/screenshots/ for a person to look at.
"""

import re
from datetime import date

import pytest

from core.models import PhoneMessage
from filings.constants import OrderStatus
from filings.models import FilingOrder
from miit.models import DomainRegistration
from tests.e2e.journey import choose_region, press, sign_in, upload_every_material
from tests.factories import UserFactory
from websites import services as website_services
from websites.constants import Billing, CloudRegion

CERTIFICATE = "91110108MA01WXRD7"  # + check digit below
DOMAIN = "beijing-demo-tech.cn"
SUBJECT_NAME = "北京演示科技有限公司"


def _uscc():
    from stdnum.cn import uscc

    return CERTIFICATE + uscc.calc_check_digit(CERTIFICATE)


@pytest.fixture
def prepared(transactional_db):
    applicant = UserFactory(full_name="王芳")
    instance = website_services.instance_buy(
        owner=applicant,
        name="web-1",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    number = website_services.service_number_apply(instance_id=instance.pk, actor=applicant)
    DomainRegistration.objects.create(
        ascii_name=DOMAIN,
        name=DOMAIN,
        registrar="示例注册商",
        holder_name=SUBJECT_NAME,
        holder_certificate_type="business_licence",
        holder_certificate_number=_uscc(),
        expires_on=date(2035, 1, 1),
        real_name_verified=True,
    )
    return applicant, number


def test_a_first_filing_from_start_to_submission(page, shot, prepared, tmp_path):
    applicant, number = prepared
    sign_in(page, applicant)

    # 开始备案 / 验证备案类型
    page.goto("/filing/start/")
    choose_region(page)
    page.select_option("select[name=nature]", "enterprise")
    page.locator("select[name=certificate_type] option[value=business_licence]").wait_for(state="attached")
    page.select_option("select[name=certificate_type]", "business_licence")
    page.fill("input[name=certificate_number]", _uscc())
    page.fill("input[name=domain]", DOMAIN)
    page.fill("input[name=captcha_1]", "PASSED")
    shot("start-filled")
    page.locator("main form .button-row button[type=submit]").click()
    page.wait_for_url("**/filing/start/result/")
    assert page.locator("h1[data-order-type=first_filing]").is_visible()
    shot("detected-type")
    page.locator("main form button[type=submit].button").first.click()
    page.wait_for_url(re.compile(r".*/apply/$"))
    order = FilingOrder.objects.get(applicant=applicant)
    shot("task-list")

    # 验证备案服务号
    page.goto(f"/filing/orders/{order.number}/apply/service-numbers/")
    page.locator("input[name^=number-]").fill(number.number)
    shot("service-number")
    press(page, "next")
    assert "/apply/subject/" in page.url

    # 主办单位信息, with the principal's mobile verified by code
    page.fill("#id_subject-name", SUBJECT_NAME)
    page.fill("#id_subject-certificate_address", "北京市海淀区中关村大街27号")
    page.fill("#id_subject-mailing_address", "中关村大街27号")
    page.fill("#id_subject-investor", "张伟")
    page.fill("#id_principal-name", "张伟")
    page.select_option("#id_principal-certificate_type", "resident_id")
    page.fill("#id_principal-certificate_number", "11010519491231002X")
    page.fill("#id_principal-mobile", "13800138000")
    page.fill("#id_principal-office_phone", "086-010-62345678")
    page.fill("#id_principal-email", "zhang.wei@example.com")
    press(page, "send_code")
    code = re.search(r"\d{6}", PhoneMessage.objects.filter(to_number="13800138000").latest("id").body).group(0)
    page.fill("#id_principal-code", code)
    shot("subject")
    press(page, "next")
    assert "/apply/websites/0/" in page.url

    # 网站信息
    page.fill("#id_name", "演示科技官网")
    page.fill("#id_homepage_url", f"https://www.{DOMAIN}/")
    page.check("input[name=service_content][value=organisation_portal]")
    page.check("input[name=languages][value=zh_hans]")
    page.check("input[name=principal_choice]:not([value=new])")
    shot("website")
    press(page, "next")
    assert "/apply/materials/" in page.url

    # 上传备案资料: every required slot gets an image
    upload_every_material(page, tmp_path)
    shot("materials")

    # 检查 (pre-check) → 提交 → 确认提交
    page.goto(f"/filing/orders/{order.number}/apply/check/")
    shot("check")
    assert page.locator(".check-error").count() == 0, page.locator(".check-error").all_inner_texts()
    page.locator("#submit-order").click()
    dialog = page.locator("#confirm-dialog")
    assert dialog.is_visible()
    shot("confirm-dialog")
    dialog.locator("button[value=confirm]").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    shot("submitted")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_INITIAL_REVIEW
    assert page.locator("[data-status=pending_initial_review]").first.is_visible()
