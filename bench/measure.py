"""The Django side of the benchmark (bench/run.py calls it; each sub-command prints one JSON object).

    python bench/measure.py registry                 the administration's registry filled from the filed records
    python bench/measure.py targets OUT_DIR          what wrk requests: one tab-separated file per target
    python bench/measure.py queries OUT_DIR [NAME]   queries per request of every target (Django's test client)
    python bench/measure.py cpu OUT_DIR [N] [NAMES]  CPU ms per request of every target, in-process (test client)
    python bench/measure.py claim-pool OUT_DIR N     N fresh reviewers and their sessions, for "claim next" over HTTP
    python bench/measure.py claims-count             claims so far, and whether any order is held twice
    python bench/measure.py claims REVIEWERS COUNT   claim next in REVIEWERS processes, COUNT claims each
    python bench/measure.py worker PID TASKS         send TASKS tasks to a running worker, sample its memory
    python bench/measure.py expiry N                 seed N orders due for expiry, time the sweep
    python bench/measure.py explain OUT.md           EXPLAIN ANALYZE of the queues' and lookups' queries

It runs under the settings of the environment (bench/run.py sets the production settings, the bench database and
Redis), so it measures the same code the server runs.
"""

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from accounts.constants import Role  # noqa: E402
from filings.models import FilingOrder  # noqa: E402
from reviews import conf as reviews_conf  # noqa: E402

User = get_user_model()
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: a CSRF secret the cookie and the header both carry
SESSION_COOKIE = settings.SESSION_COOKIE_NAME
CSRF_COOKIE = settings.CSRF_COOKIE_NAME


def _out(data) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


def _sessions(users, *, staff: bool) -> dict[int, str]:
    """Signed-in sessions of ``users`` (``manage.py bench_sessions``): {user id: session key}."""
    from io import StringIO

    out = StringIO()
    ids = ",".join(str(u.pk) for u in users)
    call_command("bench_sessions", users=ids, second_factor=staff, limit=len(users), stdout=out)
    return {int(pk): key for pk, key in json.loads(out.getvalue()).items()}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _write(path: Path, lines: list[tuple]) -> None:
    """One request per line: method, path, cookie, extra header ("Name: value" or empty)."""
    path.write_text("".join("\t".join(line) + "\n" for line in lines), encoding="utf-8")


def _heavy_applicant():
    return (
        User.objects.filter(email__startswith="heavy").annotate(n=Count("filing_orders")).order_by("-n", "pk").first()
    )


def _reviewers(limit: int) -> list:
    return list(
        User.objects.filter(groups__name=Role.REVIEWER.value, email__startswith="reviewer", is_active=True).order_by(
            "pk"
        )[:limit]
    )


# --- the administration's registry ---------------------------------------------------------------------------------

