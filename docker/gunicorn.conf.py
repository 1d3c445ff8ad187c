"""gunicorn settings for the container image (the Dockerfile's default command).

Every knob can be changed per deployment through the environment, without rebuilding the image:

GUNICORN_BIND     address to listen on                     default 0.0.0.0:8000
GUNICORN_WORKERS  worker processes (WEB_CONCURRENCY too)   default 3
GUNICORN_THREADS  threads per worker                       default 1 (sync workers; more than 1: gthread)
GUNICORN_TIMEOUT  seconds before a silent worker is killed default 60

Sync workers, one request at a time each: nginx in front buffers slow clients and uploads, and no request waits on
anything slower than PostgreSQL and Redis (SMS, e-mail and the administration's callbacks are Celery's), so a
process is never idle while holding a request. A free worker is the one that accepts the next connection, which
keeps the slowest answers close to the typical ones; gthread workers accept connections whatever their threads are
doing and share one interpreter lock among them, and the benchmark measured their p99 at 3 to 15 times the sync
workers' on the same load (docs/performance.md, fix 21). A deployment whose requests wait on slow outside calls
(MIIT_GATEWAY=http to a distant administration) sets GUNICORN_THREADS above 1.

Each thread keeps its own database connection (CONN_MAX_AGE), so one web container holds up to
workers x threads connections to PostgreSQL: size max_connections for every replica (docs/deployment.md).
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


# 0.0.0.0 inside the container; what is reachable from outside is decided by the port mapping.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 3))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync" if threads == 1 else "gthread"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so a slow leak cannot grow without bound; the jitter keeps them from restarting together.
max_requests = 1000
max_requests_jitter = 100

# The heartbeat file lives in memory: on an overlay filesystem a slow disk can make gunicorn kill healthy workers.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's documented choice in containers, not a data file

# Logs to stdout/stderr, where the container runtime collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn >= 25.1 opens a control socket under $HOME (here /app, read-only for the runtime user). Replicas are scaled
# by the orchestrator, not through gunicornc, so it is off; older gunicorn versions ignore the unknown name.
control_socket_disable = True
