from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from core import clock
from filings import notify as order_notify
from filings import services
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, SubjectApplication
from filings.tasks import expire_orders
from notifications.models import NotificationPreference, OutboxMessage, WebhookEndpoint
from notifications.services import Notice, notify_many
from tests.factories import UserFactory

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


# --- the notices of the sweep ----------------------------------------------------------------------------------------


def _due(*orders):
    FilingOrder.objects.filter(pk__in=[o.pk for o in orders]).update(expires_at=clock.now() - timedelta(hours=1))


def _outbox_rows():
    fields = ("recipient_id", "channel", "address", "event", "context", "language", "status", "idempotency_key")
    rows = OutboxMessage.objects.filter(event="order.expired").values_list(*fields, "due_at", "created_at")
    return sorted(rows, key=lambda row: (row[-3], row[1]))


def test_a_sweep_run_twice_writes_each_notice_once(make_order, clock):
    orders = [make_order(), make_order(status=S.MIIT_RETURNED)]
    _due(*orders)
    assert expire_orders.delay().get() == 2
    assert expire_orders.delay().get() == 0
    with transaction.atomic():
        order_notify.orders_expired_notify([o.pk for o in orders])  # the notices of a sweep retried after a failure
    rows = OutboxMessage.objects.filter(event="order.expired")
    assert sorted(rows.values_list("idempotency_key", flat=True)) == sorted(
        f"order:{o.pk}:expired:u{o.applicant_id}" for o in orders for _channel in ("email", "in_app")
    )


def test_the_notices_of_expired_orders_are_those_the_per_order_path_stores(make_order, clock):
    clock.freeze()
    english, hooked = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=english, language="en", email_off=["order.expired"])
    WebhookEndpoint.objects.create(
        owner=hooked,
        url="https://hooks.example.com/",
        secret_encrypted="x",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    orders = [make_order(), make_order(applicant=english), make_order(applicant=hooked), make_order(applicant=hooked)]
    SubjectApplication.objects.filter(order=orders[0]).update(name="")
    _due(*orders)
    assert sorted(services.order_expire_due()) == sorted(o.pk for o in orders)
    swept = _outbox_rows()
    assert len(swept) == 2 + 1 + 3 + 3
    OutboxMessage.objects.all().delete()

    with transaction.atomic():  # the notices as they were built before the sweep became set-based: one per order
        notify_many(
            Notice(
                event="order.expired",
                context=order_notify._row_context(order),
                idempotency_key=f"order:{order.pk}:expired",
                recipient=order.applicant,
                mobile=order.principal_mobile or "",
            )
            for order in order_notify._orders_with_contacts().filter(pk__in=[o.pk for o in orders])
        )
    assert _outbox_rows() == swept


def test_the_sweep_takes_as_many_queries_for_fifty_orders_as_for_five():
    def sweep_queries(count: int, seed: int) -> int:
        call_command("seed_orders", orders=count, due_for_expiry=True, reviewers=0, seed=seed, verbosity=0)
        with CaptureQueriesContext(connection) as queries:
            assert len(services.order_expire_due()) == count
        return len(queries)

    five, fifty = sweep_queries(5, seed=1), sweep_queries(50, seed=2)
    assert five == fifty <= 7  # PostgreSQL 5, SQLite 7 (the lock, the move and the events apart)
    assert OutboxMessage.objects.filter(event="order.expired").count() == 2 * 55
