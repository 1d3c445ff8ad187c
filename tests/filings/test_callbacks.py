"""The portal's callback endpoint: the administration's results arrive signed, each event applies exactly once, an
event the order is not ready for is answered 409 (the administration retries), and a forged one changes nothing."""

import json
import threading
import time
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core import signing
from filings.callbacks import CallbackEvent
from filings.constants import OrderStatus as S
from filings.models import FieldRemark, FilingOrder, OrderEvent

SECRET = "test-callback-secret"  # icpfiling/settings/test.py


@pytest.fixture
def url():
    return reverse("filings:administration_callback")


def event(order, kind, data=None, *, event_id=None):
    return {
        "event_id": event_id or uuid.uuid4().hex,
        "type": kind,
        "order_number": order.number,
        "submission_key": f"{order.number}-1",
        "occurred_at": "2026-01-05T10:00:00+08:00",
        "data": data or {},
    }


def approval(order, subject_number="京ICP备24123456号"):
    website = order.websites.get()
    return event(
        order,
        "approved",
        {"subject_icp_number": subject_number, "websites": [{"id": website.pk, "icp_number": f"{subject_number}-1"}]},
    )


def post(client, url, payload, *, secret=SECRET, timestamp=None, header=None):
    body = json.dumps(payload, ensure_ascii=False).encode()
    if header is None:
        header = signing.sign(secret=secret, body=body, timestamp=timestamp)
    return client.post(url, data=body, content_type="application/json", headers={signing.SIGNATURE_HEADER: header})


def status_of(order):
    return FilingOrder.objects.get(pk=order.pk).status


@pytest.mark.django_db
class TestSignatures:
    def test_a_correctly_signed_event_applies_and_the_answer_is_signed(self, client, url, make_order):
        order = make_order(status=S.SMS_VERIFICATION)
        response = post(client, url, event(order, "sms_verified"))
        assert response.status_code == 200
        assert response.json()["status"] == "applied"
        signing.verify(secret=SECRET, body=response.content, header=response.headers[signing.SIGNATURE_HEADER])
        assert status_of(order) == S.MIIT_REVIEW

    @pytest.mark.parametrize(
        "how",
        ["missing", "wrong_secret", "stale", "tampered", "malformed"],
    )
    def test_a_badly_signed_event_is_refused_with_401_and_changes_nothing(self, client, url, make_order, how):
        order = make_order(status=S.SMS_VERIFICATION)
        payload = event(order, "sms_verified")
        body = json.dumps(payload).encode()
        header = {
            "missing": "",
            "wrong_secret": signing.sign(secret="not-the-secret", body=body),
            "stale": signing.sign(secret=SECRET, body=body, timestamp=int(time.time()) - 3600),
            "tampered": signing.sign(secret=SECRET, body=body.replace(b"sms_verified", b"sms_failed")),
            "malformed": "t=abc,v1=zzz",
        }[how]
        response = client.post(url, data=body, content_type="application/json", headers={"X-ICP-Signature": header})
        assert response.status_code == 401
        assert response.json()["error"] == "bad_signature"
        assert status_of(order) == S.SMS_VERIFICATION
        assert not CallbackEvent.objects.exists()

    def test_the_endpoint_needs_no_csrf_token_and_takes_only_post(self, url, make_order):
        client = Client(enforce_csrf_checks=True)
        order = make_order(status=S.SMS_VERIFICATION)
        assert post(client, url, event(order, "sms_verified")).status_code == 200
        assert client.get(url).status_code == 405


