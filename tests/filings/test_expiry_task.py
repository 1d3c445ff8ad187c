from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from filings.constants import OrderStatus as S
from filings.models import FilingOrder
from filings.tasks import expire_orders

pytestmark = pytest.mark.django_db


def test_the_expiry_sweep_is_scheduled_in_beat():
    task = PeriodicTask.objects.get(task="filings.expire_orders")
    assert task.enabled and task.interval.every == 300


def test_the_expiry_task_expires_due_orders_once_and_is_safe_to_run_twice(make_order, clock):
    due = [make_order(status=S.DRAFT), make_order(status=S.PENDING_PHOTO)]
    not_due = make_order(status=S.DRAFT)
    held_by_provider = make_order(status=S.PHOTO_REVIEW)
    FilingOrder.objects.filter(pk__in=[o.pk for o in [*due, held_by_provider]]).update(
        expires_at=clock.now() - timedelta(hours=1)
    )
    assert expire_orders.delay().get() == 2
    assert expire_orders.delay().get() == 0
    statuses = dict(FilingOrder.objects.values_list("pk", "status"))
    assert [statuses[o.pk] for o in due] == [S.EXPIRED, S.EXPIRED]
    assert statuses[not_due.pk] == S.DRAFT
    assert statuses[held_by_provider.pk] == S.PHOTO_REVIEW
    assert all(o.events.filter(action="expire").count() == 1 for o in due)
