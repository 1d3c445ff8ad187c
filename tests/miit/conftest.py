from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from filings.gateway import HttpGateway, InProcessGateway


class TestClientSession:
    """``requests.Session.post`` over Django's test client: the HTTP adapter's real requests, without a server."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, client):
        self.client = client
        self.requests = []

    def post(self, url, *, data, headers, timeout):
        self.requests.append((url, data, headers))
        extra = {key: value for key, value in headers.items() if key.lower() != "content-type"}
        response = self.client.post(urlsplit(url).path, data=data, content_type=headers["Content-Type"], headers=extra)
        return SimpleNamespace(status_code=response.status_code, content=response.content, headers=response.headers)


@pytest.fixture
def in_process_gateway(db):
    return InProcessGateway()


@pytest.fixture
def http_gateway(db, client):
    """The HTTP adapter, signing with the test settings' secret, answered by the miit API through the test client."""
    return HttpGateway(base_url="http://testserver/miit/", session=TestClientSession(client))


@pytest.fixture
def gateways(in_process_gateway, http_gateway):
    return SimpleNamespace(in_process=in_process_gateway, http=http_gateway)
