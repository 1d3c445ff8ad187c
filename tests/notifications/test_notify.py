"""notify(): messages are stored with their cause, once per occurrence, on the channels the person wants."""

import pytest
from django.db import transaction

from notifications import events
from notifications.constants import Channel, OutboxStatus
from notifications.models import NotificationPreference, OutboxMessage
from notifications.services import TransactionRequired, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NUMBERS = {"order_number": "B1", "subject_name": "示例", "link": "/x/"}


def _notify(**kwargs):
    with transaction.atomic():
        return notify(**kwargs)


def _rows():
    return sorted(OutboxMessage.objects.values_list("channel", "address", "event"))


def test_an_order_event_stores_one_row_per_channel_with_the_addresses_of_the_moment():
    user = UserFactory(email="zhang@example.com")
    _notify(
        recipient=user,
        mobile="+86 138 0013 8000",
        event="order.approved",
        context={**NUMBERS, "subject_icp_number": "京ICP备1号", "websites": []},
        idempotency_key="order-event:1",
    )
    assert _rows() == [
        (Channel.EMAIL, "zhang@example.com", "order.approved"),
        (Channel.IN_APP, "", "order.approved"),
        (Channel.SMS, "13800138000", "order.approved"),
    ]
    row = OutboxMessage.objects.get(channel=Channel.EMAIL)
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 0
    assert row.context["subject_icp_number"] == "京ICP备1号"
    assert row.language == "zh-hans"


def test_the_same_idempotency_key_twice_stores_nothing_new():
    user = UserFactory()
    for _ in range(3):
        _notify(recipient=user, mobile="13800138000", event="order.rejected", context=NUMBERS, idempotency_key="k:7")
    assert OutboxMessage.objects.count() == 3


def test_one_key_serves_every_recipient_of_an_occurrence():
    first, second = UserFactory(), UserFactory()
    for user in (first, second, first):
        _notify(recipient=user, event="staff.new_work", context=NUMBERS, idempotency_key="order-event:9:queue")
    assert sorted(OutboxMessage.objects.values_list("recipient_id", flat=True)) == sorted([first.pk, second.pk])


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_is_refused():
    with pytest.raises(TransactionRequired):
        notify(recipient=UserFactory(), event="order.submitted", context=NUMBERS, idempotency_key="k")
    assert OutboxMessage.objects.count() == 0


def test_a_message_rolled_back_with_its_cause_is_never_sent():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=user, event="order.submitted", context=NUMBERS, idempotency_key="k")
        raise RuntimeError("the order move failed")
    assert OutboxMessage.objects.count() == 0


def test_an_unknown_event_is_an_error():
    with pytest.raises(events.UnknownEvent):
        _notify(recipient=UserFactory(), event="order.nonsense", context={}, idempotency_key="k")


def test_a_channel_the_event_has_no_templates_for_is_an_error():
    with pytest.raises(ValueError, match="no templates"):
        _notify(recipient=UserFactory(), event="order.submitted", context={}, idempotency_key="k", channels=["sms"])


def test_a_mobile_that_is_not_a_mainland_mobile_gets_no_text_but_the_rest_goes():
    _notify(recipient=UserFactory(), mobile="010-12345678", event="order.rejected", context={}, idempotency_key="k")
    assert {c for c, _a, _e in _rows()} == {Channel.EMAIL, Channel.IN_APP}


def test_e_mail_switched_off_for_an_event_stores_no_e_mail_but_the_in_app_message_and_text_still_go():
    user = UserFactory()
    NotificationPreference.objects.create(user=user, email_off=["order.rejected"])
    _notify(recipient=user, mobile="13800138000", event="order.rejected", context=NUMBERS, idempotency_key="k")
    _notify(recipient=user, event="order.submitted", context=NUMBERS, idempotency_key="k2")
    assert _rows() == [
        (Channel.EMAIL, user.email, "order.submitted"),
        (Channel.IN_APP, "", "order.rejected"),
        (Channel.IN_APP, "", "order.submitted"),
        (Channel.SMS, "13800138000", "order.rejected"),
    ]


def test_sms_codes_and_legal_notices_go_whatever_the_preferences_say():
    user = UserFactory()
    NotificationPreference.objects.create(user=user, email_off=["legal.notice", "account.sms_code", "order.submitted"])
    _notify(recipient=user, mobile="13800138000", event="account.sms_code", context={"code": "1"}, idempotency_key="c")
    _notify(recipient=user, event="legal.notice", context={"title": "t", "text": "x"}, idempotency_key="n")
    assert _rows() == [
        (Channel.EMAIL, user.email, "legal.notice"),
        (Channel.IN_APP, "", "legal.notice"),
        (Channel.SMS, "13800138000", "account.sms_code"),
    ]


def test_messages_are_stored_in_the_recipients_language():
    english, default = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=english, language="en")
    _notify(recipient=english, event="order.submitted", context=NUMBERS, idempotency_key="a")
    _notify(recipient=default, event="order.submitted", context=NUMBERS, idempotency_key="b")
    languages = dict(OutboxMessage.objects.filter(channel=Channel.EMAIL).values_list("recipient_id", "language"))
    assert languages == {english.pk: "en", default.pk: "zh-hans"}


def test_delivery_is_asked_for_only_after_commit(django_capture_on_commit_callbacks):
    recipient = UserFactory()  # before: making an account has after-commit work of its own (the role cache)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = _notify(recipient=recipient, event="order.submitted", context=NUMBERS, idempotency_key="k")
    assert len(callbacks) == 1
    assert OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).count() == 2
