from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from filings import services
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.errors import NotPermitted, OrderError, TransitionRefused
from filings.models import FieldRemark, FilingOrder, OrderEvent
from filings.services.transitions import Remark
from subjects.models import Subject
from tests.factories import UserFactory
from websites.constants import ServiceNumberStatus
from websites.models import Domain, ServiceNumber, Website

pytestmark = pytest.mark.django_db


def _number_status(order):
    return ServiceNumber.objects.get(website_application__order=order).status


# --- one order in process per subject --------------------------------------------------------------------------------


def test_second_order_for_same_subject_is_refused_while_a_draft_exists(make_order):
    order = make_order()
    with pytest.raises(OrderError) as refused:
        services.order_create_draft(
            applicant=order.applicant,
            order_type=OrderType.FIRST_FILING,
            province=order.province,
            nature="enterprise",
            certificate_type=order.subject_certificate_type,
            certificate_number=order.subject_certificate_number,
            domain=("another.cn", "another.cn"),
        )
    assert refused.value.code == "order_in_process"
    assert FilingOrder.objects.filter(subject_certificate_number=order.subject_certificate_number).count() == 1


def test_a_new_order_is_possible_once_the_previous_one_is_withdrawn(make_order):
    order = make_order()
    services.order_withdraw(order_id=order.pk, actor=order.applicant)
    again = services.order_create_draft(
        applicant=order.applicant,
        order_type=OrderType.FIRST_FILING,
        province=order.province,
        nature="enterprise",
        certificate_type=order.subject_certificate_type,
        certificate_number=order.subject_certificate_number,
        domain=("example.com", "example.com"),
    )
    assert again.status == S.DRAFT


def test_a_subject_held_by_another_account_is_refused(make_order, reviewer):
    order = make_order()
    subject = Subject.objects.create(
        owner=order.applicant,
        province=order.province,
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number="911101080000000ABK",
        name="别人的公司",
        icp_number="京ICP备10000001号",
    )
    with pytest.raises(NotPermitted) as refused:
        services.order_create_draft(
            applicant=UserFactory(),
            order_type=OrderType.ADD_WEBSITE,
            province=order.province,
            nature="enterprise",
            certificate_type="business_licence",
            certificate_number=subject.certificate_number,
            subject=subject,
        )
    assert "sign in with that account" in str(refused.value.message)


# --- who may act ---------------------------------------------------------------------------------------------------


def test_another_applicant_cannot_submit_or_withdraw_my_order(make_order, precheck_passes):
    order = make_order()
    stranger = UserFactory()
    for act in (services.order_submit, services.order_withdraw):
        with pytest.raises(NotPermitted):
            act(order_id=order.pk, actor=stranger)
    order.refresh_from_db()
    assert order.status == S.DRAFT


def test_an_applicant_cannot_decide_a_review(make_order):
    order = make_order(status=S.PENDING_INITIAL_REVIEW)
    with pytest.raises(NotPermitted):
        services.order_initial_review_start(order_id=order.pk, actor=order.applicant)


def test_a_reviewer_cannot_decide_an_order_another_reviewer_holds(make_order, reviewer):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    other = UserFactory(reviewer=True)
    with pytest.raises(NotPermitted) as refused:
        services.order_initial_review_pass(order_id=order.pk, actor=other)
    assert refused.value.code == "held_by_another_reviewer"


def test_claiming_assigns_the_reviewer_and_passing_clears_it(make_order, reviewer):
    order = make_order(status=S.PENDING_INITIAL_REVIEW)
    order = services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    assert order.assignee == reviewer
    order = services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    assert order.assignee is None


def _locked(order):
    return FilingOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)


