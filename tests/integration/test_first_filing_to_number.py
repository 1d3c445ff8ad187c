"""A first filing from 提交管局 to 备案成功 with everything real: a Celery worker (with beat inside it, on the database
scheduler and the schedules `make run` uses) on its own Redis, the simulator on a fast clock (one second per working
day), SMS verification through the provincial page over HTTP, and every callback POSTed to the live test server.

Nothing here moves the clock or calls a task directly: the worker takes the forwarded submission, sends the codes,
delivers the callbacks, and beat's sweep decides once the three simulated working days have passed.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from django.db import connection

from core.models import PhoneMessage
from filings.callbacks import CallbackEvent
from filings.constants import OrderStatus as S
from filings.models import FilingOrder
from icpfiling.celery import app as celery_app
from miit.models import OutboundCallback, RegistrySubject, SimulatorSettings, Submission
from reviews import services as reviews
from tests.concurrency.worker import free_port, reset_broker_connections
from tests.factories import UserFactory
from tests.filings import conftest as filing_fixtures
from tests.miit.simulator_support import ID_SUFFIX, SUBJECT_MOBILE, domain_held_by_subject, latest_code

# Fixtures shared with other test modules.
make_order = filing_fixtures.make_order

pytestmark = [pytest.mark.postgres, pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 90


@pytest.fixture
def own_redis(tmp_path):
    """A throw-away redis-server for the broker and the worker's cache: no other test run can take our tasks."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    port = free_port()
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            if client.ping():
                break
        except redis.ConnectionError:
            time.sleep(0.05)
    url = f"redis://127.0.0.1:{port}/0"
    conf = celery_app.conf
    saved = {name: conf[name] for name in ("broker_url", "broker_transport_options", "task_always_eager")}
    conf.update(broker_url=url, broker_transport_options={}, task_always_eager=False)
    reset_broker_connections()
    try:
        yield url
    finally:
        conf.update(saved)
        reset_broker_connections()
        process.terminate()
        process.wait(timeout=10)


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, own_redis, live_server):
    """``celery worker -B`` on the test database and our Redis, calling back to the live server over HTTP."""
    (tmp_path / "simulator_settings.py").write_text(
        "from icpfiling.settings.test import *  # noqa\n"
        f"PORTAL_CALLBACK_URL = {live_server.url + '/filing/callbacks/administration/'!r}\n"
        "MIIT_CALLBACK_TRANSPORT = 'http'\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simulator_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DATABASE_URL": _database_url(),
        "REDIS_URL": own_redis,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed with the worker)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "icpfiling",
            "worker",
            "-B",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "simulator@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(lambda: "ready" in log_path.read_text(), timeout=60, what="the worker to start", log_path=log_path)
        yield log_path
    finally:
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
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log_path.read_text()[-6000:]}")


def _status(order) -> str:
    return FilingOrder.objects.get(pk=order.pk).status


def _verify_on_the_provincial_page(base_url: str, code: str) -> str:
    """What an applicant does in a browser without JavaScript: open the page, fill it, slide to the gap."""
    session = requests.Session()
    url = f"{base_url}/miit/sms/110000/"
    page = session.get(url, timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    gap = re.search(r'class="slider-stop slider-gap">(\d+)<', page).group(1)
    answer = session.post(
        url,
        data={
            "csrfmiddlewaretoken": token,
            "mobile": SUBJECT_MOBILE,
            "code": code,
            "id_suffix": ID_SUFFIX,
            "slider": gap,
        },
        headers={"Referer": url},
        timeout=10,
    )
    assert answer.status_code == 200
    return answer.text


def test_a_first_filing_reaches_its_number_with_a_real_worker_and_a_fast_clock(
    make_order,
    worker,
    live_server,
):
    SimulatorSettings.objects.update_or_create(
        pk=1, defaults={"seconds_per_working_day": 1, "review_days_min": 3, "review_days_max": 3}
    )
    order = make_order(status=S.PENDING_MIIT_SUBMISSION)
    domain_held_by_subject(order)
    reviewer = UserFactory(reviewer=True)

    started = time.monotonic()
    reviews.review_forward(order_id=order.pk, actor=reviewer)
    assert _status(order) == S.SMS_VERIFICATION
    _wait_for(
        lambda: PhoneMessage.objects.filter(source="miit", to_number=SUBJECT_MOBILE).exists(),
        timeout=DEADLINE_SECONDS,
        what="the administration's SMS code",
        log_path=worker,
    )
    codes_at = time.monotonic() - started

    page = _verify_on_the_provincial_page(live_server.url, latest_code())
    assert order.number in page
    _wait_for(
        lambda: _status(order) == S.MIIT_REVIEW,
        timeout=DEADLINE_SECONDS,
        what="the sms_verified callback",
        log_path=worker,
    )
    review_at = time.monotonic() - started
    _wait_for(lambda: _status(order) == S.APPROVED, timeout=DEADLINE_SECONDS, what="the approval", log_path=worker)
    approved_at = time.monotonic() - started
    print(f"\ncodes after {codes_at:.1f} s, under review after {review_at:.1f} s, filed after {approved_at:.1f} s")

    order = FilingOrder.objects.get(pk=order.pk)
    number = order.subject.icp_number
    assert re.fullmatch(r"京ICP备\d{8}号", number)
    assert list(order.subject.websites.values_list("icp_number", flat=True)) == [f"{number}-1"]
    assert RegistrySubject.objects.get(icp_number=number).password_hash
    assert PhoneMessage.objects.filter(source="miit", to_number=SUBJECT_MOBILE, body__contains=number).count() == 1
    assert Submission.objects.get().status == Submission.Status.APPROVED
    assert set(OutboundCallback.objects.values_list("type", "status")) == {
        ("sms_verified", "delivered"),
        ("approved", "delivered"),
    }
    assert sorted(CallbackEvent.objects.values_list("type", flat=True)) == ["approved", "sms_verified"]
    log = worker.read_text()
    assert (
        "miit.process_submission" in log and "miit.deliver_callbacks" in log and "miit.process_due_submissions" in log
    )
    assert approved_at < DEADLINE_SECONDS
