"""The task after commit and the beat sweeper running at the same moment send each message once (PostgreSQL row
locks with SKIP LOCKED, and the lease)."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from core.models import PhoneMessage
from notifications import delivery
from notifications.models import InboxMessage, OutboxMessage
from notifications.services import notify
from tests.factories import UserFactory
from tests.notifications.gateways import Slow

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_task_and_the_sweeper_racing_send_each_message_once(monkeypatch, sms_gateway):
    # Keep the eager task from delivering at commit: the race below is the delivery.
    monkeypatch.setattr("notifications.services.enqueue_delivery", lambda ids: None)
    sms_gateway("tests.notifications.gateways.Slow")
    Slow.calls = 0
    ids = []
    with transaction.atomic():
        for n in range(4):
            ids += notify(
                recipient=UserFactory(),
                mobile=f"1380013800{n}",
                event="order.approved",
                context={"order_number": f"B{n}", "subject_icp_number": "京ICP备1号", "websites": []},
                idempotency_key=f"order-event:{n}",
            )
    assert len(ids) == 12

    _race(
        lambda: delivery.outbox_deliver(ids=ids),
        lambda: delivery.outbox_deliver(ids=ids),
        delivery.outbox_sweep,
        delivery.outbox_sweep,
    )

    assert Slow.calls == 4
    assert PhoneMessage.objects.count() == 4
    assert len(mail.outbox) == 4
    assert InboxMessage.objects.count() == 4
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
