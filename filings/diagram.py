"""The order state diagram, generated from the django-fsm transitions themselves (docs/state-machine.md)."""

from django_fsm import GET_STATE

from .constants import OrderStatus
from .models import FilingOrder

HEADER = """# Order states

Generated from `FilingOrder`'s django-fsm transitions by `python manage.py state_diagram` (a test fails when this
file is out of date). Labels are the transition methods; each is made by one service in `filings/services/`.
The rules behind it are RULES.md's "Order states" table.

```mermaid
stateDiagram-v2
"""


def transitions() -> list[tuple[str, str, str]]:
    field = FilingOrder._meta.get_field("status")
    edges = set()
    for transition in field.get_all_transitions(FilingOrder):
        targets = transition.target.allowed_states if isinstance(transition.target, GET_STATE) else [transition.target]
        for target in targets:
            edges.add((str(transition.source), str(target), transition.name))
    return sorted(edges)


def mermaid() -> str:
    lines = [HEADER.rstrip("\n")]
    lines.append(f"    [*] --> {OrderStatus.DRAFT.value}")
    for status in OrderStatus:
        lines.append(f"    {status.value} : {status.value} ({status.label})")
    for source, target, name in transitions():
        lines.append(f"    {source} --> {target} : {name}")
    for final in (OrderStatus.APPROVED, OrderStatus.WITHDRAWN, OrderStatus.EXPIRED):
        lines.append(f"    {final.value} --> [*]")
    lines.append("```")
    return "\n".join(lines) + "\n"
