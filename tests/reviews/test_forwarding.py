"""Forwarding to the administration (提交管局) through filings.gateway: the administration receives the order once,
decides from its own province rule and the order type whether SMS verification comes first, and the order moves on."""

import pytest
from django.urls import reverse

from filings import gateway as gateway_module
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.errors import NotPermitted, OrderError, TransitionRefused
from filings.gateway import GatewayError, HttpGateway, InProcessGateway
from filings.models import OrderEvent
from miit.models import Submission
from reviews import services
from reviews.constants import DecisionOutcome
from reviews.models import Decision
from tests.miit.conftest import TestClientSession

from .conftest import at, refreshed, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(make_order, clock):
    """An order whose photo was approved: waiting to be forwarded."""

    def make(**kwargs):
        return make_order(status=S.PENDING_MIIT_SUBMISSION, **kwargs)

    return make


def test_forwarding_a_beijing_first_filing_today_needs_sms_verification(ready, reviewer):
    order = ready()
    forwarded = services.review_forward(order_id=order.pk, actor=reviewer)
    assert forwarded.status == S.SMS_VERIFICATION
    submission = Submission.objects.get()
    assert (submission.order_reference, submission.order_type, submission.province_id) == (
        order.number,
        OrderType.FIRST_FILING,
        "110000",
    )
    assert submission.sms_required is True
    assert submission.submission_key == f"{order.number}-1"
    payload = submission.payload
    assert payload["subject"]["name"] == "北京示例科技有限公司"
    assert payload["subject"]["principal"]["mobile"] == "13800138000"
    assert payload["websites"][0]["domains"] == [{"name": "example.com", "ascii_name": "example.com"}]
    assert payload["websites"][0]["service_number"]
    event = OrderEvent.objects.get(order=order, action="forward_to_administration")
    assert event.details == {"sms_required": True}
    assert Decision.objects.get(order=order).outcome == DecisionOutcome.FORWARDED


def test_before_beijing_required_sms_the_order_goes_straight_to_administration_review(ready, reviewer, clock):
    clock.freeze(at(2019, 6, 3, 10))  # Beijing joined on 2020-08-17
    order = ready()
    assert services.review_forward(order_id=order.pk, actor=reviewer).status == S.MIIT_REVIEW
    assert Submission.objects.get().sms_required is False


def test_a_cancellation_never_needs_sms(ready, reviewer):
    order = ready(order_type=OrderType.CANCEL_WEBSITE)
    assert services.review_forward(order_id=order.pk, actor=reviewer).status == S.MIIT_REVIEW


def test_forwarding_over_http_gives_the_same_result(ready, reviewer, client, monkeypatch):
    gateway = HttpGateway(base_url="http://testserver/miit/", session=TestClientSession(client))
    monkeypatch.setattr("reviews.services.forwarding.get_gateway", lambda: gateway)
    order = ready()
    assert services.review_forward(order_id=order.pk, actor=reviewer).status == S.SMS_VERIFICATION
    assert len(gateway.session.requests) == 1
    assert gateway.session.requests[0][0] == "http://testserver/miit/api/submissions/"
    assert Submission.objects.get().order_reference == order.number


def test_the_administration_receives_a_retried_submission_once():
    gateway = InProcessGateway()
    arguments = {
        "submission_key": "ICP000000000001-1",
        "order_number": "ICP000000000001",
        "order_type": OrderType.FIRST_FILING,
        "province_code": "110000",
        "payload": {"order_number": "ICP000000000001"},
    }
    first = gateway.submit_order(**arguments)
    again = gateway.submit_order(**{**arguments, "payload": {"changed": True}})
    assert first == again
    assert Submission.objects.get().payload == {"order_number": "ICP000000000001"}


def test_an_unknown_province_is_refused_by_the_administration():
    with pytest.raises(GatewayError):
        InProcessGateway().submit_order(
            submission_key="k-1", order_number="ICP1", order_type="first_filing", province_code="999999", payload={}
        )


def test_an_unreachable_administration_leaves_the_order_waiting(ready, reviewer, monkeypatch):
    class Down(gateway_module.AdministrationGateway):
        def _call(self, operation, payload):
            raise GatewayError("down")

    monkeypatch.setattr("reviews.services.forwarding.get_gateway", Down)
    order = ready()
    with pytest.raises(OrderError) as refused:
        services.review_forward(order_id=order.pk, actor=reviewer)
    assert (refused.value.code, refused.value.status) == ("administration_unreachable", 503)
    assert refreshed(order).status == S.PENDING_MIIT_SUBMISSION
    assert not Decision.objects.exists()


def test_forwarding_is_for_reviewers_and_for_orders_waiting_for_it(ready, queued, reviewer):
    order = ready()
    with pytest.raises(NotPermitted):
        services.review_forward(order_id=order.pk, actor=order.applicant)
    with pytest.raises(TransitionRefused):
        services.review_forward(order_id=queued().pk, actor=reviewer)
    assert not Submission.objects.exists()


def test_forwarding_from_the_queue_page(client, ready, reviewer):
    order = ready()
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["forward"])).content.decode()
    assert reverse("reviews:order_forward", args=[order.number]) in page
    response = client.post(reverse("reviews:order_forward", args=[order.number]))
    assert response.status_code == 302
    assert refreshed(order).status == S.SMS_VERIFICATION