def test_a_move_handed_the_locked_order_still_checks_the_actor_and_the_state(make_order, reviewer):
    waiting, draft = make_order(status=S.PENDING_INITIAL_REVIEW), make_order()
    with pytest.raises(NotPermitted), transaction.atomic():
        services.order_initial_review_start(order_id=waiting.pk, actor=waiting.applicant, locked=_locked(waiting))
    with pytest.raises(TransitionRefused), transaction.atomic():
        services.order_initial_review_start(order_id=draft.pk, actor=reviewer, locked=_locked(draft))
    with transaction.atomic():
        order = services.order_initial_review_start(order_id=waiting.pk, actor=reviewer, locked=_locked(waiting))
    order.refresh_from_db()
    assert (order.status, order.assignee_id) == (S.INITIAL_REVIEW, reviewer.pk)
    assert OrderEvent.objects.filter(order=order, action="start_initial_review", actor=reviewer).exists()


def test_a_move_refuses_a_locked_order_that_is_not_the_one_it_moves(make_order, reviewer):
    order, other = make_order(status=S.PENDING_INITIAL_REVIEW), make_order(status=S.PENDING_INITIAL_REVIEW)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.order_initial_review_start(order_id=order.pk, actor=reviewer, locked=_locked(other))
    assert set(FilingOrder.objects.values_list("status", flat=True)) == {S.PENDING_INITIAL_REVIEW}


@pytest.mark.django_db(transaction=True)
def test_a_move_refuses_an_order_said_to_be_locked_outside_a_transaction(make_order, reviewer):
    order = make_order(status=S.PENDING_INITIAL_REVIEW)
    unlocked = FilingOrder.objects.get(pk=order.pk)
    with pytest.raises(RuntimeError):
        services.order_initial_review_start(order_id=order.pk, actor=reviewer, locked=unlocked)
    order.refresh_from_db()
    assert (order.status, order.assignee_id) == (S.PENDING_INITIAL_REVIEW, None)


def test_a_rejection_needs_a_reason(make_order, reviewer):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    with pytest.raises(TransitionRefused):
        services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=[])


def test_submitting_is_refused_while_the_precheck_finds_errors(make_order):
    order = make_order()
    order.websites.update(service_number=None)
    with pytest.raises(TransitionRefused) as refused:
        services.order_submit(order_id=order.pk, actor=order.applicant)
    assert refused.value.code == "precheck_failed"
    order.refresh_from_db()
    assert order.status == S.DRAFT


# --- history and remarks --------------------------------------------------------------------------------------------


def test_every_move_is_recorded_with_who_when_from_to_and_why(make_order, reviewer, precheck_passes):
    order = make_order()
    services.order_submit(order_id=order.pk, actor=order.applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    services.order_initial_review_reject(
        order_id=order.pk,
        actor=reviewer,
        remarks=[Remark(field="subject.name", message="主办单位名称与营业执照不一致", code="name_mismatch")],
    )
    events = list(OrderEvent.objects.filter(order=order).order_by("id"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("create", "", S.DRAFT),
        ("submit", S.DRAFT, S.PENDING_INITIAL_REVIEW),
        ("start_initial_review", S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW),
        ("reject_initial_review", S.INITIAL_REVIEW, S.INITIAL_REJECTED),
    ]
    assert events[-1].actor == reviewer
    assert "主办单位名称与营业执照不一致" in events[-1].reason
    remark = FieldRemark.objects.get(order=order)
    assert (remark.field, remark.event_id) == ("subject.name", events[-1].pk)


def test_resubmitting_resolves_the_remarks_and_keeps_the_history(make_order, reviewer, precheck_passes):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=[Remark("subject.name", "改名")])
    services.order_resubmit(order_id=order.pk, actor=order.applicant)
    assert FieldRemark.objects.get(order=order).resolved_at is not None
    assert OrderEvent.objects.filter(order=order).count() == 3


def test_order_events_cannot_be_changed_or_deleted(make_order):
    event = OrderEvent.objects.filter(order=make_order()).first()
    event.reason = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


# --- service numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["withdraw", "expire"])
def test_withdrawn_and_expired_orders_free_their_service_numbers(action, make_order, clock):
    order = make_order(status=S.PENDING_PHOTO)
    assert _number_status(order) == ServiceNumberStatus.BOUND
    if action == "withdraw":
        services.order_withdraw(order_id=order.pk, actor=order.applicant)
    else:
        FilingOrder.objects.filter(pk=order.pk).update(expires_at=clock.now() - timedelta(seconds=1))
        services.order_expire_due()
    assert _number_status(order) == ServiceNumberStatus.UNBOUND


def test_a_fixable_rejection_keeps_the_service_number_bound(make_order, reviewer):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=[Remark("", "资料不全")])
    assert _number_status(order) == ServiceNumberStatus.BOUND


