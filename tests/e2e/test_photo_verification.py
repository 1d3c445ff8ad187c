"""Photo verification (办理拍照) in a real browser: the backdrop bought, shipped and photographed in front of, with a
second principal uploading through their link; and the Shanghai app's QR code and picture code.

Screenshots land in test-artifacts/screenshots/ for a person to look at.
"""

import json
import re
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings

from core import clock
from filings.constants import OrderStatus
from filings.models import FilingOrder, Material
from filings.photos.models import Backdrop
from filings.photos.tasks import advance_backdrop_shipments
from filings.photos.testing import BLUE, NEUTRAL, RED, add_website_with_principal, move_order_to, photo_bytes
from tests.e2e.journey import sign_in
from tests.factories import UserFactory
from tests.filings.conftest import make_order  # noqa: F401  (the fixture, shared with the filings tests)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def photo_strings_in_chinese(settings, tmp_path_factory):
    """Until ``var/i18n/photos.json`` is merged into the catalogue (locale/ is not this part's to edit), the pages
    are shown with it laid over the committed catalogue, so the screenshots show what applicants will read."""
    catalogue = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    strings = ROOT / "var" / "i18n" / "photos.json"
    if not catalogue.exists() or not strings.exists():
        return
    po = polib.pofile(str(catalogue))
    known = {entry.msgid: entry for entry in po if not entry.obsolete and not entry.msgid_plural}
    for msgid, msgstr in json.loads(strings.read_text(encoding="utf-8")).items():
        entry = known.get(msgid)
        if entry is None:
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        elif not entry.msgstr or "fuzzy" in entry.flags:
            entry.msgstr = msgstr
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    folder = tmp_path_factory.mktemp("locale") / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [str(folder.parent.parent), *django_settings.LOCALE_PATHS]


@pytest.fixture
def applicant(transactional_db):
    return UserFactory(full_name="张伟")


@pytest.fixture
def reset_clock():
    yield
    clock.reset()


def _photo_file(tmp_path, name, clothing):
    path = tmp_path / name
    path.write_bytes(photo_bytes(clothing=clothing, size=(900, 1200)))
    return str(path)


def test_backdrop_bought_shipped_photographed_and_confirmed(page, shot, make_order, applicant, tmp_path, reset_clock):  # noqa: F811
    order = make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)
    first = order.websites.get().principal
    second = add_website_with_principal(order)
    sign_in(page, applicant)

    # The order page leads to 办理拍照.
    page.goto(f"/filing/orders/{order.number}/")
    shot("order-page")
    page.locator(f"a[href='/filing/orders/{order.number}/photos/']").first.click()
    page.wait_for_url(f"**/filing/orders/{order.number}/photos/")
    assert page.locator("#enter-address").is_visible()
    assert page.locator("text=第1步、请您提供收费幕布邮寄地址").is_visible()
    shot("photo-page")

    # 第1步、请您提供收费幕布邮寄地址 → 第2步、购买拍照专用幕布
    page.locator("#enter-address").click()
    page.wait_for_url("**/photos/backdrop/")
    page.locator("#buy-backdrop").click()  # empty: every field says what it needs
    assert page.locator(".error-summary").is_visible()
    page.fill("input[name=recipient]", "张伟")
    page.fill("input[name=mobile]", "13800138000")
    page.select_option("select[name=province]", "110000")
    page.locator("select[name=city] option[value='110100']").wait_for(state="attached")
    page.select_option("select[name=city]", "110100")
    page.locator("select[name=district] option[value='110108']").wait_for(state="attached")
    page.select_option("select[name=district]", "110108")
    page.fill("input[name=street]", "中关村大街1号3号楼502室")
    shot("address")
    page.locator("#buy-backdrop").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/photos/")
    assert Backdrop.objects.get(order=order).status == "purchased"
    assert page.locator("input[type=file]").count() == 0  # nothing to upload before the parcel arrives
    shot("purchased")

    # Three days later on the portal's clock the parcel has arrived.
    clock.advance(timedelta(days=3))
    advance_backdrop_shipments()
    page.reload()
    assert Backdrop.objects.get(order=order).status == "delivered"
    assert page.locator(".shipment .shipment-done").count() == 4
    shot("delivered")

    # 第4步: a photo in red clothing is taken with a warning; a neutral one replaces it.
    card = page.locator(f"#principal-{first.pk}")
    card.locator("input[type=file]").set_input_files(_photo_file(tmp_path, "red.jpg", RED))
    card.locator("button[type=submit]", has_text=re.compile("上传|Upload")).first.click()
    page.wait_for_load_state()
    assert page.locator(".message-warning").count() == 1
    assert page.locator(f"#principal-{first.pk} .photo-warning").count() == 1
    shot("red-clothing-warning")
    card = page.locator(f"#principal-{first.pk}")
    card.locator("input[type=file]").set_input_files(_photo_file(tmp_path, "grey.jpg", NEUTRAL))
    card.locator("button[type=submit]", has_text=re.compile("上传|Upload")).first.click()
    page.wait_for_load_state()
    assert page.locator(f"#principal-{first.pk} .photo-warning").count() == 0
    assert page.locator(f"#principal-{first.pk} figure img").is_visible()

    # Confirming with the second principal's photo missing says who is missing.
    page.locator("#confirm-photos").click()
    page.wait_for_load_state()
    assert second.name in page.locator("#confirm .error-summary").inner_text()
    shot("missing-second-principal")

    # The second principal gets a link and uploads their own photo, without an account.
    page.locator(f"#principal-{second.pk} form[action$='/photos/links/'] button").click()
    page.wait_for_load_state()
    link = page.locator(f"#principal-{second.pk}-link").input_value()
    assert "/filing/photo-link/" in link
    shot("link-created")
    visitor = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    other = visitor.new_page()
    other.goto(link)
    assert second.name in other.locator("main").inner_text()
    other.screenshot(path=str(_artifact(shot, "principal-link-page")), full_page=True)
    other.locator("input[type=file]").set_input_files(_photo_file(tmp_path, "blue.jpg", BLUE))
    other.locator("input[name=backdrop_confirmed]").check()
    other.locator("#upload-own-photo").click()
    other.wait_for_load_state()
    assert other.locator(".photo-warning").count() == 1
    other.screenshot(path=str(_artifact(shot, "principal-link-done")), full_page=True)
    other.goto(link)
    assert other.locator("h1").inner_text()
    other.screenshot(path=str(_artifact(shot, "principal-link-used")), full_page=True)
    visitor.close()

    # 确认提交 → 照片审核中.
    page.reload()
    shot("all-photos")
    page.locator("#confirm-photos").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    shot("submitted")
    order.refresh_from_db()
    assert order.status == OrderStatus.PHOTO_REVIEW
    assert Material.objects.filter(order=order, kind="verification_photo").count() == 2