# What the portal considers filed: an active subject with its ICP number, its active websites, their active domains.
_REGISTRY_SQL = {
    "subjects": """
        INSERT INTO miit_registrysubject (
            certificate_type, certificate_number, name, nature, province_id, icp_number, password_hash,
            principal_name, principal_certificate_type, principal_certificate_number, principal_mobile,
            status, last_website_index, filed_on, updated_at
        )
        SELECT s.certificate_type, s.certificate_number, s.name, s.nature, s.province_id, s.icp_number, '',
               COALESCE(p.name, ''), COALESCE(p.certificate_type, ''), COALESCE(p.certificate_number, ''),
               COALESCE(p.mobile, ''), 'active', COALESCE(n.last_index, 0), (s.filed_at AT TIME ZONE %(tz)s)::date,
               now()
        FROM subjects_subject s
        LEFT JOIN subjects_person p ON p.id = s.principal_id
        LEFT JOIN (
            -- numbers are never given twice: the counter passes every website number the subject had
            SELECT subject_id, max(substring(icp_number FROM '-([0-9]+)$')::integer) AS last_index
            FROM websites_website WHERE icp_number IS NOT NULL GROUP BY subject_id
        ) n ON n.subject_id = s.id
        WHERE s.status = 'active' AND s.icp_number IS NOT NULL
        ORDER BY s.id
        ON CONFLICT DO NOTHING
    """,
    "websites": """
        INSERT INTO miit_registrywebsite (
            subject_id, name, icp_number, access_provider, principal_name, principal_certificate_type,
            principal_certificate_number, principal_mobile, status, filed_on, updated_at
        )
        SELECT r.id, w.name, w.icp_number, %(provider)s, COALESCE(p.name, ''), COALESCE(p.certificate_type, ''),
               COALESCE(p.certificate_number, ''), COALESCE(p.mobile, ''), 'active',
               (w.filed_at AT TIME ZONE %(tz)s)::date, now()
        FROM websites_website w
        JOIN subjects_subject s ON s.id = w.subject_id AND s.status = 'active'
        JOIN miit_registrysubject r ON r.icp_number = s.icp_number
        LEFT JOIN subjects_person p ON p.id = w.principal_id
        WHERE w.status = 'active' AND w.icp_number IS NOT NULL
        ORDER BY w.id
        ON CONFLICT DO NOTHING
    """,
    "domains": """
        INSERT INTO miit_registrydomain (website_id, name, ascii_name, status)
        SELECT r.id, d.name, d.ascii_name, 'active'
        FROM websites_domain d
        JOIN websites_website w ON w.id = d.website_id AND w.status = 'active'
        JOIN subjects_subject s ON s.id = w.subject_id AND s.status = 'active'
        JOIN miit_registrywebsite r ON r.icp_number = w.icp_number
        WHERE d.status = 'active'
        ORDER BY d.id
        ON CONFLICT DO NOTHING
    """,
}


def registry() -> None:
    """Fill the administration's registry (miit) from what the portal filed, as approvals would have: every active
    subject with its ICP number, name, nature, province, principal and filing date, its active websites (ICP
    numbers, names, principals; accessed through this portal's provider) and their active domains, all active.
    Set-based, one ``INSERT … SELECT`` a table, then ``ANALYZE``: PostgreSQL only, as the whole benchmark is.
    Idempotent: a number or an active domain the registry already holds is skipped, so a second run writes
    nothing, and records the registry had before (its demo seed) stay."""
    from django.db import transaction

    from miit.constants import portal_provider_name
    from miit.models import RegistryDomain, RegistrySubject, RegistryWebsite

    if connection.vendor != "postgresql":
        raise SystemExit("measure.py registry needs PostgreSQL (as bench/run.py does)")
    models = {"subjects": RegistrySubject, "websites": RegistryWebsite, "domains": RegistryDomain}
    began = time.perf_counter()
    written, seconds = {}, {}
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql in _REGISTRY_SQL.items():
            started = time.perf_counter()
            cursor.execute(sql, {"tz": settings.TIME_ZONE, "provider": portal_provider_name()})
            written[name] = cursor.rowcount
            seconds[name] = round(time.perf_counter() - started, 2)
        cursor.execute("ANALYZE miit_registrysubject, miit_registrywebsite, miit_registrydomain")
    method = "INSERT … SELECT"
    total = time.perf_counter() - began
    _out(
        {
            "written": written,
            "rows": sum(written.values()),
            "seconds": round(total, 2),
            "seconds_per_table": seconds,
            "method": method,
            "in_registry": {name: model.objects.filter(status="active").count() for name, model in models.items()},
        }
    )


# Public query lines: four in five ask about a domain the registry holds, the fifth about one nobody filed.
UNFILED_EVERY = 5


