from core.schedules import ensure_interval


def load() -> str:
    ensure_interval(name="Expire orders past their validity", task="filings.expire_orders", every_seconds=300)
    return "schedules"
