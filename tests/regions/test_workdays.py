"""The working-day calendar: China's public holidays and make-up days (调休), with the override table on top."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from regions import services, workdays
from regions.models import WorkingDayOverride

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_an_ordinary_week_works_monday_to_friday():
    week = [date(2025, 3, 10) + timedelta(days=i) for i in range(7)]  # Monday 10 March 2025
    assert [workdays.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_the_2025_national_day_holiday_is_not_working_time():
    for day in range(1, 9):
        assert workdays.is_working_day(date(2025, 10, day)) is False, f"2025-10-{day:02}"
    assert workdays.is_working_day(date(2025, 9, 30)) is True
    assert workdays.is_working_day(date(2025, 10, 9)) is True


def test_the_make_up_days_around_national_day_2025_are_working_days():
    assert date(2025, 9, 28).weekday() == 6 and date(2025, 10, 11).weekday() == 5
    assert workdays.is_working_day(date(2025, 9, 28)) is True
    assert workdays.is_working_day(date(2025, 10, 11)) is True
    assert workdays.is_working_day(date(2025, 10, 12)) is False  # the Sunday after stays a weekend


def test_spring_festival_2025_days_off_and_make_up_days():
    assert not any(workdays.is_working_day(date(2025, 1, 28) + timedelta(days=i)) for i in range(8))  # 28 Jan–4 Feb
    assert workdays.is_working_day(date(2025, 1, 26)) and workdays.is_working_day(date(2025, 2, 8))


def test_friday_afternoon_plus_one_working_day_is_monday_at_the_same_time():
    assert workdays.add_working_days(at(2025, 3, 14, 17, 0), 1) == at(2025, 3, 17, 17, 0)


def test_plus_one_working_day_before_national_day_lands_after_the_holiday():
    assert workdays.add_working_days(at(2025, 9, 30, 10, 0), 1) == at(2025, 10, 9, 10, 0)


def test_a_make_up_saturday_counts_in_add_working_days():
    # Friday 10 Oct 2025 + 1 → Saturday 11 Oct, a make-up working day.
    assert workdays.add_working_days(at(2025, 10, 10, 9, 30), 1) == at(2025, 10, 11, 9, 30)
    assert workdays.add_working_days(at(2025, 10, 10, 9, 30), 2) == at(2025, 10, 13, 9, 30)


def test_from_a_day_off_the_count_starts_with_the_next_working_day():
    # Saturday 15 March 2025, 10:00: one working day is the whole of Monday, due at its end (Tuesday 00:00).
    assert workdays.add_working_days(at(2025, 3, 15, 10, 0), 1) == at(2025, 3, 18, 0, 0)
    # During Golden Week: the count starts on Thursday 9 October.
    assert workdays.add_working_days(at(2025, 10, 3, 15, 0), 1) == at(2025, 10, 10, 0, 0)


def test_midnight_at_the_start_of_a_working_day_counts_that_whole_day():
    # Tuesday 30 Sep 2025 00:00 + 1: the whole of the 30th, due at its end although 1 October is a holiday.
    assert workdays.add_working_days(at(2025, 9, 30, 0, 0), 1) == at(2025, 10, 1, 0, 0)


def test_add_working_days_works_in_shanghai_time_whatever_the_input_zone():
    # 09:00 UTC on Friday is 17:00 in Shanghai.
    moment = datetime(2025, 3, 14, 9, 0, tzinfo=ZoneInfo("UTC"))
    result = workdays.add_working_days(moment, 1)
    assert result == at(2025, 3, 17, 17, 0)
    assert result.utcoffset() == timedelta(hours=8)


def test_add_working_days_refuses_naive_moments_and_negative_counts():
    with pytest.raises(ValueError):
        workdays.add_working_days(datetime(2025, 3, 14, 17, 0), 1)
    with pytest.raises(ValueError):
        workdays.add_working_days(at(2025, 3, 14, 17, 0), -1)


def test_adding_twenty_working_days_across_national_day():
    # From Thursday 25 Sep 2025: 26, 28 (make-up), 29, 30 Sep; 9, 10, 11 (make-up) Oct; then 13 Oct onwards
    # five a week: the 20th working day is Wednesday 29 October.
    assert workdays.add_working_days(at(2025, 9, 25, 12, 0), 20) == at(2025, 10, 29, 12, 0)


def test_next_working_day_is_strictly_after_the_day():
    assert workdays.next_working_day(date(2025, 3, 14)) == date(2025, 3, 17)
    assert workdays.next_working_day(date(2025, 3, 17)) == date(2025, 3, 18)
    assert workdays.next_working_day(date(2025, 9, 30)) == date(2025, 10, 9)
    assert workdays.next_working_day(date(2025, 9, 27)) == date(2025, 9, 28)  # the make-up Sunday


def test_working_days_between_counts_the_days_after_start_up_to_and_including_end():
    assert workdays.working_days_between(date(2025, 3, 14), date(2025, 3, 17)) == 1  # Friday → Monday
    assert workdays.working_days_between(date(2025, 3, 17), date(2025, 3, 17)) == 0
    assert workdays.working_days_between(date(2025, 3, 10), date(2025, 3, 17)) == 5
    assert workdays.working_days_between(date(2025, 3, 17), date(2025, 3, 14)) == -1
    # 27 Sep → 12 Oct 2025: 28, 29, 30 Sep and 9, 10, 11 Oct.
    assert workdays.working_days_between(date(2025, 9, 27), date(2025, 10, 12)) == 6


def test_working_days_between_is_the_inverse_of_add_working_days():
    start = at(2025, 9, 26, 11, 0)
    for n in (1, 3, 7, 20):
        end = workdays.add_working_days(start, n)
        assert workdays.working_days_between(start.date(), end.date()) == n


def test_2027_has_no_make_up_days_until_an_administrator_enters_them():
    sunday, wednesday = date(2027, 9, 26), date(2027, 10, 6)
    assert sunday.weekday() == 6 and wednesday.weekday() == 2
    assert workdays.is_working_day(sunday) is False
    assert workdays.is_working_day(wednesday) is True

    services.working_day_override_set(day=sunday, is_working_day=True, note="国庆节调休上班")
    services.working_day_override_set(day=wednesday, is_working_day=False, note="国庆节")

    assert workdays.is_working_day(sunday) is True
    assert workdays.is_working_day(wednesday) is False
    # Friday 24 Sep 2027 17:00 + 1 is now Sunday 26 Sep; from Tuesday 5 Oct + 1 the day off is skipped.
    assert workdays.add_working_days(at(2027, 9, 24, 17, 0), 1) == at(2027, 9, 26, 17, 0)
    assert workdays.next_working_day(date(2027, 10, 5)) == date(2027, 10, 7)


def test_an_override_decides_over_the_library_in_a_known_year():
    national_day = date(2025, 10, 1)
    services.working_day_override_set(day=national_day, is_working_day=True)
    assert workdays.is_working_day(national_day) is True
    services.working_day_override_set(day=national_day, is_working_day=False)
    assert WorkingDayOverride.objects.filter(date=national_day).count() == 1
    assert workdays.is_working_day(national_day) is False


def test_overrides_beyond_the_first_window_are_read_too():
    # An invented month off: every day of March 2027. The walk outruns the window it read first.
    for day in range(1, 32):
        services.working_day_override_set(day=date(2027, 3, day), is_working_day=False)
    assert workdays.add_working_days(at(2027, 2, 26, 10, 0), 1) == at(2027, 4, 1, 10, 0)
    assert workdays.next_working_day(date(2027, 2, 26)) == date(2027, 4, 1)


def test_a_run_of_days_off_longer_than_two_months_is_an_error_not_a_hang():
    for offset in range(70):
        services.working_day_override_set(day=date(2028, 1, 1) + timedelta(days=offset), is_working_day=False)
    with pytest.raises(ValueError):
        workdays.next_working_day(date(2027, 12, 31))


def test_a_call_reads_the_overrides_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        workdays.add_working_days(at(2025, 9, 25, 12, 0), 20)
    with django_assert_num_queries(1):
        workdays.working_days_between(date(2025, 1, 1), date(2025, 12, 31))
