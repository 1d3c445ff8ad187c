"""Reference data of the regions app: the GB/T 2260 divisions and the province rules of RULES.md.

``load()`` runs after every migrate and after every flush in the tests, so with the data already there it costs
two queries: it reads what is stored and writes only what differs.
"""

import csv
import functools
from datetime import date
from pathlib import Path

from .constants import FILING_REGIME_START, SMS_NATIONWIDE_FROM, PhotoMethod, PrincipalRule, RegionLevel
from .services import divisions_sync, province_rules_seed

DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "divisions.csv"

# By province abbreviation (RULES.md). SMS verification pilots; every other province from SMS_NATIONWIDE_FROM.
SMS_PILOTS = {
    date(2017, 12, 18): "津甘藏宁琼新青",
    date(2018, 9, 10): "浙川闽陕渝桂滇",
    date(2018, 9, 24): "鲁豫皖湘晋黑蒙鄂",
}
PHOTO_METHODS = {
    "沪": PhotoMethod.SHANGHAI_APP,
    **dict.fromkeys("粤渝辽皖闽", PhotoMethod.BACKDROP_OR_PROVIDER_APP),
}
PRINCIPAL_RULES = {
    **dict.fromkeys("津冀蒙黑沪浙闽赣鲁豫湘鄂粤桂渝黔滇藏陕青宁新", PrincipalRule.LEGAL_REPRESENTATIVE),
    **dict.fromkeys("吉皖川甘", PrincipalRule.AUTHORISATION_LETTER),
    **dict.fromkeys("京晋辽苏琼", PrincipalRule.FREE),
}


@functools.cache
def read_divisions() -> dict[str, dict]:
    """The division file as code → Region field values (read once per process)."""
    divisions = {}
    with DIVISIONS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            divisions[row["code"]] = {
                "name": row["name"],
                "level": row["level"],
                "parent_id": row["parent_code"] or None,
                "abbreviation": row["abbreviation"],
                "kind": row["kind"],
                "is_mainland": row["is_mainland"] == "1",
                "is_grouping": row["is_grouping"] == "1",
                "is_active": True,
            }
    return divisions


def province_rule_rows(divisions: dict[str, dict]) -> list[dict]:
    """Two rows per mainland province: the seed's rules from the start, and the day SMS verification began."""
    province_codes = {
        values["abbreviation"]: code
        for code, values in divisions.items()
        if values["level"] == RegionLevel.PROVINCE and values["is_mainland"]
    }
    sms_start = {abbr: day for day, abbrs in SMS_PILOTS.items() for abbr in abbrs}
    rows = []
    for abbreviation, code in sorted(province_codes.items(), key=lambda item: item[1]):
        common = {
            "province_id": code,
            "photo_method": PHOTO_METHODS.get(abbreviation, PhotoMethod.BACKDROP),
            "principal_rule": PRINCIPAL_RULES[abbreviation],
        }
        rows.append(
            {**common, "effective_from": FILING_REGIME_START, "sms_verification_required": False, "note": "初始规则"}
        )
        sms_from = sms_start.get(abbreviation, SMS_NATIONWIDE_FROM)
        note = "短信核验试点" if abbreviation in sms_start else "短信核验全国实施"
        rows.append({**common, "effective_from": sms_from, "sms_verification_required": True, "note": note})
    return rows


def load() -> str:
    divisions = read_divisions()
    changes = divisions_sync(divisions=divisions)
    rules_created = province_rules_seed(rules=province_rule_rows(divisions))
    return (
        f"{len(divisions)} divisions ({changes['created']} new, {changes['updated']} changed, "
        f"{changes['retired']} retired), {rules_created} province rules added"
    )
