"""验证备案类型: every filing type of RULES.md's table and every refusal, from registry fixtures and the portal's own
records, through both gateway adapters."""

from datetime import date

import pytest
from django.utils import translation

from filings.constants import OrderStatus, OrderType
from filings.detection import detect_filing_type
from filings.gateway import GatewayError, HttpGateway, InProcessGateway
from filings.models import FilingOrder
from filings.services.drafts import order_create_draft
from miit import demo_data
from tests.factories import UserFactory
from tests.miit import registry
from tests.miit.conftest import TestClientSession

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["in_process", "http"])
def gateway(request, client):
    if request.param == "http":
        return HttpGateway(base_url="http://testserver/miit/", session=TestClientSession(client))
    return InProcessGateway()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def detect(user, gateway):
    """``detect(number, domain, …)``: the detection for ``user`` (enterprise in Beijing unless told otherwise)."""

    def run(number, domain, *, applicant=None, province="110000", nature="enterprise", certificate_type=None):
        if certificate_type is None:
            certificate_type = "resident_id" if nature == "individual" else "business_licence"
        return detect_filing_type(
            applicant=applicant or user,
            province=registry.province(province),
            nature=nature,
            certificate_type=certificate_type,
            certificate_number=number,
            domain=domain,
            gateway=gateway,
        )

    return run


def assert_type(detection, order_type):
    assert detection.refusals == (), [(f.code, str(f.message)) for f in detection.refusals]
    assert detection.order_type == order_type
    assert detection.ok


def assert_refused(detection, code, field):
    assert not detection.ok
    assert detection.order_type is None
    assert [(f.code, f.field) for f in detection.refusals] == [(code, field)]


# --- the types -----------------------------------------------------------------------------------------------------


def test_nothing_filed_anywhere_is_a_first_filing(detect):
    detection = detect(registry.credit_code(), "brand-new.cn")
    assert_type(detection, OrderType.FIRST_FILING)
    assert detection.subject is None and detection.registry_subject is None
    assert detection.domain == ("brand-new.cn", "brand-new.cn")


def test_a_subject_filed_with_us_and_a_new_domain_is_add_website(detect, user):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("ours-a.cn", True),))
    subject = registry.portal_subject(owner=user, certificate_number=number, domains=("ours-a.cn",))
    detection = detect(number, "another-site.cn")
    assert_type(detection, OrderType.ADD_WEBSITE)
    assert detection.subject == subject


def test_the_registry_alone_saying_with_us_is_add_website(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("ours-b.cn", True), ("theirs-b.cn", False)))
    assert_type(detect(number, "new-b.cn"), OrderType.ADD_WEBSITE)


def test_a_subject_filed_only_elsewhere_and_a_new_domain_is_add_website_new_user(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("theirs-c.cn", False),))
    detection = detect(number, "new-c.cn")
    assert_type(detection, OrderType.ADD_WEBSITE_NEW_USER)
    assert detection.subject is None
    assert detection.registry_subject.certificate_number == number


def test_a_domain_filed_elsewhere_for_the_same_subject_is_transfer_in(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("theirs-d.cn", False),))
    detection = detect(number, "www.theirs-d.cn")
    assert_type(detection, OrderType.TRANSFER_IN)
    assert detection.registry_domain.website.icp_number.endswith("-1")


def test_transfer_in_of_a_personal_subject(detect):
    number = registry.resident_id()
    registry.registry_subject(
        nature="individual", certificate_type="resident_id", certificate_number=number, websites=(("me.cn", False),)
    )
    assert_type(detect(number, "me.cn", nature="individual"), OrderType.TRANSFER_IN)


def test_transfer_in_when_the_subject_already_has_access_with_us_is_continue_transfer_in(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("ours-e.cn", True), ("theirs-e.cn", False)))
    assert_type(detect(number, "theirs-e.cn"), OrderType.CONTINUE_TRANSFER_IN)


def test_the_portal_holding_the_subject_also_makes_it_continue_transfer_in(detect, user):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("theirs-f.cn", False),))
    subject = registry.portal_subject(owner=user, certificate_number=number)
    detection = detect(number, "theirs-f.cn")
    assert_type(detection, OrderType.CONTINUE_TRANSFER_IN)
    assert detection.subject == subject


def test_a_legacy_hichina_record_never_moved_is_a_claim(detect):
    number = registry.resident_id()
    record = registry.legacy("old-home.cn", certificate_number=number, filed_on=date(2009, 12, 31))
    detection = detect(number, "old-home.cn", nature="individual")
    assert_type(detection, OrderType.CLAIM)
    assert detection.legacy.icp_number == record.icp_number


def test_claim_goes_before_transfer_in_when_the_old_record_is_also_in_the_registry(detect):
    number = registry.resident_id()
    registry.legacy("both.cn", certificate_number=number)
    registry.registry_subject(
        nature="individual", certificate_type="resident_id", certificate_number=number, websites=(("both.cn", False),)
    )
    assert_type(detect(number, "both.cn", nature="individual"), OrderType.CLAIM)


