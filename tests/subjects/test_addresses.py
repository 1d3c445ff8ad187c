"""The subject's certificate address and mailing address: same province, a street number or remarks, no repeated
region in the street address."""

import pytest
from django.utils import translation

from regions.models import Region
from subjects.validation import (
    check_addresses,
    check_mailing_address_region,
    check_same_province,
    check_street_number,
)
from subjects.validation.addresses import province_named_in
from tests.subjects.numbers import by_field, codes, warning_codes

pytestmark = pytest.mark.django_db

BEIJING, SHANGHAI, ZHEJIANG, GUANGDONG, HAINAN, QINGHAI = "110000", "310000", "330000", "440000", "460000", "630000"


@pytest.mark.parametrize(
    ("address", "province"),
    [
        ("北京市朝阳区建国路88号", BEIJING),
        ("北京朝阳区建国路88号", BEIJING),
        ("中华人民共和国北京市东城区王府井大街1号", BEIJING),
        ("广东省深圳市南山区科技园科技中一路1号", GUANGDONG),
        ("广东深圳市南山区粤海街道", GUANGDONG),
        ("广东东莞市南城街道1号", GUANGDONG),
        ("深圳市南山区粤海街道科技园1号", GUANGDONG),
        ("内蒙古自治区呼和浩特市新城区1号", "150000"),
        ("内蒙古呼和浩特市新城区1号", "150000"),
        ("广西南宁市青秀区民族大道1号", "450000"),
        ("新疆乌鲁木齐市天山区1号", "650000"),
        ("宁夏银川市兴庆区1号", "640000"),
        ("西藏拉萨市城关区1号", "540000"),
        ("香港特别行政区中环1号", "810000"),
        ("中国（上海）自由贸易试验区张江路88号", SHANGHAI),
        ("中国(广东)自由贸易试验区深圳前海深港合作区1号", GUANGDONG),
        ("海南藏族自治州共和县1号", QINGHAI),  # a prefecture of 青海, not the province 海南
        ("海南省海口市龙华区1号", HAINAN),
        ("上海市黄浦区西藏中路100号", SHANGHAI),  # 西藏中路 is a street of 上海
        ("杭州市西湖区文三路90号（注册于浙江省）", ZHEJIANG),
        ("文三路90号，浙江省杭州市", ZHEJIANG),
    ],
)
def test_the_province_an_address_names_is_recognised(address, province):
    assert province_named_in(address) == province


@pytest.mark.parametrize(
    "address",
    [
        "朝阳区建国路88号",  # a district of 北京, and also the name of a city in 辽宁: not recognised
        "西藏中路100号",  # a street named after a province
        "四川北路1号",
        "河南南路18号",
        "建国路88号",
        "",
    ],
)
def test_an_address_naming_no_province_is_recognised_as_such(address):
    assert province_named_in(address) is None


@pytest.mark.parametrize(
    ("address", "province"),
    [
        ("北京市海淀区中关村大街1号", BEIJING),
        ("中关村大街1号", BEIJING),  # licences often leave the province out
        ("上海市黄浦区西藏中路100号", SHANGHAI),
        ("海南藏族自治州共和县1号", QINGHAI),
        ("中国（上海）自由贸易试验区张江路88号", SHANGHAI),
    ],
)
def test_a_certificate_address_in_the_same_province_or_naming_none_passes(address, province):
    assert check_same_province(address, province) == []


@pytest.mark.parametrize(
    ("address", "province"),
    [
        ("广东省深圳市南山区科技园1号", BEIJING),
        ("深圳市南山区科技园1号", BEIJING),
        ("北京朝阳区建国路88号", SHANGHAI),
        ("内蒙古呼和浩特市新城区1号", BEIJING),
        ("海南藏族自治州共和县1号", HAINAN),
        ("中国（上海）自由贸易试验区张江路88号", BEIJING),
        ("文三路90号，浙江省杭州市", GUANGDONG),
    ],
)
def test_a_certificate_address_in_another_province_is_refused(address, province):
    assert codes(check_same_province(address, province)) == ["certificate_address.other_province"]


def test_the_refusal_names_both_provinces():
    (finding,) = check_same_province("广东省深圳市南山区科技园1号", Region.objects.get(code=BEIJING))
    with translation.override("en"):
        message = str(finding.message)
    assert "广东省" in message and "北京市" in message
    assert finding.params == {"named": GUANGDONG, "province": BEIJING}


# --- Street number or remarks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "建国路88号",
        "建国路８８号",
        "幸福里12弄",
        "科技园3栋201室",
        "软件园二期5幢",
        "望京SOHO T1座1201",
        "张家村5组",
        "No. 5 Jianguo Road",
        "甲1号院",
    ],
)
def test_a_mailing_address_with_a_street_number_passes(address):
    assert check_street_number(address, "") == []


@pytest.mark.parametrize("address", ["科技园区", "建国路", "张家村"])
def test_a_mailing_address_without_a_street_number_is_refused(address):
    assert codes(check_street_number(address, "")) == ["mailing_address.street_number"]


def test_an_explanation_in_the_remarks_replaces_the_street_number():
    assert check_street_number("张家村", "村里的房屋没有门牌号") == []
    assert codes(check_street_number("张家村", "   ")) == ["mailing_address.street_number"]


# --- The street address does not repeat the region -----------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["浙江省杭州市西湖区文三路90号", "浙江杭州西湖区文三路90号", "杭州市西湖区文三路90号", "西湖区文三路90号"],
)
def test_repeating_the_chosen_region_in_the_street_address_is_a_warning(address):
    findings = check_mailing_address_region(address, ZHEJIANG, "330100", "330106")
    assert warning_codes(findings) == ["mailing_address.repeats_region"]


@pytest.mark.parametrize("address", ["文三路90号", "西湖大道1号", "杭州路1号"])
def test_a_street_address_alone_passes(address):
    assert check_mailing_address_region(address, ZHEJIANG, "330100", "330106") == []


def test_a_municipality_address_repeating_the_city_is_a_warning():
    findings = check_mailing_address_region("北京市朝阳区建国路88号", BEIJING, "110100", "110105")
    assert warning_codes(findings) == ["mailing_address.repeats_region"]
    with translation.override("en"):
        assert "北京市朝阳区" in str(findings[0].message)


def test_a_street_address_starting_with_another_province_is_refused():
    findings = check_mailing_address_region("上海市浦东新区张江路88号", BEIJING, "110100", "110105")
    assert codes(findings) == ["mailing_address.other_province"]


def test_the_address_rules_read_a_model_dump_with_region_ids():
    data = {
        "province_id": ZHEJIANG,
        "city_id": "330100",
        "district_id": "330106",
        "certificate_address": "北京市海淀区中关村大街1号",
        "mailing_address": "西湖区文三路",
        "remarks": "",
    }
    assert by_field(check_addresses(data)) == {
        "certificate_address": ["certificate_address.other_province"],
        "mailing_address": ["mailing_address.repeats_region", "mailing_address.street_number"],
    }


def test_a_complete_pair_of_addresses_passes():
    data = {
        "province": Region.objects.get(code=ZHEJIANG),
        "city": "330100",
        "district": "330106",
        "certificate_address": "浙江省杭州市西湖区文三路90号",
        "mailing_address": "文三路90号东部软件园1号楼",
    }
    assert check_addresses(data) == []
