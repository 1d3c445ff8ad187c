"""filings.gateway: both adapters give the same answers; the HTTP one signs, and believes only signed answers."""

from datetime import date
from types import SimpleNamespace

import pytest
import requests

from core import signing
from filings import gateway as gateway_module
from filings.gateway import (
    DomainRecord,
    GatewayError,
    HttpGateway,
    InProcessGateway,
    LegacyRecord,
    SubjectRecord,
    get_gateway,
)
from tests.miit import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(db):
    """A subject with one website with us and one elsewhere, registrations and a legacy record."""
    subject = registry.registry_subject(
        name="北京网关测试有限公司", websites=(("ours-site.cn", True), ("例子.中国", False))
    )
    registry.registration("ours-site.cn", holder=subject)
    registry.registration("stale.cn", holder=subject, expires_on=date(2020, 1, 1), verified=False)
    legacy = registry.legacy("legacy-site.cn")
    return SimpleNamespace(subject=subject, legacy=legacy)


def ask_everything(gateway, filed):
    number = filed.subject.certificate_number
    return [
        gateway.lookup_subject(certificate_type="business_licence", certificate_number=number),
        gateway.lookup_subject(certificate_type="business_licence", certificate_number=registry.credit_code()),
        gateway.lookup_domain("ours-site.cn"),
        gateway.lookup_domain("xn--fsqu00a.xn--fiqs8s"),
        gateway.lookup_domain("nobody-filed.cn"),
        gateway.domain_registration("ours-site.cn"),
        gateway.domain_registration("unregistered.cn"),
        gateway.verify_domain_holder(
            "ours-site.cn", certificate_type="business_licence", holder_name="北京网关测试有限公司"
        ),
        gateway.verify_domain_holder("stale.cn", holder_name="别人"),
        gateway.verify_domain_holder("unregistered.cn"),
        gateway.lookup_legacy(
            certificate_type="resident_id",
            certificate_number=filed.legacy.certificate_number,
            ascii_name="legacy-site.cn",
        ),
        gateway.lookup_legacy(certificate_type="resident_id", certificate_number="1", ascii_name="legacy-site.cn"),
    ]


def test_in_process_and_http_adapters_give_the_same_answers(gateways, filed):
    in_process = ask_everything(gateways.in_process, filed)
    over_http = ask_everything(gateways.http, filed)
    assert over_http == in_process
    assert sum(answer is None for answer in in_process) == 4
    assert len(gateways.http.session.requests) == len(in_process)


def test_answers_are_plain_dataclasses_not_registry_models(in_process_gateway, filed):
    subject = in_process_gateway.lookup_subject(
        certificate_type="business_licence", certificate_number=filed.subject.certificate_number
    )
    assert isinstance(subject, SubjectRecord)
    assert subject.icp_number == filed.subject.icp_number
    assert subject.has_access_with_us and subject.has_access_elsewhere
    assert {w.with_us for w in subject.websites} == {True, False}
    domain = in_process_gateway.lookup_domain("xn--fsqu00a.xn--fiqs8s")
    assert isinstance(domain, DomainRecord)
    assert domain.name == "例子.中国"
    assert not domain.with_us
    assert domain.subject.is_certificate("business_licence", filed.subject.certificate_number.lower())
    legacy = in_process_gateway.lookup_legacy(
        certificate_type="resident_id", certificate_number=filed.legacy.certificate_number, ascii_name="legacy-site.cn"
    )
    assert isinstance(legacy, LegacyRecord)
    assert legacy.claimable and legacy.filed_on == date(2008, 5, 1)
    with pytest.raises(AttributeError):
        legacy.claimable = False  # frozen


def test_with_us_follows_the_portal_provider_name(in_process_gateway, filed, settings):
    settings.ICP_PROVIDER_NAME = registry.OTHER_PROVIDER
    domain = in_process_gateway.lookup_domain("xn--fsqu00a.xn--fiqs8s")
    assert domain.with_us


def test_the_http_adapter_signs_each_request(gateways, filed, settings):
    gateways.http.lookup_domain("ours-site.cn")
    url, body, headers = gateways.http.session.requests[-1]
    assert url == "http://testserver/miit/api/domains/lookup/"
    signing.verify(secret=settings.MIIT_CALLBACK_SECRET, body=body, header=headers[signing.SIGNATURE_HEADER])