def test_a_legacy_record_that_moved_is_not_claimed(detect):
    number = registry.resident_id()
    registry.legacy("moved.cn", certificate_number=number, transferred=True)
    registry.registry_subject(
        nature="individual", certificate_type="resident_id", certificate_number=number, websites=(("moved.cn", False),)
    )
    assert_type(detect(number, "moved.cn", nature="individual"), OrderType.TRANSFER_IN)


def test_a_legacy_record_from_june_2010_on_is_not_claimed(detect):
    number = registry.resident_id()
    registry.legacy("late.cn", certificate_number=number, filed_on=date(2010, 6, 1))
    assert_type(detect(number, "late.cn", nature="individual"), OrderType.FIRST_FILING)


def test_a_legacy_record_of_a_subject_with_access_with_us_is_not_claimed(detect, user):
    number = registry.resident_id()
    registry.legacy("legacy-g.cn", certificate_number=number)
    registry.portal_subject(owner=user, certificate_type="resident_id", certificate_number=number, nature="individual")
    assert_type(detect(number, "legacy-g.cn", nature="individual"), OrderType.ADD_WEBSITE)


# --- refusals ------------------------------------------------------------------------------------------------------


def test_a_domain_filed_under_another_subject_is_refused(detect):
    registry.registry_subject(websites=(("someone-elses.cn", False),))
    with translation.override("en"):
        detection = detect(registry.credit_code(), "someone-elses.cn")
        assert_refused(detection, "domain_filed_under_another_subject", "domain")
        assert "someone-elses.cn is already filed under another subject" in str(detection.refusals[0].message)


def test_a_domain_filed_here_under_another_subject_is_refused(detect):
    registry.portal_subject(owner=UserFactory(), certificate_number=registry.credit_code(), domains=("portal-h.cn",))
    assert_refused(detect(registry.credit_code(), "portal-h.cn"), "domain_filed_under_another_subject", "domain")


def test_a_domain_already_filed_with_us_must_be_changed_not_filed_again(detect):
    number = registry.credit_code()
    subject = registry.registry_subject(certificate_number=number, websites=(("ours-i.cn", True),))
    with translation.override("en"):
        detection = detect(number, "ours-i.cn")
        assert_refused(detection, "domain_filed_with_us", "domain")
        message = str(detection.refusals[0].message)
    assert f"{subject.icp_number}-1" in message
    assert "website change" in message


def test_a_domain_on_this_portal_for_the_same_subject_is_refused_as_filed_with_us(detect, user):
    number = registry.credit_code()
    registry.portal_subject(owner=user, certificate_number=number, domains=("ours-j.cn",))
    assert_refused(detect(number, "ours-j.cn"), "domain_filed_with_us", "domain")


def test_a_region_other_than_the_registered_subjects_is_refused(detect):
    number = registry.credit_code(area="330106")
    registry.registry_subject(certificate_number=number, province_code="330000", websites=(("hz.cn", False),))
    with translation.override("en"):
        detection = detect(number, "hz-new.cn", province="110000")
        assert_refused(detection, "region_mismatch", "province")
        assert "filed in 浙江省, not in 北京市" in str(detection.refusals[0].message)
    assert_type(detect(number, "hz-new.cn", province="330000"), OrderType.ADD_WEBSITE_NEW_USER)


def test_a_claim_in_another_region_is_refused(detect):
    number = registry.resident_id()
    registry.legacy("legacy-k.cn", certificate_number=number, province_code="310000", icp_number="沪ICP备08000001号")
    assert_refused(detect(number, "legacy-k.cn", nature="individual"), "region_mismatch", "province")


def test_domain_and_region_refusals_are_shown_together(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, province_code="310000")
    registry.registry_subject(websites=(("other-l.cn", False),))
    detection = detect(number, "other-l.cn")
    assert {f.code for f in detection.refusals} == {"domain_filed_under_another_subject", "region_mismatch"}


def test_a_subject_with_an_order_in_process_is_refused(detect, user):
    number = registry.credit_code()
    order = order_create_draft(
        applicant=user,
        order_type=OrderType.FIRST_FILING,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=number,
        domain=("first-m.cn", "first-m.cn"),
    )
    with translation.override("en"):
        detection = detect(number, "second-m.cn")
        assert_refused(detection, "order_in_process", "certificate_number")
        assert order.number in str(detection.refusals[0].message)
    FilingOrder.objects.filter(pk=order.pk).update(status=OrderStatus.WITHDRAWN)
    assert_type(detect(number, "second-m.cn"), OrderType.FIRST_FILING)


def test_a_subject_held_by_another_account_is_refused(detect):
    number = registry.credit_code()
    registry.portal_subject(owner=UserFactory(), certificate_number=number, domains=("theirs-n.cn",))
    with translation.override("en"):
        detection = detect(number, "new-n.cn")
        assert_refused(detection, "subject_of_another_account", "certificate_number")
        assert "sign in with that account" in str(detection.refusals[0].message)


