from celery import shared_task

from . import services


@shared_task(name="reviews.sweep_claims")
def sweep_claims() -> dict:
    """Every few minutes: idle claims go back to their queue; claims of orders that moved on end. Safe to run
    twice (a released claim is no longer open)."""
    return services.review_claims_sweep()


@shared_task(name="reviews.alert_sla_breaches")
def alert_sla_breaches() -> int:
    """Every few minutes: supervisors hear about orders newly past their one-working-day due time, once each."""
    return len(services.review_sla_breaches_alert())