# --- validity (45 days of the applicant's time) ---


def test_a_never_submitted_draft_expires_45_days_after_creation(make_order, frozen_clock):
    order = make_order()
    assert order.expires_at == frozen_clock.now() + timedelta(days=45)
    frozen_clock.advance(timedelta(days=45) - timedelta(seconds=1))
    assert services.order_expire_due() == []
    frozen_clock.advance(timedelta(seconds=1))
    assert services.order_expire_due() == [order.pk]


def test_time_with_the_provider_does_not_count_against_the_validity(
    make_order, reviewer, frozen_clock, precheck_passes
):
    order = make_order()
    frozen_clock.advance(timedelta(days=30))  # a month as a draft: does not count once submitted
    services.order_submit(order_id=order.pk, actor=order.applicant)
    order.refresh_from_db()
    assert order.expires_at is None
    assert order.validity_left == timedelta(days=45)
    frozen_clock.advance(timedelta(days=100))  # the provider sits on it for 100 days
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    services.order_initial_review_reject(order_id=order.pk, actor=reviewer, remarks=[Remark("", "x")])
    order.refresh_from_db()
    assert order.expires_at == frozen_clock.now() + timedelta(days=45)
    frozen_clock.advance(timedelta(days=10))
    services.order_resubmit(order_id=order.pk, actor=order.applicant)
    order.refresh_from_db()
    assert order.validity_left == timedelta(days=35)


def test_provider_queue_orders_are_due_one_working_day_later(make_order, frozen_clock, precheck_passes):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    frozen_clock.freeze(datetime(2025, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    order = make_order()
    services.order_submit(order_id=order.pk, actor=order.applicant)
    order.refresh_from_db()
    # National Day: 1-8 October off, so the next working day is 9 October.
    assert order.due_at == datetime(2025, 10, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


# --- approval writes the filed records --------------------------------------------------------------------------------


def test_approval_writes_subject_website_and_domains_with_their_numbers(make_order):
    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()
    services.order_approve(
        order_id=order.pk, subject_icp_number="京ICP备20260001号", website_numbers={website.pk: "京ICP备20260001号-1"}
    )
    order.refresh_from_db()
    subject = Subject.objects.get(icp_number="京ICP备20260001号")
    assert order.subject == subject and subject.owner == order.applicant
    assert subject.name == "北京示例科技有限公司"
    assert subject.principal.certificate_number == "11010519491231002X"
    filed = Website.objects.get(subject=subject)
    assert filed.icp_number == "京ICP备20260001号-1"
    assert list(Domain.objects.filter(website=filed).values_list("ascii_name", flat=True)) == ["example.com"]
    assert _number_status(order) == ServiceNumberStatus.USED
    assert order.completed_at is not None


def test_nothing_is_filed_before_approval(make_order, reviewer, precheck_passes):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)
    services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    assert not Subject.objects.exists()
    assert not Website.objects.exists()


def test_the_order_page_shows_the_numbers_an_approved_order_received(client, make_order):
    from django.urls import reverse

    order = make_order(status=S.MIIT_REVIEW)
    website = order.websites.get()
    services.order_approve(
        order_id=order.pk, subject_icp_number="京ICP备20269999号", website_numbers={website.pk: "京ICP备20269999号-1"}
    )
    client.force_login(order.applicant)
    page = client.get(reverse("filings:order_detail", args=[order.number])).content.decode()
    assert 'data-icp-number="subject">京ICP备20269999号<' in page
    assert 'data-icp-number="website">京ICP备20269999号-1<' in page