def _query_domains(limit: int = 500) -> tuple[list[str], dict]:
    """What the public query is asked, and a description of it: ``limit`` domains, four in five (lines 1–4 of
    every five) filed in the administration's registry — a fixed random sample of all its active domains, so over
    as many subjects — and the fifth made up, filed nowhere (the answer is "not filed", as for many real queries).
    With an empty registry (``measure.py registry`` not run) every line is a miss, and the description says so."""
    import random

    from miit.models import RegistryDomain

    rng = random.Random(2024)  # the same sample every run on the same data
    ids = list(RegistryDomain.objects.filter(status="active").values_list("pk", flat=True))
    unfiled_wanted = limit // UNFILED_EVERY if ids else limit
    picked = rng.sample(ids, min(limit - unfiled_wanted, len(ids)))
    rows = dict(RegistryDomain.objects.filter(pk__in=picked).order_by().values_list("pk", "name"))
    filed = [rows[pk] for pk in picked]
    subjects = RegistryDomain.objects.filter(pk__in=picked).order_by().values("website__subject_id").distinct().count()
    made_up = [f"nofiling{rng.getrandbits(32):08x}.com" for _ in range(unfiled_wanted)]
    known = set(RegistryDomain.objects.filter(ascii_name__in=made_up).values_list("ascii_name", flat=True))
    unfiled = [name for name in made_up if name not in known]
    names, filed_left, unfiled_left = [], iter(filed), iter(unfiled)
    while len(names) < len(filed) + len(unfiled):
        first, second = (filed_left, unfiled_left)
        if len(names) % UNFILED_EVERY == UNFILED_EVERY - 1:
            first, second = second, first
        names.append(next(first, None) or next(second))
    return names, {"filed": len(filed), "filed_subjects": subjects, "unfiled": len(unfiled)}


def _query_share(mix: dict) -> str:
    total = mix["filed"] + mix["unfiled"]
    return f"{round(100 * mix['filed'] / total) if total else 0} %"


def _query_mix(mix: dict) -> str:
    if not mix["filed"]:
        return '0 % filed: the registry is empty (bench/measure.py registry not run), every answer is "not filed"'
    return (
        f"{_query_share(mix)} filed: {mix['filed']:,} domains of {mix['filed_subjects']:,} subjects in the registry, "
        f"{mix['unfiled']:,} made-up domains filed nowhere (every {UNFILED_EVERY}th line)"
    )


