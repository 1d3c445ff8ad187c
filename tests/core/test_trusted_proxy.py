"""The client's address: X-Forwarded-For is believed only from a proxy in TRUSTED_PROXIES, and then only its
right-most hop that is not one of ours; every limit keyed by address (the public query page, the API's throttles)
follows it."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from core.middleware import TrustedProxyMiddleware

pytestmark = pytest.mark.django_db


def client_address(remote: str, forwarded: str | None = None) -> str:
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    TrustedProxyMiddleware(view)(RequestFactory().get("/", **extra))
    return seen["address"]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_request_from_an_untrusted_address_cannot_name_another_client(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]
    assert client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_the_trusted_proxy_the_client_is_the_address_it_forwarded(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]
    assert client_address("172.18.0.5", "198.51.100.1") == "198.51.100.1"


def test_what_the_client_wrote_into_the_header_itself_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12", "10.0.0.2"]
    # The client sent "X-Forwarded-For: 1.2.3.4"; our two proxies appended what they saw.
    assert client_address("172.18.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.2") == "198.51.100.1"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "172.18.0.7"])
def test_a_malformed_or_all_internal_header_keeps_the_proxys_address(settings, forwarded):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]
    assert client_address("172.18.0.5", forwarded) == "172.18.0.5"


def test_the_public_query_page_limits_each_visitor_behind_the_proxy_apart(settings, client):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = "/miit/query/?kind=domain&q=example.cn"
    first = [client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(31)]
    assert first[:30] == [200] * 30 and first[30] == 429
    # Another visitor through the same proxy is not refused for the first one's queries.
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_a_made_up_forwarded_header_does_not_dodge_the_api_throttle(settings):
    settings.TRUSTED_PROXIES = []
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_query": "2/min"},
    }
    api = APIClient()
    answers = [
        api.get("/api/v1/public/icp/", {"q": "example.cn"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]
