"""How long the administration takes, on the portal's settable clock (``core.clock``).

Every due time the simulator keeps (a decision, an SMS window, a callback retry) is a moment on ``core.clock``, so a
test that moves that clock and runs a sweep sees exactly what beat would do later. The review lasts a number of
working days drawn between the settings' shortest and longest (3–20 by default):

- ``seconds_per_working_day == 0``: real working days (``regions.workdays.add_working_days``: holidays and make-up
  working days counted), so it matches what an applicant experiences;
- ``seconds_per_working_day > 0`` (the demo, `make run`): each working day passes in that many seconds of the clock,
  so a first filing reaches its number in minutes without moving the portal's clock — which would also rush every
  other deadline of the portal (mobile codes, SLA, the 45-day validity).

The SMS window is always ``sms_window_hours`` of clock time: the applicant needs real time to type the code.
"""

import random
from datetime import datetime, timedelta

from regions.workdays import add_working_days

from .models import SimulatorSettings


def review_days(*, seed: str, config: SimulatorSettings) -> int:
    """How many working days this submission's review takes: drawn once per submission (seeded by its key, so a
    retried step decides the same)."""
    low, high = sorted((config.review_days_min, config.review_days_max))
    return random.Random(f"days:{seed}").randint(low, high)


def after_working_days(start: datetime, days: int, *, config: SimulatorSettings) -> datetime:
    if config.seconds_per_working_day:
        return start + timedelta(seconds=days * config.seconds_per_working_day)
    return add_working_days(start, days)


def sms_window(config: SimulatorSettings) -> timedelta:
    return timedelta(hours=config.sms_window_hours)


def rejected_at_random(*, seed: str, config: SimulatorSettings) -> bool:
    """The settings' random rejection rate, drawn once per submission (deterministic for its key)."""
    if config.rejection_rate <= 0:
        return False
    return random.Random(f"reject:{seed}").random() * 100 < config.rejection_rate
