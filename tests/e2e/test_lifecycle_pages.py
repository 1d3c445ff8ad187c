"""The pages after approval in a browser: 我的ICP备案信息 → a website's page (PSB record, footer code, licence note)
→ 注销网站 (the several-domains note) → 变更网站, which opens the wizard with the filed website copied."""

import pytest

from tests.e2e.journey import sign_in
from tests.factories import UserFactory
from tests.filings.lifecycle_support import filed_subject
from websites.models import Domain


@pytest.fixture
def filed(transactional_db):
    applicant = UserFactory(full_name="李娜")
    subject = filed_subject(applicant, domains=("browser-life.cn",))
    website = subject.websites.get()
    Domain.objects.create(website=website, name="www2-browser-life.cn", ascii_name="www2-browser-life.cn")
    return applicant, website


def test_a_filed_website_from_its_page_to_a_change(page, shot, filed):
    applicant, website = filed
    sign_in(page, applicant)
    page.goto("/filing/records/")
    shot("records")
    page.locator(f"a[href='/filing/records/websites/{website.pk}/']").first.click()
    page.wait_for_load_state()

    page.locator("input[name=psb_number]").fill("京公网安备11010502053948号")
    page.locator("#psb button[type=submit]").click()
    page.wait_for_load_state()
    assert "京公网安备11010502053948号" in page.locator("#snippet-html").input_value()
    assert page.locator(".snippet-preview a").count() == 2
    shot("website-page")

    page.goto(f"/filing/records/websites/{website.pk}/cancel/")
    assert page.locator("[data-notice=several-domains]").is_visible()
    shot("cancel-website")
    page.locator("[data-notice=several-domains] a").click()
    page.wait_for_load_state()
    shot("change-website")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: url.endswith("/apply/"))
    shot("wizard")
    page.goto(page.url + "websites/0/")
    assert page.get_by_text("www2-browser-life.cn").first.is_visible()
