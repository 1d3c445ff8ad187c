"""The subject's addresses: 主办单位证件住所 (free text, as on the certificate) and 主办单位通讯地址 (the region
chosen in the cascade plus the street address).

Seed, chapter 2 step 3: the two must be in the same province; without a street number, explain in 备注; the
mailing address is the street address only ("请填写街道地址，不要重复填写省市").
"""

import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.findings import Finding
from regions.constants import RegionLevel
from regions.models import Region

from .text import fail, text, warn

# The suffixes of province-level names, longest first: 广西壮族自治区 → 广西, 香港特别行政区 → 香港.
_PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
_EXTRA_SHORT_NAMES = {"内蒙": "150000"}  # as commonly written
# A short province name followed by these is a street named after the province (上海的西藏中路, 四川北路), not the
# province: 西藏中路 does not make an address Tibetan.
_STREET_AFTER_NAME = re.compile(r"[东西南北中]?[路街巷道]|大[街道]|[一二三四五六七八九十\d]+[路街巷]")
_NATIONAL_PREFIX = re.compile(r"^(?:中华人民共和国|中国)")
# 中国（上海）自由贸易试验区…: the free-trade-zone names put the province in brackets.
_BRACKETED_PLACE = re.compile(r"^中国\s*[（(]\s*(?P<name>[^）)]{2,8}?)\s*[)）]")
# A street number: 号 or 弄 anywhere, digits with a building or room word, or "No. 5".
_STREET_NUMBER = re.compile(r"[号弄]|\d+\s*(?:[栋幢座室楼层组#]|单元)|\bNo\.?\s*\d", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceNames:
    """Names to recognise in addresses, read once per process from the regions table."""

    province_names: dict[str, str]  # province code → 北京市
    mainland_provinces: frozenset[str]
    at_start: tuple[tuple[str, str, bool], ...]  # (name, province code, is_short_form), longest first
    formal: tuple[tuple[str, str], ...]  # full province names recognised anywhere in a text
    region_names: dict[str, tuple[str, str, bool]]  # code → (name, level, is_grouping)


_cache_lock = threading.Lock()
_cached: PlaceNames | None = None


def place_names() -> PlaceNames:
    """The place names, cached for the process once the regions are loaded (GB/T 2260 names do not change while
    the portal runs; ``forget_place_names`` drops the copy)."""
    global _cached
    if _cached is not None:
        return _cached
    rows = list(Region.objects.values_list("code", "name", "level", "is_grouping", "is_mainland"))
    mainland = frozenset(code for code, _n, level, _g, mainland in rows if level == RegionLevel.PROVINCE and mainland)
    rows = [row[:4] for row in rows]
    province_names = {code: name for code, name, level, _grouping in rows if level == RegionLevel.PROVINCE}
    at_start: list[tuple[str, str, bool]] = []
    formal: list[tuple[str, str]] = []
    for code, name in province_names.items():
        at_start.append((name, code, False))
        formal.append((name, code))
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                at_start.append((name.removesuffix(suffix), code, True))
                break
    at_start.extend((name, code, True) for name, code in _EXTRA_SHORT_NAMES.items() if code in province_names)
    # Prefecture-level cities by their full name only: 深圳市…, 海南藏族自治州… (a short 朝阳 would also be a
    # district of Beijing; full prefecture names are unique and none is also a county's name).
    at_start.extend(
        (name, code[:2] + "0000", False)
        for code, name, level, grouping in rows
        if level == RegionLevel.PREFECTURE and not grouping
    )
    at_start.sort(key=lambda item: -len(item[0]))
    names = PlaceNames(
        province_names=province_names,
        mainland_provinces=mainland,
        at_start=tuple(at_start),
        formal=tuple(formal),
        region_names={code: (name, level, grouping) for code, name, level, grouping in rows},
    )
    if province_names:
        with _cache_lock:
            _cached = names
    return names


def forget_place_names() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def _folded(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(value)))


def _province_at_start(address: str, names: PlaceNames) -> str | None:
    for name, code, is_short in names.at_start:
        if address.startswith(name):
            if is_short and _STREET_AFTER_NAME.match(address, len(name)):
                continue
            return code
    return None


def province_named_in(address) -> str | None:
    """The province (its code) an address names, or None.

    First the place the address starts with (after 中国 / 中华人民共和国): a province by full or short name
    (北京, 广东, 内蒙古…) unless the short name begins a street name (西藏中路), or a prefecture-level city by its
    full name (深圳市); the bracketed province of a free-trade-zone address (中国（上海）自由贸易试验区); else the
    first full province name anywhere in the text (…广东省深圳市…).
    """
    folded = _folded(address)
    if not folded:
        return None
    names = place_names()
    bracketed = _BRACKETED_PLACE.match(folded)
    if bracketed:
        code = _province_at_start(bracketed["name"], names)
        if code:
            return code
    code = _province_at_start(_NATIONAL_PREFIX.sub("", folded), names)
    if code:
        return code
    found = [(folded.find(name), code) for name, code in names.formal if name in folded]
    return min(found)[1] if found else None


