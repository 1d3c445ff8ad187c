from core.schedules import ensure_interval


def load() -> str:
    ensure_interval(name="Expire orders past their validity", task="filings.expire_orders", every_seconds=300)
    ensure_interval(name="Remind orders about to expire", task="filings.remind_expiring_orders", every_seconds=3600)
    ensure_interval(name="Advance backdrop shipments", task="filings.advance_backdrop_shipments", every_seconds=60)
    return "schedules"
