"""The back office through the API: queues with counts and filters, claim next, decisions with reasons, the call
note, forwarding, reassignment — the same services as the pages, so the same refusals."""

import pytest

from filings import services as filings
from filings.constants import OrderStatus as S
from filings.models import FieldRemark, FilingOrder
from reviews import services
from reviews.reasons import reason_options
from tests.factories import UserFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(make_order, precheck_passes):
    def make(**kwargs):
        order = make_order(**kwargs)
        return filings.order_submit(order_id=order.pk, actor=order.applicant)

    return make


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json() if response.content else None


def test_queues_count_and_list_the_waiting_orders(as_reviewer, queued):
    first, second = queued(), queued()
    counts = {row["queue"]: row for row in ok(as_reviewer.get("/api/v1/review/queues/"))}
    assert (counts["initial"]["total"], counts["initial"]["waiting"]) == (2, 2)
    listed = ok(as_reviewer.get("/api/v1/review/queues/initial/orders/"))
    assert [o["number"] for o in listed["results"]] == [first.number, second.number]
    assert listed["results"][0]["sla"] == "on_time"
    assert ok(as_reviewer.get("/api/v1/review/queues/initial/orders/", {"assignee": "me"}))["count"] == 0
    assert ok(as_reviewer.get("/api/v1/review/queues/photo/orders/"))["count"] == 0
    assert as_reviewer.get("/api/v1/review/queues/nope/orders/").status_code == 404
    assert as_reviewer.get("/api/v1/review/queues/initial/orders/", {"sla": "whenever"}).status_code == 400


def test_claim_next_takes_the_oldest_and_answers_204_when_none_is_left(as_reviewer, reviewer, queued):
    first = queued()
    claimed = ok(as_reviewer.post("/api/v1/review/queues/initial/claim-next/"))
    assert (claimed["number"], claimed["status"], claimed["assignee"]) == (first.number, S.INITIAL_REVIEW, reviewer.pk)
    assert claimed["events"][-1]["action"] == "start_initial_review"
    held = ok(as_reviewer.get("/api/v1/review/held/"))
    assert [o["number"] for o in held["results"]] == [first.number]
    empty = as_reviewer.post("/api/v1/review/queues/initial/claim-next/")
    assert (empty.status_code, empty.content) == (204, b"")
    refused = as_reviewer.post("/api/v1/review/queues/forward/claim-next/")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_claimable")


def test_a_reviewer_rejects_with_reasons_the_applicant_sees_beside_the_fields(as_reviewer, reviewer, queued):
    order = queued()
    ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/claim/"))
    options = ok(as_reviewer.get(f"/api/v1/review/orders/{order.number}/reasons/"))
    name = next(o for o in options if o["path"] == "subject.name")
    assert (
        as_reviewer.post(f"/api/v1/review/orders/{order.number}/reject/", {"reasons": []}, format="json").status_code
        == 400
    )
    body = {"reasons": [{"reason": name["reason"], "path": "subject.name", "note": "执照上是另一个名称"}], "note": ""}
    result = ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/reject/", body, format="json"))
    assert result["status"] == S.INITIAL_REJECTED
    remark = FieldRemark.objects.get(order=order)
    assert remark.field == "subject.name" and "执照上是另一个名称" in remark.message
    forged = {"reasons": [{"reason": name["reason"], "path": "websites.7.name"}]}
    again = as_reviewer.post(f"/api/v1/review/orders/{order.number}/reject/", forged, format="json")
    assert again.status_code == 409


def test_only_the_holder_decides_and_passing_moves_the_order_on(as_reviewer, reviewer, queued):
    order = queued()
    other = UserFactory(reviewer=True)
    services.review_claim(order_id=order.pk, reviewer=other)
    refused = as_reviewer.post(f"/api/v1/review/orders/{order.number}/pass/", {"note": ""}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "held_by_another_reviewer")
    assert as_reviewer.post(f"/api/v1/review/orders/{order.number}/release/").status_code == 403
    ok(token_client(other).post(f"/api/v1/review/orders/{order.number}/release/"))
    ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/claim/"))
    result = ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/pass/", {"note": "资料齐全"}, format="json"))
    assert result["status"] == S.PENDING_PHOTO
    assert as_reviewer.post(f"/api/v1/review/orders/{order.number}/pass/").status_code == 409


def test_the_call_note_sends_an_unreached_order_back_for_a_call_later(as_reviewer, queued):
    order = queued()
    ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/claim/"))
    result = ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/call/", {"reached": False}, format="json"))
    assert result["outcome"] == "retry"
    assert result["retry_due_at"]
    assert result["order"]["status"] == S.PENDING_INITIAL_REVIEW


def test_forwarding_sends_the_order_to_the_administration(as_reviewer, make_order):
    order = make_order(status=S.PENDING_MIIT_SUBMISSION)
    result = ok(as_reviewer.post(f"/api/v1/review/orders/{order.number}/forward/"))
    assert result["status"] in (S.SMS_VERIFICATION, S.MIIT_REVIEW)
    assert FilingOrder.objects.get(pk=order.pk).status == result["status"]


def test_only_supervisors_reassign(as_reviewer, reviewer, queued):
    order = queued()
    other = UserFactory(reviewer=True)
    body = {"reviewer": other.pk}
    refused = as_reviewer.post(f"/api/v1/review/orders/{order.number}/reassign/", body, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "supervisors_only")
    supervisor = token_client(UserFactory(supervisor=True))
    result = ok(supervisor.post(f"/api/v1/review/orders/{order.number}/reassign/", body, format="json"))
    assert result["assignee"] == other.pk


def test_the_review_page_of_an_order_lists_its_reasons_where_they_apply(as_reviewer, queued):
    order = queued()
    options = ok(as_reviewer.get(f"/api/v1/review/orders/{order.number}/reasons/"))
    expected = {(o.reason.pk, o.path) for o in reason_options(FilingOrder.objects.get(pk=order.pk))}
    assert {(o["reason"], o["path"]) for o in options} == expected
