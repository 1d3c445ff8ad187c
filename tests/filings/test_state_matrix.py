"""Every state × every action, written by hand from RULES.md's "Order states" table — not derived from the code.

Allowed moves must land in the table's target; every other combination must be refused with a clear error,
leave the state as it was and write no event.
"""

from datetime import timedelta

import pytest

from core import clock
from filings import services
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.errors import OrderError
from filings.models import FilingOrder, Material, OrderEvent
from filings.services.transitions import Remark

ALL_STATES = list(S)

# action → {source state: target state}, from RULES.md.
TABLE = {
    "submit": {S.DRAFT: S.PENDING_INITIAL_REVIEW},
    "resubmit": {
        S.INITIAL_REJECTED: S.PENDING_INITIAL_REVIEW,
        S.MIIT_RETURNED: S.PENDING_INITIAL_REVIEW,
        S.MIIT_REJECTED: S.PENDING_INITIAL_REVIEW,
    },
    "resubmit_unchanged": {S.MIIT_RETURNED: S.SMS_VERIFICATION},
    "withdraw": {
        S.DRAFT: S.WITHDRAWN,
        S.PENDING_INITIAL_REVIEW: S.WITHDRAWN,
        S.INITIAL_REVIEW: S.WITHDRAWN,
        S.INITIAL_REJECTED: S.WITHDRAWN,
        S.PENDING_PHOTO: S.WITHDRAWN,
        S.PHOTO_REVIEW: S.WITHDRAWN,
        S.PENDING_MIIT_SUBMISSION: S.WITHDRAWN,
        S.MIIT_RETURNED: S.WITHDRAWN,
        S.MIIT_REJECTED: S.WITHDRAWN,
    },
    "claim": {S.PENDING_INITIAL_REVIEW: S.INITIAL_REVIEW},
    "release": {S.INITIAL_REVIEW: S.PENDING_INITIAL_REVIEW},
    "pass_initial": {S.INITIAL_REVIEW: S.PENDING_PHOTO},
    "reject_initial": {S.INITIAL_REVIEW: S.INITIAL_REJECTED},
    "upload_photos": {S.PENDING_PHOTO: S.PHOTO_REVIEW},
    "pass_photo": {S.PHOTO_REVIEW: S.PENDING_MIIT_SUBMISSION},
    "reject_photo": {S.PHOTO_REVIEW: S.PENDING_PHOTO},
    "forward_with_sms": {S.PENDING_MIIT_SUBMISSION: S.SMS_VERIFICATION},
    "forward_without_sms": {S.PENDING_MIIT_SUBMISSION: S.MIIT_REVIEW},
    "sms_verified": {S.SMS_VERIFICATION: S.MIIT_REVIEW},
    "sms_failed": {S.SMS_VERIFICATION: S.MIIT_RETURNED},
    "approve": {S.MIIT_REVIEW: S.APPROVED},
    "reject_by_administration": {S.MIIT_REVIEW: S.MIIT_REJECTED},
}

REASONS = [Remark(field="subject.name", message="名称与证件不符")]


def _act(action, order, applicant, reviewer):
    pk = order.pk
    if action == "submit":
        return services.order_submit(order_id=pk, actor=applicant)
    if action == "resubmit":
        return services.order_resubmit(order_id=pk, actor=applicant)
    if action == "resubmit_unchanged":
        return services.order_resubmit_unchanged(order_id=pk, actor=applicant)
    if action == "withdraw":
        return services.order_withdraw(order_id=pk, actor=applicant)
    if action == "claim":
        return services.order_initial_review_start(order_id=pk, actor=reviewer)
    if action == "release":
        return services.order_initial_review_release(order_id=pk, actor=reviewer)
    if action == "pass_initial":
        return services.order_initial_review_pass(order_id=pk, actor=reviewer)
    if action == "reject_initial":
        return services.order_initial_review_reject(order_id=pk, actor=reviewer, remarks=REASONS)
    if action == "upload_photos":
        return services.order_photos_submit(order_id=pk, actor=applicant)
    if action == "pass_photo":
        return services.order_photo_review_pass(order_id=pk, actor=reviewer)
    if action == "reject_photo":
        return services.order_photo_review_reject(order_id=pk, actor=reviewer, remarks=REASONS)
    if action == "forward_with_sms":
        return services.order_forward(order_id=pk, actor=reviewer, sms_required=True)
    if action == "forward_without_sms":
        return services.order_forward(order_id=pk, actor=reviewer, sms_required=False)
    if action == "sms_verified":
        return services.order_sms_verified(order_id=pk)
    if action == "sms_failed":
        return services.order_fail_sms_verification(order_id=pk, reason="五次身份证号错误")
    if action == "approve":
        return services.order_approve(
            order_id=pk,
            subject_icp_number="京ICP备20000001号",
            website_numbers={w.pk: "京ICP备20000001号-1" for w in order.websites.all()},
        )
    if action == "reject_by_administration":
        return services.order_reject_by_administration(order_id=pk, remarks=REASONS)
    raise AssertionError(action)


