"""The pre-check (our "check your answers" page): every remaining problem of an order, per field.

It runs the same validation functions as the API's pre-check endpoint and the reviewer's page (subjects.validation,
websites.validation) on the order's application rows, plus what only an order knows: service numbers, required
materials, the ICP password.
"""

from core.findings import Finding

from .models import FilingOrder


def order_precheck(order: FilingOrder) -> list[Finding]:
    """All findings for ``order`` (errors block submission; warnings are shown)."""
    from .checks import order_findings

    return order_findings(order)
