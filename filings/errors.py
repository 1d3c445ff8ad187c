from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass
class OrderError(Exception):
    """A refused action on an order: ``code`` for machines, ``message`` for people, ``status`` for the API."""

    code: str
    message: str
    status: int = 409

    def __str__(self):
        return str(self.message)


class TransitionRefused(OrderError):
    """The move is not allowed from the order's state, or its guard fails (HTTP 409)."""


class NotPermitted(OrderError):
    """The actor may not make this move (HTTP 403)."""

    def __init__(self, code="not_permitted", message=None):
        super().__init__(code, message or _("You are not allowed to do this."), 403)


def refused_in_state(order) -> TransitionRefused:
    return TransitionRefused(
        "not_allowed_in_state",
        _("This cannot be done while the order is “%(status)s”.") % {"status": order.get_status_display()},
    )
