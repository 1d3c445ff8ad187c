"""The registry's records, numbers and reads (miit.services, miit.selectors)."""

import re
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from miit import selectors, services
from miit.constants import NUMBER_SEQUENCE_START, RegistryStatus
from miit.models import NumberSequence, RegistrySubject, RegistryWebsite
from regions.models import Region
from tests.miit import registry

pytestmark = pytest.mark.django_db


def test_icp_password_is_stored_only_as_a_hash():
    subject = registry.registry_subject(password="Secret-ICP-1")
    subject.refresh_from_db()
    assert "Secret-ICP-1" not in subject.password_hash
    assert subject.password_hash.count("$") >= 1  # algorithm$…: a Django password hash
    assert services.subject_password_check(subject=subject, password="Secret-ICP-1")
    assert not services.subject_password_check(subject=subject, password="secret-icp-1")


def test_a_new_icp_password_replaces_the_old_one():
    subject = registry.registry_subject(password="Old-Password-1")
    services.subject_password_set(subject=subject, password="New-Password-2")
    subject.refresh_from_db()
    assert subject.check_password("New-Password-2")
    assert not subject.check_password("Old-Password-1")


def test_a_subject_without_a_password_accepts_none():
    subject = registry.registry_subject(password=None)
    assert subject.password_hash == ""
    assert not subject.check_password("")


def test_every_province_has_a_number_sequence_from_reference_data():
    provinces = Region.objects.filter(level="province", is_mainland=True).exclude(abbreviation="")
    assert provinces.count() >= 31
    assert NumberSequence.objects.filter(province__in=provinces).count() == provinces.count()


def test_subject_numbers_follow_the_province_sequence_and_are_never_issued_twice():
    first = services.subject_number_issue(province="110000")
    second = services.subject_number_issue(province="110000")
    shanghai = services.subject_number_issue(province="310000")
    assert re.fullmatch(r"京ICP备\d{8}号", first)
    assert first != second
    assert int(second[5:13]) == int(first[5:13]) + 1
    assert shanghai.startswith("沪ICP备")
    assert NumberSequence.objects.get(pk="110000").last_value == int(second[5:13])


def test_a_number_already_held_by_an_older_record_is_skipped():
    sequence = NumberSequence.objects.get(pk="110000")
    held = f"京ICP备{sequence.last_value + 1:08d}号"
    services.registry_subject_create(
        certificate_type="business_licence",
        certificate_number=registry.credit_code(),
        name="早先备案的公司",
        nature="enterprise",
        province="110000",
        icp_number=held,
    )
    issued = services.subject_number_issue(province="110000")
    assert issued != held
    assert issued == f"京ICP备{sequence.last_value + 2:08d}号"


def test_a_subject_created_without_a_number_gets_the_next_one():
    subject = registry.registry_subject()
    assert int(subject.icp_number[5:13]) > NUMBER_SEQUENCE_START


def test_website_numbers_count_up_and_a_cancelled_one_is_not_given_again():
    subject = registry.registry_subject()
    first = registry.registry_website(subject, "first-site.cn", ours=True)
    assert first.icp_number == f"{subject.icp_number}-1"
    RegistryWebsite.objects.filter(pk=first.pk).update(status=RegistryStatus.CANCELLED)
    second = registry.registry_website(subject, "second-site.cn", ours=True)
    assert second.icp_number == f"{subject.icp_number}-2"


def test_a_website_filed_with_its_old_number_moves_the_counter_past_it():
    subject = registry.registry_subject()
    services.registry_website_add(
        subject=subject, name="老网站", access_provider="x", domains=["old.cn"], icp_number=f"{subject.icp_number}-3"
    )
    newer = registry.registry_website(subject, "newer.cn", ours=False)
    assert newer.icp_number == f"{subject.icp_number}-4"


def test_a_domain_has_one_active_filing_nationwide():
    first = registry.registry_subject(websites=(("taken.cn", False),))
    other = registry.registry_subject(name="另一家公司")
    with pytest.raises(services.RegistryError):
        registry.registry_website(other, "taken.cn", ours=True)
    website = first.websites.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        website.domains.create(name="taken.cn", ascii_name="taken.cn")


def test_one_active_subject_per_certificate():
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrySubject.objects.create(
            certificate_type="business_licence",
            certificate_number=number,
            name="重复",
            nature="enterprise",
            province_id="110000",
            icp_number="京ICP备99999999号",
        )


def test_internationalised_domains_are_stored_in_both_forms():
    subject = registry.registry_subject(websites=(("例子.中国", False),))
    domain = subject.websites.get().domains.get()
    assert domain.name == "例子.中国"
    assert domain.ascii_name == "xn--fsqu00a.xn--fiqs8s"