CASES = [(state, action) for action in TABLE for state in ALL_STATES]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{a}-from-{s}" for s, a in CASES])
def test_state_action_matrix(state, action, make_order, reviewer, precheck_passes):
    order = make_order(status=state, assignee=reviewer if state in (S.INITIAL_REVIEW, S.PHOTO_REVIEW) else None)
    if state == S.PENDING_PHOTO:
        Material.objects.create(
            order=order,
            kind="verification_photo",
            file="x.jpg",
            extension="jpg",
            content_type="image/jpeg",
            size=1,
            width=1,
            height=1,
            sha256="0" * 64,
            uploaded_by=order.applicant,
            uploaded_at=clock.now(),
        )
    events_before = OrderEvent.objects.filter(order=order).count()
    expected = TABLE[action].get(state)
    if expected is None:
        with pytest.raises(OrderError) as refused:
            _act(action, order, order.applicant, reviewer)
        assert refused.value.status == 409
        assert str(refused.value.message)
        order.refresh_from_db()
        assert order.status == state
        assert OrderEvent.objects.filter(order=order).count() == events_before
    else:
        _act(action, order, order.applicant, reviewer)
        order.refresh_from_db()
        assert order.status == expected
        event = OrderEvent.objects.filter(order=order).latest("id")
        assert (event.from_status, event.to_status) == (state, expected)
        assert OrderEvent.objects.filter(order=order).count() == events_before + 1


EXPIRES = {S.DRAFT, S.INITIAL_REJECTED, S.PENDING_PHOTO, S.MIIT_RETURNED, S.MIIT_REJECTED}


@pytest.mark.django_db
@pytest.mark.parametrize("state", ALL_STATES)
def test_expiry_applies_only_while_the_applicant_holds_the_order(state, make_order):
    order = make_order(status=state)
    FilingOrder.objects.filter(pk=order.pk).update(expires_at=clock.now() - timedelta(minutes=1))
    expired = services.order_expire_due()
    order.refresh_from_db()
    if state in EXPIRES:
        assert expired == [order.pk]
        assert order.status == S.EXPIRED
        event = OrderEvent.objects.filter(order=order).latest("id")
        assert (event.from_status, event.to_status, event.actor_kind) == (state, S.EXPIRED, "system")
    else:
        assert expired == []
        assert order.status == state


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("order_type", "target"),
    [
        (OrderType.FIRST_FILING, S.PENDING_PHOTO),
        (OrderType.CANCEL_SUBJECT, S.PENDING_MIIT_SUBMISSION),
        (OrderType.CANCEL_WEBSITE, S.PENDING_MIIT_SUBMISSION),
        (OrderType.CANCEL_ACCESS, S.PENDING_MIIT_SUBMISSION),
        (OrderType.CLAIM, S.APPROVED),
    ],
)
def test_passing_initial_review_leads_where_the_order_type_goes(order_type, target, make_order, reviewer):
    order = make_order(status=S.INITIAL_REVIEW, order_type=order_type, assignee=reviewer)
    services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    order.refresh_from_db()
    assert order.status == target