def targets(out_dir: str) -> None:
    """The requests of every target, and what each one is. A target whose URL does not resolve is skipped."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    heavy = _heavy_applicant()
    reviewers = _reviewers(8)
    found, skipped = {}, {}

    pks = list(ContentType.objects.order_by("pk").values_list("pk", flat=True))
    baseline = _url("core:bench_baseline", 1)
    if baseline is None:
        raise SystemExit("BENCH_BASELINE is off: the baseline page is not routed")
    _write(out / "baseline.tsv", [("GET", _url("core:bench_baseline", pk), "", "") for pk in pks])
    found["baseline"] = {"label": "baseline: one row by primary key, tiny template", "user": "anonymous"}

    # A browser that has shown one page of the portal holds its CSRF cookie too (every page has a form).
    cookie = f"{SESSION_COOKIE}={_sessions([heavy], staff=False)[heavy.pk]}; {CSRF_COOKIE}={CSRF}"
    # The same page signed in: what the session, the user and the role lookup of every signed-in page cost.
    _write(out / "baseline_signed_in.tsv", [("GET", _url("core:bench_baseline", pk), cookie, "") for pk in pks])
    found["baseline_signed_in"] = {"label": "baseline, signed in (for reference)", "user": "the heavy applicant"}
    _write(out / "order_list.tsv", [("GET", reverse("filings:order_list"), cookie, "")])
    found["order_list"] = {
        "label": "applicant's order list",
        "user": f"heavy applicant ({heavy.n} orders)",
    }
    numbers = list(FilingOrder.objects.filter(applicant=heavy).order_by("pk").values_list("number", flat=True))
    _write(out / "order_detail.tsv", [("GET", reverse("filings:order_detail", args=[n]), cookie, "") for n in numbers])
    found["order_detail"] = {
        "label": "applicant's order page",
        "user": f"heavy applicant, {len(numbers)} orders",
        "prime": True,  # each page asked once first (bench/run.py prime): measured between changes
    }
    # The same two pages rendered at every request, as on a change of the account's data or a hard reload
    # (filings.pagecache): what a page costs when the cache cannot answer.
    rendered = "Cache-Control: no-cache"
    _write(out / "order_list_rendered.tsv", [("GET", reverse("filings:order_list"), cookie, rendered)])
    found["order_list_rendered"] = {
        "label": "applicant's order list, rendered (cache bypassed)",
        "user": "heavy applicant",
    }
    lines = [("GET", reverse("filings:order_detail", args=[n]), cookie, rendered) for n in numbers]
    _write(out / "order_detail_rendered.tsv", lines)
    found["order_detail_rendered"] = {
        "label": "applicant's order page, rendered (cache bypassed)",
        "user": f"heavy applicant, {len(numbers)} orders",
    }

    queue = reverse("reviews:queue", args=["initial"])
    sessions = _sessions(reviewers, staff=True)
    # Each reviewer's browser holds its CSRF cookie, as the applicant's does.
    lines = [("GET", queue, f"{SESSION_COOKIE}={sessions[r.pk]}; {CSRF_COOKIE}={CSRF}", "") for r in reviewers]
    _write(out / "review_queue.tsv", lines)
    found["review_queue"] = {"label": "review queue (initial review, first page)", "user": f"{len(lines)} reviewers"}
    _write(out / "review_queue_rendered.tsv", [(method, path, cookie, rendered) for method, path, cookie, _ in lines])
    found["review_queue_rendered"] = {
        "label": "review queue, rendered (cache bypassed)",
        "user": f"{len(lines)} reviewers",
    }

    domains, mix = _query_domains()
    page = _url("miit:public_query")
    if page and domains:
        from urllib.parse import urlencode

        # 30 queries a minute per visitor (miit.views.QUERY_LIMIT): each line is another visitor behind the trusted
        # proxy (X-Forwarded-For from 198.18.0.0/15, the benchmarking range), 6 000 of them, so at the rates this
        # machine reaches no visitor goes over the limit and every answer is a real query.
        lines = [
            (
                "GET",
                f"{page}?{urlencode({'kind': 'domain', 'q': domains[i % len(domains)]})}",
                "",
                f"X-Forwarded-For: 198.18.{i // 250}.{i % 250 + 1}",
            )
            for i in range(6000)
        ]
        _write(out / "public_query.tsv", lines)
        found["public_query"] = {
            "label": f"public query page (miit), {_query_share(mix)} filed",
            "user": f"anonymous, 6 000 visitors behind the trusted proxy; {_query_mix(mix)}",
            "mix": mix,
        }
    else:
        skipped["public_query"] = "miit:public_query does not resolve"
    api_public = _url("api:public_icp")
    if api_public and domains:
        from urllib.parse import urlencode

        lines = [("GET", f"{api_public}?{urlencode({'kind': 'domain', 'q': d})}", "", "") for d in domains]
        _write(out / "public_query_api.tsv", lines)
        found["public_query_api"] = {
            "label": f"public query (API), {_query_share(mix)} filed",
            "user": f"anonymous; {_query_mix(mix)}",
            "mix": mix,
        }
    else:
        skipped["public_query_api"] = "api:public_icp does not resolve"

    api_orders = _url("api:orders")
    if api_orders:
        from accounts.tokens import api_token_issue

        token = api_token_issue(user=heavy).key
        _write(out / "api_orders.tsv", [("GET", api_orders, "", f"Authorization: Token {token}")])
        found["api_orders"] = {"label": "API: order list (first page)", "user": "heavy applicant, token"}
    else:
        skipped["api_orders"] = "api:orders (/api/v1/orders/) does not resolve"
    # Its requests are written later (claim-pool): each claim takes an order, so it runs last, on a fresh pool.
    found["claim_next"] = {"label": "claim next (initial review)", "user": "a different reviewer each request"}
    _out({"targets": found, "skipped": skipped, "heavy_applicant": heavy.pk, "heavy_orders": heavy.n})


def claim_pool(out_dir: str, count: str) -> None:
    """Fresh reviewers (they hold nothing) with sessions, for "claim next" over HTTP: each request is another
    reviewer's, so no one reaches the claim limit during the run."""
    count = int(count)
    call_command("seed_orders", orders=0, reviewers=count, seed=99, verbosity=0)
    # Enough work that the initial queue never runs dry during the run: as many orders as the pool may hold.
    _top_up_initial_queue(count * reviews_conf.get("MAX_CLAIMS"))
    pool = list(
        User.objects.filter(groups__name=Role.REVIEWER.value, assigned_orders__isnull=True)
        .filter(email__startswith="reviewer")
        .order_by("-pk")
        .distinct()[:count]
    )
    url = reverse("reviews:claim_next", args=["initial"])
    lines = [
        ("POST", url, f"{SESSION_COOKIE}={key}; {CSRF_COOKIE}={CSRF}", f"X-CSRFToken: {CSRF}")
        for key in _sessions(pool, staff=True).values()
    ]
    _write(Path(out_dir) / "claim_next.tsv", lines)
    _out({"reviewers": len(lines), "waiting": _waiting()})


