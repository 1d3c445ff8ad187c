"""Tried as a new user would, in a real browser: a reviewer forwards a first filing to the administration; the
applicant follows the order page to the provincial SMS verification page, reads the code off the demo phone, slides
the block into the gap and verifies; the administration's review passes on the settable clock; the applicant finds
the ICP numbers, and the public query finds them too. Every callback travels over HTTP to the live test server."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.services import user_totp_set
from filings.constants import OrderStatus as S
from filings.models import FilingOrder
from miit.models import Submission
from miit.simulator import processing
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.journey import TOTP_SECRET, sign_in, sign_out
from tests.factories import UserFactory
from tests.filings import conftest as filing_fixtures
from tests.miit.simulator_support import ID_SUFFIX, SUBJECT_MOBILE, domain_held_by_subject

# Fixtures shared with other test modules.
make_order = filing_fixtures.make_order


@pytest.fixture
def callbacks_over_http(settings, live_server):
    settings.PORTAL_CALLBACK_URL = f"{live_server.url}/filing/callbacks/administration/"
    settings.MIIT_CALLBACK_TRANSPORT = "http"


@pytest.fixture
def reviewer(transactional_db):
    user = UserFactory(reviewer=True, email="li.na@example.com", full_name="李娜")
    user_totp_set(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def waiting(transactional_db, make_order):
    applicant = UserFactory(email="wang.fang@example.com", full_name="王芳")
    order = make_order(status=S.PENDING_MIIT_SUBMISSION, applicant=applicant)
    domain_held_by_subject(order)
    return order


def status_of(order):
    return FilingOrder.objects.get(pk=order.pk).status


def test_an_order_goes_from_forwarding_to_its_icp_number_in_a_browser(
    page, shot, reviewer, waiting, callbacks_over_http, clock
):
    order = waiting

    # The reviewer forwards it from the queue of orders ready to go.
    sign_in(page, reviewer.email, totp=True)
    page.goto("/review/queues/forward/")
    expect(page.locator(f"tr[data-order='{order.number}']")).to_be_visible()
    page.goto(f"/review/orders/{order.number}/")
    page.locator("#forward").click()
    page.wait_for_load_state()
    assert status_of(order) == S.SMS_VERIFICATION
    sign_out(page)

    # The applicant is sent to the administration's page for Beijing.
    sign_in(page, "wang.fang@example.com")
    page.goto(f"/filing/orders/{order.number}/")
    expect(page.locator("#sms-verification-link")).to_be_visible()
    shot("order-awaiting-sms")
    page.locator("#sms-verification-link").click()
    page.wait_for_url("**/miit/sms/110000/")
    expect(page.locator("h1")).to_contain_text("北京市")
    shot("provincial-page")

    # The code is on the demo phone, from the carrier's sender number.
    phone = page.context.new_page()
    phone.goto(f"/demo/phone/?number={SUBJECT_MOBILE}")
    text = phone.locator(".phone-text", has_text="/miit/sms/110000/").first
    expect(text.locator(".from")).to_contain_text("106575000130")
    body = text.locator(".body").inner_text()
    code = re.search(r"(?<![0-9A-Za-z/])(\d{6})(?![0-9A-Za-z/])", body).group(1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "test_administration_journey-demo-phone.png"), full_page=True)
    phone.close()

    page.locator("#id_mobile").fill(SUBJECT_MOBILE)
    page.locator("#id_code").fill(code)
    page.locator("#id_id_suffix").fill(ID_SUFFIX)
    gap = page.locator(".slider-gap").inner_text()
    page.locator("#id_slider").fill(gap)
    shot("provincial-page-filled")
    page.locator("#sms-verify-form button[type=submit]").click()
    expect(page.locator(".sms-result")).to_contain_text(order.number)
    shot("verified")
    assert status_of(order) == S.MIIT_REVIEW

    # Weeks pass on the settable clock; the administration decides and calls back.
    submission = Submission.objects.get(order_reference=order.number)
    clock.freeze(submission.decide_at + timedelta(minutes=1))
    processing.submissions_process_due()
    assert status_of(order) == S.APPROVED
    number = FilingOrder.objects.get(pk=order.pk).subject.icp_number

    page.goto(f"/filing/orders/{order.number}/")
    expect(page.locator(".page-head")).to_contain_text("已备案")
    shot("order-approved")
    page.goto("/filing/records/")
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text(f"{number}-1")
    shot("my-filings")

    # Anyone can find the new filing in the public query.
    page.locator(".main-nav a", has_text="公共查询").click()
    page.locator("#id_kind").select_option("domain")
    page.locator("#id_q").fill("www.example.com")
    page.locator("#public-query-form button[type=submit]").click()
    results = page.locator("#query-results")
    expect(results).to_contain_text(f"{number}-1")
    expect(results).to_contain_text("北京示例科技有限公司")
    expect(results).to_contain_text("example.com")
    shot("public-query")