def test_subject_lookup_finds_active_websites_and_domains_only():
    subject = registry.registry_subject(websites=(("live.cn", True), ("gone.cn", False)))
    RegistryWebsite.objects.filter(domains__ascii_name="gone.cn").update(status=RegistryStatus.CANCELLED)
    found = selectors.subject_lookup(certificate_type="business_licence", certificate_number=subject.certificate_number)
    assert found["icp_number"] == subject.icp_number
    assert found["province_code"] == "110000"
    assert [w["domains"][0]["ascii_name"] for w in found["websites"]] == ["live.cn"]


def test_subject_lookup_normalises_the_certificate_number():
    subject = registry.registry_subject(nature="individual", certificate_type="resident_id")
    typed = " " + subject.certificate_number.lower()
    assert selectors.subject_lookup(certificate_type="resident_id", certificate_number=typed) is not None
    assert selectors.subject_lookup(certificate_type="passport", certificate_number=typed) is None


def test_a_cancelled_subject_is_not_in_the_registry():
    subject = registry.registry_subject()
    RegistrySubject.objects.filter(pk=subject.pk).update(status=RegistryStatus.CANCELLED)
    assert (
        selectors.subject_lookup(certificate_type="business_licence", certificate_number=subject.certificate_number)
        is None
    )


def test_domain_lookup_names_the_website_its_provider_and_the_subject():
    subject = registry.registry_subject(websites=(("lookup.cn", False),))
    found = selectors.domain_lookup(ascii_name="LOOKUP.cn")
    assert found["website"]["access_provider"] == registry.OTHER_PROVIDER
    assert found["subject"]["certificate_number"] == subject.certificate_number
    assert selectors.domain_lookup(ascii_name="nobody.cn") is None


class TestDomainHolderCheck:
    def test_a_registration_held_by_the_subject_passes(self):
        subject = registry.registry_subject()
        registry.registration("held.cn", holder=subject)
        result = selectors.domain_holder_verify(
            ascii_name="held.cn", certificate_type="business_licence", holder_name=subject.name
        )
        assert result == {"ok": True, "problems": [], "registration": result["registration"]}

    def test_an_unregistered_domain_fails(self):
        assert selectors.domain_holder_verify(ascii_name="unknown.cn")["problems"] == ["not_registered"]

    def test_expired_and_unverified_are_both_reported(self, clock):
        subject = registry.registry_subject()
        clock.freeze()
        registry.registration("old.cn", holder=subject, expires_on=clock.today() - timedelta(days=1), verified=False)
        result = selectors.domain_holder_verify(ascii_name="old.cn", holder_name=subject.name)
        assert result["problems"] == ["expired", "not_real_name_verified"]

    def test_expiry_is_judged_on_the_settable_clock(self, clock):
        subject = registry.registry_subject()
        registry.registration("soon.cn", holder=subject, expires_on=date(2030, 1, 1))
        clock.freeze(clock.now().replace(year=2031))
        assert selectors.domain_holder_verify(ascii_name="soon.cn", holder_name=subject.name)["problems"] == ["expired"]

    def test_a_person_must_hold_the_domain_themselves(self):
        person = registry.registry_subject(nature="individual", certificate_type="resident_id", name="李四")
        registry.registration(
            "personal.cn",
            holder_name="李四",
            holder_certificate_type="resident_id",
            holder_certificate_number=registry.resident_id(),
        )
        result = selectors.domain_holder_verify(
            ascii_name="personal.cn", certificate_type="resident_id", certificate_number=person.certificate_number
        )
        assert result["problems"] == ["holder_mismatch"]

    def test_an_organisation_is_matched_by_name_ignoring_bracket_width(self):
        registry.registration("org.cn", holder_name="北京测试（中国）有限公司")
        ok = selectors.domain_holder_verify(ascii_name="org.cn", holder_name="北京测试(中国)有限公司")
        other = selectors.domain_holder_verify(ascii_name="org.cn", holder_name="北京别的有限公司")
        assert ok["ok"]
        assert other["problems"] == ["holder_mismatch"]


class TestLegacyRecords:
    def test_filed_before_june_2010_and_never_moved_is_claimable(self):
        record = registry.legacy("old-home.cn", filed_on=date(2010, 5, 31))
        found = selectors.legacy_lookup(
            certificate_type="resident_id", certificate_number=record.certificate_number, ascii_name="old-home.cn"
        )
        assert found["claimable"] is True

    def test_filed_from_june_2010_is_not_claimable(self):
        record = registry.legacy("later.cn", filed_on=date(2010, 6, 1))
        assert not record.claimable

    def test_a_record_ever_transferred_is_not_claimable(self):
        record = registry.legacy("moved.cn", transferred=True)
        assert not record.claimable

    def test_the_lookup_needs_the_same_subject_and_domain(self):
        record = registry.legacy("mine.cn")
        assert (
            selectors.legacy_lookup(
                certificate_type="resident_id", certificate_number=registry.resident_id(), ascii_name="mine.cn"
            )
            is None
        )
        assert (
            selectors.legacy_lookup(
                certificate_type="resident_id", certificate_number=record.certificate_number, ascii_name="other.cn"
            )
            is None
        )