def _waiting() -> int:
    """Orders the initial-review queue offers to claim next."""
    from core import clock
    from reviews.queues import claimable

    return claimable("initial", clock.now()).count()


def _top_up_initial_queue(needed: int) -> None:
    """At least ``needed`` orders the initial queue offers, counted as it offers them: not every order waiting for
    review is in it (claims of filings go to their own queue, orders waiting for a call-back to theirs)."""
    while (offered := _waiting()) < needed:
        call_command(
            "seed_orders", orders=needed - offered + 200, status="pending_initial_review", reviewers=0, verbosity=0
        )


def queries(out_dir: str, only: str = "") -> None:
    """Queries per request of each target (or of ``only``), measured with the test client on the second request
    (the first warms the caches a long-running worker has warm too)."""
    out, counts = Path(out_dir), {}
    for path in sorted(out.glob("*.tsv")):
        name = path.stem
        if only and name != only:
            continue
        method, url, cookie, header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
        client = Client()
        for part in filter(None, cookie.split("; ")):
            key, value = part.split("=", 1)
            client.cookies[key] = value
        extra = {}
        if header:
            key, value = header.split(": ", 1)
            extra["HTTP_" + key.upper().replace("-", "_")] = value
        call = client.post if method == "POST" else client.get
        call(url, **extra)
        with CaptureQueriesContext(connection) as captured:
            response = call(url, **extra)
        statements = [q["sql"] for q in captured.captured_queries]
        control = [s for s in statements if s.split(" ", 1)[0] in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]
        counts[name] = {
            "status": response.status_code,
            "queries": len(statements) - len(control),
            "with_transaction_statements": len(statements),
        }
    _out(counts)


def cpu(out_dir: str, requests: str = "200", only: str = "") -> None:
    """CPU time per request of each target (or of ``only``), in this process with Django's test client: a measure
    that the load on a shared machine disturbs far less than wrk's. Each target's requests are sent in turn (up to
    50 sessions or URLs), twice over to warm up, then ``requests`` times; the median and mean of
    ``time.process_time()`` per request, in ms (the database's and Redis's own work is not in it)."""
    import statistics

    out, figures = Path(out_dir), {}
    for path in sorted(out.glob("*.tsv")):
        name = path.stem
        if (only and name not in only.split(",")) or name == "claim_next":
            continue
        calls = []
        for line in path.read_text(encoding="utf-8").splitlines()[:50]:
            method, url, cookie, header = line.split("\t")
            client = Client()
            for part in filter(None, cookie.split("; ")):
                key, value = part.split("=", 1)
                client.cookies[key] = value
            extra = {}
            if header:
                key, value = header.split(": ", 1)
                extra["HTTP_" + key.upper().replace("-", "_")] = value
            calls.append((client.post if method == "POST" else client.get, url, extra))
        statuses = {call(url, **extra).status_code for call, url, extra in calls * 2}
        if statuses != {200}:
            figures[name] = {"statuses": sorted(statuses)}  # not what wrk measures: a stale session or token
            continue
        spent = []
        for i in range(int(requests)):
            call, url, extra = calls[i % len(calls)]
            began = time.process_time()
            call(url, **extra)
            spent.append(time.process_time() - began)
        figures[name] = {
            "cpu_ms_median": round(statistics.median(spent) * 1000, 2),
            "cpu_ms_mean": round(statistics.fmean(spent) * 1000, 2),
            "requests": len(spent),
        }
    _out(figures)


