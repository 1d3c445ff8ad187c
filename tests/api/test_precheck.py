"""POST /api/v1/precheck/ answers the same problems as the wizard's pre-check for the same application, and saves
nothing. Each case builds an order, takes the wizard's findings (``order_findings``), writes the same application
as the API's JSON (principals keyed by their row ids, websites by theirs) and compares the (field, code) pairs."""

import pytest

from core import clock, crypto
from filings.checks import order_findings
from filings.constants import MaterialKind as K
from filings.constants import OrderType
from filings.models import (
    DomainApplication,
    FilingOrder,
    Material,
    PersonApplication,
    SubjectApplication,
    WebsiteApplication,
)
from filings.services.drafts import ICP_PASSWORD_PURPOSE
from regions.models import ProvinceRule
from regions.selectors import province_rule_for
from websites import services as website_services
from websites.constants import Billing, CloudRegion, ServiceNumberStatus
from websites.models import ServiceNumber

pytestmark = pytest.mark.django_db

PERSON_FIELDS = ("name", "certificate_type", "certificate_number", "mobile", "office_phone", "emergency_phone", "email")
SUBJECT_FIELDS = ("nature", "certificate_type", "certificate_number", "name", "certificate_address")
SUBJECT_FIELDS += ("mailing_address", "investor", "remarks")


def as_api_json(order: FilingOrder, *, service_numbers: dict | None = None) -> dict:
    """The order's application, read from its rows, as a client would send it."""
    subject = SubjectApplication.objects.get(order=order)
    websites = list(WebsiteApplication.objects.filter(order=order).order_by("position", "id"))
    people = {str(p.pk): {name: getattr(p, name) for name in PERSON_FIELDS} for p in order.people.all()}
    return {
        "order_type": order.order_type,
        "subject": {
            "province": subject.province_id,
            "city": subject.city_id or "",
            "district": subject.district_id or "",
            **{name: getattr(subject, name) for name in SUBJECT_FIELDS},
            "principal": str(subject.principal_id) if subject.principal_id else None,
        },
        "principals": people,
        "websites": [
            {
                "key": str(website.pk),
                "name": website.name,
                "homepage_url": website.homepage_url,
                "service_content": website.service_content,
                "languages": website.languages,
                "pre_approvals": website.pre_approvals,
                "remarks": website.remarks,
                "principal": str(website.principal_id) if website.principal_id else None,
                "domains": [d.name for d in DomainApplication.objects.filter(website=website).order_by("id")],
                "service_number": (service_numbers or {}).get(website.pk, ""),
            }
            for website in websites
        ],
        "icp_password": bool(order.icp_password_encrypted),
        "materials": [
            {
                "kind": m.kind,
                "person": str(m.person_id) if m.person_id else None,
                "website": str(m.website_id) if m.website_id else None,
            }
            for m in Material.objects.filter(order=order)
        ],
    }


def pairs(findings) -> set[tuple[str, str]]:
    return {(f["field"], f["code"]) if isinstance(f, dict) else (f.field, f.code) for f in findings}


def compare(client, order, *, service_numbers=None) -> set[tuple[str, str]]:
    """The API's and the wizard's findings, asserted equal. A website with a verified (bound) number is sent with a
    free number of the same account: what the client holds before step 2 binds it."""
    order = FilingOrder.objects.get(pk=order.pk)
    wizard = pairs(order_findings(order))
    if service_numbers is None:
        service_numbers = {
            website.pk: free_number(order.applicant).number
            for website in WebsiteApplication.objects.filter(order=order, service_number__isnull=False)
        }
    response = client.post("/api/v1/precheck/", as_api_json(order, service_numbers=service_numbers), format="json")
    assert response.status_code == 200, response.json()
    api = pairs(response.json()["findings"])
    assert api == wizard
    return api


def verified(order):
    PersonApplication.objects.filter(order=order).update(mobile_verified_at=clock.now())
    return order


def unbound(order):
    """The order's websites without their service numbers (the numbers freed), as before step 2."""
    ids = list(WebsiteApplication.objects.filter(order=order).values_list("service_number_id", flat=True))
    WebsiteApplication.objects.filter(order=order).update(service_number=None)
    ServiceNumber.objects.filter(pk__in=ids).update(status=ServiceNumberStatus.UNBOUND, bound_at=None)
    return order


