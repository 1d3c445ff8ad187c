"""Journeys through the whole portal in a real browser, each tried as the people in it would: a first filing from
signing up to both ICP numbers in the public query; a rejection fixed and resubmitted; a website change and a
website cancellation through to the administration's approval.

Every step saves a screenshot under test-artifacts/screenshots/ (not committed) for a person to look at. The
administration is the simulator in ``miit/``: its worker's steps run here after the test moves the clock, and its
callbacks reach the live server over HTTP. Journeys after the first start from records built through the services
(``tests/e2e/journey.py``) instead of repeating the first one.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from filings import services as filings
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, OrderEvent
from reviews import services as reviews
from reviews.models import RejectionReason
from tests.e2e import journey
from tests.e2e.journey import (
    SIX_DIGITS,
    administration_decides,
    choose_region,
    credit_code,
    domain_registered,
    filed_through_the_administration,
    first_filing_ready,
    forwarded_and_decided,
    latest_code,
    portrait_file,
    press,
    service_number,
    sign_in,
    staff_user,
    status_of,
    submit_from_check,
    through_the_provider,
    upload_every_material,
    verify_every_code,
)
from tests.factories import DEFAULT_PASSWORD, UserFactory
from websites.models import Domain, Website

# Fixtures shared with other journeys.
callbacks_over_http = journey.callbacks_over_http
desk = journey.desk

SUBJECT = "北京星河数据科技有限公司"
CERTIFICATE = credit_code("91110108MA01XHDJ0")
DOMAINS = ("xinghe-data.cn", "xinghe-cloud.cn")
PRINCIPAL_MOBILE = "13800138000"
PRINCIPAL_ID = "11010519491231002X"


@pytest.fixture
def reviewer(transactional_db):
    return staff_user()


def message(code):
    return RejectionReason.objects.get(code=code).message


# --- 1. a first filing, from signing up to both ICP numbers ------------------------------------------------------


def test_a_first_filing_from_sign_up_to_both_icp_numbers_in_the_public_query(
    page, shot, desk, reviewer, callbacks_over_http, clock, tmp_path
):
    for domain in DOMAINS:
        domain_registered(domain, holder_name=SUBJECT, certificate_number=CERTIFICATE)

    # Sign up, and confirm the address from the e-mail.
    page.goto("/")
    page.locator(".header-tools a[href='/accounts/signup/']").click()
    page.locator("input[name=email]").fill("zhou.xing@example.com")
    page.locator("input[name=password1]").fill(DEFAULT_PASSWORD)
    page.locator("input[name=password2]").fill(DEFAULT_PASSWORD)
    shot("sign-up")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    shot("verification-sent")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    shot("confirm-email")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.locator(".user-name")).to_be_visible()
    shot("signed-in")

    # A cloud instance, and a service number for each website.
    page.goto("/instances/buy/")
    page.locator("input[name=name]").fill("xinghe-web")
    page.select_option("select[name=region]", "cn-beijing")
    shot("buy-instance")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/instances/")
    page.locator("form[action$='/service-numbers/apply/'] button").first.click()
    page.wait_for_url("**/service-numbers/")
    page.locator("form[action$='/service-numbers/apply/'] button").first.click()
    page.wait_for_url("**/service-numbers/")
    numbers = page.locator("td.mono a").all_inner_texts()
    assert len(numbers) == 2
    shot("service-numbers")

    # 开始备案: the portal works out the filing type.
    page.locator(".main-nav a[href='/filing/start/']").click()
    choose_region(page)
    page.select_option("select[name=nature]", "enterprise")
    page.locator("select[name=certificate_type] option[value=business_licence]").wait_for(state="attached")
    page.select_option("select[name=certificate_type]", "business_licence")
    page.fill("input[name=certificate_number]", CERTIFICATE)
    page.fill("input[name=domain]", DOMAINS[0])
    page.fill("input[name=captcha_1]", "PASSED")
    shot("start")
    page.locator("main form .button-row button[type=submit]").click()
    page.wait_for_url("**/filing/start/result/")
    expect(page.locator("h1[data-order-type=first_filing]")).to_be_visible()
    shot("first-filing-detected")
    page.locator("main form button[type=submit].button").first.click()
    page.wait_for_url(re.compile(r".*/apply/$"))
    order = FilingOrder.objects.get(applicant__email="zhou.xing@example.com")
    shot("task-list")

    # 验证备案服务号 → 主办单位信息 (the principal's mobile verified by code) → two websites.
    page.goto(f"/filing/orders/{order.number}/apply/service-numbers/")
    page.locator("input[name^=number-]").fill(numbers[0])
    press(page, "next")
    page.fill("#id_subject-name", SUBJECT)
    page.fill("#id_subject-certificate_address", "北京市海淀区中关村大街27号")
    page.fill("#id_subject-mailing_address", "中关村大街27号")
    page.fill("#id_subject-investor", "周星")
    page.fill("#id_principal-name", "周星")
    page.select_option("#id_principal-certificate_type", "resident_id")
    page.fill("#id_principal-certificate_number", PRINCIPAL_ID)
    page.fill("#id_principal-mobile", PRINCIPAL_MOBILE)
    page.fill("#id_principal-office_phone", "086-010-62345678")
    page.fill("#id_principal-email", "zhou.xing@example.com")
    press(page, "send_code")
    page.fill("#id_principal-code", latest_code(PRINCIPAL_MOBILE))
    shot("subject")
    press(page, "next")
    assert "/apply/websites/0/" in page.url

    page.fill("#id_name", "星河数据官网")
    page.fill("#id_homepage_url", f"https://www.{DOMAINS[0]}/")
    page.check("input[name=service_content][value=organisation_portal]")
    page.check("input[name=languages][value=zh_hans]")
    page.check("input[name=principal_choice]:not([value=new])")
    shot("website-1")
    press(page, "save_add")
    assert "/apply/websites/1/" in page.url
    page.fill("#id_name", "星河云文档")
    page.fill("#id_domain", DOMAINS[1])
    page.fill("#id_homepage_url", f"https://www.{DOMAINS[1]}/")
    page.check("input[name=service_content][value=organisation_portal]")
    page.check("input[name=languages][value=zh_hans]")
    page.check("input[name=principal_choice]:not([value=new])")
    press(page, "save")
    expect(page.locator(".domain-list")).to_contain_text(DOMAINS[1])
    shot("website-2")

    # The second website's service number, then the materials.
    page.goto(f"/filing/orders/{order.number}/apply/")
    page.locator("a.task-name[href$='/apply/service-numbers/']").click()
    page.locator("input[name^=number-]").nth(1).fill(numbers[1])
    press(page, "save")
    expect(page.locator(".hint .mono")).to_have_count(2)
    shot("both-service-numbers")
    page.goto(f"/filing/orders/{order.number}/apply/materials/")
    upload_every_material(page, tmp_path)
    shot("materials")

    # 检查 (the pre-check finds nothing) → 提交 → 确认提交.
    dialog = submit_from_check(page, order.number)
    shot("check-and-confirm")
    dialog.locator("button[value=confirm]").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    expect(page.locator("[data-status=pending_initial_review]").first).to_be_visible()
    shot("submitted")

    # The reviewer, at their own desk, claims the order and passes it.
    office = desk("reviewer")
    sign_in(office.page, reviewer, totp=True)
    office.page.goto("/review/queues/initial/")
    expect(office.page.locator(f"tr[data-order='{order.number}']")).to_be_visible()
    office.shot("queue")
    office.page.locator("#claim-next").click()
    office.page.wait_for_url(f"**/review/orders/{order.number}/")
    expect(office.page.locator("dd[data-field='subject.name']")).to_have_text(SUBJECT)
    office.shot("claimed")
    office.page.locator("#approve").click()
    office.page.wait_for_load_state()
    assert status_of(order) == S.PENDING_PHOTO
    office.shot("passed")

    # 办理拍照: the applicant has a backdrop already and uploads the principal's photo.
    page.goto(f"/filing/orders/{order.number}/")
    shot("order-pending-photo")
    page.goto(f"/filing/orders/{order.number}/photos/")
    page.locator("#have-backdrop").click()
    page.wait_for_load_state()
    card = page.locator(".photo-principal").first
    card.locator("input[type=file]").set_input_files(portrait_file(tmp_path))
    card.locator("button[type=submit]", has_text="上传").first.click()
    page.wait_for_load_state()
    expect(page.locator(".photo-principal figure img").first).to_be_visible()
    shot("photo-uploaded")
    page.locator("#confirm-photos").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    assert status_of(order) == S.PHOTO_REVIEW
    shot("photo-submitted")

    # The reviewer approves the photo and forwards the order to the administration.
    office.page.goto("/review/queues/photo/")
    office.page.locator("#claim-next").click()
    office.page.wait_for_url(f"**/review/orders/{order.number}/")
    expect(office.page.locator(".material-photo")).to_have_count(1)
    office.shot("photo-review")
    office.page.locator("#approve").click()
    office.page.wait_for_load_state()
    assert status_of(order) == S.PENDING_MIIT_SUBMISSION
    office.shot("photo-approved")
    office.page.goto(f"/review/orders/{order.number}/")
    office.page.locator("#forward").click()
    office.page.wait_for_load_state()
    assert status_of(order) == S.SMS_VERIFICATION
    office.shot("forwarded")

    # The administration's code arrives on the principal's (demo) phone; the applicant verifies on its page.
    page.goto(f"/filing/orders/{order.number}/")
    expect(page.locator("#sms-verification-link")).to_be_visible()
    shot("order-awaiting-sms")
    page.goto(f"/demo/phone/?number={PRINCIPAL_MOBILE}")
    text = page.locator(".phone-text", has_text="/miit/sms/110000/").first
    code = SIX_DIGITS.search(text.locator(".body").inner_text()).group(1)
    shot("demo-phone-code")
    page.goto(f"/filing/orders/{order.number}/")
    page.locator("#sms-verification-link").click()
    page.wait_for_url("**/miit/sms/110000/")
    page.locator("#id_mobile").fill(PRINCIPAL_MOBILE)
    page.locator("#id_code").fill(code)
    page.locator("#id_id_suffix").fill(PRINCIPAL_ID[-6:])
    page.locator("#id_slider").fill(page.locator(".slider-gap").inner_text())
    shot("provincial-page")
    page.locator("#sms-verify-form button[type=submit]").click()
    expect(page.locator(".sms-result")).to_contain_text(order.number)
    shot("verified")
    assert status_of(order) == S.MIIT_REVIEW

    # Weeks pass on the clock; the administration approves and calls the portal back over HTTP.
    order = administration_decides(order, clock)
    assert order.status == S.APPROVED
    subject_number = order.subject.icp_number
    website_numbers = [f"{subject_number}-1", f"{subject_number}-2"]
    assert sorted(order.subject.websites.values_list("icp_number", flat=True)) == website_numbers

    page.goto(f"/filing/orders/{order.number}/")
    expect(page.locator(".page-head")).to_contain_text("已备案")
    shot("order-approved")
    page.goto("/filing/records/")
    records = page.locator("main")
    expect(records).to_contain_text(subject_number)
    for number in website_numbers:
        expect(records).to_contain_text(number)
    shot("my-filings")
    page.goto(f"/demo/phone/?number={PRINCIPAL_MOBILE}")
    expect(page.locator(".phone-text").first).to_contain_text(subject_number)
    shot("demo-phone-password")

    # Anyone finds both websites in the public query.
    page.locator(".main-nav a", has_text="公共查询").click()
    for domain, number in zip(DOMAINS, website_numbers, strict=True):
        page.locator("#id_kind").select_option("domain")
        page.locator("#id_q").fill(f"www.{domain}")
        page.locator("#public-query-form button[type=submit]").click()
        results = page.locator("#query-results")
        expect(results).to_contain_text(number)
        expect(results).to_contain_text(SUBJECT)
        shot(f"public-query-{domain}")


# --- 2. a rejection, fixed beside each reason and resubmitted ----------------------------------------------------


def test_a_rejected_order_is_fixed_beside_each_reason_and_resubmitted(page, shot, desk, reviewer):
    applicant = UserFactory(email="wu.lan@example.com", full_name="吴岚")
    order = first_filing_ready(
        applicant,
        subject_name="北京青松软件有限公司",
        certificate_number=credit_code("91110108MA01QGRJ0"),
        domains=("qingsong-soft.cn",),
    )
    order = filings.order_submit(order_id=order.pk, actor=applicant)

    # The reviewer claims it and rejects it with three reasons, one with a note.
    office = desk("reviewer")
    sign_in(office.page, reviewer, totp=True)
    office.page.goto(f"/review/orders/{order.number}/")
    office.page.locator("#claim").click()
    office.page.get_by_label(message("subject_mailing_address")).check()
    office.page.get_by_label(message("principal_mobile")).check()
    name = office.page.locator(".reason-option", has=office.page.get_by_label(message("website_name")))
    name.get_by_role("checkbox").check()
    name.locator("input.reason-note").fill("“青松网站1”过于笼统，请写明网站内容")
    office.shot("reasons-chosen")
    office.page.locator("#reject").click()
    office.page.wait_for_url("**/review/")
    assert status_of(order) == S.INITIAL_REJECTED

    # The applicant reads what to fix on the order page, then finds each reason beside its field.
    sign_in(page, applicant)
    page.goto(f"/filing/orders/{order.number}/")
    for code in ("subject_mailing_address", "principal_mobile", "website_name"):
        expect(page.locator("section.remarks")).to_contain_text(message(code))
    shot("what-to-fix")
    page.locator(f"a[href='/filing/orders/{order.number}/apply/']").first.click()
    page.wait_for_url(f"**/filing/orders/{order.number}/apply/")
    shot("task-list-after-rejection")

    page.goto(f"/filing/orders/{order.number}/apply/subject/")
    mailing = page.locator("#group-id_subject-mailing_address")
    mobile = page.locator("#group-id_principal-mobile")
    expect(mailing.locator(".remark-message")).to_contain_text(message("subject_mailing_address"))
    expect(mobile.locator(".remark-message")).to_contain_text(message("principal_mobile"))
    shot("subject-page-with-reasons")
    page.fill("#id_subject-mailing_address", "中关村大街27号院3号楼502室")
    page.fill("#id_principal-mobile", "13900139000")
    press(page, "send_code")
    page.fill("#id_principal-code", latest_code("13900139000"))
    press(page, "save")
    expect(page.locator("#group-id_principal-mobile .error-message")).to_have_count(0)
    shot("subject-page-fixed")

    page.goto(f"/filing/orders/{order.number}/apply/websites/0/")
    expect(page.locator("#group-id_name .remark-message")).to_contain_text("“青松网站1”过于笼统，请写明网站内容")
    shot("website-page-with-reason")
    page.fill("#id_name", "青松软件产品中心")
    press(page, "save")
    shot("website-page-fixed")

    # 检查 → 提交 again: the order goes back to initial review.
    dialog = submit_from_check(page, order.number)
    shot("check-before-resubmitting")
    dialog.locator("button[value=confirm]").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    expect(page.locator("[data-status=pending_initial_review]").first).to_be_visible()
    expect(page.locator("section.remarks")).to_have_count(0)
    shot("resubmitted")
    page.goto(f"/filing/orders/{order.number}/history/")
    history = page.locator("table.history")
    expect(history).to_contain_text(message("subject_mailing_address"))
    expect(history.locator("[data-status=initial_rejected]")).to_have_count(1)
    expect(history.locator("[data-status=pending_initial_review]")).to_have_count(2)
    shot("applicant-history")

    # Back in the reviewer's queue, with its history and the fixed values.
    office.page.goto("/review/queues/initial/")
    expect(office.page.locator(f"tr[data-order='{order.number}']")).to_be_visible()
    office.shot("back-in-the-queue")
    office.page.goto(f"/review/orders/{order.number}/")
    expect(office.page.locator("dd[data-field='subject.name']")).to_have_text("北京青松软件有限公司")
    review_history = office.page.locator("table.history")
    for code in ("subject_mailing_address", "principal_mobile", "website_name"):
        expect(review_history).to_contain_text(message(code))
    expect(office.page.locator("main")).to_contain_text("青松软件产品中心")
    expect(office.page.locator("main")).to_contain_text("13900139000")
    office.shot("history-for-the-reviewer")
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True)) == [
        S.DRAFT,
        S.PENDING_INITIAL_REVIEW,
        S.INITIAL_REVIEW,
        S.INITIAL_REJECTED,
        S.PENDING_INITIAL_REVIEW,
    ]


# --- 3. a website change, through to the administration's approval ----------------------------------------------


def test_a_website_change_leaves_the_record_alone_until_the_administration_approves(
    page, shot, reviewer, callbacks_over_http, clock, tmp_path
):
    applicant = UserFactory(email="song.lin@example.com", full_name="宋林")
    filed = filed_through_the_administration(
        applicant,
        reviewer,
        clock,
        subject_name="北京松林茶叶有限公司",
        certificate_number=credit_code("91110108MA01TLCY0"),
        domains=("songlin-tea.cn",),
    )
    website = Website.objects.get(subject=filed.subject)
    old_name, number = website.name, website.icp_number
    fresh = service_number(applicant, name="web-change")

    sign_in(page, applicant)
    page.goto("/filing/records/")
    shot("records-before")
    page.locator(f"a[href='/filing/records/websites/{website.pk}/change/']").click()
    page.wait_for_url(f"**/filing/records/websites/{website.pk}/change/")
    shot("change-website")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: url.endswith("/apply/"))
    order = FilingOrder.objects.get(applicant=applicant, status=S.DRAFT)
    assert order.order_type == "change_website"
    shot("change-order-task-list")

    # The wizard opens with the filed website copied: a new service number, a new name, the materials.
    page.goto(f"/filing/orders/{order.number}/apply/service-numbers/")
    page.locator("input[name^=number-]").fill(fresh.number)
    press(page, "save")
    page.goto(f"/filing/orders/{order.number}/apply/websites/0/")
    expect(page.locator("#id_name")).to_have_value(old_name)
    expect(page.locator(".domain-list")).to_contain_text("songlin-tea.cn")
    expect(page.locator("button[value=save_add]")).to_have_count(0)  # a change keeps to its one website
    page.fill("#id_name", "松林茶叶商城")
    press(page, "save")
    shot("website-renamed")
    page.goto(f"/filing/orders/{order.number}/apply/materials/")
    upload_every_material(page, tmp_path)
    page.goto(f"/filing/orders/{order.number}/changes/")
    expect(page.locator("main")).to_contain_text("松林茶叶商城")
    shot("what-changes")
    dialog = submit_from_check(page, order.number)
    dialog.locator("button[value=confirm]").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    shot("change-submitted")

    # The provider reviews it, the photo is taken, the administration verifies the website principal by SMS:
    # while it reviews, the filed record still says what was filed.
    order = through_the_provider(order, reviewer)
    reviews.review_forward(order_id=order.pk, actor=reviewer)
    verify_every_code(order)
    assert status_of(order) == S.MIIT_REVIEW
    page.goto("/filing/records/")
    expect(page.locator("main")).to_contain_text(old_name)
    expect(page.locator("main")).not_to_contain_text("松林茶叶商城")
    shot("records-while-the-administration-reviews")

    order = administration_decides(order, clock)
    assert order.status == S.APPROVED
    website.refresh_from_db()
    assert (website.name, website.icp_number) == ("松林茶叶商城", number)
    page.goto(f"/filing/orders/{order.number}/")
    expect(page.locator(".page-head")).to_contain_text("已备案")
    shot("change-approved")
    page.goto("/filing/records/")
    row = page.locator("tr", has_text=number)
    expect(row).to_contain_text("松林茶叶商城")
    expect(page.locator("main")).not_to_contain_text(old_name)
    shot("records-after")


# --- 4. a website cancelled with the ICP password; its domain is free again -------------------------------------


def test_a_cancelled_website_ends_and_its_domain_can_be_filed_again(
    page, shot, reviewer, callbacks_over_http, clock, tmp_path
):
    applicant = UserFactory(email="bai.he@example.com", full_name="白鹤")
    certificate = credit_code("91110108MA01BHWL0")
    filed = filed_through_the_administration(
        applicant,
        reviewer,
        clock,
        subject_name="北京白鹤网络有限公司",
        certificate_number=certificate,
        domains=("baihe-net.cn", "baihe-shop.cn"),
    )
    kept, ending = filed.subject.websites.order_by("icp_number")

    # The ICP password came by SMS when the subject was filed.
    sign_in(page, applicant)
    page.goto(f"/demo/phone/?number={PRINCIPAL_MOBILE}")
    body = page.locator(".phone-text", has_text=filed.subject.icp_number).filter(has_text="密码").first
    if body.count() == 0:
        body = page.locator(".phone-text", has_text="password").first
    password = re.search(r"(?:password is|密码为)\s*([A-Za-z0-9]{10})", body.inner_text()).group(1)
    shot("password-on-the-phone")

    # 注销网站: the password and the confirmation open the order; the wizard asks for the form and the ID only.
    page.goto("/filing/records/")
    page.locator(f"a[href='/filing/records/websites/{ending.pk}/cancel/']").click()
    page.wait_for_url(f"**/filing/records/websites/{ending.pk}/cancel/")
    page.locator("input[name=icp_password]").fill(password)
    page.locator("input[name=confirm]").check()
    shot("cancel-website")
    page.locator("main form button.button-danger").click()
    page.wait_for_url(lambda url: url.endswith("/apply/"))
    order = FilingOrder.objects.get(applicant=applicant, status=S.DRAFT)
    assert order.order_type == "cancel_website"
    shot("cancellation-task-list")
    page.goto(f"/filing/orders/{order.number}/apply/materials/")
    upload_every_material(page, tmp_path)
    shot("cancellation-materials")
    dialog = submit_from_check(page, order.number)
    dialog.locator("button[value=confirm]").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    shot("cancellation-submitted")

    # No photo and no SMS: the reviewer passes it, forwards it, and the administration checks the password.
    order = through_the_provider(order, reviewer)
    order = forwarded_and_decided(order, reviewer, clock)
    assert order.status == S.APPROVED
    ending.refresh_from_db()
    kept.refresh_from_db()
    assert (ending.status, kept.status) == ("cancelled", "active")
    assert not Domain.objects.filter(ascii_name="baihe-shop.cn", status="active").exists()

    page.goto("/filing/records/")
    expect(page.locator("tr", has_text=ending.icp_number).locator("[data-status=cancelled]")).to_be_visible()
    expect(page.locator("tr", has_text=kept.icp_number).locator("[data-status=active]")).to_be_visible()
    shot("records-after")

    # Nobody finds it in the public query any more; the subject and its other website still are.
    page.goto("/miit/query/")
    page.locator("#id_kind").select_option("domain")
    page.locator("#id_q").fill("baihe-shop.cn")
    page.locator("#public-query-form button[type=submit]").click()
    expect(page.locator("#query-nothing")).to_be_visible()
    shot("public-query-cancelled-domain")
    page.locator("#id_q").fill("baihe-net.cn")
    page.locator("#public-query-form button[type=submit]").click()
    expect(page.locator("#query-results")).to_contain_text(kept.icp_number)

    # The freed domain can be filed again: 开始备案 offers a new website under the same subject.
    page.goto("/filing/start/")
    choose_region(page)
    page.select_option("select[name=nature]", "enterprise")
    page.locator("select[name=certificate_type] option[value=business_licence]").wait_for(state="attached")
    page.select_option("select[name=certificate_type]", "business_licence")
    page.fill("input[name=certificate_number]", certificate)
    page.fill("input[name=domain]", "baihe-shop.cn")
    page.fill("input[name=captcha_1]", "PASSED")
    page.locator("main form .button-row button[type=submit]").click()
    page.wait_for_url("**/filing/start/result/")
    expect(page.locator("h1[data-order-type=add_website]")).to_be_visible()
    shot("domain-free-again")
