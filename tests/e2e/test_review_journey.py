"""Tried as a new user would: a reviewer signs in (password and authenticator code), claims the next order, rejects it
with three reasons, and the applicant sees why — beside each field — in a real browser."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.services import user_totp_set
from filings import services as filings
from filings.constants import MaterialKind
from filings.constants import OrderStatus as S
from filings.materials import material_upload
from filings.models import FilingOrder
from reviews.models import RejectionReason
from tests.e2e.journey import TOTP_SECRET, sign_in, sign_out
from tests.factories import UserFactory
from tests.filings.conftest import make_order, precheck_passes  # noqa: F401
from tests.filings.hostile import generators as samples


@pytest.fixture
def reviewer(transactional_db):
    user = UserFactory(reviewer=True, email="li.na@example.com", full_name="李娜")
    user_totp_set(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def supervisor(transactional_db):
    user = UserFactory(supervisor=True, email="zhao.min@example.com", full_name="赵敏")
    user_totp_set(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def submitted(transactional_db, make_order, precheck_passes):  # noqa: F811
    applicant = UserFactory(email="wang.fang@example.com", full_name="王芳")
    order = make_order(applicant=applicant)
    material_upload(
        order_id=order.pk,
        actor=applicant,
        kind=MaterialKind.ID_FRONT,
        uploaded_file=SimpleUploadedFile("id.jpg", samples.jpeg((900, 560)), content_type="image/jpeg"),
        person_id=order.people.first().pk,
    )
    return filings.order_submit(order_id=order.pk, actor=applicant)


def message(code):
    return RejectionReason.objects.get(code=code).message


def test_a_reviewer_claims_and_rejects_and_the_applicant_sees_why(page, shot, reviewer, submitted):
    order = submitted
    sign_in(page, reviewer.email, totp=True)

    # The header leads to the queues; the order waits in 初审.
    page.locator(".main-nav a[href='/review/']").click()
    expect(page.locator(f"tr[data-order='{order.number}']")).to_be_visible()
    shot("queue")

    page.locator("#claim-next").click()
    page.wait_for_url(f"**/review/orders/{order.number}/")
    expect(page.locator(".page-head")).to_contain_text(order.number)
    expect(page.locator("dd[data-field='subject.name']")).to_have_text("北京示例科技有限公司")
    shot("review-page")

    page.get_by_label(message("subject_name")).check()
    page.get_by_label(message("principal_mobile")).check()
    homepage = page.locator(".reason-option", has=page.get_by_label(message("website_homepage")))
    homepage.get_by_role("checkbox").check()
    homepage.locator("input.reason-note").fill("首页须在备案域名下")
    shot("reasons-chosen")
    page.locator("#reject").click()
    page.wait_for_url("**/review/")
    expect(page.locator(".message-success")).to_contain_text(order.number)
    shot("after-reject")
    assert FilingOrder.objects.get(pk=order.pk).status == S.INITIAL_REJECTED
    sign_out(page)

    # The applicant signs in and finds out why.
    sign_in(page, "wang.fang@example.com")
    page.goto(f"/filing/orders/{order.number}/")
    fix = page.locator("section.remarks")
    for code in ("subject_name", "principal_mobile", "website_homepage"):
        expect(fix).to_contain_text(message(code))
    shot("applicant-order")

    page.goto(f"/filing/orders/{order.number}/apply/subject/")
    expect(page.locator("#group-id_subject-name .remark-message")).to_contain_text(message("subject_name"))
    expect(page.locator("#group-id_principal-mobile .remark-message")).to_contain_text(message("principal_mobile"))
    shot("applicant-subject-page")
    page.goto(f"/filing/orders/{order.number}/apply/websites/0/")
    expect(page.locator("#group-id_homepage_url .remark-message")).to_contain_text("首页须在备案域名下")
    shot("applicant-website-page")

    page.goto(f"/filing/orders/{order.number}/history/")
    history = page.locator("table.history")
    for code in ("subject_name", "principal_mobile", "website_homepage"):
        expect(history).to_contain_text(message(code))
    shot("applicant-history")


def test_a_supervisor_sees_the_dashboard_and_a_photo_is_zoomed(page, shot, supervisor, submitted):
    sign_in(page, supervisor.email, totp=True)
    page.goto("/review/dashboard/")
    expect(page.locator("tr[data-queue='initial'] .count-total")).to_have_text("1")
    shot("dashboard")
    page.goto(f"/review/orders/{submitted.number}/")
    expect(page.locator("#claim")).to_be_visible()
    page.locator("#claim").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#approve")).to_be_visible()
    assert re.search(r"/review/orders/\w+/$", page.url)
    shot("supervisor-holding")

    # The ID card opens in the viewer and zooms.
    page.locator("a.zoomable").first.click()
    viewer = page.locator("#material-viewer")
    expect(viewer).to_be_visible()
    image = viewer.locator(".viewer-stage img")
    expect(image).to_have_js_property("naturalWidth", 900)
    fitted = image.evaluate("el => el.getBoundingClientRect().width")
    viewer.locator("[data-zoom=in]").click()
    viewer.locator("[data-zoom=in]").click()
    zoomed = image.evaluate("el => el.getBoundingClientRect().width")
    assert zoomed == pytest.approx(fitted * 2.25, rel=0.02)
    # Zoomed larger than the stage, every part of the image can be scrolled to.
    stage = viewer.locator(".viewer-stage")
    assert stage.evaluate("el => el.scrollWidth > el.clientWidth")
    shot("material-zoomed")
    viewer.locator("[data-zoom=close]").click()
    expect(viewer).to_be_hidden()