def material(order, kind, *, person=None, website=None):
    return Material.objects.create(
        order=order,
        kind=kind,
        person=person,
        website=website,
        file=f"materials/{order.number}/x.jpg",
        extension="jpg",
        content_type="image/jpeg",
        size=1,
        width=1,
        height=1,
        sha256="0" * 64,
        uploaded_by=order.applicant,
        uploaded_at=clock.now(),
    )


def free_number(user):
    instance = website_services.instance_buy(
        owner=user,
        name="x",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    return website_services.service_number_apply(instance_id=instance.pk, actor=user)


def test_a_filled_in_order_has_the_same_problems_in_both(as_applicant, applicant, make_order):
    order = unbound(verified(make_order(applicant=applicant)))
    found = compare(as_applicant, order)
    # Not trivially equal: the registry, the service number and every material are asked.
    website = order.websites.get()
    person = order.people.get()
    assert {
        ("websites.0.domains.0", "not_registered"),
        ("websites.0.service_number", "service_number_missing"),
        ("materials.authenticity_statement", "material_missing"),
        (f"materials.id_front.person.{person.pk}", "material_missing"),
    } <= found
    assert website.pk


def test_a_messy_order_has_the_same_problems_in_both(as_applicant, applicant, make_order):
    order = verified(make_order(applicant=applicant))
    website = order.websites.get()
    person = order.people.get()
    other = PersonApplication.objects.create(
        order=order,
        name="李四",
        certificate_type="resident_id",
        certificate_number="110105194912310021",  # wrong check digit
        mobile="13800138000",  # another person, the same mobile
        office_phone="010-1234",
        email="not-an-email",
        mobile_verified_at=clock.now(),
    )
    SubjectApplication.objects.filter(order=order).update(mailing_address="", investor="")
    WebsiteApplication.objects.filter(pk=website.pk).update(
        name="中国示例",
        homepage_url="https://elsewhere.net/",
        languages=["xx"],
        service_content=[],
        pre_approvals=[{"type": "news", "document_number": "京新闻123"}, {"type": "education", "document_number": ""}],
        principal=other,
    )
    DomainApplication.objects.create(website=website, name="example.xyz", ascii_name="example.xyz")
    second = WebsiteApplication.objects.create(order=order, position=1, name="12345")
    DomainApplication.objects.create(website=second, name="example.com", ascii_name="example.com")
    material(order, K.AUTHENTICITY_STATEMENT)
    material(order, K.ID_FRONT, person=person)
    material(order, K.PRE_APPROVAL_DOCUMENT, website=website)

    found = compare(as_applicant, order)
    codes = {code for _field, code in found}
    assert {"principal.mobile_shared", "material_missing", "principal_missing", "service_number_missing"} <= codes
    assert (f"materials.pre_approval_document.website.{website.pk}", "material_missing") in found
    assert (f"materials.id_back.person.{person.pk}", "material_missing") in found
    assert ("websites.1.principal", "principal_missing") in found


def test_a_province_rule_asking_for_domain_certificates_is_asked_in_both(as_applicant, applicant, make_order):
    order = verified(make_order(applicant=applicant))
    rule = province_rule_for(order.province)
    ProvinceRule.objects.filter(pk=rule.pk).update(extra={"domain_certificate_required": True})
    website = order.websites.get()
    found = compare(as_applicant, order)
    assert (f"materials.domain_certificate.website.{website.pk}", "material_missing") in found


@pytest.mark.parametrize("password", [False, True])
def test_a_transfer_in_asks_for_the_icp_password_in_both(as_applicant, applicant, make_order, password):
    order = verified(make_order(applicant=applicant, order_type=OrderType.TRANSFER_IN))
    if password:
        FilingOrder.objects.filter(pk=order.pk).update(
            icp_password_encrypted=crypto.encrypt("secret", purpose=ICP_PASSWORD_PURPOSE)
        )
    found = compare(as_applicant, order)
    assert (("icp_password", "icp_password_missing") in found) is not password


def test_service_numbers_are_verified_for_the_caller_without_binding_them(
    as_applicant, as_other, applicant, make_order, other_applicant
):
    order = verified(make_order(applicant=applicant))
    website = order.websites.get()
    mine = free_number(applicant)
    # The order has a bound number, the API a free one of the same account: neither is a problem.
    found = compare(as_applicant, order, service_numbers={website.pk: mine.number})
    assert not [pair for pair in found if pair[0].endswith("service_number")]
    mine.refresh_from_db()
    assert mine.status == ServiceNumberStatus.UNBOUND

    body = as_api_json(order, service_numbers={website.pk: mine.number})
    response = as_other.post("/api/v1/precheck/", body, format="json")
    assert ("websites.0.service_number", "not_found") in pairs(response.json()["findings"])

    bound = order.websites.get().service_number.number
    body["websites"].append({**body["websites"][0], "key": "second", "service_number": bound, "domains": ["b.cn"]})
    response = as_applicant.post("/api/v1/precheck/", body, format="json")
    assert ("websites.1.service_number", "bound") in pairs(response.json()["findings"])
    body["websites"][1]["service_number"] = mine.number
    response = as_applicant.post("/api/v1/precheck/", body, format="json")
    assert ("websites.1.service_number", "service_number_twice") in pairs(response.json()["findings"])


def test_the_precheck_saves_nothing(as_applicant, applicant, make_order):
    order = verified(make_order(applicant=applicant))
    mine = free_number(applicant)
    counts = [m.objects.count() for m in (FilingOrder, PersonApplication, WebsiteApplication, Material)]
    body = as_api_json(order, service_numbers={order.websites.get().pk: mine.number})
    assert as_applicant.post("/api/v1/precheck/", body, format="json").status_code == 200
    assert [m.objects.count() for m in (FilingOrder, PersonApplication, WebsiteApplication, Material)] == counts
    mine.refresh_from_db()
    assert mine.status == ServiceNumberStatus.UNBOUND


def test_a_clean_application_is_ok_and_lists_the_materials_it_needs(as_applicant, applicant, monkeypatch):
    # The registry's domain check is the administration's; here it passes.
    monkeypatch.setattr("filings.gateway.AdministrationGateway.check_domain_holder", lambda self, **kw: [])
    number = free_number(applicant)
    person = {
        "name": "张伟",
        "certificate_type": "resident_id",
        "certificate_number": "11010519491231002X",
        "mobile": "13800138000",
        "office_phone": "086-010-62345678",
        "email": "zhang.wei@example.com",
    }
    from tests.filings.conftest import valid_uscc

    body = {
        "subject": {
            "province": "110000",
            "city": "110100",
            "district": "110108",
            "nature": "enterprise",
            "certificate_type": "business_licence",
            "certificate_number": valid_uscc("91110108MA01QQQQ1"),
            "name": "北京示例科技有限公司",
            "certificate_address": "北京市海淀区中关村大街1号",
            "mailing_address": "中关村大街1号",
            "investor": "张伟",
            "principal": "zhang",
        },
        "principals": {"zhang": person},
        "websites": [
            {
                "name": "示例科技官网",
                "homepage_url": "https://www.example.com/",
                "service_content": ["organisation_portal"],
                "languages": ["zh_hans"],
                "principal": "zhang",
                "domains": ["example.com"],
                "service_number": number.number,
            }
        ],
        "materials": [
            {"kind": "authenticity_statement"},
            {"kind": "subject_certificate"},
            {"kind": "id_front", "person": "zhang"},
            {"kind": "id_back", "person": "zhang"},
        ],
    }
    response = as_applicant.post("/api/v1/precheck/", body, format="json")
    result = response.json()
    assert result["ok"], result["findings"]
    assert result["error_count"] == 0
    assert [r["key"] for r in result["required_materials"]] == [
        "authenticity_statement",
        "subject_certificate",
        "id_front.person.zhang",
        "id_back.person.zhang",
    ]
    body["materials"].pop()
    result = as_applicant.post("/api/v1/precheck/", body, format="json").json()
    assert not result["ok"]
    assert pairs(result["findings"]) == {("materials.id_back.person.zhang", "material_missing")}


def test_references_to_unknown_keys_are_input_errors(as_applicant):
    body = {
        "subject": {"province": "110000", "principal": "nobody"},
        "websites": [{"principal": "ghost"}],
        "materials": [{"kind": "id_front", "person": "nobody"}, {"kind": "domain_certificate", "website": "w9"}],
    }
    response = as_applicant.post("/api/v1/precheck/", body, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"subject.principal", "websites.0.principal", "materials.0.person", "materials.1.website"}


def test_changes_and_cancellations_are_checked_on_their_order_not_here(as_applicant):
    response = as_applicant.post(
        "/api/v1/precheck/", {"order_type": "cancel_subject", "subject": {"province": "110000"}}, format="json"
    )
    assert response.status_code == 400
    assert "order_type" in response.json()["fields"]
