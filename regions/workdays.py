"""The working-day calendar of mainland China (Asia/Shanghai), make-up working days (调休) included.

Two sources decide whether a date is a working day, the first that speaks wins:

1. ``WorkingDayOverride`` rows (admin data): a year's official schedule once the State Council announces it, or a
   correction. Read from the database, one query per call.
2. The ``holidays`` package's ``China`` calendar: statutory holidays and the substituted days off of the years the
   package knows; a weekend date it lists in ``weekend_workdays`` is a make-up working day. Computed once per year
   per process (the package's data only changes with its version).

Otherwise Monday to Friday are working days and Saturday and Sunday are not.

Definitions (docs/regions.md):

* ``add_working_days(moment, n)`` counts working *time*: each working day weighs 24 hours, a day off nothing. The
  result is the first moment by which n × 24 working hours have passed since ``moment``. From a working day that is
  the same clock time n working days later (Friday 17:00 + 1 → Monday 17:00); from a day off the count starts when
  the next working day starts, so Saturday 10:00 + 1 → the end of Monday (Tuesday 00:00).
* ``working_days_between(start, end)`` is the number of working days d with start < d ≤ end: the working days that
  have *passed* since ``start`` by the end of ``end`` (submitted Friday, Monday evening: 1).
* ``next_working_day(d)`` is the first working day strictly after d.
"""

import functools
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

from .models import WorkingDayOverride

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
# How far a walk may go before giving up: longer than any run of days off, however overrides are set.
MAX_DAYS_OFF_IN_A_ROW = 60


@functools.cache
def library_exceptions(year: int) -> Mapping[date, bool]:
    """The dates of ``year`` where the library departs from Monday–Friday: holidays on weekdays (False) and make-up
    working days on weekends (True)."""
    # A year's make-up days can be announced with the next year's schedule (2001-12-29 for New Year 2002), so the
    # neighbouring years are populated too.
    calendar = holidays.China(years=(year - 1, year, year + 1))
    exceptions = {}
    day = date(year, 1, 1)
    while day.year == year:
        working = calendar.is_working_day(day)
        if working != (day.weekday() < 5):
            exceptions[day] = working
        day += ONE_DAY
    return MappingProxyType(exceptions)


def _overrides(start: date, end: date) -> dict[date, bool]:
    rows = WorkingDayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_working_day")
    return dict(rows)


class _Calendar:
    """Working days over a window of dates, with the overrides of that window read once."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start, end
        self.overrides = _overrides(start, end)

    def is_working_day(self, day: date) -> bool:
        if not self.start <= day <= self.end:
            self.extend(day)
        if day in self.overrides:
            return self.overrides[day]
        return library_exceptions(day.year).get(day, day.weekday() < 5)

    def extend(self, day: date) -> None:
        # A walk outran its window (a long run of days off, or a large n): read a wider window once more.
        self.start = min(self.start, day)
        self.end = max(self.end, day + timedelta(days=90))
        self.overrides = _overrides(self.start, self.end)

    def next_working_day(self, day: date) -> date:
        candidate = day
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            candidate += ONE_DAY
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {MAX_DAYS_OFF_IN_A_ROW} days after {day}")


def _as_date(value: date) -> date:
    # A datetime is a date too: take its Shanghai calendar date, not its UTC one.
    return timezone.localtime(value, SHANGHAI).date() if isinstance(value, datetime) else value


def _window(start: date, working_days: int) -> _Calendar:
    # Roughly 7 calendar days per 5 working days, plus room for a Golden Week.
    return _Calendar(start, start + timedelta(days=working_days * 7 // 5 + 14))


def is_working_day(day: date) -> bool:
    day = _as_date(day)
    return _Calendar(day, day).is_working_day(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day = _as_date(day)
    return _window(day, 1).next_working_day(day)


def add_working_days(moment: datetime, n: int) -> datetime:
    """The moment n working days after ``moment``, in Asia/Shanghai (see the module docstring for the rule)."""
    if timezone.is_naive(moment):
        raise ValueError("add_working_days needs an aware datetime")
    if n < 0:
        raise ValueError("n must not be negative")
    local = timezone.localtime(moment, SHANGHAI)
    if n == 0:
        return local
    day = local.date()
    calendar = _window(day, n)
    if calendar.is_working_day(day) and local.time() != time(0):
        # Part of today is left; the same clock time n working days on completes the n × 24 hours.
        for _ in range(n):
            day = calendar.next_working_day(day)
        return datetime.combine(day, local.time(), tzinfo=SHANGHAI)
    # The count starts at the start of the first working day from here and ends at midnight after the n-th.
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    for _ in range(n - 1):
        day = calendar.next_working_day(day)
    return datetime.combine(day + ONE_DAY, time(0), tzinfo=SHANGHAI)


def working_days_between(start: date, end: date) -> int:
    """How many working days d satisfy start < d ≤ end; negative when ``end`` is before ``start``."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    calendar = _Calendar(start + ONE_DAY, end)
    count, day = 0, start + ONE_DAY
    while day <= end:
        count += calendar.is_working_day(day)
        day += ONE_DAY
    return count
