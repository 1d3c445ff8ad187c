"""A real Celery worker and its own Redis for the reliability tests, after tests/notifications/test_broker_outage.py:
a throw-away ``redis-server`` the test starts and stops, and ``celery -A icpfiling worker`` on the test database,
in its own process group so it can be killed like a crashed machine."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

from icpfiling.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def reset_broker_connections():
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps producer pools per connection in a process-wide registry; the closed ones must go too, or the next
    # task sent to the restored broker finds a closed pool ("Acquire on closed pool").
    kombu_pools.reset()


@pytest.fixture
def own_broker(tmp_path):
    """A Redis of the test's own, and this process's Celery app sending to it (not eagerly)."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = RedisServer(tmp_path)
    conf = celery_app.conf
    saved = {name: conf[name] for name in ("broker_url", "broker_transport_options", "task_always_eager")}
    server.start()
    conf.update(broker_url=server.url, broker_transport_options={}, task_always_eager=False)
    reset_broker_connections()
    try:
        yield server
    finally:
        server.stop()
        conf.update(saved)
        reset_broker_connections()


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``celery worker`` with the test settings plus ``extra_settings`` (Python lines), logging to a file."""

    def __init__(self, folder: Path, broker_url: str, *, name: str, extra_settings: str = "", pool="solo", env=None):
        self.folder, self.name = folder, name
        settings_module = f"worker_settings_{name}"
        (folder / f"{settings_module}.py").write_text(
            "from icpfiling.settings.test import *  # noqa\n" + extra_settings
        )
        self.log_path = folder / f"worker-{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **(env or {}),
        }
        command = [sys.executable, "-m", "celery", "-A", "icpfiling", "worker", "--pool", pool, "--loglevel", "INFO"]
        command += ["-Q", "celery", "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"{name}@%h"]
        if pool == "prefork":
            command += ["--concurrency", "1"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, condition, *, what: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None and self.process.returncode not in (None, -signal.SIGKILL):
                break
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; worker {self.name} log:\n{self.log[-4000:]}")

    def received(self, task_name: str, task_id: str) -> int:
        """How many times this worker received the task (Celery 5.5+ logs "Task name[id] received")."""
        task = re.escape(f"{task_name}[{task_id}]")
        return len(re.findall(rf"(?:Task {task} received|Received task: {task})", self.log))

    def succeeded(self, task_name: str) -> int:
        return len(re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] succeeded", self.log))

    def kill(self):
        """Like pulling the plug: SIGKILL to the whole process group, nothing cleaned up, nothing acknowledged."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._log.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if not self._log.closed:
            self._log.close()
