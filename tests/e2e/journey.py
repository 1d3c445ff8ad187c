"""What the browser journeys share: signing in (staff with their authenticator code), a second person's browser,
images to upload, the wizard's buttons, the demo phone — and orders and filed records built through the services, so
a journey about a change or a cancellation starts from a filing the administration really approved.

Everything that "happens elsewhere" (the reviewer's desk in a service test, the simulated administration's worker)
runs here in the test's thread; callbacks still travel over HTTP to the live server (``callbacks_over_http``).
"""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect
from stdnum.cn import uscc

from accounts.services import user_totp_set
from accounts.totp import totp_code, totp_seconds_left
from core.models import PhoneMessage
from filings import precheck
from filings import services as filings
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.materials import material_upload
from filings.models import FilingOrder, PersonApplication, SubjectApplication, WebsiteApplication
from filings.photos import services as photos
from filings.photos.testing import photo_bytes, photo_upload
from filings.requirements import required_materials, verification_photo_requirements
from miit.models import DomainRegistration, Submission
from miit.simulator import processing, sms
from miit.simulator.models import SmsVerification
from regions.models import Region
from reviews import services as reviews
from tests.e2e.conftest import ARTIFACTS
from tests.factories import DEFAULT_PASSWORD, UserFactory
from websites import services as website_services
from websites.constants import Billing, CloudRegion

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Six digits standing alone: not the tail of an order number (ICP…) nor a province code in a URL (/110000/).
SIX_DIGITS = re.compile(r"(?<![0-9A-Za-z/])(\d{6})(?![0-9A-Za-z/])")


# --- people and browsers ------------------------------------------------------------------------------------------


def sign_in(page, who, *, totp=False, password=DEFAULT_PASSWORD):
    """Sign in as ``who`` (a user or an e-mail address); staff type their authenticator code as well."""
    email = getattr(who, "email", who)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    if totp:
        expect(page.locator("input[name=code]")).to_be_visible()
        if totp_seconds_left() < 3:  # do not type a code that turns over on the way
            page.wait_for_timeout(3500)
        page.locator("input[name=code]").fill(totp_code(TOTP_SECRET))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/2fa/" not in url and "/mfa/" not in url)


def sign_out(page):
    page.locator(".header-tools form button[type=submit]").last.click()
    page.wait_for_load_state()
    if "/accounts/logout" in page.url:
        page.locator("main form button[type=submit]").click()


def staff_user(**traits):
    """A reviewer (or ``supervisor=True``) with an authenticator whose codes the test can compute."""
    user = UserFactory(**{"reviewer": True, "email": "li.na@example.com", "full_name": "李娜", **traits})
    user_totp_set(user=user, secret=TOTP_SECRET)
    return user


