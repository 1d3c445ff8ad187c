"""An applicant files through the API alone: instances and service numbers, the filing type, a draft, every part of
the application, the mobile code, submission (refused with every problem beside its field while the pre-check is not
clean), history, withdrawal and resubmission."""

import re

import pytest

from core.models import PhoneMessage
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, WebsiteApplication
from filings.services.drafts import order_icp_password
from filings.services.transitions import Remark
from websites.constants import ServiceNumberStatus

from .conftest import valid_uscc

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "张伟",
    "certificate_type": "resident_id",
    "certificate_number": "11010519491231002x",
    "mobile": "138 0013 8000",
    "office_phone": "010-62345678",
    "email": "zhang.wei@example.com",
}


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json() if response.content else None


def buy_number(client) -> str:
    instance = ok(
        client.post(
            "/api/v1/instances/buy/",
            {
                "name": "web",
                "region": "cn-beijing",
                "billing": "subscription",
                "months": 12,
                "public_bandwidth_mbps": 5,
            },
            format="json",
        ),
        201,
    )
    assert instance["eligible"]
    number = ok(client.post(f"/api/v1/instances/{instance['instance_id']}/service-numbers/apply/"), 201)
    assert number["status"] == ServiceNumberStatus.UNBOUND
    return number["number"]


START = {
    "province": "110000",
    "city": "110100",
    "district": "110108",
    "nature": "enterprise",
    "certificate_type": "business_licence",
    "domain": "https://www.example.com/",
}


def test_the_filing_type_is_verified_without_saving_anything(as_applicant):
    body = {**START, "certificate_number": valid_uscc("91110108MA01QKWA1")}
    result = ok(as_applicant.post("/api/v1/filing-type/verify/", body, format="json"))
    assert (result["ok"], result["order_type"]) == (True, "first_filing")
    assert FilingOrder.objects.count() == 0
    wrong = ok(as_applicant.post("/api/v1/filing-type/verify/", {**body, "certificate_number": "123"}, format="json"))
    assert not wrong["ok"]
    assert wrong["findings"][0]["field"] == "certificate_number"


