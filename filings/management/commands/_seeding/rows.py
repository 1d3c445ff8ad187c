"""Rows to the database: primary keys taken ahead of the insert (rows point at each other before they are written),
one table's rows as tuples, written with PostgreSQL ``COPY`` or ``bulk_create``, by a writer thread beside the
generation where that helps."""

import json
import queue
import threading

from django.core.management.base import CommandError
from django.db import connection

BATCH = 5000


class Ids:
    """Primary keys taken ahead of the insert, so rows can point at each other before they are written.

    PostgreSQL: a block at a time from the table's own sequence — its increment is raised for one ``nextval`` — so
    the command can run beside other writers (theirs get ids past the block). Elsewhere: after the current maximum
    (one writer at a time).
    """

    def __init__(self, model, block: int = 10000):
        self.model, self.block = model, block
        self.next, self.end = 1, 0

    def take(self) -> int:
        if self.next > self.end:
            self._refill()
        self.next += 1
        return self.next - 1

    def _refill(self) -> None:
        if connection.vendor != "postgresql":
            last = self.model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self.next, self.end = max(last + 1, self.next), 1 << 62
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.model._meta.db_table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY {self.block}")
            try:
                cursor.execute("SELECT nextval(%s)", [sequence])
                last = cursor.fetchone()[0]
            finally:
                cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 1")
        # A sequence never used before hands out its start value whatever the increment.
        self.next, self.end = max(last - self.block + 1, 1), last


class Table:
    """The rows of one model waiting to be written, as tuples in ``columns`` order (attnames)."""

    def __init__(self, model, columns: tuple[str, ...]):
        self.model, self.columns, self.rows = model, columns, []
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise CommandError(f"{model.__name__} has no field {sorted(unknown)}")
        # Fields added to the model since this command was written get their defaults.
        self.missing = [f for name, f in fields.items() if name not in columns]
        self.json = [i for i, name in enumerate(columns) if fields[name].get_internal_type() == "JSONField"]

    def add(self, *row) -> None:
        self.rows.append(row)

    def _full(self, row):
        return row + tuple(f.get_default() for f in self.missing) if self.missing else row

    def take_rows(self) -> list:
        rows, self.rows = self.rows, []
        return rows

    def write(self, rows: list, use_copy: bool) -> int:
        if not rows:
            return 0
        names = self.columns + tuple(f.attname for f in self.missing)
        if use_copy:
            fields = {f.attname: f for f in self.model._meta.concrete_fields}
            columns = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
            sql = f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    if self.json:
                        row = list(row)
                        for i in self.json:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(self._full(tuple(row)))
        else:
            objs = [self.model(**dict(zip(names, self._full(row), strict=True))) for row in rows]
            self.model.objects.bulk_create(objs, batch_size=BATCH)
        return len(rows)


class Writer:
    """Writes the batches: on PostgreSQL in a thread beside the generation (it waits on the server while the
    generation uses the CPU, and the machine has two cores), elsewhere in line. An error in the thread is raised in
    the caller at the next batch or at ``close``."""

    def __init__(self, write, *, threaded: bool):
        self.write, self.threaded, self.error = write, threaded, None
        if threaded:
            self.queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._run, name="seed-writer", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:  # after an error, keep taking batches so the caller never blocks
                    try:
                        self.write(batch)
                    except BaseException as exc:  # handed to the caller
                        self.error = exc
        finally:
            connection.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def put(self, batch) -> None:
        if not self.threaded:
            self.write(batch)
            return
        self._raise()
        self.queue.put(batch)

    def close(self) -> None:
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
            self._raise()
