"""The app's settings: ``settings.REVIEWS`` over these defaults."""

from django.conf import settings

DEFAULTS = {
    # Orders one reviewer may hold at once (initial and photo review together).
    "MAX_CLAIMS": 5,
    # A claim without a decision or a call note for this long goes back to its queue (beat sweep).
    "CLAIM_IDLE_MINUTES": 120,
    # A call not answered: the retry is due this much later; the second miss rejects (电话无法联系).
    "CALL_RETRY_MINUTES": 60,
    "CALL_MISSES_TO_REJECT": 2,
    # An order due within this many minutes is "due soon" in the queues.
    "DUE_SOON_MINUTES": 120,
    # Rows per queue page: a screenful. Reviewers take work with "claim next"; the list is for a look over the queue,
    # and each row costs its rendering (docs/performance.md).
    "PAGE_SIZE": 25,
}


def get(name: str):
    overrides = getattr(settings, "REVIEWS", {}) or {}
    return overrides.get(name, DEFAULTS[name])