def test_shanghai_app_qr_code_and_picture_code(page, shot, make_order, applicant, tmp_path):  # noqa: F811
    order = move_order_to(make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant), "310000")
    person = order.websites.get().principal
    sign_in(page, applicant)
    page.goto(f"/filing/orders/{order.number}/photos/")
    page.locator(f"#principal-{person.pk} form[action$='/photos/app/'] button").click()
    page.wait_for_load_state()
    qr = page.locator(f"#principal-{person.pk} img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    shot("shanghai-qr")

    app_url = page.locator(f"#principal-{person.pk} a.open-app").get_attribute("href")
    phone = page.context.browser.new_context(locale="zh-CN", viewport={"width": 420, "height": 860})
    app = phone.new_page()
    app.goto(page.url.split("/filing/")[0] + app_url)
    app.screenshot(path=str(_artifact(shot, "app-verify")), full_page=True)
    app.fill("input[name=mobile]", "13900139000")
    app.fill("input[name=id_last6]", "31002X")
    app.locator("#app-verify").click()
    app.wait_for_load_state()
    assert app.locator(".error-summary").is_visible()
    app.screenshot(path=str(_artifact(shot, "app-wrong-mobile")), full_page=True)
    app.fill("input[name=mobile]", "13800138000")
    app.fill("input[name=id_last6]", "31002x")
    app.locator("#app-verify").click()
    app.wait_for_load_state()
    app.locator("input[type=file]").set_input_files(_photo_file(tmp_path, "app.jpg", NEUTRAL))
    app.locator("#app-photo").click()
    app.wait_for_load_state()
    code = app.locator("#picture-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    app.screenshot(path=str(_artifact(shot, "app-picture-code")), full_page=True)
    phone.close()

    page.fill("input[name=code]", code)
    page.locator("#picture-code button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"#principal-{person.pk} figure img").is_visible()
    shot("shanghai-pulled")
    page.locator("#confirm-photos").click()
    page.wait_for_url(f"**/filing/orders/{order.number}/")
    assert FilingOrder.objects.get(pk=order.pk).status == OrderStatus.PHOTO_REVIEW


def _artifact(shot, name):
    """A path beside ``shot``'s screenshots for a second browser window's page."""
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"photo-verification-{name}.png"