def claims_count(since: str = "0") -> None:
    """Claims so far; of those after claim ``since``: how many, on how many orders, and whether each order is held
    by the reviewer who claimed it (no order claimed twice)."""
    from reviews.models import Claim

    new = Claim.objects.filter(pk__gt=int(since))
    wrong_holder = new.exclude(order__assignee=F("reviewer"))
    _out(
        {
            "last_claim": Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
            "claims": new.count(),
            "orders": new.values("order_id").distinct().count(),
            "held_by_someone_else": wrong_holder.count(),
            "waiting": _waiting(),
        }
    )


def _claimer(reviewer_id: int, count: int, start, results) -> None:
    """One reviewer claiming ``count`` times as fast as the database lets it."""
    from reviews.services import review_claim_next

    connection.close()  # a connection of its own, not the parent's
    reviewer = User.objects.get(pk=reviewer_id)
    start.wait()
    claimed, began = [], time.perf_counter()
    for _ in range(count):
        order = review_claim_next(reviewer=reviewer, queue="initial")
        if order is None:
            break
        claimed.append(order.pk)
    results.put((reviewer_id, claimed, time.perf_counter() - began))
    connection.close()


def claims(reviewers: str, count: str) -> None:
    """``reviewers`` processes (8 concurrent reviewers), each claiming ``count`` orders with ``review_claim_next``.
    The claim limit is lifted in these processes only (the measure is the claim itself, not the limit)."""
    from reviews.models import Claim

    settings.REVIEWS = {**getattr(settings, "REVIEWS", {}), "MAX_CLAIMS": 10**9}
    reviewers, count = int(reviewers), int(count)
    _top_up_initial_queue(reviewers * count)  # no reviewer runs out before the others finish
    pool = [u.pk for u in _reviewers(reviewers)]
    before = Claim.objects.count()
    connection.close()
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(len(pool) + 1), context.Queue()
    processes = [context.Process(target=_claimer, args=(pk, count, start, results)) for pk in pool]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    outcomes = [results.get() for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    claimed = [pk for _r, ids, _s in outcomes for pk in ids]
    per_order = Claim.objects.filter(order_id__in=claimed).values("order_id").annotate(n=Count("pk"))
    holders = dict(FilingOrder.objects.filter(pk__in=claimed).values_list("pk", "assignee_id"))
    by_reviewer = {pk: r for r, ids, _s in outcomes for pk in ids}
    _out(
        {
            "reviewers": len(pool),
            "claims": len(claimed),
            "seconds": round(elapsed, 3),
            "claims_per_second": round(len(claimed) / elapsed, 1),
            "distinct_orders": len(set(claimed)),
            "double_claims": len(claimed) - len(set(claimed)),
            "orders_claimed_more_than_once_in_db": sum(1 for row in per_order if row["n"] > 1),
            "holder_mismatches": sum(1 for pk, r in by_reviewer.items() if holders.get(pk) != r),
            "new_claim_rows": Claim.objects.count() - before,
        }
    )


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return kids


def worker(pid: str, tasks: str) -> None:
    """Send ``tasks`` cheap real tasks (the expiry sweep and the outbox sweeper, alternately) to the running worker
    in rounds of 500, wait for each round to drain, and sample the resident memory of the worker's processes."""
    from icpfiling.celery import app

    pid, tasks = int(pid), int(tasks)
    names = ["filings.expire_orders", "notifications.sweep_outbox"]
    samples = []
    began = time.perf_counter()
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        queue = app.conf.task_default_queue or "celery"
        sent = 0

        def sample():
            children = _children(pid)
            samples.append(
                {
                    "tasks": sent,
                    "main_kb": _rss_kb(pid),
                    "children_kb": [_rss_kb(c) for c in children],
                    "total_kb": _rss_kb(pid) + sum(_rss_kb(c) for c in children),
                }
            )

        sample()
        while sent < tasks:
            for i in range(min(500, tasks - sent)):
                app.send_task(names[(sent + i) % 2], connection=conn)
            sent += min(500, tasks - sent)
            deadline = time.monotonic() + 120
            while client.llen(queue) > 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # the last prefetched tasks finish
            sample()
    elapsed = time.perf_counter() - began
    totals = [s["total_kb"] for s in samples]
    _out(
        {
            "tasks": tasks,
            "seconds": round(elapsed, 1),
            "tasks_per_second": round(tasks / elapsed, 1),
            "first_kb": totals[1] if len(totals) > 1 else totals[0],
            "last_kb": totals[-1],
            "max_kb": max(totals),
            "before_first_round_kb": totals[0],
            "samples": samples,
        }
    )


def expiry(count: str) -> None:
    """Seed ``count`` orders the applicants hold whose validity ran out, then time one sweep over them."""
    from filings.models import OrderEvent
    from filings.services import order_expire_due
    from notifications.models import OutboxMessage

    count = int(count)
    started = time.perf_counter()
    call_command("seed_orders", orders=count, due_for_expiry=True, reviewers=0, verbosity=0)
    seeded = time.perf_counter() - started
    held = Q(status__in=sorted(["draft", "initial_rejected", "pending_photo", "miit_returned", "miit_rejected"]))
    from core import clock

    due = FilingOrder.objects.filter(held, expires_at__lte=clock.now()).count()
    events_before, outbox_before = OrderEvent.objects.count(), OutboxMessage.objects.count()
    # The notices are timed apart (the notifications hook): wrapped in this process only.
    from filings import notify

    hook, spent = notify.orders_expired_notify, []

    def timed_hook(ids):
        started = time.perf_counter()
        hook(ids)
        spent.append(time.perf_counter() - started)

    notify.orders_expired_notify = timed_hook
    began = time.perf_counter()
    expired = order_expire_due()
    seconds = time.perf_counter() - began
    notify.orders_expired_notify = hook
    _out(
        {
            "due": due,
            "expired": len(expired),
            "seconds": round(seconds, 2),
            # One figure per transaction of the sweep: from 20 000 due orders they run at once (fix 19).
            "notices_seconds": round(max(spent, default=0), 2),
            "notices_seconds_each": [round(seconds, 2) for seconds in spent],
            "orders_per_second": round(len(expired) / seconds) if seconds else None,
            "events_written": OrderEvent.objects.count() - events_before,
            "outbox_rows_written": OutboxMessage.objects.count() - outbox_before,
            "still_due": FilingOrder.objects.filter(held, expires_at__lte=clock.now()).count(),
            "seed_seconds": round(seeded, 1),
        }
    )


def _explained_queries() -> dict:
    """The queues' and lookups' queries, as the selectors and services build them."""
    from datetime import timedelta

    from django.db.models import Exists, OuterRef

    from core import clock
    from filings.constants import APPLICANT_HELD_STATES, IN_PROCESS_STATES
    from filings.models import OrderEvent
    from filings.selectors import order_rows_of
    from reviews.constants import HELD_STATES
    from reviews.models import Claim, SlaBreach
    from reviews.queues import QUEUE_STATES, claimable
    from reviews.selectors.queues import QueueFilters, queue_orders
    from subjects.models import Subject
    from websites.models import Domain

    now = clock.now()
    heavy = _heavy_applicant()
    reviewer = _reviewers(1)[0]
    subject = Subject.objects.order_by("pk")[100]
    domain = Domain.objects.order_by("pk")[100]
    order = FilingOrder.objects.filter(applicant=heavy).order_by("pk").first()
    held = sorted(APPLICANT_HELD_STATES)
    breach = SlaBreach.objects.filter(order=OuterRef("pk"), due_at=OuterRef("due_at"))
    return {
        "order list, first page (applicant)": order_rows_of(heavy)[:20],
        "order page (applicant, number)": FilingOrder.objects.filter(applicant=heavy, number=order.number),
        "order history": OrderEvent.objects.filter(order=order).order_by("created_at", "id"),
        "review queue, first page (initial)": queue_orders("initial", QueueFilters(), viewer=reviewer, now=now)[:50],
        "claim next: the candidate (initial)": claimable("initial", now)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)[:1],
        "claim next: the candidate (photo)": claimable("photo", now)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)[:1],
        "claim next: orders the reviewer holds": FilingOrder.objects.filter(assignee=reviewer, status__in=HELD_STATES),
        "expiry sweep: due orders": FilingOrder.objects.filter(status__in=held, expires_at__lte=now)
        .order_by("pk")
        .select_for_update(skip_locked=True),
        "expiry reminder: due within 7 days": FilingOrder.objects.filter(
            status__in=held, expires_at__gt=now, expires_at__lte=now + timedelta(days=7)
        ),
        "SLA alert: overdue in the queues": FilingOrder.objects.filter(status__in=QUEUE_STATES, due_at__lte=now)
        .exclude(Exists(breach))
        .order_by("due_at", "pk"),
        "idle claims": Claim.objects.filter(released_at__isnull=True, expires_at__lte=now),
        "order in process for a certificate": FilingOrder.objects.filter(
            subject_certificate_type=subject.certificate_type,
            subject_certificate_number=subject.certificate_number,
            status__in=sorted(IN_PROCESS_STATES),
        ),
        "filed subject for a certificate": Subject.objects.filter(
            certificate_type=subject.certificate_type, certificate_number=subject.certificate_number, status="active"
        ),
        "filed domain by name": Domain.objects.filter(ascii_name=domain.ascii_name, status="active"),
    }


