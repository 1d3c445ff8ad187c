from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.models import ClockSetting

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def test_clock_follows_real_time_by_default(clock):
    before = timezone.now()
    moment = clock.now()
    after = timezone.now()
    assert before <= moment <= after


def test_advancing_the_clock_moves_every_deadline_forward(clock):
    clock.advance(timedelta(days=45))
    assert clock.now() - timezone.now() > timedelta(days=44, hours=23)


def test_frozen_clock_stays_put_until_moved(clock):
    moment = datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI)
    clock.freeze(moment)
    assert clock.now() == moment
    assert clock.localnow().hour == 10
    clock.advance(timedelta(hours=1))
    assert clock.now() == moment + timedelta(hours=1)


def test_today_is_the_date_in_shanghai_not_utc(clock):
    # 2025-01-01 20:00 UTC is already 2 January in Shanghai.
    clock.freeze(datetime(2025, 1, 1, 20, 0, tzinfo=ZoneInfo("UTC")))
    assert clock.today().isoformat() == "2025-01-02"


def test_clock_setting_is_shared_through_the_database(clock):
    """Another process has an empty cache: it must read the same moment from the row."""
    moment = datetime(2024, 5, 6, 7, 8, tzinfo=SHANGHAI)
    clock.freeze(moment)
    cache.clear()
    assert ClockSetting.objects.get(pk=1).frozen_at == moment
    assert clock.now() == moment


def test_reading_the_clock_costs_no_query_once_cached(clock, django_assert_num_queries):
    clock.advance(timedelta(minutes=5))
    with django_assert_num_queries(0):
        clock.now()
        clock.now()


def test_reset_returns_to_real_time(clock):
    clock.freeze(datetime(2020, 1, 1, tzinfo=SHANGHAI))
    clock.reset()
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=2)
