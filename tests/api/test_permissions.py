"""Who may call what: the applicant reaches their own records, another applicant gets 404 (a foreign number looks like
a missing one), a reviewer works through /review/ (applicant endpoints act on the reviewer's own records, so another
account's order is a 404 for them too), anonymous callers get 401 except on the public query."""

import pytest

from filings.constants import OrderStatus as S
from websites import services as website_services
from websites.constants import Billing, CloudRegion

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(applicant, make_order):
    """An order, a website and person of it, an instance and a service number of the applicant's."""
    order = make_order(applicant=applicant)
    instance = website_services.instance_buy(
        owner=applicant,
        name="web",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )
    number = website_services.service_number_apply(instance_id=instance.pk, actor=applicant)
    return {
        "order": order,
        "website": order.websites.get(),
        "person": order.people.get(),
        "instance": instance,
        "number": number,
    }


def applicant_reads(o):
    order = o["order"].number
    return [
        f"/api/v1/orders/{order}/",
        f"/api/v1/orders/{order}/events/",
        f"/api/v1/orders/{order}/precheck/",
        f"/api/v1/orders/{order}/materials/",
        f"/api/v1/instances/{o['instance'].instance_id}/",
        f"/api/v1/service-numbers/{o['number'].number}/",
    ]


def applicant_writes(o):
    order, website, person = o["order"].number, o["website"].pk, o["person"].pk
    return [
        ("post", f"/api/v1/orders/{order}/withdraw/", {}),
        ("post", f"/api/v1/orders/{order}/submit/", {}),
        ("patch", f"/api/v1/orders/{order}/subject/", {"name": "别人的公司"}),
        ("patch", f"/api/v1/orders/{order}/people/{person}/", {"name": "李四"}),
        ("patch", f"/api/v1/orders/{order}/websites/{website}/", {"name": "别人的网站"}),
        ("post", f"/api/v1/orders/{order}/websites/{website}/domains/add/", {"domain": "other.cn"}),
        ("post", f"/api/v1/orders/{order}/websites/{website}/remove/", {}),
        ("post", f"/api/v1/instances/{o['instance'].instance_id}/renew/", {"months": 12}),
        ("post", f"/api/v1/instances/{o['instance'].instance_id}/service-numbers/apply/", {}),
    ]


def test_the_applicant_reads_their_own_records(as_applicant, owned):
    for url in applicant_reads(owned):
        assert as_applicant.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["as_other", "as_reviewer"])
def test_another_account_gets_404_for_every_record_and_action(request, owned, who):
    client = request.getfixturevalue(who)
    for url in applicant_reads(owned):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    for method, url, body in applicant_writes(owned):
        assert getattr(client, method)(url, body, format="json").status_code == 404, url
    owned["order"].refresh_from_db()
    assert owned["order"].status == S.DRAFT
    assert owned["order"].subject_application.name == "北京示例科技有限公司"


@pytest.mark.parametrize("who", ["as_other", "as_reviewer"])
def test_lists_hold_only_the_callers_own_records(request, owned, who):
    client = request.getfixturevalue(who)
    for url in ("/api/v1/orders/", "/api/v1/instances/", "/api/v1/service-numbers/", "/api/v1/webhooks/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 0, url


def test_anonymous_callers_are_asked_to_authenticate(api, owned):
    for url in [*applicant_reads(owned), "/api/v1/orders/", "/api/v1/me/", "/api/v1/review/queues/"]:
        response = api.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"
    for method, url, body in applicant_writes(owned):
        assert getattr(api, method)(url, body, format="json").status_code == 401, url


def test_applicants_may_not_use_the_back_office(as_applicant, owned):
    number = owned["order"].number
    for method, url in [
        ("get", "/api/v1/review/queues/"),
        ("get", "/api/v1/review/queues/initial/orders/"),
        ("get", "/api/v1/review/held/"),
        ("post", "/api/v1/review/queues/initial/claim-next/"),
        ("get", f"/api/v1/review/orders/{number}/"),
        ("post", f"/api/v1/review/orders/{number}/claim/"),
        ("post", f"/api/v1/review/orders/{number}/pass/"),
    ]:
        response = getattr(as_applicant, method)(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"


def test_reviewers_see_any_order_in_the_back_office(as_reviewer, owned):
    number = owned["order"].number
    response = as_reviewer.get(f"/api/v1/review/orders/{number}/")
    assert response.status_code == 200
    assert response.json()["number"] == number
    assert as_reviewer.get("/api/v1/review/orders/ICP000000000000/").status_code == 404


def test_the_public_query_and_the_schema_need_no_account(api):
    assert api.get("/api/v1/public/icp/", {"q": "example.com"}).status_code == 200
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/api/docs/").status_code == 200


def test_a_wrong_token_is_refused_even_where_none_is_needed(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/public/icp/", {"q": "example.com"})
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
