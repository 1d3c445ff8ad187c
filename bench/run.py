"""The benchmark harness (`make bench`; bench/README.md).

One run, end to end: a fresh PostgreSQL database (``icpfiling_bench``), migrations and reference data, N seeded
orders (``seed_orders``), the administration's registry filled from what they filed (``measure.py registry``),
static files collected into a temporary folder, the production server (gunicorn with docker/gunicorn.conf.py,
production settings) on a free port, and load from a second process (wrk, 16 connections, at least 15 s per target).
Every target is measured right after a run of the baseline page (one row by primary key, a tiny template) on the
same server, and reported as a ratio to it: wrk shares the machine's cores with the server, so only ratios compare
across machines. Then, without the server: claim next with 8 concurrent reviewers, a Celery worker's memory over
10 000 tasks, and the expiry sweep of 100 000 due orders. Writes bench/results.json and bench/RESULTS.md.

    python bench/run.py [--orders 100000] [--duration 15] [--connections 16] [--reuse-db] [--only TARGET,…]
"""

# A harness that starts local tools (wrk, gunicorn, celery, apt-get) and calls the local server by URL.
# ruff: noqa: S603, S607, S310

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LUA = BENCH / "wrk" / "requests.lua"
PY = sys.executable
TARGET_ORDER = [
    "baseline_signed_in",
    "order_list",
    "order_detail",
    "order_list_rendered",
    "order_detail_rendered",
    "review_queue",
    "review_queue_rendered",
    "public_query",
    "public_query_api",
    "api_orders",
    "claim_next",
]
# An OLTP database on SSD: no JIT compilation (it costs tens of milliseconds on the queue counts and buys nothing on
# short queries) and random reads priced as such (the stock 4 makes the planner prefer hash joins over whole tables
# to index lookups). Passed per connection through DATABASE_URL, as a deployment would (docs/performance.md).
PG_OPTIONS = "-c jit=off -c random_page_cost=1.1"
# What each target is held to (the targets at 100 000 orders).
RATIO_GOAL, P99_GOAL_MS, QUERY_BUDGET = 0.5, 50.0, 10


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, env, *, capture=False, check=True, timeout=None) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, text=True, capture_output=capture, check=False, timeout=timeout)
    if check and result.returncode != 0:
        if capture:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return result.stdout if capture else ""


