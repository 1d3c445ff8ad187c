"""``seed_orders``: filing orders at scale with a realistic mix, for the benchmarks (bench/README.md) and for trying
the pages with a real-sized history.

    manage.py seed_orders --orders 100000 [--applicants K] [--seed S] [--reviewers R] [--heavy-orders H]
                          [--status STATE,…] [--due-for-expiry] [--no-copy] [--summary PATH]

Orders are generated per subject (certificate) as a history: an acquisition (first filing, transfer-in, claim…),
perhaps after an attempt that was withdrawn or expired, then follow-ups on the filed subject (add website, changes,
cancellations). Only the last order of a history may be in process, so "one order in process per subject" holds.
Each order has its subject, principals, 1–3 websites with 1–3 domains and bound service numbers, and the events of
a path through RULES.md's state table that ends in its state (with rejection loops on the way); approved orders
write the filed records (subjects, principals, websites, domains) as the approval would. Provinces are weighted by
population. One "heavy" applicant gets ``--heavy-orders`` orders (the list page's worst case).

Rows are written directly — ``bulk_create`` in batches of 5 000, or PostgreSQL ``COPY`` (the default there) — so no
service, signal or FSM transition runs: this is reference data for measurements, not a way to move orders. Ids are
taken from the tables' sequences in blocks, so the command can add to a database that is in use. ``--status`` seeds
only orders in those states (single-order histories: e.g. more work for the review queue); ``--due-for-expiry``
seeds orders the applicant holds whose 45 days ran out (the expiry sweep's input).
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ...constants import OrderStatus
from ._seeding.rows import BATCH
from ._seeding.seeder import Seeder, budgets


class Command(BaseCommand):
    help = "Seed N filing orders with a realistic mix of types, states, provinces, websites and events (bulk insert)."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, required=True)
        parser.add_argument("--applicants", type=int, help="Applicants over whom the orders spread (default N/4).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reviewers", type=int, default=20, help="Reviewers to create (they hold a few orders).")
        parser.add_argument("--heavy-orders", type=int, help="Orders of one heavy applicant (default min(1000, N/10)).")
        parser.add_argument("--status", default="", help="Only orders in these states (comma-separated).")
        parser.add_argument("--due-for-expiry", action="store_true", help="Only held orders whose validity ran out.")
        parser.add_argument("--no-copy", action="store_true", help="bulk_create even on PostgreSQL.")
        parser.add_argument("--summary", help="Write a JSON summary (ids of the heavy applicant, reviewers…) here.")

    def handle(self, *args, **options):
        total = options["orders"]
        statuses = [s for s in options["status"].split(",") if s]
        unknown = set(statuses) - set(OrderStatus.values)
        if unknown:
            raise CommandError(f"Unknown states: {sorted(unknown)}")
        heavy = options["heavy_orders"]
        if heavy is None:
            heavy = 0 if statuses or options["due_for_expiry"] else min(1000, total // 10)
        heavy = min(heavy, total)
        applicants = options["applicants"] or max(1, (total - heavy) // 4)
        use_copy = connection.vendor == "postgresql" and not options["no_copy"]

        started = time.monotonic()
        seeder = Seeder(
            seed=options["seed"], use_copy=use_copy, due_for_expiry=options["due_for_expiry"], statuses=statuses
        )
        reviewers = seeder.add_reviewers(options["reviewers"])
        heavy_id = seeder.applicant(heavy, kind="heavy") if heavy else None
        for budget in budgets(seeder.rng, total - heavy, applicants if total > heavy else 0):
            seeder.applicant(budget)
            if seeder.buffered_orders >= BATCH:
                seeder.flush()
        seeder.flush()
        seeder.writer.close()
        seconds = time.monotonic() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for name in seeder.tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(seeder.tables[name].model._meta.db_table)}")
        rows = sum(seeder.rows_written.values())
        summary = {
            "orders": seeder.rows_written["order"],
            "rows": dict(seeder.rows_written),
            "total_rows": rows,
            "seconds": round(seconds, 2),
            "rows_per_second": round(rows / seconds) if seconds else None,
            "orders_per_second": round(seeder.rows_written["order"] / seconds) if seconds else None,
            "method": "copy" if use_copy else "bulk_create",
            "heavy_applicant": heavy_id,
            "reviewers": reviewers,
        }
        if options["summary"]:
            with open(options["summary"], "w", encoding="utf-8") as out:
                json.dump(summary, out, indent=2)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Seeded {summary['orders']} orders ({rows} rows) in {seconds:.1f} s: "
                f"{summary['rows_per_second']} rows/s, {summary['orders_per_second']} orders/s ({summary['method']})."
            )