class Desk:
    """Another person at another computer: a browser context of their own, with screenshots named like ``shot``'s
    (``desk.shot("queue")`` → ``<test>-reviewer-<n>-queue.png``)."""

    def __init__(self, browser, live_server, request, name):
        self.context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.prefix = re.sub(r"[^\w-]+", "_", request.node.name) + f"-{name}"
        self.count = 0

    def shot(self, name):
        self.count += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.prefix}-{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def desk(browser, live_server, request):
    """``desk("reviewer")``: a second browser for another person, closed after the test."""
    opened = []

    def open_desk(name):
        opened.append(Desk(browser, live_server, request, name))
        return opened[-1]

    yield open_desk
    for item in opened:
        item.close()


@pytest.fixture
def callbacks_over_http(settings, live_server):
    """The simulated administration reports to the live server over HTTP, as it does in production."""
    settings.PORTAL_CALLBACK_URL = f"{live_server.url}/filing/callbacks/administration/"
    settings.MIIT_CALLBACK_TRANSPORT = "http"


# --- pages --------------------------------------------------------------------------------------------------------


def press(page, action="save"):
    """One of the wizard's buttons (``name=action``): save, next, send_code, save_add …"""
    page.locator(f"button[name=action][value={action}]").first.click()
    page.wait_for_load_state()


def choose_region(page, *, province="110000", city="110100", district="110108"):
    """The region cascade (htmx fills each list; the CSP forbids ``wait_for_function``, so wait on locators)."""
    page.select_option("select[name=province]", province)
    page.locator(f"select[name=city] option[value='{city}']").wait_for(state="attached")
    page.select_option("select[name=city]", city)
    page.locator(f"select[name=district] option[value='{district}']").wait_for(state="attached")
    page.select_option("select[name=district]", district)


def image_file(folder, name, colour=(221, 231, 245), size=(900, 600)):
    """A plain PNG on disk, for the file inputs."""
    path = folder / name
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def portrait_file(folder, name="principal.jpg"):
    """A verification photo on disk: a figure in neutral clothing in front of the backdrop."""
    path = folder / name
    path.write_bytes(photo_bytes(size=(900, 1200)))
    return str(path)


def images_loaded(page):
    """Every image on the page has arrived (thumbnails swapped in by htmx load after the page itself)."""
    for image in page.locator("main img").all():
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")


def upload_every_material(page, folder):
    """Fill every empty slot of the materials page, one upload at a time (each form posts and the page returns)."""
    colours = [(221, 231, 245), (245, 230, 221), (226, 245, 221), (245, 240, 221), (236, 223, 245), (221, 245, 243)]
    for turn in range(12):
        empty = page.locator(".material-slot:not(:has(figure)) input[type=file]")
        left = empty.count()
        if left == 0:
            images_loaded(page)
            return
        slot = empty.first
        slot.set_input_files(image_file(folder, f"material-{turn}.png", colours[turn % len(colours)]))
        slot.locator("xpath=ancestor::form").locator("button[type=submit]").click()
        expect(empty).to_have_count(left - 1)  # htmx swaps the slot in place; without JavaScript the page reloads
    raise AssertionError("the materials page kept asking for more files")


def submit_from_check(page, order_number):
    """检查 → 提交 → 确认提交, from the pre-check page (which must find nothing)."""
    page.goto(f"/filing/orders/{order_number}/apply/check/")
    assert page.locator(".check-error").count() == 0, page.locator(".check-error").all_inner_texts()
    page.locator("#submit-order").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    return dialog


def latest_code(mobile, *, source=None):
    """The last six-digit code ``mobile`` received on the simulated phone network."""
    texts = PhoneMessage.objects.filter(to_number=mobile)
    if source:
        texts = texts.filter(source=source)
    for text in texts.order_by("-sent_at", "-pk"):
        if match := SIX_DIGITS.search(text.body):
            return match.group(1)
    raise AssertionError(f"no code sent to {mobile}")


def status_of(order):
    return FilingOrder.objects.get(pk=order.pk).status


# --- records built through the services ---------------------------------------------------------------------------


def credit_code(body):
    """A unified social credit code with its check character, for the 17-character ``body``."""
    return body + uscc.calc_check_digit(body)


def domain_registered(domain, *, holder_name, certificate_number, certificate_type="business_licence"):
    """The domain registry's record, held by the subject and real-name verified: the pre-check's holder check and
    the administration's domain check pass."""
    return DomainRegistration.objects.update_or_create(
        ascii_name=domain,
        defaults={
            "name": domain,
            "registrar": "示例注册商",
            "holder_name": holder_name,
            "holder_certificate_type": certificate_type,
            "holder_certificate_number": certificate_number,
            "expires_on": date(2035, 12, 31),
            "real_name_verified": True,
        },
    )[0]


def service_number(owner, name="web"):
    instance = website_services.instance_buy(
        owner=owner,
        name=name,
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    return website_services.service_number_apply(instance_id=instance.pk, actor=owner)


def _jpeg(colour=(221, 231, 245)):
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("scan.jpg", buffer.getvalue(), content_type="image/jpeg")


def materials_uploaded(order):
    for requirement in required_materials(order):
        if requirement.required:
            material_upload(
                order_id=order.pk,
                actor=order.applicant,
                kind=requirement.kind,
                uploaded_file=_jpeg(),
                person_id=requirement.person_id,
                website_id=requirement.website_id,
            )


def first_filing_ready(
    applicant,
    *,
    subject_name,
    certificate_number,
    domains,
    principal=("张伟", "11010519491231002X", "13800138000"),
):
    """A first-filing draft as the applicant leaves it before 提交: subject, one principal (mobile verified), one
    website per domain with its own service number, every material — and a clean pre-check."""
    name, id_number, mobile = principal
    order = filings.order_create_draft(
        applicant=applicant,
        order_type=OrderType.FIRST_FILING,
        province=Region.objects.get(code="110000"),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=certificate_number,
        domain=(domains[0], domains[0]),
    )
    person = PersonApplication.objects.create(
        order=order,
        name=name,
        certificate_type="resident_id",
        certificate_number=id_number,
        mobile=mobile,
        office_phone="086-010-62345678",
        email="zhang.wei@example.com",
        mobile_verified_at=order.created_at,
    )
    SubjectApplication.objects.filter(order=order).update(
        name=subject_name,
        certificate_address="北京市海淀区中关村大街27号",
        mailing_address="中关村大街27号",
        investor=name,
        principal=person,
        city=Region.objects.get(code="110100"),
        district=Region.objects.get(code="110108"),
    )
    for index, domain in enumerate(domains):
        domain_registered(domain, holder_name=subject_name, certificate_number=certificate_number)
        if index:
            website = filings.application_add_website(order_id=order.pk, actor=applicant)
            filings.application_add_domain(
                order_id=order.pk, actor=applicant, website_id=website.pk, name=domain, ascii_name=domain
            )
        website = order.websites.get(position=index)
        WebsiteApplication.objects.filter(pk=website.pk).update(
            principal=person,
            name=f"{subject_name[2:4]}网站{index + 1}",
            homepage_url=f"https://www.{domain}/",
            service_content=["organisation_portal"],
            languages=["zh_hans"],
        )
        number = service_number(applicant, name=f"web-{index + 1}")
        filings.application_bind_service_number(
            order_id=order.pk, actor=applicant, website_id=website.pk, number=number.number
        )
    order = FilingOrder.objects.get(pk=order.pk)
    materials_uploaded(order)
    findings = [f for f in precheck.order_precheck(order) if f.is_error]
    assert not findings, [(f.field, str(f.message)) for f in findings]
    return order


def through_the_provider(order, reviewer):
    """Initial review, the photo (我已有幕布, for the orders that need one) and the photo review: the order waits to
    be forwarded."""
    reviews.review_claim(order_id=order.pk, reviewer=reviewer)
    order = reviews.review_initial_pass(order_id=order.pk, actor=reviewer)
    if order.status == S.PENDING_PHOTO:
        photos.backdrop_declare(order_id=order.pk, actor=order.applicant)
        for requirement in verification_photo_requirements(order):
            photos.photo_upload(
                order_id=order.pk, actor=order.applicant, person_id=requirement.person_id, uploaded_file=photo_upload()
            )
        photos.photos_confirm(order_id=order.pk, actor=order.applicant)
        reviews.review_claim(order_id=order.pk, reviewer=reviewer)
        order = reviews.review_photo_pass(order_id=order.pk, actor=reviewer)
    assert order.status == S.PENDING_MIIT_SUBMISSION, order.status
    return order


def administration_decides(order, clock):
    """Weeks pass on the settable clock; the administration's worker decides and calls the portal back."""
    submission = Submission.objects.filter(order_reference=order.number).order_by("-received_at", "-pk").first()
    clock.freeze(submission.decide_at + timedelta(minutes=1))
    processing.submissions_process_due()
    return FilingOrder.objects.get(pk=order.pk)


def verify_every_code(order, *, id_suffix="31002X"):
    """What the principals do on the provincial page, as its service sees it: each code the administration sent
    for the order's latest submission, typed in with the mobile and the ID number's last six characters."""
    submission = Submission.objects.filter(order_reference=order.number).order_by("-received_at", "-pk").first()
    for verification in SmsVerification.objects.filter(submission=submission, verified_at__isnull=True):
        sms.sms_verify(
            province_code=order.province_id,
            mobile=verification.mobile,
            code=latest_code(verification.mobile, source="miit"),
            id_number_suffix=id_suffix,
        )


def forwarded_and_decided(order, reviewer, clock):
    """提交管局, every SMS code verified, and the administration's decision."""
    reviews.review_forward(order_id=order.pk, actor=reviewer)
    verify_every_code(order)
    assert status_of(order) == S.MIIT_REVIEW, status_of(order)
    return administration_decides(order, clock)


def filed_through_the_administration(applicant, reviewer, clock, **draft):
    """A first filing driven through the services and the simulated administration to 备案成功: the portal's filed
    records and the administration's registry agree, and the ICP password went to the principal's phone."""
    order = first_filing_ready(applicant, **draft)
    order = filings.order_submit(order_id=order.pk, actor=applicant)
    order = through_the_provider(order, reviewer)
    order = forwarded_and_decided(order, reviewer, clock)
    assert order.status == S.APPROVED, order.status
    return order