def measure(env, *args, timeout=1800) -> dict:
    """bench/measure.py's answer (its last line of output, JSON)."""
    out = run([PY, str(BENCH / "measure.py"), *map(str, args)], env, capture=True, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def manage(env, *args, capture=False) -> str:
    return run([PY, "manage.py", *map(str, args)], env, capture=capture)


# --- the machine -------------------------------------------------------------------------------------------------


def machine(env) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    versions = (
        run(
            [
                PY,
                "-c",
                "import django, gunicorn, celery, psycopg, redis, os;"
                # The server's own maintenance database: the bench database may not exist yet on a new machine.
                "import psycopg as p; from urllib.parse import urlsplit;"
                "u = urlsplit(os.environ['DATABASE_URL'].replace('postgres://', 'postgresql://'));"
                "c = p.connect(u._replace(path='/postgres', query='').geturl());"
                "pg = c.execute('show server_version').fetchone()[0];"
                "rv = redis.Redis.from_url(os.environ['REDIS_URL']).info()['redis_version'];"
                "v = [django.get_version(), gunicorn.__version__, celery.__version__, psycopg.__version__, pg, rv];"
                "print('|'.join(v))",
            ],
            env,
            capture=True,
        )
        .strip()
        .split("|")
    )
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": versions[0],
        "gunicorn": versions[1],
        "celery": versions[2],
        "psycopg": versions[3],
        "postgresql": versions[4],
        "redis": versions[5],
        "wrk": wrk_version.split(" [")[0],
    }


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- setting up ------------------------------------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    log("installing wrk (apt-get)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True)


def database(url: str, *, fresh: bool) -> bool:
    """Create the bench database (dropped first when ``fresh``). Returns whether it was created."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.replace(parts.path, "/postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def vacuum(url: str) -> None:
    """VACUUM (ANALYZE) after the bulk load, as autovacuum does on a running database: the tables' visibility maps
    are set, so a count over an applicant's orders is an index-only scan instead of a heap fetch per row."""
    import psycopg

    log("vacuum (analyze)")
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def fill_registry(env) -> dict:
    """The administration's registry (miit) filled from the portal's filed records (``measure.py registry``): the
    seed writes only the portal's tables, and a public query against an empty registry would measure misses only."""
    log("filling the registry from the filed records")
    registry = measure(env, "registry")
    held = registry["in_registry"]
    log(
        f"registry: {registry['rows']:,} rows written in {registry['seconds']} s; {held['subjects']:,} subjects, "
        f"{held['websites']:,} websites, {held['domains']:,} domains active"
    )
    return registry


def database_url(args) -> str:
    if not args.pg_options:
        return args.database_url
    from urllib.parse import quote

    separator = "&" if "?" in args.database_url else "?"
    return f"{args.database_url}{separator}options={quote(args.pg_options)}"


def wait_for_idle(threshold: float) -> float:
    """Seconds waited for the machine (shared with others) to quieten down."""
    began = time.monotonic()
    while threshold and loadavg() >= threshold and time.monotonic() - began < 600:
        time.sleep(10)
    return round(time.monotonic() - began)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(args, tmp: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "icpfiling.settings.production",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "MIIT_CALLBACK_SECRET": "bench-" + secrets.token_urlsafe(16),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url(args),
            "REDIS_URL": args.redis_url,
            "STATIC_ROOT": str(tmp / "static"),
            "ICP_VAR_DIR": str(tmp / "var"),
            "BENCH_BASELINE": "true",
            # The API's documented switch for load runs: a single load generator would meet the per-account limit.
            "API_THROTTLE_ENABLED": "false",
            # wrk stands for the compose stack's nginx: its X-Forwarded-For names a different visitor per request
            # line, so the public query page's per-address limit applies to visitors, as in production.
            "TRUSTED_PROXIES": "127.0.0.1",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --- the server and the load ------------------------------------------------------------------------------------------


class Server:
    """gunicorn as the container runs it (docker/gunicorn.conf.py: sync workers), in its own process group."""

    def __init__(self, env, tmp: Path, *, workers: int, threads: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_LOG_LEVEL": "warning",
        }
        # Recycling after 1 000 requests (the container's setting) would restart a worker every few seconds at
        # these rates and measure gunicorn's start-up instead of the pages; the run turns it off.
        self.cmd = [
            str(Path(PY).parent / "gunicorn"),
            "--config",
            "docker/gunicorn.conf.py",
            "--max-requests",
            "0",
            "--access-logfile",
            str(tmp / "access.log"),
            "--error-logfile",
            str(tmp / "gunicorn.log"),
            "icpfiling.wsgi",
        ]
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/bench/baseline/1/", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def wrk(base: str, tsv: Path, *, seconds: int, connections: int, threads: int) -> dict:
    # A long timeout: wrk's 2 s default abandons slow requests (the server still does them) and hides them.
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    cmd += ["-s", str(LUA), base, "--"]
    before = loadavg()
    out = subprocess.run([*cmd, str(tsv)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
    data = json.loads(line[len("BENCH_JSON ") :])
    seconds_run = data["duration_us"] / 1e6
    lat = data["latency_us"]
    return {
        "requests": data["requests"],
        "seconds": round(seconds_run, 2),
        "rps": round(data["requests"] / seconds_run, 1),
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p90_ms": round(lat["p90"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "mean_ms": round(lat["mean"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "errors": data["errors"],
        "loadavg": [before, loadavg()],
    }


def _request(base: str, line: str) -> urllib.request.Request:
    """A request line of a target (method, path, cookie, header; tab-separated) as wrk sends it."""
    method, path, cookie, header = line.split("\t")
    request = urllib.request.Request(base + path, method=method, data=b"" if method == "POST" else None)
    if cookie:
        request.add_header("Cookie", cookie)
    if header:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    return request


def preflight(base: str, tsv: Path) -> dict:
    """One request as wrk will send it, to see that it is answered as expected (not a sign-in page, not a 404)."""
    request = _request(base, tsv.read_text(encoding="utf-8").splitlines()[0])

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as answer:
            return {"status": answer.status, "bytes": len(answer.read()), "location": answer.headers.get("Location")}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "bytes": len(error.read()), "location": error.headers.get("Location")}


def prime(base: str, tsv: Path, *, connections: int) -> dict:
    """Each distinct GET of a target once, before its warm-up: a target whose pages the page cache keeps
    (filings.pagecache) is measured between changes, as an applicant following an order sees it, not on the first
    view of each of its pages (its "rendered" row measures that)."""
    from concurrent.futures import ThreadPoolExecutor

    lines = sorted(set(tsv.read_text(encoding="utf-8").splitlines()))

    def get(line: str) -> int:
        with urllib.request.urlopen(_request(base, line), timeout=30) as answer:
            answer.read()
            return answer.status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        statuses = list(pool.map(get, lines))
    return {"pages": len(lines), "ok": statuses.count(200), "seconds": round(time.perf_counter() - started, 1)}


# --- the worker -------------------------------------------------------------------------------------------------------


WORKER_TIME_LIMITS = (30, 20)  # hard, soft: seconds


def worker_memory(env, tmp: Path, tasks: int) -> dict:
    celery = str(Path(PY).parent / "celery")
    run([celery, "-A", "icpfiling", "purge", "-f"], env, capture=True)
    logfile = tmp / "worker.log"
    # Child recycling (worker_max_tasks_per_child=1000 in the settings) would hide a leak: it is lifted here.
    cmd = [
        celery,
        "-A",
        "icpfiling",
        "worker",
        "--concurrency=2",
        "--max-tasks-per-child=1000000",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
        f"--logfile={logfile}",
    ]
    # Each task started arms a timer for its soft time limit in the main process, kept until it falls due: with the
    # production limits (300/240 s) the main process grows for 240 s of tasks, longer than this run, before it levels
    # off. Shorter limits for this run let the timers turn over within it, so a leak would show as growth after that.
    hard, soft = WORKER_TIME_LIMITS
    env = {**env, "CELERY_TASK_TIME_LIMIT": str(hard), "CELERY_TASK_SOFT_TIME_LIMIT": str(soft)}
    with open(tmp / "worker.out", "w") as banner:
        process = subprocess.Popen(
            cmd, cwd=ROOT, env=env, start_new_session=True, stdout=banner, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if logfile.exists() and " ready." in logfile.read_text(errors="replace"):
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the Celery worker did not start within 60 s")
        return {**measure(env, "worker", process.pid, tasks), "time_limits": WORKER_TIME_LIMITS}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        run([celery, "-A", "icpfiling", "purge", "-f"], env, capture=True)


# --- the report -------------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def registry_line(registry: dict | None) -> str:
    if not registry:
        return ""
    held = registry["in_registry"]
    return (
        f" The administration's registry filled from the filed records (`bench/measure.py registry`, "
        f"{registry['method']}): {held['subjects']:,} subjects, {held['websites']:,} websites and "
        f"{held['domains']:,} domains active ({registry['rows']:,} rows written in {registry['seconds']} s), so "
        "the public query asks about filed domains and finds them (four lines in five; the fifth a made-up domain "
        "filed nowhere)."
    )


def seed_line(seed: dict, registry: dict | None = None) -> str:
    if "total_rows" not in seed:
        return "**Data:** a bench database seeded earlier (`--reuse-db`)." + registry_line(registry)
    return (
        f"**Data:** {seed['orders']:,} orders seeded by `manage.py seed_orders` ({seed['total_rows']:,} rows in "
        f"{seed['seconds']} s: {seed['rows_per_second']:,} rows/s, {seed['orders_per_second']:,} orders/s, "
        f"{seed['method']})." + registry_line(registry)
    )


def _sweep_runs(expiry: dict) -> str:
    each = expiry.get("notices_seconds_each") or [expiry.get("notices_seconds", "?")]
    if len(each) == 1:
        return f"of which the notices, `orders_expired_notify` → `notify_query`: {each[0]} s"
    return (
        f"in {len(each)} transactions at once, on connections of their own (`SWEEP_CONNECTIONS`); the notices, "
        f"`orders_expired_notify` → `notify_query`, took {' s, '.join(str(s) for s in each)} s in them"
    )


def report(results: dict) -> str:
    m, loads, queries = results["machine"], results["load"], results["queries"]
    baseline = results["baseline_rps_median"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `bench/run.py` on {results['finished_at']} ({results['wall_seconds'] / 60:.1f} minutes).",
        "",
        f"**Command:** `{results['command']}`",
        "",
        f"**Machine:** {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, Linux {m['kernel']}; PostgreSQL "
        f"{m['postgresql']}, Redis {m['redis']}; Python {m['python']}, Django {m['django']}, gunicorn "
        f"{m['gunicorn']}, Celery {m['celery']}, psycopg {m['psycopg']}, {m['wrk']}. The machine is shared: "
        f"load average {results['loadavg_start']} at the start, {results['loadavg_end']} at the end.",
        "",
        f"**Server:** gunicorn {results['server']['workers']} workers × {results['server']['threads']} "
        f"thread{'s' if results['server']['threads'] > 1 else ''} "
        f"({'gthread' if results['server']['threads'] > 1 else 'sync'}, docker/gunicorn.conf.py, production settings, "
        "`--max-requests 0`), PostgreSQL and Redis on the "
        f"same machine; PostgreSQL options per connection (in DATABASE_URL): `{results['pg_options'] or 'none'}`. "
        f"**Load:** wrk, {results['connections']} connections, {results['wrk_threads']} threads, "
        f"{results['duration']} s per run after a {results['warmup']} s warm-up; each target right after a run of "
        "the baseline, its ratio taken to that run (the verdict's), and for reference to the median of the "
        "baseline's runs, which shows how much of a ratio is the paired run's own spread.",
        "",
        seed_line(results["seed"], results.get("registry")),
        "",
        "| Target | Requests/s | p50 ms | p99 ms | Queries/request | Ratio to baseline | to the median baseline "
        "| ≥ 0.5 | p99 < 50 ms | ≤ 10 queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: | :---: |",
    ]
    lines.append(
        f"| baseline (median of {len(results['baseline_runs'])} runs) | {baseline:,.0f} | "
        f"{results['baseline_p50_median']} | {results['baseline_p99_median']} | "
        f"{queries.get('baseline', {}).get('queries', '—')} | 1.00 | 1.00 | | "
        f"{verdict(results['baseline_p99_median'] < P99_GOAL_MS)} | |"
    )
    for name in TARGET_ORDER:
        if name not in loads:
            continue
        load, q = loads[name], queries.get(name, {})
        count = q.get("queries", "—")
        lines.append(
            f"| {results['targets'][name]['label']} | {load['rps']:,.0f} | {load['p50_ms']} | {load['p99_ms']} | "
            f"{count} | {load['ratio']:.2f} | {load['rps'] / baseline:.2f} | {verdict(load['ratio'] >= RATIO_GOAL)} | "
            f"{verdict(load['p99_ms'] < P99_GOAL_MS)} | {verdict(isinstance(count, int) and count <= QUERY_BUDGET)} |"
        )
    lines += ["", "Per target (who asks, errors, the paired baseline run):", ""]
    for name in TARGET_ORDER:
        if name not in loads:
            continue
        load, target = loads[name], results["targets"][name]
        errors = {k: v for k, v in load["errors"].items() if v}
        note = f" {target['note'][0].upper()}{target['note'][1:]}." if target.get("note") else ""
        extra = f" {load['extra']}" if load.get("extra") else ""
        lines.append(
            f"- **{name}** ({target['user']}): {load['requests']:,} requests in {load['seconds']} s, errors "
            f"{errors or 'none'}; paired baseline {load['baseline']['rps']:,.0f} r/s (p99 "
            f"{load['baseline']['p99_ms']} ms); first answer {load['preflight']['status']}.{extra}{note}"
        )
    for name, why in results["skipped"].items():
        lines.append(f"- **{name}**: skipped — {why}.")
    claims, worker, expiry = results.get("claims"), results.get("worker"), results.get("expiry")
    lines += ["", "## Without the server", ""]
    if claims:
        lines.append(
            f"- **Claim next, {claims['reviewers']} concurrent reviewers** (processes calling "
            f"`review_claim_next`): {claims['claims']:,} claims in {claims['seconds']} s = "
            f"**{claims['claims_per_second']:,} claims/s** "
            f"(goal ≥ 200: {verdict(claims['claims_per_second'] >= 200)}); "
            f"double claims: {claims['double_claims']}, orders with more than one claim row: "
            f"{claims['orders_claimed_more_than_once_in_db']}, holder mismatches: {claims['holder_mismatches']}."
        )
    if worker:
        growth = worker["last_kb"] - worker["first_kb"]
        samples = worker["samples"]
        first, last = samples[1], samples[-1]
        half = next(s for s in samples if s["tasks"] >= worker["tasks"] // 2)
        children = sum(last["children_kb"]) - sum(first["children_kb"])
        late = last["total_kb"] - half["total_kb"]
        hard, soft = worker.get("time_limits", (None, None))
        limits = f"time limits {hard}/{soft} s for this run, see bench/README.md; " if soft else ""
        lines.append(
            f"- **Worker memory over {worker['tasks']:,} tasks** (a real `celery worker`, prefork, 2 processes, "
            f"child recycling off, {limits}`filings.expire_orders` and `notifications.sweep_outbox` alternately): "
            f"resident memory of the worker's processes {worker['first_kb'] / 1024:.1f} MiB after the first 500 "
            f"tasks, {worker['last_kb'] / 1024:.1f} MiB at the end (max {worker['max_kb'] / 1024:.1f} MiB, "
            f"{growth / 1024:+.1f} MiB: the two processes that run the tasks {children / 1024:+.1f} MiB, the main "
            f"process {(last['main_kb'] - first['main_kb']) / 1024:+.1f} MiB); over the second half "
            f"({half['tasks']:,} → {last['tasks']:,} tasks) **{late / 1024:+.2f} MiB** "
            f"(goal flat: {verdict(late < 1024)}); {worker['tasks_per_second']} tasks/s."
        )
    if expiry:
        lines.append(
            f"- **Expiry sweep of {expiry['due']:,} due orders**: {expiry['expired']:,} expired in "
            f"**{expiry['seconds']} s** (goal < 10 s: {verdict(expiry['seconds'] < 10)}; "
            f"{_sweep_runs(expiry)}), "
            f"{expiry['events_written']:,} events and {expiry['outbox_rows_written']:,} outbox rows written; "
            f"{expiry['still_due']} left due."
        )
    lines += ["", "Raw figures: `bench/results.json`. How to read and rerun: `bench/README.md`.", ""]
    return "\n".join(lines)


# --- the run ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="Seconds per measured run (at least 15).")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the container's default).")
    parser.add_argument(
        "--threads", type=int, default=1, help="Threads per gunicorn worker (1: sync workers, the container's default)."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/icpfiling_bench"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument(
        "--pg-options",
        default=PG_OPTIONS,
        help="libpq options for every connection, through DATABASE_URL (empty: the server's own settings).",
    )
    parser.add_argument(
        "--wait-for-idle",
        type=float,
        default=0,
        help="Before the load runs, wait (up to 10 minutes) until the 1-minute load average is below this.",
    )
    parser.add_argument("--reuse-db", action="store_true", help="Keep an existing bench database (iterating only).")
    parser.add_argument("--only", default="", help="Comma-separated targets (default: all).")
    parser.add_argument("--claim-reviewers", type=int, default=8)
    parser.add_argument("--claims-each", type=int, default=250)
    parser.add_argument("--worker-tasks", type=int, default=10_000)
    parser.add_argument("--expiry-orders", type=int, default=100_000)
    parser.add_argument("--skip", default="", help="Comma-separated: claims, worker, expiry.")
    parser.add_argument("--output", default=str(BENCH), help="Where results.json and RESULTS.md go.")
    parser.add_argument("--report-only", action="store_true", help="Write RESULTS.md again from results.json.")
    args = parser.parse_args()
    if args.report_only:
        out = Path(args.output)
        (out / "RESULTS.md").write_text(report(json.loads((out / "results.json").read_text())), encoding="utf-8")
        return
    skip = set(filter(None, args.skip.split(",")))
    only = set(filter(None, args.only.split(",")))
    started = time.monotonic()
    command = "python bench/run.py " + " ".join(sys.argv[1:]) if sys.argv[1:] else "make bench"
    if os.environ.get("BENCH_COMMAND"):
        command = os.environ["BENCH_COMMAND"].strip()

    ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="icp-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = bench_env(args, tmp)
        results = {
            "command": command,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(env),
            "loadavg_start": loadavg(),
            "duration": args.duration,
            "warmup": args.warmup,
            "connections": args.connections,
            "wrk_threads": args.wrk_threads,
            "server": {"workers": args.workers, "threads": args.threads},
            "pg_options": args.pg_options,
        }
        created = database(args.database_url, fresh=not args.reuse_db)
        summary = tmp / "seed.json"
        if created:
            log("migrate, reference data")
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "load_reference_data", "-v0")
            log(f"seeding {args.orders:,} orders")
            manage(env, "seed_orders", "--orders", args.orders, "--summary", summary)
            results["seed"] = json.loads(summary.read_text())
            results["registry"] = fill_registry(env)
            vacuum(args.database_url)
        else:
            log("reusing the bench database")
            previous = Path(args.output) / "results.json"
            results["seed"] = json.loads(previous.read_text())["seed"] if previous.exists() else {"orders": "?"}
            # Idempotent: on a database filled before, it writes nothing; on one seeded before this step, it fills.
            results["registry"] = fill_registry(env)
        log("collectstatic")
        manage(env, "collectstatic", "--noinput", "-v0")
        found = measure(env, "targets", tmp / "targets")
        results["targets"], results["skipped"] = found["targets"], found["skipped"]
        results["queries"] = measure(env, "queries", tmp / "targets")
        log(f"queries per request: { {k: v['queries'] for k, v in results['queries'].items()} }")

        results["waited_for_idle_seconds"] = wait_for_idle(args.wait_for_idle)
        results["loadavg_before_load"] = loadavg()
        server = Server(env, tmp, workers=args.workers, threads=args.threads)
        server.start()
        results["load"], results["baseline_runs"] = {}, []
        shape = {"connections": args.connections, "threads": args.wrk_threads}
        baseline_tsv = tmp / "targets" / "baseline.tsv"
        try:
            wrk(server.base, baseline_tsv, seconds=args.warmup * 2, **shape)  # the workers warm up
            for name in TARGET_ORDER:
                if name not in results["targets"] or (only and name not in only):
                    continue
                if name == "claim_next":
                    # Each reviewer claims up to the limit (5): 250 a connection hold more than ~1 000 claims/s for
                    # the warm-up and the run would take.
                    pool_size = max(300, args.connections * 250)
                    pool = measure(env, "claim-pool", tmp / "targets", pool_size)
                    results["queries"]["claim_next"] = measure(env, "queries", tmp / "targets", "claim_next")[
                        "claim_next"
                    ]
                    claims_before = measure(env, "claims-count")
                tsv = tmp / "targets" / f"{name}.tsv"
                wrk(server.base, baseline_tsv, seconds=args.warmup, **shape)
                base_run = wrk(server.base, baseline_tsv, seconds=args.duration, **shape)
                results["baseline_runs"].append(base_run)
                first = preflight(server.base, tsv)
                if results["targets"][name].get("prime"):
                    load_primed = prime(server.base, tsv, connections=args.connections)
                    log(f"{name}: {load_primed['pages']} pages asked once ({load_primed['seconds']} s)")
                wrk(server.base, tsv, seconds=args.warmup, **shape)
                log(f"{name}: {args.duration} s")
                load = wrk(server.base, tsv, seconds=args.duration, **shape)
                load["baseline"] = base_run
                load["ratio"] = round(load["rps"] / base_run["rps"], 3)
                load["preflight"] = first
                if name == "claim_next":
                    after = measure(env, "claims-count", claims_before["last_claim"])
                    load["claims"] = after
                    left = (
                        f"{after['waiting']:,} orders of the initial queue still waiting (it never ran dry)"
                        if after["waiting"]
                        else "the initial queue ran dry: the requests after that took nothing"
                    )
                    load["extra"] = (
                        f"{after['claims']:,} claims made during warm-up and run by {pool['reviewers']} reviewers "
                        f"(each request another reviewer's), on {after['orders']:,} distinct orders, "
                        f"{after['held_by_someone_else']} held by someone else; {left}"
                    )
                results["load"][name] = load
                log(f"{name}: {load['rps']} r/s, p50 {load['p50_ms']} / p99 {load['p99_ms']} ms, ratio {load['ratio']}")
        finally:
            server.stop()
        runs = results["baseline_runs"]
        results["baseline_rps_median"] = round(statistics.median(r["rps"] for r in runs), 1) if runs else 0
        results["baseline_p50_median"] = round(statistics.median(r["p50_ms"] for r in runs), 2) if runs else 0
        results["baseline_p99_median"] = round(statistics.median(r["p99_ms"] for r in runs), 2) if runs else 0

        if "claims" not in skip:
            log(f"claim next: {args.claim_reviewers} reviewers × {args.claims_each}")
            results["claims"] = measure(env, "claims", args.claim_reviewers, args.claims_each)
        if "worker" not in skip:
            log(f"worker memory over {args.worker_tasks:,} tasks")
            results["worker"] = worker_memory(env, tmp, args.worker_tasks)
        if "expiry" not in skip:
            log(f"expiry sweep of {args.expiry_orders:,} due orders")
            results["expiry"] = measure(env, "expiry", args.expiry_orders)
            run([str(Path(PY).parent / "celery"), "-A", "icpfiling", "purge", "-f"], env, capture=True)

        results["loadavg_end"] = loadavg()
        results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["wall_seconds"] = round(time.monotonic() - started, 1)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "RESULTS.md").write_text(report(results), encoding="utf-8")
    log(f"done in {results['wall_seconds'] / 60:.1f} min: {out / 'RESULTS.md'}")


if __name__ == "__main__":
    if not re.match(r"^3\.(1[1-9])", platform.python_version()):
        raise SystemExit("Python 3.11+ (the project's venv) is needed")
    main()
