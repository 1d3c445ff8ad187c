"""Limits on guessing, tried through the pages people (and scripts) use. The sign-in lock-out and the staff's codes
are tests/accounts/test_lockout.py; the code store's own limits (five wrong tries, five sends an hour, a minute
between sends) are tests/core/test_mobile_codes.py. Here: the same limits hold when the guessing comes through the
application wizard and the administration's SMS verification page, and the lock-out holds on every sign-in form.
The administration's pages are also rate-limited per address (tests/miit/test_simulator_pages.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import MobileCode, PhoneMessage
from filings.models import PersonApplication
from miit.models import SmsVerification
from tests.miit.simulator_support import ID_SUFFIX, SUBJECT_MOBILE, latest_code, refreshed

from .routes import World

pytestmark = pytest.mark.django_db

HOME_IP = "203.0.113.10"


@pytest.fixture
def world(make_order):
    return World(make_order=make_order)


def _last_code(mobile: str) -> str:
    text = PhoneMessage.objects.filter(to_number=mobile).order_by("-id").first()
    return re.search(r"\b(\d{6})\b", text.body).group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- sign-in --------------------------------------------------------------------------------------------------------


def test_the_lock_out_counts_the_admin_login_form_too(world):
    """Five wrong passwords on the portal's form lock the account from that address, and the admin's own login page
    opens no side door (it sends people to the portal's form)."""
    client = Client(REMOTE_ADDR=HOME_IP)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": world.owner.email, "password": "Wrong-Pass-2026!"})
    from tests.factories import DEFAULT_PASSWORD

    response = client.post(reverse("account_login"), {"login": world.owner.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    client.post(reverse("admin:login"), {"username": world.owner.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session


# --- mobile codes through the wizard ------------------------------------------------------------------------------


def _person_form(person, **extra) -> dict:
    data = {
        f"principal-{name}": getattr(person, name) or ""
        for name in ("name", "certificate_type", "certificate_number", "mobile", "office_phone", "email")
    }
    data.update({f"principal-{key}" if key != "action" else key: value for key, value in extra.items()})
    return data


def test_five_wrong_codes_in_the_wizard_kill_the_code(world):
    order = world.order()
    person = PersonApplication.objects.filter(order=order).first()
    url = reverse("filings:wizard_person", args=[order.number, person.pk])
    client = Client()
    client.force_login(world.owner)
    assert client.post(url, _person_form(person, action="send_code")).status_code == 302
    right = _last_code(person.mobile)

    for _ in range(5):
        assert client.post(url, _person_form(person, code=_wrong(right))).status_code == 302
    assert MobileCode.objects.get(mobile=person.mobile).attempts == 5

    client.post(url, _person_form(person, code=right))
    person.refresh_from_db()
    assert person.mobile_verified_at is None


def test_codes_cannot_be_sent_faster_than_once_a_minute_through_the_wizard(world):
    order = world.order()
    person = PersonApplication.objects.filter(order=order).first()
    url = reverse("filings:wizard_person", args=[order.number, person.pk])
    client = Client()
    client.force_login(world.owner)
    for _ in range(5):
        client.post(url, _person_form(person, action="send_code"))
    assert PhoneMessage.objects.filter(to_number=person.mobile).count() == 1


# --- the administration's SMS verification page (five wrong ID entries) ---------------------------------------------


def _verify_on_the_page(client, **data):
    from miit.puzzle import SESSION_KEY

    url = reverse("miit:sms_verify", args=["110000"])
    assert client.get(url).status_code == 200
    fields = {"mobile": SUBJECT_MOBILE, "id_suffix": ID_SUFFIX, "slider": client.session[f"{SESSION_KEY}:sms_verify"]}
    return client.post(url, {**fields, **data})


def test_five_wrong_id_entries_on_the_provincial_page_return_the_order(
    ready, administration, django_capture_on_commit_callbacks
):
    """RULES.md, SMS verification: five wrong ID entries in a row fail the verification; the order comes back
    (管局退回) and the right ID no longer verifies anything."""
    from filings.constants import OrderStatus

    order = ready()
    administration.forward(order)
    code = latest_code()
    client = Client(REMOTE_ADDR=HOME_IP)
    for attempt in range(1, 6):
        with django_capture_on_commit_callbacks(execute=True):
            response = _verify_on_the_page(client, code=code, id_suffix="000000")
        assert response.status_code == 200
        assert response.context["form"].errors, attempt
        assert refreshed(order).status == (OrderStatus.MIIT_RETURNED if attempt == 5 else OrderStatus.SMS_VERIFICATION)

    response = _verify_on_the_page(client, code=code)
    assert response.context["form"].errors
    assert not SmsVerification.objects.filter(verified_at__isnull=False).exists()
    assert refreshed(order).status == OrderStatus.MIIT_RETURNED


def test_ten_wrong_codes_on_the_provincial_page_kill_the_code(ready, administration):
    from filings.constants import OrderStatus

    order = ready()
    administration.forward(order)
    code = latest_code()
    client = Client(REMOTE_ADDR=HOME_IP)
    for _ in range(10):
        assert _verify_on_the_page(client, code=_wrong(code)).context["form"].errors
    response = _verify_on_the_page(client, code=code)
    assert response.context["form"].errors
    assert not SmsVerification.objects.filter(verified_at__isnull=False).exists()
    assert refreshed(order).status == OrderStatus.SMS_VERIFICATION
