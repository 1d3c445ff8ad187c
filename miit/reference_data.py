"""Reference data of the simulated administration (idempotent): one number sequence per province, its SMS rule table,
its settings row, and the beat schedules of its background work.

The demo registry (records filed through other providers, domain registrations, legacy HiChina records) is demo
data, loaded by `make run` (``miit.demo_data``), not here: tests build the records they need themselves.
"""

from core.schedules import ensure_interval
from regions.models import Region

from .constants import SMS_NATIONWIDE_FROM, SMS_PILOTS
from .models import SimulatorSettings
from .services import number_sequences_ensure, sms_rules_seed

# Every few seconds, so a demo on a fast clock moves on promptly; each run costs a query or two when idle.
SCHEDULES = (
    ("miit: process due submissions", "miit.process_due_submissions", 5),
    ("miit: deliver due callbacks", "miit.deliver_callbacks", 5),
    ("miit: sweep SMS verification windows", "miit.sweep_sms_windows", 60),
)


def sms_rule_rows() -> list[tuple]:
    provinces = Region.objects.filter(level="province", is_mainland=True).exclude(abbreviation="")
    pilots = {abbreviation: day for day, abbreviations in SMS_PILOTS.items() for abbreviation in abbreviations}
    rows = []
    for code, abbreviation in provinces.values_list("code", "abbreviation"):
        day = pilots.get(abbreviation, SMS_NATIONWIDE_FROM)
        rows.append((code, day, True, "短信核验试点" if abbreviation in pilots else "短信核验全国实施"))
    return rows


def load() -> str:
    created = number_sequences_ensure()
    rules = sms_rules_seed(sms_rule_rows())
    SimulatorSettings.load()
    for name, task, seconds in SCHEDULES:
        ensure_interval(name=name, task=task, every_seconds=seconds)
    return f"{created} number sequences, {rules} SMS rules created"