def explain(out: str) -> None:
    """EXPLAIN ANALYZE of every queue and lookup query into ``out`` (markdown), and a summary: time and any
    sequential scan of a table of more than a thousand rows."""
    import re

    from django.db import transaction

    sizes = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
    summary, sections = {}, []
    for name, queryset in _explained_queries().items():
        with transaction.atomic():  # the sweep's query locks rows: inside a transaction, rolled back
            plan = queryset.explain(analyze=True)
            transaction.set_rollback(True)
        scans = sorted({t for t in re.findall(r"Seq Scan on (\w+)", plan) if sizes.get(t, 0) > 1000})
        summary[name] = {
            "ms": float(re.search(r"Execution Time: ([\d.]+)", plan).group(1)),
            "seq_scans": scans,
            "indexes": sorted(
                set(re.findall(r"Index (?:Only )?Scan (?:Backward )?using (\w+)", plan))
                | set(re.findall(r"Bitmap Index Scan on (\w+)", plan))
            ),
        }
        sections.append(f"### {name}\n\n```\n{plan}\n```\n")
    Path(out).write_text("\n".join(sections), encoding="utf-8")
    _out(summary)


COMMANDS = {
    "registry": registry,
    "explain": explain,
    "targets": targets,
    "queries": queries,
    "cpu": cpu,
    "claim-pool": claim_pool,
    "claims-count": claims_count,
    "claims": claims,
    "worker": worker,
    "expiry": expiry,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
