from core.schedules import ensure_interval


def load() -> str:
    ensure_interval(name="Send pending notifications", task="notifications.sweep_outbox", every_seconds=30)
    return "schedules"
