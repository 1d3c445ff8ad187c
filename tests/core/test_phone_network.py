import pytest
from django.test import override_settings
from django.urls import reverse

from core import phone
from core.models import Carrier, PhoneMessage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("mobile", "carrier", "sender"),
    [
        ("13800138000", Carrier.CHINA_MOBILE, "106575000130"),
        ("18912345678", Carrier.CHINA_TELECOM, "106598051001"),
        ("13012345678", Carrier.CHINA_UNICOM, "10655113"),
        ("17012345678", Carrier.VIRTUAL, ""),
        ("16512345678", Carrier.VIRTUAL, ""),
    ],
)
def test_texts_come_from_the_recipients_carrier_sender_number(mobile, carrier, sender):
    message = phone.phone_send(to=mobile, body="您的验证码为 123456")
    assert message.carrier == carrier
    assert message.sender == sender


@pytest.mark.parametrize("number", ["+86 138-0013-8000", "8613800138000", "138 0013 8000"])
def test_mobile_numbers_are_stored_in_national_form(number):
    assert phone.phone_send(to=number, body="x").to_number == "13800138000"


@pytest.mark.parametrize("number", ["12345", "010-12345678", "+1 415 555 0100", "abc"])
def test_a_text_to_a_number_that_is_not_a_mainland_mobile_is_refused(number):
    with pytest.raises(ValueError):
        phone.phone_send(to=number, body="x")
    assert PhoneMessage.objects.count() == 0


def test_a_text_sent_to_the_phone_network_appears_on_the_demo_phone_page(client):
    phone.phone_send(to="13800138000", body="【备案】您的短信核验码为 654321，24小时内有效。")
    phone.phone_send(to="13900139000", body="someone else's code 111111")
    response = client.get(reverse("core:demo_phone"), {"number": "13800138000"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "654321" in page
    assert "106575000130" in page
    assert "111111" not in page


def test_demo_phone_explains_a_malformed_number(client):
    response = client.get(reverse("core:demo_phone"), {"number": "12"})
    assert "error-message" in response.content.decode()


@override_settings(DEMO_MODE=False)
def test_demo_phone_does_not_exist_outside_demo_mode(client):
    phone.phone_send(to="13800138000", body="secret code 654321")
    response = client.get(reverse("core:demo_phone"), {"number": "13800138000"})
    assert response.status_code == 404
