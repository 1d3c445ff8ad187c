"""Querysets compiled to SQL once per process, for the few hot paths where building and compiling a query costs more
than running it ("claim next": docs/performance.md, fixes 27 and 29).

The queryset stays the one definition of the query: ``compiled(build, *fixed, **values)`` calls ``build`` once per
``fixed`` (hashable arguments the SQL depends on, such as a queue's name), with a mark in place of each value (a
moment or an id no row has), compiles it, and keeps where each mark landed among the parameters. Later calls put the
values in those places. A value the query only tests in Python while it is built (``if now > …``) would be frozen at
its mark, so ``build`` must use the values as query parameters and nothing else; a value it does not use is ignored.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connection
from django.db.models import QuerySet

# Marks: a microsecond of 2000-01-01 no clock gives, and ids far below any sequence's.
_MOMENT = datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
_FIRST_ID = -7_000_000_000_000_000_001

_kept: dict[tuple, tuple[str, tuple, dict[str, tuple[int, ...]]]] = {}


def _adapt(name: str, value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"{name}: only moments and ids can be marked, not {type(value).__name__}")


def _marks(values: dict) -> dict:
    """A mark for each value, each different from the others."""
    for name, value in values.items():
        _adapt(name, value)  # refuses what cannot be marked
    return {
        name: _MOMENT.replace(microsecond=1 + i) if isinstance(value, datetime) else _FIRST_ID - i
        for i, (name, value) in enumerate(values.items())
    }


def compiled(build: Callable[..., QuerySet], *fixed, **values) -> tuple[str, list]:
    """``(sql, params)`` of ``build(*fixed, **values)``, the queryset built and compiled once per ``build``,
    ``fixed`` and database.

    A query with ``select_for_update`` must be asked for inside a transaction (its lock clause is compiled only
    there), as it must be run in one."""
    key = (build, fixed, connection.vendor, tuple(values))
    kept = _kept.get(key)
    if kept is None:
        marks = _marks(values)
        sql, params = build(*fixed, **marks).query.sql_with_params()
        places = {
            name: tuple(i for i, p in enumerate(params) if p == _adapt(name, mark)) for name, mark in marks.items()
        }
        kept = _kept[key] = (sql, tuple(params), places)
    sql, params, places = kept
    params = list(params)
    for name, indexes in places.items():
        value = _adapt(name, values[name])
        for i in indexes:
            params[i] = value
    return sql, params
