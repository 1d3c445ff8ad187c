"""SMS verification by the simulated administration (RULES.md, "SMS verification"): where and when it is needed,
who gets a code, the provincial page's checks, the window, and both ways back from 管局退回."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.models import PhoneMessage
from filings import services as filings
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import FieldRemark, FilingOrder, OrderEvent, PersonApplication
from miit.models import OutboundCallback, SmsRule, SmsVerification, Submission
from miit.services import sms_required_for
from miit.simulator import sms
from miit.simulator.sms import SmsError
from regions.models import ProvinceRule
from tests.filings import conftest as filing_fixtures
from tests.miit import simulator_support as support
from tests.miit.simulator_support import ID_SUFFIX, SUBJECT_MOBILE, codes_sent, latest_code, refreshed

# Fixtures shared with other test modules.
make_order, precheck_passes = filing_fixtures.make_order, filing_fixtures.precheck_passes
administration, ready, settings_row = support.administration, support.ready, support.settings_row

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


# --- where and when --------------------


@pytest.mark.parametrize(
    ("province", "day", "required"),
    [
        ("110000", date(2019, 1, 1), False),  # Beijing joined with every province, 2020-08-17
        ("330000", date(2018, 9, 11), True),  # Zhejiang piloted from 2018-09-10
        ("330000", date(2018, 9, 9), False),
        ("110000", date(2021, 1, 1), True),
        ("120000", date(2017, 12, 18), True),  # Tianjin, first pilot
        ("370000", date(2018, 9, 23), False),  # Shandong, from 2018-09-24
        ("370000", date(2018, 9, 24), True),
    ],
)
def test_sms_rules_follow_the_province_and_its_effective_date(province, day, required):
    assert sms_required_for(province_code=province, order_type=OrderType.FIRST_FILING, on=day) is required


@pytest.mark.parametrize("kind", [OrderType.CANCEL_SUBJECT, OrderType.CANCEL_WEBSITE, OrderType.CANCEL_ACCESS])
def test_cancellations_never_need_sms(kind):
    assert sms_required_for(province_code="110000", order_type=kind, on=date(2021, 1, 1)) is False
    assert sms_required_for(province_code="330000", order_type=kind, on=date(2018, 9, 11)) is False


def test_the_administration_decides_from_its_own_rule_table_not_the_portals():
    day = date(2021, 1, 1)
    SmsRule.objects.filter(province_id="110000").delete()
    assert ProvinceRule.objects.filter(province_id="110000", sms_verification_required=True).exists()
    assert sms_required_for(province_code="110000", order_type=OrderType.FIRST_FILING, on=day) is False


def test_a_beijing_order_forwarded_in_2019_goes_straight_to_review_without_codes(ready, administration, clock):
    clock.freeze(at(2019, 1, 2, 10))
    order = ready()
    submission = administration.forward(order)
    assert refreshed(order).status == S.MIIT_REVIEW
    assert submission.status == Submission.Status.IN_REVIEW
    assert not PhoneMessage.objects.filter(source="miit").exists()


def test_a_beijing_order_forwarded_in_2021_gets_codes(ready, administration, clock):
    clock.freeze(at(2021, 1, 4, 10))
    order = ready()
    submission = administration.forward(order)
    assert refreshed(order).status == S.SMS_VERIFICATION
    assert submission.status == Submission.Status.SMS_PENDING
    assert len(codes_sent()) == 1


# --- who gets a code --------------------


def test_one_message_where_subject_and_website_principal_share_a_mobile(ready, administration):
    order = ready()
    administration.forward(order)
    texts = PhoneMessage.objects.filter(source="miit")
    assert [t.to_number for t in texts] == [SUBJECT_MOBILE]
    record = SmsVerification.objects.get()
    assert sorted(record.roles) == ["subject_principal", "website_principal"]
    # From the carrier's fixed sender (138: China Mobile).
    assert texts[0].sender == "106575000130"


def test_each_mobile_gets_its_code_and_the_review_waits_for_both(ready, administration):
    order = ready()
    other = PersonApplication.objects.create(
        order=order,
        name="李娜",
        certificate_type="resident_id",
        certificate_number="110101199003070046",
        mobile="18912345678",  # China Telecom
        email="li.na@example.com",
    )
    order.websites.update(principal=other)
    administration.forward(order)
    assert sorted(PhoneMessage.objects.filter(source="miit").values_list("to_number", "sender")) == [
        (SUBJECT_MOBILE, "106575000130"),
        ("18912345678", "106598051001"),
    ]
    assert not administration.verify().complete
    assert refreshed(order).status == S.SMS_VERIFICATION
    assert administration.verify(mobile="18912345678", suffix="070046").complete
    assert refreshed(order).status == S.MIIT_REVIEW


def test_codes_are_stored_hashed(ready, administration):
    administration.forward(ready())
    code = latest_code()
    record = SmsVerification.objects.values().get()
    assert not any(code in str(value) for value in record.values())


# --- the provincial page's checks --------------------


def test_the_right_code_mobile_and_id_verify_and_the_review_starts(ready, administration):
    order = ready()
    administration.forward(order)
    result = administration.verify()
    assert result.complete and result.order_reference == order.number
    assert refreshed(order).status == S.MIIT_REVIEW
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.IN_REVIEW and submission.decide_at is not None
    assert OutboundCallback.objects.get().type == "sms_verified"


@pytest.mark.parametrize(
    "wrong",
    [{"code": "000000"}, {"mobile": "13900139000"}, {"province": "330000"}],
    ids=["code", "mobile", "province"],
)
def test_a_mismatch_finds_no_record(ready, administration, wrong):
    order = ready()
    administration.forward(order)
    code = latest_code()
    if wrong.get("code") == code:
        wrong = {"code": "000001"}
    with pytest.raises(SmsError) as refused:
        administration.verify(**{"code": code, **wrong})
    assert refused.value.code == "no_record"
    assert refreshed(order).status == S.SMS_VERIFICATION
    assert SmsVerification.objects.get().wrong_id_attempts == 0


def test_five_wrong_id_entries_in_a_row_return_the_order(ready, administration):
    order = ready()
    administration.forward(order)
    for left in (4, 3, 2, 1):
        with pytest.raises(SmsError) as refused:
            administration.verify(suffix="000000")
        assert refused.value.code == "wrong_id"
        assert str(left) in str(refused.value.message)
    assert refreshed(order).status == S.SMS_VERIFICATION
    with pytest.raises(SmsError) as refused:
        administration.verify(suffix="000000")
    assert refused.value.code == "wrong_id_failed"
    order = refreshed(order)
    assert order.status == S.MIIT_RETURNED
    callback = OutboundCallback.objects.get()
    assert (callback.type, callback.payload["data"]["code"], callback.status) == ("sms_failed", "wrong_id", "delivered")
    assert FieldRemark.objects.get(order=order, code="sms_verification").message == callback.payload["data"]["reason"]
    # The round is over: even the right ID finds nothing now.
    with pytest.raises(SmsError):
        administration.verify()


def test_a_right_id_resets_nothing_else_and_verifies_after_wrong_entries(ready, administration):
    order = ready()
    administration.forward(order)
    for _ in range(4):
        with pytest.raises(SmsError):
            administration.verify(suffix="000000")
    assert administration.verify(suffix=ID_SUFFIX.lower()).complete
    assert refreshed(order).status == S.MIIT_REVIEW


# --- the window --------------------


def test_the_24_hour_window_on_the_settable_clock_returns_the_order(ready, administration, clock):
    clock.freeze(at(2026, 3, 2, 9))
    order = ready()
    administration.forward(order)
    clock.freeze(at(2026, 3, 3, 8, 59))
    administration.run()
    assert refreshed(order).status == S.SMS_VERIFICATION
    clock.freeze(at(2026, 3, 3, 9, 0, 1))
    administration.run()
    order = refreshed(order)
    assert order.status == S.MIIT_RETURNED
    event = OrderEvent.objects.get(order=order, action="fail_sms_verification")
    assert "24" in event.reason
    assert OutboundCallback.objects.get().payload["data"]["code"] == "window_missed"
    with pytest.raises(SmsError):
        administration.verify()


def test_the_window_is_a_setting(ready, administration, clock, settings_row):
    settings_row.sms_window_hours = 48
    settings_row.save()
    clock.freeze(at(2026, 3, 2, 9))
    order = ready()
    administration.forward(order)
    clock.freeze(at(2026, 3, 3, 10))
    administration.run()
    assert refreshed(order).status == S.SMS_VERIFICATION
    clock.freeze(at(2026, 3, 4, 9, 1))
    administration.run()
    assert refreshed(order).status == S.MIIT_RETURNED


def test_the_window_sweep_moves_every_due_round_at_once(ready, administration, clock):
    clock.freeze(at(2026, 3, 2, 9))
    orders = [ready() for _ in range(3)]
    for order in orders:
        administration.forward(order)
    clock.advance(timedelta(hours=25))
    assert len(sms.sms_windows_sweep()) == 3
    assert sms.sms_windows_sweep() == []
    assert OutboundCallback.objects.filter(type="sms_failed").count() == 3


# --- resending --------------------


def test_a_resent_code_replaces_the_old_one(ready, administration, clock):
    clock.freeze(at(2026, 3, 2, 9))
    order = ready()
    administration.forward(order)
    old = latest_code()
    with pytest.raises(SmsError) as refused:
        sms.sms_resend(province_code="110000", mobile=SUBJECT_MOBILE)
    assert refused.value.code == "too_soon"
    clock.advance(timedelta(minutes=2))
    assert sms.sms_resend(province_code="110000", mobile=SUBJECT_MOBILE) == 1
    new = latest_code()
    assert len(codes_sent()) == 2
    if new != old:
        with pytest.raises(SmsError):
            administration.verify(code=old)
    assert administration.verify(code=new).complete
    assert refreshed(order).status == S.MIIT_REVIEW


def test_resending_to_a_mobile_with_nothing_open_sends_nothing(ready, administration):
    administration.forward(ready())
    assert sms.sms_resend(province_code="110000", mobile="13900139000") == 0
    assert sms.sms_resend(province_code="330000", mobile=SUBJECT_MOBILE) == 0
    assert len(codes_sent()) == 1


# --- both ways back from 管局退回 --------------------


@pytest.fixture
def returned(ready, administration, clock):
    clock.freeze(at(2026, 3, 2, 9))
    order = ready()
    administration.forward(order)
    clock.advance(timedelta(hours=24, seconds=1))
    administration.run()
    assert refreshed(order).status == S.MIIT_RETURNED
    return order


def test_resubmitted_unchanged_the_order_gets_new_codes(returned, administration, django_capture_on_commit_callbacks):
    order = returned
    with django_capture_on_commit_callbacks(execute=True):
        filings.order_resubmit_unchanged(order_id=order.pk, actor=order.applicant)
    assert refreshed(order).status == S.SMS_VERIFICATION
    submission = Submission.objects.get()
    assert (submission.status, submission.sms_round) == (Submission.Status.SMS_PENDING, 2)
    assert len(codes_sent()) == 2
    # The new round has a new window, from now.
    assert SmsVerification.objects.get(round=2).expires_at > SmsVerification.objects.get(round=1).expires_at
    assert administration.verify().complete
    assert refreshed(order).status == S.MIIT_REVIEW


def test_a_repeated_request_for_new_codes_starts_one_round(
    returned, administration, django_capture_on_commit_callbacks
):
    from filings.callbacks import request_new_sms_codes

    with django_capture_on_commit_callbacks(execute=True):
        filings.order_resubmit_unchanged(order_id=returned.pk, actor=returned.applicant)
    request_new_sms_codes(returned.pk)
    request_new_sms_codes(returned.pk)
    assert Submission.objects.get().sms_round == 2
    assert len(codes_sent()) == 2


def test_edited_and_resubmitted_the_order_passes_initial_review_and_comes_as_a_new_submission(
    returned, administration, precheck_passes
):
    order = returned
    filings.order_resubmit(order_id=order.pk, actor=order.applicant)
    assert refreshed(order).status == S.PENDING_INITIAL_REVIEW
    assert len(codes_sent()) == 1  # nothing from the administration yet: the provider reviews first
    # The provider's initial and photo review pass (their own tests cover them): it waits to be forwarded again.
    FilingOrder.objects.filter(pk=order.pk).update(status=S.PENDING_MIIT_SUBMISSION)
    second = administration.forward(order)
    assert second.submission_key == f"{order.number}-2"
    first = Submission.objects.get(submission_key=f"{order.number}-1")
    assert first.status == Submission.Status.SUPERSEDED
    assert (second.status, refreshed(order).status) == (Submission.Status.SMS_PENDING, S.SMS_VERIFICATION)
    assert len(codes_sent()) == 2
    assert administration.verify().complete
    assert refreshed(order).status == S.MIIT_REVIEW
