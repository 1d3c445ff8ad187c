"""Delivery: each channel, exactly once however often the task runs, retries with backoff, then failed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models import PhoneMessage
from notifications import delivery
from notifications.constants import Channel, OutboxStatus
from notifications.models import InboxMessage, OutboxMessage
from notifications.services import notify
from notifications.tasks import deliver_messages, sweep_outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"order_number": "B2026", "subject_name": "北京示例科技有限公司", "link": "/filing/orders/B2026/"}


def _store(*, mobile="13800138000", event="order.rejected", key="order-event:1", user=None, context=None):
    user = user or UserFactory(email="applicant@example.com")
    with transaction.atomic():
        return notify(
            recipient=user,
            mobile=mobile,
            event=event,
            context=context or {**CONTEXT, "stage": "initial_review", "reasons": ["网站名称不符"]},
            idempotency_key=key,
        )


def _statuses():
    return dict(OutboxMessage.objects.values_list("channel", "status"))


def test_each_channel_delivers_its_message():
    user = UserFactory(email="applicant@example.com")
    ids = _store(user=user)
    assert delivery.outbox_deliver(ids=ids) == 3
    assert _statuses() == {Channel.EMAIL: "sent", Channel.SMS: "sent", Channel.IN_APP: "sent"}

    [email] = mail.outbox
    assert email.to == ["applicant@example.com"]
    assert "B2026" in email.subject
    assert "网站名称不符" in email.body
    assert "http://localhost:8000/filing/orders/B2026/" in email.body
    row = OutboxMessage.objects.get(channel=Channel.EMAIL)
    assert email.extra_headers["Message-ID"] == f"<outbox-{row.pk}@icp.example.com>"
    assert row.provider_reference == email.extra_headers["Message-ID"]

    [text] = PhoneMessage.objects.all()
    assert (text.to_number, text.source) == ("13800138000", "notifications")
    assert "B2026" in text.body

    [inbox] = InboxMessage.objects.all()
    assert inbox.user == user
    assert inbox.link == "/filing/orders/B2026/"
    assert "网站名称不符" in inbox.body
    assert inbox.read_at is None


@pytest.mark.parametrize(
    ("mobile", "sender"),
    [("13800138000", "106575000130"), ("18912345678", "106598051001"), ("13012345678", "10655113")],
)
def test_a_text_comes_from_the_sender_number_of_the_recipients_carrier(mobile, sender):
    delivery.outbox_deliver(ids=_store(mobile=mobile))
    assert PhoneMessage.objects.get().sender == sender


def test_the_delivering_task_run_twice_sends_each_message_once():
    ids = _store()
    assert deliver_messages.apply(args=[ids]).get() == 3
    assert deliver_messages.apply(args=[ids]).get() == 0
    assert sweep_outbox.apply().get() == 0
    assert len(mail.outbox) == 1
    assert PhoneMessage.objects.count() == 1
    assert InboxMessage.objects.count() == 1


def test_a_row_another_sender_holds_is_left_alone_until_its_lease_runs_out():
    ids = _store()
    held = delivery.outbox_claim(ids=ids)
    assert len(held) == 3
    assert delivery.outbox_deliver(ids=ids) == 0
    assert delivery.outbox_sweep() == 0
    assert mail.outbox == []
    # The holder died: once the lease has run out, the sweeper sends the rows.
    OutboxMessage.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    assert delivery.outbox_sweep() == 3
    assert OutboxMessage.objects.get(channel=Channel.EMAIL).attempts == 2


def test_a_sender_that_lost_its_lease_does_not_write_a_second_in_app_message():
    ids = _store(mobile="")
    [slow] = [m for m in delivery.outbox_claim(ids=ids) if m.channel == Channel.IN_APP]
    OutboxMessage.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    assert delivery.outbox_sweep() == 2
    # The first sender wakes up late: its lease is no longer the row's.
    assert delivery._deliver(slow) is False
    assert InboxMessage.objects.count() == 1


def test_a_message_not_yet_due_waits():
    user = UserFactory()
    with transaction.atomic():
        notify(
            recipient=user,
            event="order.submitted",
            context=CONTEXT,
            idempotency_key="later",
            due_at=timezone.now() + timedelta(hours=1),
        )
    assert delivery.outbox_sweep() == 0
    assert set(_statuses().values()) == {OutboxStatus.PENDING}


def test_a_failing_gateway_is_retried_with_growing_waits_then_the_message_fails(clock, sms_gateway):
    sms_gateway("tests.notifications.gateways.Broken")
    clock.freeze()
    _store()
    waits = []
    for _ in range(5):
        before = clock.now()
        delivery.outbox_sweep()
        sms = OutboxMessage.objects.get(channel=Channel.SMS)
        if sms.status == OutboxStatus.FAILED:
            break
        assert sms.status == OutboxStatus.PENDING
        assert delivery.outbox_sweep() == 0  # not due again yet
        waits.append(sms.due_at - before)
        clock.advance(sms.due_at - before)
    assert waits == [timedelta(seconds=30), timedelta(seconds=120), timedelta(seconds=600), timedelta(seconds=1800)]
    assert sms.status == OutboxStatus.FAILED
    assert sms.attempts == 5
    assert "gateway unreachable" in sms.last_error
    assert PhoneMessage.objects.count() == 0
    # The other channels did not wait for the broken one.
    assert _statuses()[Channel.EMAIL] == OutboxStatus.SENT


def test_a_number_that_cannot_receive_texts_fails_at_once():
    row = OutboxMessage.objects.create(
        channel=Channel.SMS,
        address="12345",
        event="account.sms_code",
        context={"code": "123456", "minutes": 5},
        idempotency_key="bad",
        due_at=timezone.now(),
        created_at=timezone.now(),
    )
    delivery.outbox_sweep()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)


def test_a_broker_that_is_down_does_not_fail_the_change_and_the_sweeper_sends_later(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(deliver_messages, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        ids = _store()
    assert OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).count() == 3
    assert mail.outbox == []
    assert sweep_outbox.apply().get() == 3
    assert sweep_outbox.apply().get() == 0
    assert (len(mail.outbox), PhoneMessage.objects.count(), InboxMessage.objects.count()) == (1, 1, 1)


def test_messages_are_rendered_in_the_recipients_language_whatever_the_language_of_the_sender(monkeypatch):
    from django.utils import translation

    from notifications import rendering
    from notifications.models import NotificationPreference

    seen = []
    original = rendering._render

    def spy(name, context):
        seen.append(translation.get_language())
        return original(name, context)

    monkeypatch.setattr(rendering, "_render", spy)
    english, chinese = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=english, language="en")
    _store(user=english, mobile="", key="a")
    _store(user=chinese, mobile="", key="b")
    with translation.override("en"):
        for row in OutboxMessage.objects.filter(recipient=chinese):
            delivery.outbox_deliver(ids=[row.pk])
    assert set(seen) == {"zh-hans"}
    seen.clear()
    with translation.override("zh-hans"):
        delivery.outbox_sweep()
    assert set(seen) == {"en"}
