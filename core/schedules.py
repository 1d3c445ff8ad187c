"""Periodic work lives in django-celery-beat's tables, so administrators can see and change schedules in the admin.

Apps declare their schedules in their ``reference_data.load()`` with ``ensure_interval``/``ensure_crontab``; an
existing task keeps whatever schedule and enabled state an administrator gave it.
"""

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


def ensure_interval(*, name: str, task: str, every_seconds: int) -> PeriodicTask:
    schedule, _ = IntervalSchedule.objects.get_or_create(every=every_seconds, period=IntervalSchedule.SECONDS)
    periodic, _ = PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": schedule})
    return periodic


def ensure_crontab(*, name: str, task: str, minute: str = "0", hour: str = "*") -> PeriodicTask:
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    periodic, _ = PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})
    return periodic
