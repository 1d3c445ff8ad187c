"""One error format everywhere, throttles per caller (off with API_THROTTLE_ENABLED), and list endpoints whose cost
does not grow with their length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filings.constants import OrderStatus as S
from websites import services as website_services
from websites.constants import Billing, CloudRegion

pytestmark = pytest.mark.django_db


def assert_error_format(body: dict):
    assert set(body) == {"code", "message", "fields"}
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    for path, problems in body["fields"].items():
        assert isinstance(path, str)
        assert problems and all(set(problem) == {"code", "message"} for problem in problems)


def test_validation_errors_name_each_nested_field_by_its_dotted_path(as_applicant):
    body = {"subject": {"province": "abc"}, "websites": [{"name": "x"}, {"domains": "not-a-list"}]}
    response = as_applicant.post("/api/v1/precheck/", body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert_error_format(error)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"subject.province", "websites.1.domains"}
    assert error["fields"]["websites.1.domains"][0]["code"] == "not_a_list"


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/orders/ICP000000000000/", 404, "not_found"),
        ("get", "/api/v1/nothing-here/", 404, None),
        ("delete", "/api/v1/orders/", 405, "method_not_allowed"),
        ("post", "/api/v1/orders/create-draft/", 400, "invalid"),
    ],
)
def test_every_error_has_the_same_shape(as_applicant, method, url, status, code):
    response = getattr(as_applicant, method)(url, {}, format="json")
    assert response.status_code == status
    if code is None:
        return  # Django's own 404 for a path that is no endpoint at all
    assert_error_format(response.json())
    assert response.json()["code"] == code


def test_malformed_json_is_a_400_in_the_same_format(as_applicant):
    response = as_applicant.post("/api/v1/precheck/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert_error_format(response.json())
    assert response.json()["code"] == "parse_error"


def test_an_order_refused_in_its_state_is_a_409_with_the_services_code(as_applicant, applicant, make_order):
    order = make_order(applicant=applicant, status=S.MIIT_REVIEW)
    response = as_applicant.post(f"/api/v1/orders/{order.number}/withdraw/")
    assert response.status_code == 409
    assert_error_format(response.json())
    assert response.json()["code"] == "not_allowed_in_state"


def test_messages_follow_the_language_cookie(as_applicant):
    chinese = as_applicant.get("/api/v1/orders/ICP000000000000/").json()["message"]
    as_applicant.cookies["django_language"] = "en"
    english = as_applicant.get("/api/v1/orders/ICP000000000000/").json()["message"]
    assert english == "Not found."
    assert chinese != english


def test_callers_are_throttled_each_on_their_own(as_applicant, as_other, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/min"},
    }
    assert [as_applicant.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert as_other.get("/api/v1/me/").status_code == 200
    settings.API_THROTTLE_ENABLED = False
    assert as_applicant.get("/api/v1/me/").status_code == 200


def test_the_precheck_has_a_stricter_throttle(as_applicant, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "precheck": "1/min"},
    }
    body = {"subject": {"province": "110000"}}
    assert as_applicant.post("/api/v1/precheck/", body, format="json").status_code == 200
    assert as_applicant.post("/api/v1/precheck/", body, format="json").status_code == 429
    assert as_applicant.get("/api/v1/me/").status_code == 200


def test_anonymous_callers_are_throttled_by_address(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/min"},
    }
    codes = [api.get("/api/v1/public/icp/", {"q": "x.cn"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert api.get("/api/v1/public/icp/", {"q": "x.cn"}, REMOTE_ADDR="10.1.2.3").status_code == 200


# --- what a list costs ---------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # the caches a running server has warm (the caller's roles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def _instance(user):
    return website_services.instance_buy(
        owner=user,
        name="x",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )


@pytest.mark.parametrize("url", ["/api/v1/orders/", "/api/v1/instances/", "/api/v1/service-numbers/"])
def test_applicant_lists_cost_the_same_for_one_and_twenty(as_applicant, applicant, make_order, url, throttling_off):
    def grow():
        order = make_order(applicant=applicant, status=S.WITHDRAWN)
        instance = _instance(applicant)
        website_services.service_number_apply(instance_id=instance.pk, actor=applicant)
        return order

    grow()
    one = _queries(as_applicant, url)
    for _ in range(19):
        grow()
    assert as_applicant.get(url).json()["count"] >= 20
    assert _queries(as_applicant, url) == one


def test_a_queue_list_costs_the_same_for_one_and_twenty(as_reviewer, make_order, throttling_off):
    make_order(status=S.PENDING_INITIAL_REVIEW)
    one = _queries(as_reviewer, "/api/v1/review/queues/initial/orders/")
    for _ in range(19):
        make_order(status=S.PENDING_INITIAL_REVIEW)
    assert as_reviewer.get("/api/v1/review/queues/initial/orders/").json()["count"] == 20
    assert _queries(as_reviewer, "/api/v1/review/queues/initial/orders/") == one


def test_an_order_costs_the_same_however_many_websites_and_domains(as_applicant, applicant, make_order, throttling_off):
    from filings.models import DomainApplication, WebsiteApplication

    small = make_order(applicant=applicant)
    one = _queries(as_applicant, f"/api/v1/orders/{small.number}/")
    big = make_order(applicant=applicant, status=S.WITHDRAWN)
    for position in range(1, 8):
        website = WebsiteApplication.objects.create(order=big, position=position, name=f"站点{position}")
        for n in range(4):
            DomainApplication.objects.create(
                website=website, name=f"d{position}-{n}.cn", ascii_name=f"d{position}-{n}.cn"
            )
    assert _queries(as_applicant, f"/api/v1/orders/{big.number}/") == one
