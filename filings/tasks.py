from celery import shared_task

from . import services


@shared_task(name="filings.expire_orders")
def expire_orders() -> int:
    """Every few minutes: orders whose 45 days of the applicant's time ran out become 已失效. Set-based and safe to
    run twice (an order already expired is no longer in an applicant-held state)."""
    return len(services.order_expire_due())


@shared_task(name="filings.remind_expiring_orders")
def remind_expiring_orders() -> int:
    """Hourly: tell applicants whose orders expire within a week. Safe to run twice: each deadline is announced
    once (the outbox's idempotency key)."""
    from .notify import orders_expiring_soon_notify

    return orders_expiring_soon_notify()


from .claims import report_claim  # noqa: E402,F401  (beside the claim it reports)
from .photos.tasks import advance_backdrop_shipments  # noqa: E402,F401
from .psb import send_psb_reminders  # noqa: E402,F401  (defined beside the PSB services)
