"""A real broker outage: with the test's own Redis stopped, orders still move and their messages are stored; once
Redis is back, a real Celery worker's sweeper delivers each message exactly once."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from core.models import PhoneMessage
from filings import services
from filings.constants import OrderStatus as S
from filings.services.transitions import Remark
from notifications.constants import Channel, OutboxStatus
from notifications.models import InboxMessage, OutboxMessage
from notifications.tasks import deliver_messages, sweep_outbox
from tests.concurrency.worker import database_url
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _start_worker(folder: Path, broker_url: str):
    """``celery -A icpfiling worker`` on the test database and the test's Redis; e-mail goes to files."""
    (folder / "mail").mkdir()
    (folder / "outage_settings.py").write_text(
        "from icpfiling.settings.test import *  # noqa\n"
        "EMAIL_BACKEND = 'django.core.mail.backends.filebased.EmailBackend'\n"
        f"EMAIL_FILE_PATH = {str(folder / 'mail')!r}\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "outage_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log = open(folder / "worker.log", "w")  # noqa: SIM115 (closed with the worker)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "icpfiling",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "-Q",
            "celery",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "outage@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def _stop_worker(process, log):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log.close()


def _wait_for(condition, *, timeout, what, log_path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log_path.read_text()[-4000:]}")


def test_messages_survive_a_broker_outage_and_are_delivered_once_when_it_returns(
    own_broker, tmp_path, make_order, precheck_passes
):
    reviewer = UserFactory(reviewer=True)
    submitted = make_order()
    rejected = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)

    own_broker.stop()
    started = time.monotonic()
    services.order_submit(order_id=submitted.pk, actor=submitted.applicant)
    services.order_initial_review_reject(order_id=rejected.pk, actor=reviewer, remarks=[Remark("", "名称不符")])
    assert time.monotonic() - started < 10  # the broker error costs no long wait in the request

    submitted.refresh_from_db()
    assert submitted.status == S.PENDING_INITIAL_REVIEW
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert {r.status for r in rows} == {OutboxStatus.PENDING}
    assert Counter((r.event, r.channel) for r in rows) == {
        ("order.submitted", Channel.EMAIL): 1,
        ("order.submitted", Channel.IN_APP): 1,
        ("staff.new_work", Channel.IN_APP): 1,
        ("order.rejected", Channel.EMAIL): 1,
        ("order.rejected", Channel.IN_APP): 1,
        ("order.rejected", Channel.SMS): 1,
    }
    assert PhoneMessage.objects.count() == 0

    own_broker.start()
    worker, log = _start_worker(tmp_path, own_broker.url)
    log_path = tmp_path / "worker.log"
    try:
        # Beat would do this every 30 s; two sweeps and a late copy of the original task all reach the worker.
        sweep_outbox.apply_async()
        deliver_messages.apply_async(args=[[r.pk for r in rows]])
        sweep_outbox.apply_async()
        _wait_for(
            lambda: len(re.findall(r"succeeded in", log_path.read_text())) >= 3,
            timeout=90,
            what="three tasks to finish",
            log_path=log_path,
        )
    finally:
        _stop_worker(worker, log)

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert PhoneMessage.objects.count() == 1
    assert InboxMessage.objects.count() == 3
    mailed = Counter(
        int(match)
        for path in (tmp_path / "mail").iterdir()
        for match in re.findall(r"^X-Outbox-Id: (\d+)$", path.read_text(), flags=re.MULTILINE)
    )
    emails = OutboxMessage.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    assert mailed == dict.fromkeys(emails, 1)