@pytest.mark.django_db
class TestExactlyOnce:
    def test_a_duplicate_event_is_answered_200_and_applied_once(self, client, url, make_order):
        order = make_order(status=S.SMS_VERIFICATION)
        payload = event(order, "sms_verified")
        first = post(client, url, payload)
        again = post(client, url, payload)
        assert (first.status_code, first.json()["status"]) == (200, "applied")
        assert (again.status_code, again.json()["status"]) == (200, "duplicate")
        assert CallbackEvent.objects.filter(event_id=payload["event_id"]).count() == 1
        assert OrderEvent.objects.filter(order=order, action="complete_sms_verification").count() == 1

    def test_an_approval_before_the_sms_verification_is_refused_with_409_then_applies_in_order(
        self, client, url, make_order
    ):
        order = make_order(status=S.SMS_VERIFICATION)
        approved = approval(order)
        early = post(client, url, approved)
        assert early.status_code == 409
        assert early.json()["error"] == "not_ready"
        assert not CallbackEvent.objects.exists()  # the refusal leaves no trace: the retry is applied later
        assert status_of(order) == S.SMS_VERIFICATION

        assert post(client, url, event(order, "sms_verified")).status_code == 200
        retried = post(client, url, approved)
        assert (retried.status_code, retried.json()["status"]) == (200, "applied")
        order = FilingOrder.objects.get(pk=order.pk)
        assert order.status == S.APPROVED
        assert order.subject.icp_number == "京ICP备24123456号"
        assert list(order.subject.websites.values_list("icp_number", flat=True)) == ["京ICP备24123456号-1"]
        assert order.websites.get().service_number.status == "used"

    def test_a_second_different_result_for_a_decided_order_is_refused(self, client, url, make_order):
        order = make_order(status=S.MIIT_REVIEW)
        assert post(client, url, approval(order)).status_code == 200
        rejected = event(order, "rejected", {"reasons": [{"field": "", "code": "x", "message": "不予备案"}]})
        assert post(client, url, rejected).status_code == 409
        assert status_of(order) == S.APPROVED

    def test_a_rejection_records_each_reason_beside_its_field(self, client, url, make_order):
        order = make_order(status=S.MIIT_REVIEW)
        reasons = [
            {"field": "icp_password", "code": "icp_password_wrong", "message": "备案密码错误。"},
            {"field": "websites.0.domains", "code": "domain_holder_mismatch", "message": "域名持有者不是主办单位。"},
        ]
        assert post(client, url, event(order, "rejected", {"reasons": reasons})).status_code == 200
        assert status_of(order) == S.MIIT_REJECTED
        remarks = FieldRemark.objects.filter(order=order).order_by("pk")
        assert [(r.field, r.code, r.message) for r in remarks] == [
            ("icp_password", "icp_password_wrong", "备案密码错误。"),
            ("websites.0.domains", "domain_holder_mismatch", "域名持有者不是主办单位。"),
        ]

    def test_a_failed_sms_verification_returns_the_order_with_the_reason(self, client, url, make_order):
        order = make_order(status=S.SMS_VERIFICATION)
        payload = event(order, "sms_failed", {"code": "window_missed", "reason": "未在 24 小时内完成短信核验。"})
        assert post(client, url, payload).status_code == 200
        assert status_of(order) == S.MIIT_RETURNED
        assert (
            OrderEvent.objects.get(order=order, action="fail_sms_verification").reason == "未在 24 小时内完成短信核验。"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        (lambda e: e.update(order_number="ICP000000000000"), 404),
        (lambda e: e.update(type="teleported"), 400),
        (lambda e: e.pop("event_id"), 400),
        (lambda e: e.update(data=[]), 400),
        (lambda e: e.update(type="rejected", data={"reasons": []}), 400),
        (
            lambda e: e.update(type="approved", data={"subject_icp_number": "京ICP备1号", "websites": [{"id": "x"}]}),
            400,
        ),
    ],
    ids=["unknown-order", "unknown-type", "no-event-id", "data-not-object", "rejection-without-reasons", "bad-numbers"],
)
def test_malformed_events_are_refused_and_change_nothing(client, url, make_order, mutate, status):
    order = make_order(status=S.MIIT_REVIEW)
    payload = event(order, "sms_verified")
    mutate(payload)
    assert post(client, url, payload).status_code == status
    assert status_of(order) == S.MIIT_REVIEW
    assert not CallbackEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"not json", b"null", b"[]"])
def test_a_body_that_is_not_a_json_object_is_refused(client, url, body):
    header = signing.sign(secret=SECRET, body=body)
    response = client.post(url, data=body, content_type="application/json", headers={"X-ICP-Signature": header})
    assert response.status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_apply_it_once(url, make_order):
    """Eight deliveries of the same approval at the same moment, each on its own connection: one applies, the
    others answer 200 duplicate (or 409 when they read the order after the move), and the order is approved once."""
    order = make_order(status=S.MIIT_REVIEW)
    payload = approval(order)
    start = threading.Barrier(8)
    answers = []

    def deliver():
        try:
            start.wait()
            response = post(Client(), url, payload)
            answers.append((response.status_code, response.json().get("status") or response.json().get("error")))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count((200, "applied")) == 1
    assert all(answer == (200, "duplicate") for answer in answers if answer != (200, "applied")), answers
    assert CallbackEvent.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, action="approve").count() == 1
    assert status_of(order) == S.APPROVED