def test_a_wrong_secret_is_refused_by_the_administration(client, filed):
    from tests.miit.conftest import TestClientSession

    gateway = HttpGateway(base_url="http://testserver/miit/", secret="wrong-secret", session=TestClientSession(client))
    with pytest.raises(GatewayError, match="401"):
        gateway.lookup_domain("ours-site.cn")


class FakeSession:
    def __init__(self, *, response=None, error=None):
        self.response, self.error = response, error

    def post(self, url, **kwargs):
        if self.error:
            raise self.error
        return self.response


def test_an_unsigned_answer_is_not_believed(settings):
    forged = SimpleNamespace(status_code=200, content=b'{"domain": null}', headers={})
    gateway = HttpGateway(base_url="http://miit.invalid/", session=FakeSession(response=forged))
    with pytest.raises(GatewayError, match="not signed"):
        gateway.lookup_domain("example.cn")


def test_an_answer_signed_with_another_secret_is_not_believed(settings):
    body = b'{"domain": null}'
    forged = SimpleNamespace(
        status_code=200, content=body, headers={signing.SIGNATURE_HEADER: signing.sign(secret="forger", body=body)}
    )
    gateway = HttpGateway(base_url="http://miit.invalid/", session=FakeSession(response=forged))
    with pytest.raises(GatewayError):
        gateway.lookup_domain("example.cn")


def test_an_unreachable_administration_is_a_gateway_error():
    gateway = HttpGateway(base_url="http://miit.invalid/", session=FakeSession(error=requests.ConnectionError("down")))
    with pytest.raises(GatewayError, match="cannot be reached"):
        gateway.lookup_subject(certificate_type="resident_id", certificate_number="1")


def test_bad_input_in_process_is_a_gateway_error(in_process_gateway):
    with pytest.raises(GatewayError):
        in_process_gateway.lookup_subject(certificate_type="library_card", certificate_number="1")


def test_get_gateway_follows_the_setting(settings):
    settings.MIIT_GATEWAY = "http"
    settings.MIIT_BASE_URL = "http://miit.example:9000/miit"
    chosen = get_gateway()
    assert isinstance(chosen, HttpGateway)
    assert chosen.base_url == "http://miit.example:9000/miit/"
    settings.MIIT_GATEWAY = "filings.gateway.InProcessGateway"
    assert isinstance(get_gateway(), InProcessGateway)
    settings.MIIT_GATEWAY = "carrier-pigeon"
    with pytest.raises(GatewayError):
        get_gateway()


def test_the_default_is_in_process(settings):
    if hasattr(settings, "MIIT_GATEWAY"):
        del settings.MIIT_GATEWAY
    assert isinstance(get_gateway(), InProcessGateway)


def test_pre_check_helper_turns_problems_into_errors(in_process_gateway, filed):
    findings = in_process_gateway.check_domain_holder(
        ascii_name="stale.cn", subject_name="北京网关测试有限公司", certificate_number="", nature="enterprise"
    )
    assert [f.code for f in findings] == ["expired", "not_real_name_verified"]
    assert all(f.is_error for f in findings)
    assert "2020-01-01" in str(findings[0].message)


@pytest.mark.django_db(transaction=True)
def test_the_http_adapter_over_a_real_socket(live_server):
    subject = registry.registry_subject(name="北京真实网络有限公司", websites=(("live-socket.cn", False),))
    session = requests.Session()
    session.trust_env = False  # no proxy between the test and its own server
    gateway = HttpGateway(base_url=f"{live_server.url}/miit/", session=session)
    found = gateway.lookup_domain("live-socket.cn")
    assert found.subject.name == "北京真实网络有限公司"
    assert found == InProcessGateway().lookup_domain("live-socket.cn")
    assert (
        gateway.lookup_subject(certificate_type="business_licence", certificate_number=subject.certificate_number)
        .websites[0]
        .access_provider
        == registry.OTHER_PROVIDER
    )
    assert gateway_module.OPERATION_PATHS["domain_lookup"] == "api/domains/lookup/"