def first_of(data: Mapping, *keys: str):
    """The first of ``keys`` that ``data`` has a value for (a form sends ``province``, a model dump ``province_id``)."""
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return value
    return None


def region_code(value) -> str | None:
    """A region given as a Region, its code, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, Region):
        return value.code
    return str(value).strip() or None


def check_same_province(certificate_address, province, *, field: str = "certificate_address") -> list[Finding]:
    """证件住所 and 通讯地址 in the same province. A certificate address that names no province is accepted
    (licences often start with the district or the street); one that names another province is an error."""
    province_code = region_code(province)
    named = province_named_in(certificate_address)
    if province_code is None or named is None or named == province_code:
        return []
    names = place_names().province_names
    return [
        fail(
            field,
            "certificate_address.other_province",
            _(
                "The certificate address is in %(named)s, but the subject's region is %(province)s. The two must be "
                "in the same province: check the address on the certificate and the region you chose."
            ),
            named=names.get(named, named),
            province=names.get(province_code, province_code),
            data={"named": named, "province": province_code},
        )
    ]


def has_street_number(address) -> bool:
    return bool(_STREET_NUMBER.search(_folded(address)))


def check_street_number(mailing_address, remarks, *, field: str = "mailing_address") -> list[Finding]:
    """The mailing address has a street number (…88号, 12弄, 3栋201室, No. 5), or 备注 explains why not."""
    if not text(mailing_address) or has_street_number(mailing_address) or text(remarks):
        return []
    return [
        fail(
            field,
            "mailing_address.street_number",
            _(
                "Add the street number to the mailing address (such as 88号 or 3栋201室). If the address has "
                "no number, explain why in Remarks."
            ),
        )
    ]


def _starts_with_place(address: str, name: str, level: str) -> bool:
    if address.startswith(name):
        return True
    # A city may be written without 市 (杭州西湖区…), unless the rest is a street (杭州路); a district only in full
    # (西湖大道 is a street of 西湖区).
    short = name.removesuffix("市")
    return (
        level == RegionLevel.PREFECTURE
        and short != name
        and len(short) >= 2
        and address.startswith(short)
        and not _STREET_AFTER_NAME.match(address, len(short))
    )


def check_mailing_address_region(
    mailing_address, province, city=None, district=None, *, field: str = "mailing_address"
) -> list[Finding]:
    """The street address does not start with a place: naming another province is an error, repeating the
    province, city or district chosen in the cascade a warning (they are printed before it)."""
    folded = _folded(mailing_address)
    province_code = region_code(province)
    if not folded or province_code is None:
        return []
    names = place_names()
    named = _province_at_start(_NATIONAL_PREFIX.sub("", folded), names)
    if named and named != province_code:
        return [
            fail(
                field,
                "mailing_address.other_province",
                _(
                    "The mailing address starts with a place in %(named)s, but the region chosen is %(province)s. "
                    "Choose the right region, and enter only the street address here."
                ),
                named=names.province_names.get(named, named),
                province=names.province_names.get(province_code, province_code),
                data={"named": named, "province": province_code},
            )
        ]
    chosen = []
    for code in (region_code(province), region_code(city), region_code(district)):
        name, level, grouping = names.region_names.get(code or "", ("", "", True))
        if name and not grouping:
            chosen.append((name, level))
    repeats = bool(named) or any(_starts_with_place(folded, name, level) for name, level in chosen)
    if not repeats:
        return []
    return [
        warn(
            field,
            "mailing_address.repeats_region",
            _(
                "Enter only the street address here: %(region)s is shown before it from the region you chose, "
                "so do not repeat the province or city."
            ),
            region="".join(name for name, _level in chosen),
        )
    ]


def check_addresses(data: Mapping) -> list[Finding]:
    """The address rules of a subject: same province, street number or remarks, no repeated region."""
    province = first_of(data, "province", "province_id")
    return [
        *check_same_province(data.get("certificate_address"), province),
        *check_mailing_address_region(
            data.get("mailing_address"),
            province,
            first_of(data, "city", "city_id"),
            first_of(data, "district", "district_id"),
        ),
        *check_street_number(data.get("mailing_address"), data.get("remarks")),
    ]
