"""Every write of the back office (STYLE.md rule 1). Each service locks the order row first, checks who acts, and
changes the order's state only through ``filings.services``, in the same transaction."""

from .calls import CallResult, review_call_record
from .claims import (
    review_claim,
    review_claim_next,
    review_claims_sweep,
    review_reassign,
    review_release,
)
from .decisions import (
    review_initial_pass,
    review_initial_reject,
    review_photo_pass,
    review_photo_reject,
)
from .forwarding import review_forward
from .sla import review_sla_breaches_alert

__all__ = [
    "CallResult",
    "review_call_record",
    "review_claim",
    "review_claim_next",
    "review_claims_sweep",
    "review_forward",
    "review_initial_pass",
    "review_initial_reject",
    "review_photo_pass",
    "review_photo_reject",
    "review_reassign",
    "review_release",
    "review_sla_breaches_alert",
]