def test_a_subject_another_account_is_filing_is_refused_as_held_by_that_account(detect):
    number = registry.credit_code()
    order_create_draft(
        applicant=UserFactory(),
        order_type=OrderType.FIRST_FILING,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=number,
    )
    assert_refused(detect(number, "new-o.cn"), "subject_of_another_account", "certificate_number")


def test_a_wrong_check_character_is_refused_before_the_registry_is_asked(user):
    class NoRegistry(InProcessGateway):
        def _call(self, operation, payload):
            raise AssertionError("the registry was asked")

    number = registry.credit_code()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    detection = detect_filing_type(
        applicant=user,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=wrong,
        domain="fine.cn",
        gateway=NoRegistry(),
    )
    assert_refused(detection, "uscc.checksum", "certificate_number")


def test_a_resident_id_with_a_wrong_check_digit_is_refused(detect):
    number = registry.resident_id()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert_refused(detect(wrong, "fine.cn", nature="individual"), "resident_id.checksum", "certificate_number")


def test_a_certificate_type_the_nature_does_not_use_is_refused(detect):
    detection = detect(registry.resident_id(), "fine.cn", nature="enterprise", certificate_type="resident_id")
    assert_refused(detection, "certificate_type.not_for_nature", "certificate_type")


def test_a_malformed_domain_is_refused(detect):
    detection = detect(registry.credit_code(), "http://192.168.1.1/")
    assert not detection.ok
    assert detection.refusals[0].field == "domain"
    assert detection.refusals[0].code.startswith("domain.")


def test_an_unreachable_registry_is_said_so(user):
    class Down(InProcessGateway):
        def _call(self, operation, payload):
            raise GatewayError("down")

    detection = detect_filing_type(
        applicant=user,
        province=registry.province(),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=registry.credit_code(),
        domain="fine.cn",
        gateway=Down(),
    )
    assert [f.code for f in detection.refusals] == ["registry_unavailable"]


# --- normalisation and warnings ---------------------------------------------------------------------------------------


def test_what_is_typed_is_normalised_before_the_registry_is_asked(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("例子.中国", False),))
    detection = detect(f" {number.lower()} ", "https://WWW.例子.中国/index.html")
    assert_type(detection, OrderType.TRANSFER_IN)
    assert detection.certificate_number == number
    assert detection.domain == ("例子.中国", "xn--fsqu00a.xn--fiqs8s")


def test_domain_registration_problems_warn_without_refusing(detect):
    number = registry.credit_code()
    registry.registration("expired-p.cn", holder_name="别人", expires_on=date(2020, 1, 1), verified=False)
    detection = detect(number, "expired-p.cn")
    assert_type(detection, OrderType.FIRST_FILING)
    assert [w.code for w in detection.warnings] == ["expired", "not_real_name_verified"]
    assert {w.field for w in detection.warnings} == {"domain"}


def test_a_domain_held_by_the_registered_subject_gives_no_warning(detect):
    number = registry.credit_code()
    subject = registry.registry_subject(certificate_number=number, name="北京持有人有限公司")
    registry.registration("held-q.cn", holder=subject)
    detection = detect(number, "held-q.cn")
    assert_type(detection, OrderType.ADD_WEBSITE_NEW_USER)
    assert detection.warnings == ()


def test_a_domain_held_by_another_organisation_warns(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, name="北京持有人有限公司")
    registry.registration("held-r.cn", holder_name="北京别人有限公司")
    assert [w.code for w in detect(number, "held-r.cn").warnings] == ["holder_mismatch"]


# --- the demo registry ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", demo_data.SCENARIOS, ids=lambda s: f"{s.expect}-{s.domain}")
def test_every_demo_scenario_reaches_what_the_docs_promise(scenario, user, gateway):
    demo_data.load()
    detection = detect_filing_type(
        applicant=user,
        province=registry.province(scenario.province),
        nature=scenario.nature,
        certificate_type=scenario.certificate_type,
        certificate_number=scenario.certificate_number,
        domain=scenario.domain,
        gateway=gateway,
    )
    if scenario.expect in OrderType.values:
        assert_type(detection, scenario.expect)
    else:
        assert [f.code for f in detection.refusals] == [scenario.expect]
    assert [w.code for w in detection.warnings] == ([scenario.warning] if scenario.warning else [])


def test_the_demo_covers_every_type_and_every_registry_refusal():
    expected = {s.expect for s in demo_data.SCENARIOS}
    types = {
        OrderType.FIRST_FILING,
        OrderType.ADD_WEBSITE,
        OrderType.ADD_WEBSITE_NEW_USER,
        OrderType.TRANSFER_IN,
        OrderType.CONTINUE_TRANSFER_IN,
        OrderType.CLAIM,
    }
    refusals = {"domain_filed_under_another_subject", "domain_filed_with_us", "region_mismatch"}
    assert types | refusals <= expected


def test_a_city_or_district_given_as_the_region_counts_as_its_province(detect):
    number = registry.credit_code()
    registry.registry_subject(certificate_number=number, websites=(("district.cn", False),))
    assert_type(detect(number, "district.cn", province="110101"), OrderType.TRANSFER_IN)
    assert_refused(detect(number, "district.cn", province="310101"), "region_mismatch", "province")
