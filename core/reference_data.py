"""Loading reference data: groups and permissions, regions, province rules, word lists, reasons.

Each app that owns reference data has a ``reference_data`` module with a ``load()`` function that is idempotent
(update_or_create on natural keys). ``manage.py load_reference_data`` calls them in the order of INSTALLED_APPS,
which follows the import direction of DESIGN.md, so an app can rely on the data of the apps below it.
"""

import importlib
import logging

from django.apps import apps
from django.db import transaction

logger = logging.getLogger(__name__)


def load_all(*, verbosity: int = 1) -> list[str]:
    loaded = []
    for config in apps.get_app_configs():
        if config.name == "core":
            continue  # this module is the loader itself
        try:
            module = importlib.import_module(f"{config.name}.reference_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reference_data":
                raise
            continue
        with transaction.atomic():
            summary = module.load()
        loaded.append(config.label)
        if verbosity:
            logger.info("reference data for %s: %s", config.label, summary or "loaded")
    from . import clock

    clock.forget_cached()
    return loaded
