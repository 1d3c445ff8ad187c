"""Reference data of the simulated administration: one number sequence per province (idempotent).

The demo registry (records filed through other providers, domain registrations, legacy HiChina records) is demo
data, loaded by `make run` (``miit.demo_data``), not here: tests build the records they need themselves.
"""

from .services import number_sequences_ensure


def load() -> str:
    created = number_sequences_ensure()
    return f"{created} number sequences created"
