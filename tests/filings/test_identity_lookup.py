"""Which filings use my ID? Refused without the SMS code or with a name that does not match; shows only that ID's
records, masked; every lookup leaves an audit row and counts against the limits; misuse can be reported."""

import re

import pytest
from django.urls import reverse

from core import mobile_codes
from core.models import PhoneMessage
from filings import identity
from filings.gateway import HttpGateway, InProcessGateway
from miit import services as registry_services
from notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.miit import registry
from tests.miit.conftest import TestClientSession
from websites.models import IdentityLookup, IdentityLookupOutcome

pytestmark = pytest.mark.django_db

MINE = "北京冒用测试科技有限公司"


@pytest.fixture
def person(db):
    """赵六's ID is principal of a subject, of a website under someone else's subject, and — misused, with another
    mobile — of a third subject; 钱七's ID is principal elsewhere."""
    number = registry.resident_id(birth="19850505")
    other = registry.resident_id(birth="19700101")

    def subject(name, *, principal, mobile, certificate=None):
        return registry_services.registry_subject_create(
            certificate_type="business_licence",
            certificate_number=registry.credit_code(),
            name=name,
            nature="enterprise",
            province="110000",
            principal_name=principal,
            principal_certificate_type="resident_id",
            principal_certificate_number=certificate or number,
            principal_mobile=mobile,
        )

    own = subject(MINE, principal="赵六", mobile="13600136000")
    host = subject("北京别人家的有限公司", principal="钱七", mobile="13400134000", certificate=other)
    website = registry_services.registry_website_add(
        subject=host,
        name="赵六负责的网站",
        access_provider="其他接入商有限公司",
        domains=["zhaoliu-site.cn"],
        principal_name="赵六",
        principal_certificate_type="resident_id",
        principal_certificate_number=number,
        principal_mobile="13600136000",
    )
    misused = subject("上海冒名顶替有限公司", principal="赵六", mobile="13500135000")
    return {
        "number": number,
        "other": other,
        "mine": [own.icp_number, website.icp_number, misused.icp_number],
        "not_mine": [host.icp_number],
    }


def start(user, person, *, name="赵六", ip="198.51.100.7", number=None):
    return identity.identity_lookup_start(
        user=user, ip=ip, name=name, certificate_type="resident_id", certificate_number=number or person["number"]
    )


def code_sent_to(mobile):
    return re.search(r"\d{6}", PhoneMessage.objects.filter(to_number=mobile).latest("id").body).group(0)


# --- refusals -------------------------------------------------------------------------------------------------------


def test_a_name_that_does_not_match_is_refused_and_learns_nothing(applicant, person):
    with pytest.raises(identity.LookupRefused) as refused:
        start(applicant, person, name="赵七")
    assert refused.value.code == "no_match"
    row = IdentityLookup.objects.get(user=applicant)
    assert row.outcome == IdentityLookupOutcome.NO_MATCH and row.result_count is None
    assert not PhoneMessage.objects.exists()
    # An unknown document gets the very same answer.
    with pytest.raises(identity.LookupRefused) as unknown:
        start(applicant, person, number=registry.resident_id(birth="20000101"))
    assert str(unknown.value.message) == str(refused.value.message)


def test_nothing_is_shown_without_the_sms_code(applicant, person):
    lookup, mobiles = start(applicant, person)
    arguments = {
        "user": applicant,
        "lookup_id": lookup.pk,
        "mobile": mobiles[0],
        "name": "赵六",
        "certificate_type": "resident_id",
        "certificate_number": person["number"],
    }
    with pytest.raises(mobile_codes.CodeError) as no_code:
        identity.identity_lookup_verify(code="123456", **arguments)
    assert no_code.value.code == "no_code"
    identity.identity_lookup_send_code(user=applicant, lookup_id=lookup.pk, mobile=mobiles[0])
    wrong = "000000" if code_sent_to(mobiles[0]) != "000000" else "111111"
    with pytest.raises(mobile_codes.CodeError) as wrong_code:
        identity.identity_lookup_verify(code=wrong, **arguments)
    assert wrong_code.value.code == "wrong_code"
    lookup.refresh_from_db()
    assert (lookup.outcome, lookup.result_count, lookup.result_numbers) == (
        IdentityLookupOutcome.CODE_PENDING,
        None,
        [],
    )


def test_the_code_goes_only_to_a_mobile_on_record_for_that_name_and_document(applicant, person):
    _lookup, mobiles = start(applicant, person)
    assert sorted(mobiles) == ["13500135000", "13600136000"]


# --- the list -------------------------------------------------------------------------------------------------------


def test_the_list_shows_only_that_ids_records_masked_and_leaves_an_audit_row(applicant, person):
    lookup, _mobiles = start(applicant, person)
    mobile = "13600136000"
    identity.identity_lookup_send_code(user=applicant, lookup_id=lookup.pk, mobile=mobile)
    records = identity.identity_lookup_verify(
        user=applicant,
        lookup_id=lookup.pk,
        mobile=mobile,
        code=code_sent_to(mobile),
        name="赵六",
        certificate_type="resident_id",
        certificate_number=person["number"],
    )
    assert sorted(r.icp_number for r in records) == sorted(person["mine"])
    names = {r.icp_number: r.name for r in records}
    assert names[person["mine"][0]] == "北京冒******限公司"
    assert names[person["mine"][1]] == "赵*****站"
    assert all(MINE not in r.name and MINE not in r.subject_name for r in records)

    row = IdentityLookup.objects.get(pk=lookup.pk)
    assert row.outcome == IdentityLookupOutcome.SHOWN and row.verified_at is not None
    assert (row.result_count, sorted(row.result_numbers)) == (3, sorted(person["mine"]))
    assert (row.name_entered, row.ip, row.mobile_masked) == ("赵六", "198.51.100.7", "136****6000")
    # The ID number itself is kept nowhere in the audit row.
    stored = " ".join(str(value) for value in IdentityLookup.objects.filter(pk=row.pk).values().get().values())
    assert person["number"] not in stored
    assert row.certificate_masked.startswith("110") and "*" in row.certificate_masked


