"""Demo data for `make run`: each app with a ``demo_data`` module contributes; this module runs them in order."""

import importlib

from django.apps import apps
from django.db import transaction


def load_all() -> list[str]:
    """Run every app's ``demo_data.load()`` (idempotent) and collect the lines to print for the person at the
    terminal (accounts, passwords, where to look)."""
    lines: list[str] = []
    for config in apps.get_app_configs():
        if config.name == "core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo_data":
                raise
            continue
        with transaction.atomic():
            lines.extend(module.load() or [])
    return lines