def test_an_applicant_files_a_first_filing_through_the_api(as_applicant, applicant, precheck_passes):
    number = buy_number(as_applicant)
    body = {**START, "certificate_number": valid_uscc("91110108MA01QKWB1")}
    order = ok(as_applicant.post("/api/v1/orders/create-draft/", body, format="json"), 201)
    assert (order["status"], order["order_type"]) == ("draft", "first_filing")
    url = f"/api/v1/orders/{order['number']}/"
    [website] = order["websites"]
    assert [d["name"] for d in website["domains"]] == ["example.com"]

    subject = {
        "name": "北京示例科技有限公司",
        "certificate_address": "北京市海淀区中关村大街1号",
        "mailing_address": "中关村大街1号",
        "investor": "张伟",
    }
    order = ok(as_applicant.patch(url + "subject/", subject, format="json"))
    assert order["subject"]["name"] == subject["name"]

    person = ok(as_applicant.post(url + "people/add/", PERSON, format="json"), 201)
    # Stored in the forms the checks compare.
    assert (person["mobile"], person["certificate_number"]) == ("13800138000", "11010519491231002X")
    assert person["office_phone"] == "086-010-62345678"
    order = ok(as_applicant.post(url + "subject/principal/", {"person": person["id"]}, format="json"))
    assert order["subject"]["principal"] == person["id"]

    website_body = {
        "name": "示例科技官网",
        "homepage_url": "https://www.example.com/",
        "service_content": ["organisation_portal"],
        "languages": ["zh_hans"],
        "pre_approvals": [{"type": "news", "document_number": "京新闻2026-1"}],
        "principal": person["id"],
    }
    order = ok(as_applicant.patch(url + f"websites/{website['id']}/", website_body, format="json"))
    assert order["websites"][0]["principal"] == person["id"]
    assert order["websites"][0]["pre_approvals"] == [{"type": "news", "document_number": "京新闻2026-1"}]

    order = ok(
        as_applicant.post(url + f"websites/{website['id']}/domains/add/", {"domain": "例子.中国"}, format="json"), 201
    )
    domains = order["websites"][0]["domains"]
    assert [d["ascii_name"] for d in domains] == ["example.com", "xn--fsqu00a.xn--fiqs8s"]
    order = ok(as_applicant.post(url + f"websites/{website['id']}/domains/{domains[1]['id']}/remove/"))
    assert len(order["websites"][0]["domains"]) == 1

    order = ok(as_applicant.post(url + f"websites/{website['id']}/service-number/", {"number": number}, format="json"))
    assert order["websites"][0]["service_number"] == {"number": number, "status": "bound"}

    sent = ok(as_applicant.post(url + f"people/{person['id']}/send-code/"))
    assert sent["mobile"] == "13800138000"
    code = re.search(r"\d{6}", PhoneMessage.objects.get(to_number="13800138000").body).group(0)
    wrong = as_applicant.post(url + f"people/{person['id']}/verify-mobile/", {"code": "000000"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["fields"]["code"][0]["code"] == "wrong_code"
    verified = ok(as_applicant.post(url + f"people/{person['id']}/verify-mobile/", {"code": code}, format="json"))
    assert verified["mobile_verified"] is True

    order = ok(as_applicant.post(url + "submit/"))
    assert order["status"] == S.PENDING_INITIAL_REVIEW
    assert order["is_editable"] is False
    events = ok(as_applicant.get(url + "events/"))
    assert [e["action"] for e in events] == ["create", "submit"]
    # Submitted: the application cannot be edited any more.
    refused = as_applicant.patch(url + "subject/", {"name": "改名"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_editable"


def test_submission_is_refused_with_every_problem_beside_its_field(as_applicant, applicant, make_order):
    order = make_order(applicant=applicant)
    response = as_applicant.post(f"/api/v1/orders/{order.number}/submit/")
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "precheck_failed"
    person = order.people.get()
    assert error["fields"][f"people.{person.pk}.mobile"][0]["code"] == "mobile_not_verified"
    assert "materials.authenticity_statement" in error["fields"]
    assert FilingOrder.objects.get(pk=order.pk).status == S.DRAFT


def test_the_order_precheck_is_the_wizards(as_applicant, applicant, make_order):
    from filings.precheck import order_precheck

    order = make_order(applicant=applicant)
    result = ok(as_applicant.get(f"/api/v1/orders/{order.number}/precheck/"))
    assert {(f["field"], f["code"]) for f in result["findings"]} == {(f.field, f.code) for f in order_precheck(order)}
    assert result["ok"] is False and result["error_count"] >= 1


def test_withdrawal_frees_the_service_numbers_and_is_in_the_history(as_applicant, applicant, make_order):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    number = WebsiteApplication.objects.get(order=order).service_number
    result = ok(
        as_applicant.post(f"/api/v1/orders/{order.number}/withdraw/", {"reason": "改用其他域名"}, format="json")
    )
    assert result["status"] == S.WITHDRAWN
    number.refresh_from_db()
    assert number.status == ServiceNumberStatus.UNBOUND
    events = ok(as_applicant.get(f"/api/v1/orders/{order.number}/events/"))
    assert (events[-1]["action"], events[-1]["reason"]) == ("withdraw", "改用其他域名")
    again = as_applicant.post(f"/api/v1/orders/{order.number}/withdraw/")
    assert again.status_code == 409
    assert again.json()["code"] == "not_allowed_in_state"


def test_a_rejected_order_is_fixed_and_resubmitted(as_applicant, applicant, make_order, reviewer, precheck_passes):
    from filings import services

    order = make_order(applicant=applicant, status=S.INITIAL_REVIEW, assignee=reviewer)
    services.order_initial_review_reject(
        order_id=order.pk, actor=reviewer, remarks=[Remark("subject.name", "名称与营业执照不符", "name")]
    )
    detail = ok(as_applicant.get(f"/api/v1/orders/{order.number}/"))
    assert detail["remarks"] == {"subject.name": ["名称与营业执照不符"]}
    assert detail["status"] == S.INITIAL_REJECTED
    ok(as_applicant.patch(f"/api/v1/orders/{order.number}/subject/", {"name": "北京示例科技有限公司"}, format="json"))
    result = ok(as_applicant.post(f"/api/v1/orders/{order.number}/resubmit/"))
    assert result["status"] == S.PENDING_INITIAL_REVIEW
    assert result["remarks"] == {}
    unchanged = as_applicant.post(f"/api/v1/orders/{order.number}/resubmit-unchanged/")
    assert unchanged.status_code == 409


def test_the_icp_password_is_kept_encrypted_and_never_shown(as_applicant, applicant, make_order):
    order = make_order(applicant=applicant)
    response = as_applicant.post(
        f"/api/v1/orders/{order.number}/icp-password/", {"password": "Pa55 word"}, format="json"
    )
    assert response.status_code == 204
    assert order_icp_password(FilingOrder.objects.get(pk=order.pk)) == "Pa55 word"
    assert "Pa55" not in as_applicant.get(f"/api/v1/orders/{order.number}/").content.decode()


def test_websites_are_added_and_removed_and_a_bad_domain_is_refused_beside_its_field(
    as_applicant, applicant, make_order
):
    order = make_order(applicant=applicant)
    url = f"/api/v1/orders/{order.number}/"
    detail = ok(as_applicant.post(url + "websites/add/"), 201)
    assert len(detail["websites"]) == 2
    added = detail["websites"][1]["id"]
    bad = as_applicant.post(url + f"websites/{added}/domains/add/", {"domain": "not a domain"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()["fields"]) == ["domain"]
    twice = as_applicant.post(url + f"websites/{added}/domains/add/", {"domain": "example.com"}, format="json")
    assert (twice.status_code, twice.json()["code"]) == (409, "domain_twice")
    detail = ok(as_applicant.post(url + f"websites/{added}/remove/"))
    assert len(detail["websites"]) == 1
    assert as_applicant.post(url + f"websites/{added}/remove/").status_code == 404


def test_a_foreign_or_used_service_number_is_refused_beside_its_field(as_applicant, as_other, applicant, make_order):
    order = make_order(applicant=applicant)
    theirs = buy_number(as_other)
    website = order.websites.get()
    response = as_applicant.post(
        f"/api/v1/orders/{order.number}/websites/{website.pk}/service-number/", {"number": theirs}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["number"][0]["code"] == "not_found"
    verify = as_applicant.post("/api/v1/service-numbers/verify/", {"number": theirs}, format="json")
    assert verify.status_code == 400
    assert (
        ok(as_other.post("/api/v1/service-numbers/verify/", {"number": theirs}, format="json"))["status"] == "unbound"
    )


def test_an_instance_without_a_subscription_gets_no_service_number(as_applicant):
    instance = ok(
        as_applicant.post(
            "/api/v1/instances/buy/",
            {"name": "pay", "region": "cn-hangzhou", "billing": "pay_as_you_go", "public_bandwidth_mbps": 1},
            format="json",
        ),
        201,
    )
    assert not instance["eligible"]
    assert instance["ineligibility"][0]["code"] == "pay_as_you_go"
    refused = as_applicant.post(f"/api/v1/instances/{instance['instance_id']}/service-numbers/apply/")
    assert (refused.status_code, refused.json()["code"]) == (409, "pay_as_you_go")
    renew = as_applicant.post(f"/api/v1/instances/{instance['instance_id']}/renew/", {"months": 12}, format="json")
    assert (renew.status_code, renew.json()["code"]) == (409, "not_subscription")


def test_a_subscription_needs_its_length(as_applicant):
    response = as_applicant.post(
        "/api/v1/instances/buy/",
        {"name": "x", "region": "cn-beijing", "billing": "subscription", "public_bandwidth_mbps": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["months"]


def test_lists_are_filtered_and_paginated(as_applicant, applicant, make_order):
    make_order(applicant=applicant)
    make_order(applicant=applicant, status=S.WITHDRAWN)
    assert ok(as_applicant.get("/api/v1/orders/", {"status": "withdrawn"}))["count"] == 1
    page = ok(as_applicant.get("/api/v1/orders/", {"page_size": 1}))
    assert (page["count"], len(page["results"])) == (2, 1)
    assert page["next"]
    bad = as_applicant.get("/api/v1/orders/", {"status": "nonsense"})
    assert bad.status_code == 400
    assert bad.json()["fields"]["status"][0]["code"] == "invalid_choice"
    assert as_applicant.get("/api/v1/orders/", {"page": 99}).status_code == 404
