"""Who hears about an order's moves. Called by the transition services inside their transaction (one place), so
the messages are stored with the change that causes them (notifications' outbox) and sent after commit."""


def order_event_notify(order, event) -> None:
    """An order moved (``event`` is its OrderEvent). Runs inside the move's transaction."""


def orders_expired_notify(order_ids) -> None:
    """The expiry sweep ended these orders. Runs inside the sweep's transaction."""
