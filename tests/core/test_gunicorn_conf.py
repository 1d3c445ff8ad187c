"""The container's gunicorn settings (docker/gunicorn.conf.py): sync workers unless a deployment asks for threads,
every knob from the environment."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "docker" / "gunicorn.conf.py"


def _settings(monkeypatch, **environ) -> dict:
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_the_container_runs_three_sync_workers_by_default(monkeypatch):
    conf = _settings(monkeypatch)
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("sync", 3, 1)
    assert conf["bind"] == "0.0.0.0:8000"


def test_threads_above_one_run_gthread_workers(monkeypatch):
    conf = _settings(monkeypatch, GUNICORN_THREADS="4", WEB_CONCURRENCY="5")
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("gthread", 5, 4)
