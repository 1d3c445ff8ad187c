"""A worker dies in the middle of a task (DESIGN.md, "Work in the background": ``acks_late`` with
``task_reject_on_worker_lost``, tasks that are safe to run twice): the task runs again and its effect happens once.

The task is the real ``notifications.deliver`` sending a text; the test's gateway (gateways.StallOnce) stops inside
the first send, where a real gateway waits on the network, and the test kills the worker there. Two ways to die:

- the whole worker killed like a crashed machine: the message was never acknowledged, so Redis gives it to another
  worker once the visibility timeout has passed (4 s here; ``CELERY_VISIBILITY_TIMEOUT``, an hour by default);
- only the pool process running the task killed: the worker rejects the message back to the queue at once
  (``task_reject_on_worker_lost``) and runs it again.
"""

import os
import signal
import time

import pytest
from django.db import transaction

from core.models import PhoneMessage
from notifications.constants import Channel, OutboxStatus
from notifications.models import OutboxMessage
from notifications.services import notify
from notifications.tasks import deliver_messages, sweep_outbox
from tests.factories import UserFactory

from .worker import Worker

pytestmark = [pytest.mark.postgres, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 4
LEASE_SECONDS = 2
WORKER_SETTINGS = (
    "NOTIFICATIONS = {**NOTIFICATIONS, 'SMS_GATEWAY': 'tests.concurrency.gateways.StallOnce', "
    f"'LEASE_SECONDS': {LEASE_SECONDS}}}\n"
    # kombu looks for unacknowledged messages past the timeout every 10 x 10 s by default: every second here.
    f"CELERY_BROKER_TRANSPORT_OPTIONS = {{'visibility_timeout': {VISIBILITY_TIMEOUT}, "
    "'unacked_restore_interval': 1, 'unacked_restore_throttle': 1}\n"
)
MOBILE = "13800138000"


@pytest.fixture
def text_to_send(monkeypatch):
    """One text waiting in the outbox (nothing enqueued: the test sends the task itself)."""
    monkeypatch.setattr("notifications.services.enqueue_delivery", lambda ids: None)
    with transaction.atomic():
        ids = notify(
            recipient=UserFactory(),
            mobile=MOBILE,
            channels=[Channel.SMS],
            event="order.approved",
            context={"order_number": "ICP1", "subject_icp_number": "京ICP备1号", "websites": []},
            idempotency_key="worker-lost:1",
        )
    return OutboxMessage.objects.get(pk__in=ids, channel=Channel.SMS)


def _worker(tmp_path, broker, name, **kwargs):
    env = {"STALL_FOLDER": str(tmp_path)}
    return Worker(tmp_path, broker.url, name=name, extra_settings=WORKER_SETTINGS, env=env, **kwargs)


def _stalled(tmp_path, message):
    return tmp_path / f"stalled-outbox-{message.pk}"


def test_a_task_whose_worker_was_killed_runs_again_on_another_worker_and_sends_once(own_broker, tmp_path, text_to_send):
    first = _worker(tmp_path, own_broker, "first")
    second = None
    try:
        task = deliver_messages.apply_async(args=[[text_to_send.pk]])
        first.wait_for(lambda: _stalled(tmp_path, text_to_send).exists(), what="the send to stall")
        killed_at = time.monotonic()
        first.kill()
        assert PhoneMessage.objects.count() == 0
        assert first.succeeded("notifications.deliver") == 0

        second = _worker(tmp_path, own_broker, "second")
        second.wait_for(
            lambda: second.succeeded("notifications.deliver") >= 1, what="the task to run again", timeout=90
        )
        waited = time.monotonic() - killed_at
    finally:
        first.stop()
        if second is not None:
            second.stop()

    assert second.received("notifications.deliver", task.id) == 1  # the same message, delivered again
    assert waited >= VISIBILITY_TIMEOUT
    assert PhoneMessage.objects.filter(to_number=MOBILE).count() == 1
    text_to_send.refresh_from_db()
    assert (text_to_send.status, text_to_send.attempts) == (OutboxStatus.SENT, 2)


def test_a_task_whose_pool_process_was_killed_is_put_back_and_sends_once(own_broker, tmp_path, text_to_send):
    worker = _worker(tmp_path, own_broker, "prefork", pool="prefork")
    try:
        task = deliver_messages.apply_async(args=[[text_to_send.pk]])
        stalled = _stalled(tmp_path, text_to_send)
        worker.wait_for(lambda: stalled.exists() and stalled.read_text(), what="the send to stall")
        os.kill(int(stalled.read_text()), signal.SIGKILL)  # the pool process, not the worker
        worker.wait_for(
            lambda: worker.received("notifications.deliver", task.id) >= 2, what="the task put back and received again"
        )
        worker.wait_for(lambda: worker.succeeded("notifications.deliver") >= 1, what="the task to run again")
        # The second run found the text still leased to the dead process, or sent it; the sweep sends what is left.
        time.sleep(LEASE_SECONDS + 0.5)
        sweep_outbox.apply_async()
        worker.wait_for(lambda: worker.succeeded("notifications.sweep_outbox") >= 1, what="the sweep")
    finally:
        worker.stop()

    assert "WorkerLostError" in worker.log or "SIGKILL" in worker.log
    assert PhoneMessage.objects.filter(to_number=MOBILE).count() == 1
    text_to_send.refresh_from_db()
    assert text_to_send.status == OutboxStatus.SENT
    assert text_to_send.attempts == 2
