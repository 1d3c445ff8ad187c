"""The administration's side of the callbacks: each result is written with its decision, posted signed, retried with
backoff while the portal answers 409 or nothing, failed for an operator on other refusals, and never posted twice at
the same time."""

import json
from datetime import timedelta

import pytest

from core import signing
from filings.constants import OrderStatus as S
from miit.models import OutboundCallback
from miit.simulator import callbacks
from tests.filings import conftest as filing_fixtures
from tests.miit import simulator_support as support
from tests.miit.simulator_support import refreshed

# Fixtures shared with other test modules.
make_order = filing_fixtures.make_order
administration, ready = support.administration, support.ready

pytestmark = pytest.mark.django_db


class Recorder:
    """A transport that answers what it is told and remembers what it was sent."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []

    def __call__(self, url, body, headers):
        self.sent.append((url, body, headers))
        answer = self.answers.pop(0) if self.answers else (200, "{}")
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def transport(monkeypatch):
    def install(*answers):
        recorder = Recorder(*answers)
        monkeypatch.setattr(callbacks, "transport", lambda: recorder)
        return recorder

    return install


@pytest.fixture
def verified(ready, administration, transport, django_capture_on_commit_callbacks, clock):
    """An order whose SMS verification completed: one ``sms_verified`` callback waits for delivery."""
    clock.freeze()
    recorder = transport((503, "down"))
    order = ready()
    administration.forward(order)
    administration.verify()  # its delivery attempt meets the 503
    callback = OutboundCallback.objects.get()
    assert (callback.status, callback.attempts, callback.last_status_code) == ("pending", 1, 503)
    assert len(recorder.sent) == 1
    return order, callback


def test_a_callback_is_posted_signed_to_the_portal(verified, transport, clock):
    order, callback = verified
    recorder = transport((200, '{"status": "applied"}'))
    clock.advance(timedelta(seconds=5))
    assert callbacks.callbacks_deliver() == 1
    url, body, headers = recorder.sent[0]
    assert url == "http://127.0.0.1:8000/filing/callbacks/administration/"
    signing.verify(secret="test-callback-secret", body=body, header=headers[signing.SIGNATURE_HEADER])
    sent = json.loads(body)
    assert sent["event_id"] == callback.event_id
    assert (sent["type"], sent["order_number"], sent["submission_key"]) == (
        "sms_verified",
        order.number,
        f"{order.number}-1",
    )
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("delivered", 2)


def test_not_ready_and_unreachable_are_retried_with_growing_backoff(verified, transport, clock):
    _order, callback = verified
    transport((409, "not ready"), ConnectionError("refused"), (502, "bad gateway"))
    waits = []
    for _ in range(3):
        clock.freeze(OutboundCallback.objects.get().next_attempt_at)
        callbacks.callbacks_deliver()
        callback.refresh_from_db()
        waits.append((callback.next_attempt_at - clock.now()).total_seconds())
    assert waits == [10, 20, 40]
    assert (callback.status, callback.attempts) == ("pending", 4)
    assert "502" in callback.last_error


def test_nothing_is_posted_before_it_is_due(verified, transport, clock):
    recorder = transport()
    clock.advance(timedelta(seconds=4))
    assert callbacks.callbacks_deliver() == 0
    assert recorder.sent == []


def test_a_refusal_other_than_409_fails_at_once_and_the_admins_retry_sends_it_again(verified, transport, clock):
    _order, callback = verified
    transport((401, "bad signature"))
    clock.advance(timedelta(seconds=5))
    callbacks.callbacks_deliver()
    callback.refresh_from_db()
    assert callback.status == "failed"
    clock.advance(timedelta(days=1))
    assert callbacks.callbacks_deliver() == 0

    recorder = transport((200, "{}"))
    assert callbacks.callbacks_retry(ids=[callback.pk]) == 1
    assert callbacks.callbacks_deliver() == 1
    callback.refresh_from_db()
    assert callback.status == "delivered" and len(recorder.sent) == 1


def test_after_the_last_attempt_a_callback_is_failed(verified, transport, clock):
    _order, callback = verified
    transport(*[(503, "down")] * callbacks.MAX_ATTEMPTS)
    for _ in range(callbacks.MAX_ATTEMPTS - 1):
        clock.freeze(OutboundCallback.objects.get().next_attempt_at)
        callbacks.callbacks_deliver()
    callback.refresh_from_db()
    assert (callback.status, callback.attempts) == ("failed", callbacks.MAX_ATTEMPTS)


def test_a_claimed_callback_is_not_claimed_again_until_its_lease_ends(verified, clock):
    _order, callback = verified
    clock.advance(timedelta(seconds=5))
    assert callbacks.callbacks_claim() == [callback.pk]
    assert callbacks.callbacks_claim() == []
    clock.advance(callbacks.LEASE)
    assert callbacks.callbacks_claim() == [callback.pk]


def test_the_order_moves_once_the_portal_takes_the_retried_callback(verified, monkeypatch, clock):
    order, _callback = verified
    assert refreshed(order).status == S.SMS_VERIFICATION
    answers = []

    def through_the_portal(url, body, headers):
        answer = callbacks._post_in_process(url, body, headers)
        answers.append(answer[0])
        return answer

    monkeypatch.setattr(callbacks, "transport", lambda: through_the_portal)
    clock.advance(timedelta(seconds=5))
    assert callbacks.callbacks_deliver() == 1
    assert answers == [200]
    assert refreshed(order).status == S.MIIT_REVIEW
