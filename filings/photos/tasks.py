from celery import shared_task

from . import services


@shared_task(name="filings.advance_backdrop_shipments")
def advance_backdrop_shipments() -> dict:
    """Every minute: bought backdrops whose next shipment step is due take it (set-based; safe to run twice, since
    a moved parcel's next step lies ahead of the clock)."""
    return services.backdrops_advance()
