"""The registry API: signed requests only (401 otherwise), signed answers, the selectors' payloads."""

import json
import time

import pytest
from django.conf import settings

from core import signing
from miit.api import signed_json
from tests.miit import registry

pytestmark = pytest.mark.django_db

SUBJECT_URL = "/miit/api/subjects/lookup/"


def post(client, url, payload, *, secret=None, header=None, body=None):
    signed_body, signature = signed_json(payload, secret=secret or settings.MIIT_CALLBACK_SECRET)
    headers = {} if header is False else {signing.SIGNATURE_HEADER: header or signature}
    return client.post(url, data=body or signed_body, content_type="application/json", headers=headers)


@pytest.fixture
def subject(db):
    return registry.registry_subject(name="北京接口测试有限公司", websites=(("api-test.cn", False),))


def test_a_signed_lookup_answers_with_the_subject(client, subject):
    response = post(
        client, SUBJECT_URL, {"certificate_type": "business_licence", "certificate_number": subject.certificate_number}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["subject"]["name"] == "北京接口测试有限公司"
    assert data["subject"]["websites"][0]["domains"][0]["ascii_name"] == "api-test.cn"
    assert "password" not in json.dumps(data)


def test_the_answer_is_signed_with_the_shared_secret(client, subject):
    response = post(client, "/miit/api/domains/lookup/", {"domain": "api-test.cn"})
    signing.verify(
        secret=settings.MIIT_CALLBACK_SECRET, body=response.content, header=response.headers[signing.SIGNATURE_HEADER]
    )


def test_an_unknown_subject_is_null_not_an_error(client):
    response = post(client, SUBJECT_URL, {"certificate_type": "resident_id", "certificate_number": "X"})
    assert response.status_code == 200
    assert response.json() == {"subject": None}


def test_a_request_without_a_signature_is_refused(client, subject):
    response = post(client, SUBJECT_URL, {"certificate_type": "business_licence"}, header=False)
    assert response.status_code == 401


def test_a_request_signed_with_another_secret_is_refused(client, subject):
    payload = {"certificate_type": "business_licence", "certificate_number": subject.certificate_number}
    response = post(client, SUBJECT_URL, payload, secret="not-the-shared-secret")
    assert response.status_code == 401
    assert "subject" not in response.json()


def test_a_body_changed_after_signing_is_refused(client, subject):
    _body, signature = signed_json({"domain": "someone-else.cn"}, secret=settings.MIIT_CALLBACK_SECRET)
    response = client.post(
        "/miit/api/domains/lookup/",
        data=json.dumps({"domain": "api-test.cn"}),
        content_type="application/json",
        headers={signing.SIGNATURE_HEADER: signature},
    )
    assert response.status_code == 401


def test_a_replayed_old_signature_is_refused(client, subject):
    body = json.dumps({"domain": "api-test.cn"}).encode()
    stale = signing.sign(secret=settings.MIIT_CALLBACK_SECRET, body=body, timestamp=int(time.time()) - 3600)
    response = client.post(
        "/miit/api/domains/lookup/",
        data=body,
        content_type="application/json",
        headers={signing.SIGNATURE_HEADER: stale},
    )
    assert response.status_code == 401


def test_a_malformed_signature_is_refused(client, subject):
    response = post(client, "/miit/api/domains/lookup/", {"domain": "api-test.cn"}, header="v1=abc")
    assert response.status_code == 401


def test_without_a_configured_secret_nothing_is_answered(client, subject, settings):
    payload = {"domain": "api-test.cn"}
    body, signature = signed_json(payload, secret="whatever")
    settings.MIIT_CALLBACK_SECRET = ""
    response = client.post(
        "/miit/api/domains/lookup/",
        data=body,
        content_type="application/json",
        headers={signing.SIGNATURE_HEADER: signature},
    )
    assert response.status_code == 401


def test_bad_input_is_a_400(client):
    response = post(client, SUBJECT_URL, {"certificate_type": "library_card", "certificate_number": "1"})
    assert response.status_code == 400
    assert "certificate_type" in response.json()


def test_a_session_user_without_a_signature_gets_nothing(client, subject, django_user_model):
    user = django_user_model.objects.create_user(email="someone@example.com", password="a-long-password-1")
    client.force_login(user)
    response = client.post(SUBJECT_URL, data={"certificate_type": "business_licence"}, content_type="application/json")
    assert response.status_code == 401


def test_holder_verification_over_the_api(client, subject):
    registry.registration("api-test.cn", holder=subject)
    response = post(
        client,
        "/miit/api/domains/verify-holder/",
        {"domain": "api-test.cn", "holder_name": "北京别的公司", "nature": "enterprise"},
    )
    assert response.status_code == 200
    assert response.json()["problems"] == ["holder_mismatch"]


def test_legacy_lookup_over_the_api(client):
    record = registry.legacy("legacy-api.cn")
    response = post(
        client,
        "/miit/api/legacy/lookup/",
        {"certificate_type": "resident_id", "certificate_number": record.certificate_number, "domain": "legacy-api.cn"},
    )
    assert response.json()["record"]["icp_number"] == record.icp_number
    assert response.json()["record"]["claimable"] is True
