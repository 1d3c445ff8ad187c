from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import delivery


@shared_task(
    name="notifications.deliver",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def deliver_messages(ids: list[int]) -> int:
    """Enqueued after the commit that stored the messages. Safe to run twice: only pending, due, unleased rows are
    claimed, so a copy that runs again finds nothing. A database outage is retried with backoff; a failed send is
    rescheduled on the row (``due_at``) for the sweeper, never held in the broker."""
    return delivery.outbox_deliver(ids=ids)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    """Every 30 seconds (beat): send what is due and still pending."""
    return delivery.outbox_sweep()
