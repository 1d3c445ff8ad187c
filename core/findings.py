"""The result of a validation check, shared by the wizard's pre-check, the reviewer's page and the API.

A check returns a list of findings; an empty list means it passed. Errors block submission, warnings do not.
``field`` names the form field (dotted for nested data: ``websites.0.domains.1``; empty for the whole application),
``code`` is stable for machines, ``message`` is for people (lazy, so it renders in the reader's language).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    field: str
    code: str
    message: str | Promise
    level: Level = Level.ERROR
    params: dict = field(default_factory=dict, compare=False)

    @property
    def is_error(self) -> bool:
        return self.level == Level.ERROR

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": str(self.message), "level": str(self.level)}

    def at(self, prefix: str) -> "Finding":
        """The same finding placed under a nested field: ``finding.at("websites.0")``."""
        name = f"{prefix}.{self.field}" if self.field else prefix
        return Finding(field=name, code=self.code, message=self.message, level=self.level, params=self.params)


def error(field_name: str, code: str, message, **params) -> Finding:
    return Finding(field=field_name, code=code, message=message, level=Level.ERROR, params=params)


def warning(field_name: str, code: str, message, **params) -> Finding:
    return Finding(field=field_name, code=code, message=message, level=Level.WARNING, params=params)


def errors_only(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]
