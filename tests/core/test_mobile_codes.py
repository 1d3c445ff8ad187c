import re
from datetime import timedelta

import pytest

from core import mobile_codes
from core.models import MobileCode, PhoneMessage

pytestmark = pytest.mark.django_db
MOBILE = "13800138000"


def _code_in_last_text() -> str:
    return re.search(r"\b(\d{6})\b", PhoneMessage.objects.filter(to_number=MOBILE).first().body).group(1)


def test_a_six_digit_code_arrives_from_the_carriers_sender_and_only_its_hash_is_stored(clock):
    record = mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    text = PhoneMessage.objects.get(to_number=MOBILE)
    code = _code_in_last_text()
    assert text.sender == "106575000130"
    assert code not in record.code_hash
    assert MobileCode.objects.filter(code_hash__contains=code).count() == 0


def test_the_right_code_verifies_the_mobile(clock):
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    mobile_codes.mobile_code_check(mobile=MOBILE, purpose="principal", code=_code_in_last_text())
    assert mobile_codes.mobile_is_verified(mobile=MOBILE, purpose="principal")
    assert not mobile_codes.mobile_is_verified(mobile=MOBILE, purpose="another-purpose")


def test_a_wrong_code_is_refused_and_five_wrong_codes_kill_it(clock):
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    right = _code_in_last_text()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(mobile_codes.CodeError) as exc:
            mobile_codes.mobile_code_check(mobile=MOBILE, purpose="principal", code=wrong)
        assert exc.value.code == "wrong_code"
    with pytest.raises(mobile_codes.CodeError) as exc:
        mobile_codes.mobile_code_check(mobile=MOBILE, purpose="principal", code=right)
    assert exc.value.code == "too_many_attempts"


def test_a_code_expires_after_five_minutes(clock):
    clock.freeze()
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    clock.advance(timedelta(minutes=5, seconds=1))
    with pytest.raises(mobile_codes.CodeError) as exc:
        mobile_codes.mobile_code_check(mobile=MOBILE, purpose="principal", code=_code_in_last_text())
    assert exc.value.code == "expired"


def test_resending_within_a_minute_is_refused_with_the_wait(clock):
    clock.freeze()
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    clock.advance(timedelta(seconds=20))
    with pytest.raises(mobile_codes.CodeError) as exc:
        mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    assert exc.value.code == "too_soon"
    assert 39 <= exc.value.retry_after_seconds <= 41
    assert PhoneMessage.objects.filter(to_number=MOBILE).count() == 1


def test_a_resent_code_replaces_the_old_one(clock):
    clock.freeze()
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    old = _code_in_last_text()
    clock.advance(timedelta(seconds=61))
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    new = _code_in_last_text()
    if old != new:
        with pytest.raises(mobile_codes.CodeError):
            mobile_codes.mobile_code_check(mobile=MOBILE, purpose="principal", code=old)
    mobile_codes.mobile_code_check(mobile=MOBILE, purpose="principal", code=new)


def test_at_most_five_codes_an_hour_per_number(clock):
    clock.freeze()
    for _ in range(5):
        mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
        clock.advance(timedelta(seconds=61))
    with pytest.raises(mobile_codes.CodeError) as exc:
        mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")
    assert exc.value.code == "too_many"
    clock.advance(timedelta(hours=1))
    mobile_codes.mobile_code_send(mobile=MOBILE, purpose="principal")


def test_a_landline_cannot_receive_a_code(clock):
    with pytest.raises(mobile_codes.CodeError) as exc:
        mobile_codes.mobile_code_send(mobile="010-12345678", purpose="principal")
    assert exc.value.code == "invalid_mobile"
    assert PhoneMessage.objects.count() == 0
