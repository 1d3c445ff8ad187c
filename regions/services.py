"""Every write of the regions app."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction

from .constants import RegionLevel
from .models import ProvinceRule, Region, WorkingDayOverride

# The Region fields the division file decides; ``is_active`` follows from a code being in the file or not.
DIVISION_FIELDS = ("name", "level", "parent_id", "abbreviation", "kind", "is_mainland", "is_grouping", "is_active")
_LEVEL_ORDER = {RegionLevel.PROVINCE: 0, RegionLevel.PREFECTURE: 1, RegionLevel.COUNTY: 2}


@transaction.atomic
def divisions_sync(*, divisions: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Make the Region table say what ``divisions`` says (code → the values of ``DIVISION_FIELDS``).

    Missing codes are inserted, changed ones updated, and codes no longer listed are marked not current rather
    than deleted: filed addresses may point at them. With nothing to do this is one query.
    """
    existing = {row[0]: row[1:] for row in Region.objects.values_list("code", *DIVISION_FIELDS)}
    to_create, to_update = [], []
    for code, values in divisions.items():
        wanted = {field: values[field] for field in DIVISION_FIELDS}
        current = existing.get(code)
        if current is None:
            to_create.append(Region(code=code, **wanted))
        elif current != tuple(wanted.values()):
            to_update.append(Region(code=code, **wanted))
    is_active = DIVISION_FIELDS.index("is_active")
    retired = [code for code, values in existing.items() if code not in divisions and values[is_active]]

    # Parents first, so that no database has to defer the foreign-key check.
    to_create.sort(key=lambda region: (_LEVEL_ORDER[region.level], region.code))
    Region.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Region.objects.bulk_update(to_update, list(DIVISION_FIELDS), batch_size=500)
    if retired:
        Region.objects.filter(code__in=retired).update(is_active=False)
    return {"created": len(to_create), "updated": len(to_update), "retired": len(retired)}


@transaction.atomic
def province_rules_seed(*, rules: Iterable[Mapping]) -> int:
    """Insert the rules whose (province, effective_from) is missing; never touch a row that exists.

    An administrator's edits and additions therefore survive every reload. Returns how many rows were inserted.
    """
    existing = set(ProvinceRule.objects.values_list("province_id", "effective_from"))
    missing = [ProvinceRule(**rule) for rule in rules if (rule["province_id"], rule["effective_from"]) not in existing]
    ProvinceRule.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def working_day_override_set(*, day: date, is_working_day: bool, note: str = "") -> WorkingDayOverride:
    """Decide whether ``day`` is a working day, whatever the holidays library says."""
    override, _ = WorkingDayOverride.objects.update_or_create(
        date=day, defaults={"is_working_day": is_working_day, "note": note}
    )
    return override
