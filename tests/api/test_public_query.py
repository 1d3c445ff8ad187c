"""GET /api/v1/public/icp/: the administration's public query through the gateway, for anyone, with its own
throttle; the registry down is a 503, never a 500."""

import pytest

from filings import gateway as gateway_module
from tests.miit import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(db):
    subject = registry.registry_subject(name="北京公开查询科技有限公司", websites=(("query-me.cn", False),))
    registry.registry_website(subject, "second-site.cn", ours=True, name="第二个网站")
    return subject


def test_anyone_finds_a_filing_by_domain_number_or_name(api, filed):
    by_domain = api.get("/api/v1/public/icp/", {"q": "https://www.QUERY-ME.cn/index.html"}).json()
    assert by_domain["count"] == 1
    [record] = by_domain["results"]
    assert (record["subject_name"], record["icp_number"]) == ("北京公开查询科技有限公司", filed.icp_number)
    assert record["websites"][0]["domains"] == ["query-me.cn"]
    by_name = api.get("/api/v1/public/icp/", {"kind": "subject", "q": "北京公开查询科技有限公司"}).json()
    assert len(by_name["results"][0]["websites"]) == 2
    by_number = api.get("/api/v1/public/icp/", {"kind": "icp_number", "q": filed.icp_number}).json()
    assert by_number["count"] == 1
    assert api.get("/api/v1/public/icp/", {"q": "nobody.cn"}).json() == {"count": 0, "results": []}


def test_the_query_needs_something_to_look_for(api):
    response = api.get("/api/v1/public/icp/", {"kind": "everything"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"kind", "q"}


def test_the_public_query_has_a_stricter_throttle(api, settings, filed):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_query": "2/min"},
    }
    assert [api.get("/api/v1/public/icp/", {"q": "query-me.cn"}).status_code for _ in range(3)] == [200, 200, 429]
    refused = api.get("/api/v1/public/icp/", {"q": "query-me.cn"})
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    # Other endpoints are counted apart.
    assert api.get("/api/schema/").status_code == 200


def test_the_registry_down_is_a_503(api, monkeypatch):
    class Down(gateway_module.AdministrationGateway):
        def _call(self, operation, payload):
            raise gateway_module.GatewayError("down")

    monkeypatch.setattr("filings.api.public.get_gateway", lambda: Down())
    response = api.get("/api/v1/public/icp/", {"q": "query-me.cn"})
    assert (response.status_code, response.json()["code"]) == (503, "registry_unavailable")


def test_over_http_the_gateway_gives_the_same_answer(api, client, filed, monkeypatch):
    from tests.miit.conftest import TestClientSession

    http = gateway_module.HttpGateway(base_url="http://testserver/miit/", session=TestClientSession(client))
    monkeypatch.setattr("filings.api.public.get_gateway", lambda: http)
    over_http = api.get("/api/v1/public/icp/", {"q": "query-me.cn"}).json()
    monkeypatch.setattr("filings.api.public.get_gateway", gateway_module.InProcessGateway)
    assert api.get("/api/v1/public/icp/", {"q": "query-me.cn"}).json() == over_http
    assert over_http["count"] == 1
