"""Reads of regions and province rules that views, forms and the other apps share."""

from datetime import date, datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from core import clock

from .constants import RegionLevel
from .models import ProvinceRule, Region


def _with_has_children(queryset: QuerySet[Region]) -> QuerySet[Region]:
    current_children = Region.objects.filter(parent=OuterRef("pk"), is_active=True)
    return queryset.annotate(has_children=Exists(current_children))


def provinces() -> QuerySet[Region]:
    """The 31 mainland provinces, in code order: what the portal offers."""
    return _with_has_children(
        Region.objects.filter(level=RegionLevel.PROVINCE, is_mainland=True, is_active=True).order_by("code")
    )


def children(code: str) -> QuerySet[Region]:
    """The current divisions directly under ``code``, in code order; empty for an unknown code or a county.

    Each carries ``has_children`` so a caller can tell a final choice without another query.
    """
    return _with_has_children(Region.objects.filter(parent_id=code, is_active=True).order_by("code"))


def get_region(code: str | None) -> Region | None:
    """The division with that code (current or not), or None for an unknown or malformed code."""
    if not code or len(code) != 6 or not code.isdigit():
        return None
    return Region.objects.filter(pk=code).first()


def province_of(region: Region) -> Region:
    """The province a division lies in (GB/T 2260: the first two digits of its code); a province is its own."""
    if region.level == RegionLevel.PROVINCE:
        return region
    return Region.objects.get(pk=region.province_code)


def is_final_choice(region: Region) -> bool:
    """Whether an address may stop at this division: a county, or a city with no counties (东莞, 儋州, 嘉峪关)."""
    if region.level == RegionLevel.COUNTY:
        return True
    if region.level != RegionLevel.PREFECTURE or region.is_grouping:
        return False
    has_children = getattr(region, "has_children", None)
    if has_children is None:
        has_children = Region.objects.filter(parent=region, is_active=True).exists()
    return not has_children


def region_path(region: Region) -> list[Region]:
    """Province first, down to ``region`` itself, grouping rows (市辖区, 省直辖县级行政区划) included."""
    codes = [region.province_code]
    if region.level == RegionLevel.COUNTY and region.parent_id:
        codes.append(region.parent_id)
    codes.append(region.code)
    found = Region.objects.in_bulk(set(codes))
    return [found[code] for code in dict.fromkeys(codes)]


def region_full_name(region: Region) -> str:
    """The name as in an address (grouping rows skipped): ``北京市东城区``, ``湖北省仙桃市``, ``广东省东莞市``."""
    return "".join(part.name for part in region_path(region) if not part.is_grouping)


def province_rule_for(province: Region | str, on: date | None = None) -> ProvinceRule | None:
    """The rule of ``province`` in force on ``on`` (default: today on the portal's clock).

    That is the row with the latest ``effective_from`` not after ``on``; None before the province's first row.
    """
    province_code = province.pk if isinstance(province, Region) else province
    if isinstance(on, datetime):
        on = timezone.localdate(on)
    on = on or clock.today()
    return (
        ProvinceRule.objects.filter(province_id=province_code, effective_from__lte=on)
        .order_by("-effective_from")
        .select_related("province")
        .first()
    )
