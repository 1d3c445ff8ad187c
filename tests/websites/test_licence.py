"""ICP commercial licence (information only): each province's IP rule, and a note for a filed website whose instances'
regions do not meet its province's rule — from where the portal's own instances are, no geolocation."""

import pytest
from django.urls import reverse

from filings import licence, services
from filings.constants import OrderType
from filings.models import PersonApplication, SubjectApplication, WebsiteApplication
from regions.models import ProvinceRule, Region
from regions.selectors import province_rule_for
from tests.factories import UserFactory
from tests.filings.lifecycle_support import administration, domain_held, service_number, through_the_provider
from tests.miit import registry
from websites.constants import CloudRegion
from websites.models import Website

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    return UserFactory()


@pytest.fixture
def reviewer(db):
    return UserFactory(reviewer=True)


@pytest.fixture
def approve_first_filing(applicant, reviewer, monkeypatch):
    """``approve_first_filing(region, province=, city=)``: a first filing carried by an instance in ``region``,
    through the provider and approved by the administration; returns the filed website."""
    monkeypatch.setattr("filings.precheck.order_precheck", lambda order: [])
    counter = iter(range(1, 100))

    def approve(region, *, province="110000", city="110100"):
        n = next(counter)
        order = services.order_create_draft(
            applicant=applicant,
            order_type=OrderType.FIRST_FILING,
            province=Region.objects.get(pk=province),
            nature="enterprise",
            certificate_type="business_licence",
            certificate_number=registry.credit_code(),
            domain=(f"licence-{n}.cn", f"licence-{n}.cn"),
        )
        principal = PersonApplication.objects.create(
            order=order,
            name="张伟",
            certificate_type="resident_id",
            certificate_number=registry.resident_id(),
            mobile="13800138000",
            office_phone="086-010-62345678",
            email="zhang.wei@example.com",
        )
        SubjectApplication.objects.filter(order=order).update(
            name=f"许可测试{n}有限公司", city_id=city, principal=principal
        )
        number = service_number(applicant, region=region)
        entry = order.websites.get()
        services.application_bind_service_number(
            order_id=order.pk, actor=applicant, website_id=entry.pk, number=number.number
        )
        WebsiteApplication.objects.filter(pk=entry.pk).update(name=f"许可测试网站{n}", principal=principal)
        domain_held(SubjectApplication.objects.get(order=order), f"licence-{n}.cn")
        administration.approve(through_the_provider(order, reviewer))
        return Website.objects.get(domains__ascii_name=f"licence-{n}.cn")

    return approve


def problems(website):
    return [note for note in licence.licence_notes(website) if note.problem]


def test_a_beijing_website_on_an_instance_outside_beijing_gets_a_note(approve_first_filing, applicant, client):
    website = approve_first_filing(CloudRegion.HANGZHOU)
    [note] = problems(website)
    assert "China East 1 (Hangzhou)" in str(note.message) and "北京市" in str(note.message)
    assert [i.region for i in note.instances] == [CloudRegion.HANGZHOU]
    client.force_login(applicant)
    page = client.get(reverse("filings:website_detail", args=[website.pk])).content.decode()
    assert "licence-problem" in page


def test_a_beijing_website_on_a_beijing_instance_meets_the_rule(approve_first_filing):
    website = approve_first_filing(CloudRegion.BEIJING)
    notes = licence.licence_notes(website)
    assert not problems(website)
    [note] = notes
    assert licence.website_instances(website)[0].public_ip in str(note.message)


def test_after_a_website_change_the_new_instance_is_the_one_that_counts(approve_first_filing, applicant, reviewer):
    from filings import lifecycle

    website = approve_first_filing(CloudRegion.BEIJING)
    order = lifecycle.change_website_start(applicant=applicant, website_id=website.pk)
    entry = order.websites.get()
    services.application_bind_service_number(
        order_id=order.pk,
        actor=applicant,
        website_id=entry.pk,
        number=service_number(applicant, region=CloudRegion.CHENGDU).number,
    )
    services.application_save_website(
        order_id=order.pk, actor=applicant, website_id=entry.pk, data={"remarks": "IP变更为新实例，机房成都"}
    )
    administration.approve(through_the_provider(order, reviewer))
    assert [i.region for i in licence.website_instances(website)] == [CloudRegion.CHENGDU]
    assert len(problems(website)) == 1


def test_guangdong_asks_for_guangdong_instances_except_in_shenzhen(approve_first_filing):
    guangzhou = approve_first_filing(CloudRegion.BEIJING, province="440000", city="440100")
    shenzhen = approve_first_filing(CloudRegion.BEIJING, province="440000", city="440300")
    on_shenzhen_instance = approve_first_filing(CloudRegion.SHENZHEN, province="440000", city="440100")
    assert len(problems(guangzhou)) == 1
    assert licence.licence_notes(shenzhen) == []
    assert problems(on_shenzhen_instance) == []


def test_a_province_without_an_ip_rule_gets_no_note(approve_first_filing):
    assert licence.licence_notes(approve_first_filing(CloudRegion.BEIJING, province="330000", city="330100")) == []


def test_liaoning_asks_for_one_ip_address(approve_first_filing, applicant):
    website = approve_first_filing(CloudRegion.BEIJING, province="210000", city="210100")
    assert problems(website) == []
    first = licence.website_instances(website)[0]
    second = service_number(applicant, region=CloudRegion.HANGZHOU).instance
    [note] = [n for n in licence.licence_notes(website, instances=[first, second]) if n.problem]
    assert first.public_ip in str(note.message) and second.public_ip in str(note.message)


def test_an_administrator_can_give_a_province_a_rule_in_its_province_rule(approve_first_filing):
    website = approve_first_filing(CloudRegion.BEIJING, province="330000", city="330100")
    rule = province_rule_for("330000")
    ProvinceRule.objects.filter(pk=rule.pk).update(extra={**rule.extra, "licence_ip_rule": "in_province"})
    assert len(problems(website)) == 1


def test_the_information_page_lists_each_provinces_ip_rule(applicant, client):
    client.force_login(applicant)
    page = client.get(reverse("filings:licence")).content.decode()
    for province in ("北京市", "广东省", "辽宁省", "上海市", "河北省", "深圳市"):
        assert province in page
    assert {rule.province.code for rule in licence.licence_rules()} == {
        "110000",
        "440000",
        "210000",
        "310000",
        "130000",
    }
