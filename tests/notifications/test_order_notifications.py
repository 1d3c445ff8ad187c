"""Each order move an applicant cares about leaves its messages in the outbox, in the move's transaction, once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import clock
from filings import notify as order_notify
from filings import services
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, Material, OrderEvent
from filings.services.transitions import Remark
from filings.tasks import remind_expiring_orders
from notifications.constants import Channel
from notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
REASONS = [Remark(field="subject.name", message="名称与证件不符"), Remark(field="", message="证件照片不清晰")]


@pytest.fixture
def frozen():
    yield clock.freeze
    clock.reset()


def _photo(order):
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


def _applicant_rows(order):
    return OutboxMessage.objects.filter(recipient=order.applicant).order_by("channel")


def test_submitting_tells_the_applicant_and_puts_new_work_in_every_reviewers_inbox(make_order, precheck_passes):
    reviewers = [UserFactory(reviewer=True), UserFactory(reviewer=True)]
    UserFactory(reviewer=True, is_active=False)
    order = make_order()
    services.order_submit(order_id=order.pk, actor=order.applicant)

    mine = list(_applicant_rows(order).values_list("event", "channel", "address"))
    assert mine == [
        ("order.submitted", Channel.EMAIL, order.applicant.email),
        ("order.submitted", Channel.IN_APP, ""),
    ]
    context = _applicant_rows(order).first().context
    assert context["order_number"] == order.number
    assert context["subject_name"] == "北京示例科技有限公司"
    assert context["link"] == f"/filing/orders/{order.number}/"
    staff = OutboxMessage.objects.filter(event="staff.new_work")
    assert sorted(staff.values_list("recipient_id", flat=True)) == sorted(r.pk for r in reviewers)
    assert set(staff.values_list("channel", flat=True)) == {Channel.IN_APP}
    assert staff.first().context["queue"] == "initial_review"


def test_reviewers_are_told_in_a_fixed_number_of_queries_however_many_there_are(make_order, precheck_passes):
    def cost():
        order = make_order()
        with transaction.atomic():
            services.order_submit(order_id=order.pk, actor=order.applicant)
            event = OrderEvent.objects.get(order=order, action="submit")
            OutboxMessage.objects.all().delete()
            with CaptureQueriesContext(connection) as captured:
                order_notify.order_event_notify(order, event)
        return len(captured.captured_queries)

    UserFactory(reviewer=True)
    few = cost()
    for _ in range(8):
        UserFactory(reviewer=True)
    assert cost() == few
    assert few <= 6


def test_the_same_event_notified_again_stores_nothing_new(make_order, precheck_passes):
    order = make_order()
    UserFactory(reviewer=True)
    services.order_submit(order_id=order.pk, actor=order.applicant)
    before = OutboxMessage.objects.count()
    event = OrderEvent.objects.get(order=order, action="submit")
    with transaction.atomic():
        order_notify.order_event_notify(order, event)
        order_notify.order_event_notify(order, event)
    assert OutboxMessage.objects.count() == before == 3


def test_a_rejection_carries_its_reasons_and_is_texted_to_the_subject_principal(make_order, reviewer):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=REASONS)
    rows = _applicant_rows(order)
    assert {(r.event, r.channel, r.address) for r in rows} == {
        ("order.rejected", Channel.EMAIL, order.applicant.email),
        ("order.rejected", Channel.IN_APP, ""),
        ("order.rejected", Channel.SMS, "13800138000"),
    }
    assert rows[0].context["stage"] == "initial_review"
    assert rows[0].context["reasons"] == ["名称与证件不符", "证件照片不清晰"]


@pytest.mark.parametrize(
    ("state", "move", "event", "expected"),
    [
        (S.INITIAL_REVIEW, "pass_initial", "order.initial_review_passed", {"next_step": "photo"}),
        (S.PHOTO_REVIEW, "reject_photo", "order.photo_needed", {"reasons": ["名称与证件不符", "证件照片不清晰"]}),
        (S.PENDING_MIIT_SUBMISSION, "forward_sms", "order.forwarded", {"sms_required": True, "sms_window_hours": 24}),
        (S.PENDING_MIIT_SUBMISSION, "forward", "order.forwarded", {"sms_required": False}),
        (S.MIIT_RETURNED, "resubmit_unchanged", "order.forwarded", {"sms_required": True}),
        (S.SMS_VERIFICATION, "sms_failed", "order.rejected", {"stage": "sms_verification", "reasons": ["五次错误"]}),
        (S.MIIT_REVIEW, "miit_reject", "order.rejected", {"stage": "administration"}),
        (S.INITIAL_REJECTED, "resubmit", "order.submitted", {"resubmitted": True}),
    ],
)
def test_each_move_an_applicant_cares_about_has_its_event(
    state, move, event, expected, make_order, reviewer, precheck_passes
):
    order = make_order(status=state, assignee=reviewer if state in (S.INITIAL_REVIEW, S.PHOTO_REVIEW) else None)
    pk, applicant = order.pk, order.applicant
    {
        "pass_initial": lambda: services.order_initial_review_pass(order_id=pk, actor=reviewer),
        "reject_photo": lambda: services.order_photo_review_reject(order_id=pk, actor=reviewer, remarks=REASONS),
        "forward_sms": lambda: services.order_forward(order_id=pk, actor=reviewer, sms_required=True),
        "forward": lambda: services.order_forward(order_id=pk, actor=reviewer, sms_required=False),
        "resubmit_unchanged": lambda: services.order_resubmit_unchanged(order_id=pk, actor=applicant),
        "sms_failed": lambda: services.order_fail_sms_verification(order_id=pk, reason="五次错误"),
        "miit_reject": lambda: services.order_reject_by_administration(order_id=pk, remarks=REASONS),
        "resubmit": lambda: services.order_resubmit(order_id=pk, actor=applicant),
    }[move]()
    rows = list(_applicant_rows(order))
    assert {r.event for r in rows} == {event}
    for key, value in expected.items():
        assert rows[0].context[key] == value


def test_an_approval_carries_the_subject_and_website_numbers(make_order):
    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()
    services.order_approve(
        order_id=order.pk, subject_icp_number="京ICP备20000001号", website_numbers={website.pk: "京ICP备20000001号-1"}
    )
    rows = _applicant_rows(order)
    assert {r.channel for r in rows} == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    context = rows[0].context
    assert rows[0].event == "order.approved"
    assert context["subject_icp_number"] == "京ICP备20000001号"
    assert context["websites"] == [{"name": "示例科技官网", "number": "京ICP备20000001号-1"}]


def test_photos_submitted_put_new_work_in_the_photo_queue_and_tell_the_applicant_nothing(make_order):
    UserFactory(reviewer=True)
    order = make_order(status=S.PENDING_PHOTO)
    _photo(order)
    services.order_photos_submit(order_id=order.pk, actor=order.applicant)
    assert not _applicant_rows(order).exists()
    assert OutboxMessage.objects.get(event="staff.new_work").context["queue"] == "photo_review"


@pytest.mark.parametrize("move", ["claim", "withdraw", "sms_verified"])
def test_moves_that_concern_nobody_else_send_nothing(move, make_order, reviewer):
    order = make_order(status=S.SMS_VERIFICATION if move == "sms_verified" else S.PENDING_INITIAL_REVIEW)
    {
        "claim": lambda: services.order_initial_review_start(order_id=order.pk, actor=reviewer),
        "withdraw": lambda: services.order_withdraw(order_id=order.pk, actor=order.applicant),
        "sms_verified": lambda: services.order_sms_verified(order_id=order.pk),
    }[move]()
    assert not OutboxMessage.objects.exists()


def test_the_expiry_sweep_tells_each_applicant_once(make_order):
    orders = [make_order(), make_order(status=S.INITIAL_REJECTED)]
    FilingOrder.objects.filter(pk__in=[o.pk for o in orders]).update(expires_at=clock.now() - timedelta(minutes=1))
    assert sorted(services.order_expire_due()) == sorted(o.pk for o in orders)
    with transaction.atomic():
        order_notify.orders_expired_notify([o.pk for o in orders])  # a repeated call adds nothing
    rows = OutboxMessage.objects.filter(event="order.expired")
    assert sorted(rows.values_list("recipient_id", "channel")) == sorted(
        (o.applicant_id, c) for o in orders for c in (Channel.EMAIL, Channel.IN_APP)
    )
    assert {r.context["order_number"] for r in rows} == {o.number for o in orders}


def test_orders_about_to_expire_are_announced_once_per_deadline(make_order, frozen):
    frozen(datetime(2026, 5, 1, 10, 0, tzinfo=SHANGHAI))
    soon, later, provider_holds = make_order(), make_order(), make_order(status=S.PENDING_INITIAL_REVIEW)
    FilingOrder.objects.filter(pk=soon.pk).update(expires_at=clock.now() + timedelta(days=6, hours=1))
    FilingOrder.objects.filter(pk=later.pk).update(expires_at=clock.now() + timedelta(days=8))
    FilingOrder.objects.filter(pk=provider_holds.pk).update(expires_at=clock.now() + timedelta(days=1))

    assert remind_expiring_orders.apply().get() == 1
    assert remind_expiring_orders.apply().get() == 1  # the same deadline again: nothing new stored
    rows = OutboxMessage.objects.filter(event="order.expiring_soon")
    assert {r.recipient_id for r in rows} == {soon.applicant_id}
    assert {r.channel for r in rows} == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    assert rows.first().context["days_left"] == 6
    assert rows.first().context["expires_on"] == "2026-05-07"
    assert rows.count() == 3

    # A day later the other order comes within the week; the first is not announced again.
    clock.advance(timedelta(days=1, hours=1))
    remind_expiring_orders.apply()
    assert OutboxMessage.objects.filter(event="order.expiring_soon").count() == 6


def test_a_retried_service_stores_no_second_message(make_order, precheck_passes):
    from filings.errors import OrderError

    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()

    def approve():
        return services.order_approve(
            order_id=order.pk,
            subject_icp_number="京ICP备20000002号",
            website_numbers={website.pk: "京ICP备20000002号-1"},
        )

    approve()
    with pytest.raises(OrderError):
        approve()  # the administration's callback, delivered twice
    assert OutboxMessage.objects.filter(event="order.approved").count() == 3
