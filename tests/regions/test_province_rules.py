"""Province rules with effective dates (RULES.md): the row in force on a day decides."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from regions import selectors
from regions.constants import PhotoMethod, PrincipalRule
from regions.models import ProvinceRule, Region

pytestmark = pytest.mark.django_db


def rule(abbreviation: str, on: date):
    province = Region.objects.get(abbreviation=abbreviation, level="province")
    return selectors.province_rule_for(province, on)


def test_beijing_needs_no_sms_verification_on_2019_01_01():
    assert rule("京", date(2019, 1, 1)).sms_verification_required is False


def test_beijing_needs_sms_verification_from_the_nationwide_start():
    assert rule("京", date(2020, 8, 16)).sms_verification_required is False
    assert rule("京", date(2020, 8, 17)).sms_verification_required is True
    assert rule("京", date(2021, 1, 1)).sms_verification_required is True


def test_zhejiang_needs_sms_verification_from_its_pilot_on_2018_09_10():
    assert rule("浙", date(2018, 9, 9)).sms_verification_required is False
    assert rule("浙", date(2018, 9, 10)).sms_verification_required is True
    assert rule("浙", date(2018, 9, 11)).sms_verification_required is True


@pytest.mark.parametrize(
    ("abbreviations", "pilot_day"),
    [
        ("津甘藏宁琼新青", date(2017, 12, 18)),
        ("浙川闽陕渝桂滇", date(2018, 9, 10)),
        ("鲁豫皖湘晋黑蒙鄂", date(2018, 9, 24)),
    ],
)
def test_each_pilot_batch_starts_sms_verification_on_its_day(abbreviations, pilot_day):
    for abbreviation in abbreviations:
        assert rule(abbreviation, pilot_day.replace(day=pilot_day.day - 1)).sms_verification_required is False
        assert rule(abbreviation, pilot_day).sms_verification_required is True, abbreviation


def test_every_province_needs_sms_verification_today():
    assert all(selectors.province_rule_for(p).sms_verification_required for p in selectors.provinces())


def test_photo_method_is_the_shanghai_app_in_shanghai_backdrop_or_app_in_five_provinces_backdrop_elsewhere():
    today = date(2025, 1, 1)
    methods = {p.abbreviation: selectors.province_rule_for(p, today).photo_method for p in selectors.provinces()}
    assert methods.pop("沪") == PhotoMethod.SHANGHAI_APP
    either = {a: methods.pop(a) for a in "粤渝辽皖闽"}
    assert either == dict.fromkeys("粤渝辽皖闽", PhotoMethod.BACKDROP_OR_PROVIDER_APP)
    assert set(methods.values()) == {PhotoMethod.BACKDROP} and len(methods) == 25


def test_principal_rule_by_province():
    today = date(2025, 1, 1)
    rules = {p.abbreviation: selectors.province_rule_for(p, today).principal_rule for p in selectors.provinces()}
    by_rule = {value: {a for a, r in rules.items() if r == value} for value in PrincipalRule.values}
    assert by_rule[PrincipalRule.FREE] == set("京晋辽苏琼")
    assert by_rule[PrincipalRule.AUTHORISATION_LETTER] == set("吉皖川甘")
    assert by_rule[PrincipalRule.LEGAL_REPRESENTATIVE] == set("津冀蒙黑沪浙闽赣鲁豫湘鄂粤桂渝黔滇藏陕青宁新")


def test_a_new_row_takes_over_from_its_date_only(region):
    guangdong = region("440000")
    ProvinceRule.objects.create(
        province=guangdong,
        effective_from=date(2030, 1, 1),
        sms_verification_required=True,
        photo_method=PhotoMethod.BACKDROP,
        changes_allowed=False,
    )
    earlier = selectors.province_rule_for(guangdong, date(2029, 12, 31))
    assert earlier.photo_method == PhotoMethod.BACKDROP_OR_PROVIDER_APP
    later = selectors.province_rule_for("440000", date(2030, 1, 1))
    assert later.photo_method == PhotoMethod.BACKDROP and later.changes_allowed is False


def test_the_rule_defaults_to_today_on_the_portal_clock(clock, region):
    clock.freeze(datetime(2018, 9, 12, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert selectors.province_rule_for(region("330000")).sms_verification_required is True  # 浙: pilot 2018-09-10
    assert selectors.province_rule_for(region("110000")).sms_verification_required is False


def test_there_is_no_rule_before_the_filing_regime_began(region):
    assert selectors.province_rule_for(region("110000"), date(2005, 3, 19)) is None
    assert selectors.province_rule_for(region("110000"), date(2005, 3, 20)) is not None


def test_a_rule_for_a_city_or_hong_kong_is_refused_by_validation(region):
    from django.core.exceptions import ValidationError

    for code in ("440300", "810000"):
        with pytest.raises(ValidationError) as caught:
            ProvinceRule(province=region(code), effective_from=date(2030, 1, 1)).full_clean()
        assert "province" in caught.value.message_dict