def test_the_pages_walk_through_name_code_and_the_masked_list(applicant, person, client):
    client.force_login(applicant)
    response = client.post(
        reverse("filings:identity_lookup"),
        {"name": "赵六", "certificate_type": "resident_id", "certificate_number": person["number"]},
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 302 and response.url == reverse("filings:identity_lookup_code")
    page = client.get(response.url).content.decode()
    assert "136****6000" in page and "13600136000" not in page
    choice = 0 if page.index("135****5000") > page.index("136****6000") else 1
    client.post(response.url, {"mobile": choice, "action": "send"})
    page = client.post(response.url, {"mobile": choice, "code": "", "action": "verify"}).content.decode()
    assert not any(number in page for number in person["mine"])
    page = client.post(
        response.url, {"mobile": choice, "code": code_sent_to("13600136000"), "action": "verify"}
    ).content.decode()
    for number in person["mine"]:
        assert f">{number}<" in page
    for number in person["not_mine"]:
        assert f">{number}<" not in page
    assert MINE not in page and "北京冒******限公司" in page
    assert IdentityLookup.objects.get(user=applicant).ip == "203.0.113.5"


# --- limits and reports ---------------------------------------------------------------------------------------------


def test_lookups_are_limited_per_account(applicant, person, settings):
    settings.ICP = {**settings.ICP, "IDENTITY_LOOKUPS_PER_USER": 2}
    start(applicant, person)
    with pytest.raises(identity.LookupRefused):
        start(applicant, person, name="错的名字")  # a refused lookup counts too
    with pytest.raises(identity.LookupRefused) as refused:
        start(applicant, person)
    assert refused.value.code == "rate_limited"
    assert IdentityLookup.objects.filter(user=applicant, outcome=IdentityLookupOutcome.RATE_LIMITED).count() == 1
    # Another account is not held back by this one.
    start(UserFactory(), person, ip="198.51.100.8")


def test_lookups_are_limited_per_ip_address(person, settings):
    settings.ICP = {**settings.ICP, "IDENTITY_LOOKUPS_PER_USER": 10, "IDENTITY_LOOKUPS_PER_IP": 2}
    start(UserFactory(), person, ip="192.0.2.1")
    start(UserFactory(), person, ip="192.0.2.1")
    with pytest.raises(identity.LookupRefused) as refused:
        start(UserFactory(), person, ip="192.0.2.1")
    assert refused.value.code == "rate_limited"
    start(UserFactory(), person, ip="192.0.2.2")


def test_misuse_is_reported_on_the_audit_row_and_to_the_supervisors(applicant, person):
    supervisor = UserFactory(supervisor=True)
    lookup, _mobiles = start(applicant, person)
    mobile = "13500135000"
    identity.identity_lookup_send_code(user=applicant, lookup_id=lookup.pk, mobile=mobile)
    identity.identity_lookup_verify(
        user=applicant,
        lookup_id=lookup.pk,
        mobile=mobile,
        code=code_sent_to(mobile),
        name="赵六",
        certificate_type="resident_id",
        certificate_number=person["number"],
    )
    misused = person["mine"][2]
    with pytest.raises(identity.LookupRefused):
        identity.identity_lookup_report(user=applicant, lookup_id=lookup.pk, numbers=person["not_mine"])
    with pytest.raises(identity.LookupRefused):
        identity.identity_lookup_report(user=UserFactory(), lookup_id=lookup.pk, numbers=[misused])
    identity.identity_lookup_report(user=applicant, lookup_id=lookup.pk, numbers=[misused], note="不是我备案的")
    row = IdentityLookup.objects.get(pk=lookup.pk)
    assert (row.reported, row.reported_numbers, row.report_note) == (True, [misused], "不是我备案的")
    message = OutboxMessage.objects.get(event="staff.identity_misuse_reported")
    assert message.recipient == supervisor and message.context["numbers"] == [misused]


# --- the administration's side ----------------------------------------------------------------------------------------


def test_both_gateway_adapters_give_the_same_answer(person, client):
    http = HttpGateway(base_url="http://testserver/miit/", session=TestClientSession(client))
    asks = [
        {"name": "赵六", "certificate_type": "resident_id", "certificate_number": person["number"]},
        {"name": "赵七", "certificate_type": "resident_id", "certificate_number": person["number"]},
    ]
    for ask in asks:
        assert http.lookup_by_principal(**ask) == InProcessGateway().lookup_by_principal(**ask)
    matched = InProcessGateway().lookup_by_principal(**asks[0])
    assert matched.matched and sorted(r.icp_number for r in matched.records) == sorted(person["mine"])
    assert InProcessGateway().lookup_by_principal(**asks[1]).records == ()
    assert len(http.session.requests) == 2


def test_the_registry_answers_only_signed_requests(client):
    response = client.post(
        "/miit/api/principals/lookup/",
        {"name": "赵六", "certificate_type": "resident_id", "certificate_number": "1"},
        content_type="application/json",
    )
    assert response.status_code == 401
