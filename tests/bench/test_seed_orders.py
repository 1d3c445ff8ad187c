"""``seed_orders`` writes consistent data: the counts asked for, one order in process per subject, events that walk
the state table and end in the order's state, clocks and service numbers that match each state, filed records for
what was approved, and orders due for expiry that the real sweep can expire."""

from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from core import clock
from filings.constants import (
    APPLICANT_HELD_STATES,
    CANCELLATION_TYPES,
    FINAL_STATES,
    IN_PROCESS_STATES,
    PROVIDER_QUEUE_STATES,
    WEBSITE_TYPES,
    OrderStatus,
    OrderType,
)
from filings.models import FilingOrder, OrderEvent, SubjectApplication, WebsiteApplication
from filings.services import order_expire_due
from subjects.models import Subject
from websites.constants import ServiceNumberStatus
from websites.models import Domain, ServiceNumber

pytestmark = pytest.mark.django_db
S = OrderStatus

# Each move of RULES.md's table: (action, from, to). Sources "*" accept any state of the set given.
MOVES = {
    "create": {("", S.DRAFT)},
    "submit": {(S.DRAFT, S.PENDING_INITIAL_REVIEW)},
    "resubmit": {(s, S.PENDING_INITIAL_REVIEW) for s in (S.INITIAL_REJECTED, S.MIIT_RETURNED, S.MIIT_REJECTED)},
    "resubmit_unchanged": {(S.MIIT_RETURNED, S.SMS_VERIFICATION)},
    "start_initial_review": {(S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW)},
    "pass_initial_review": {(S.INITIAL_REVIEW, s) for s in (S.PENDING_PHOTO, S.PENDING_MIIT_SUBMISSION, S.APPROVED)},
    "reject_initial_review": {(S.INITIAL_REVIEW, S.INITIAL_REJECTED)},
    "submit_photos": {(S.PENDING_PHOTO, S.PHOTO_REVIEW)},
    "pass_photo_review": {(S.PHOTO_REVIEW, S.PENDING_MIIT_SUBMISSION)},
    "reject_photo_review": {(S.PHOTO_REVIEW, S.PENDING_PHOTO)},
    "forward_to_administration": {(S.PENDING_MIIT_SUBMISSION, s) for s in (S.SMS_VERIFICATION, S.MIIT_REVIEW)},
    "complete_sms_verification": {(S.SMS_VERIFICATION, S.MIIT_REVIEW)},
    "fail_sms_verification": {(S.SMS_VERIFICATION, S.MIIT_RETURNED)},
    "approve": {(S.MIIT_REVIEW, S.APPROVED)},
    "reject_by_administration": {(S.MIIT_REVIEW, S.MIIT_REJECTED)},
    "withdraw": {(s, S.WITHDRAWN) for s in IN_PROCESS_STATES - {S.SMS_VERIFICATION, S.MIIT_REVIEW}},
    "expire": {(s, S.EXPIRED) for s in APPLICANT_HELD_STATES},
}


def seed(**options):
    options = {"seed": 7, "reviewers": 4, "verbosity": 0, **options}
    call_command("seed_orders", **options)


@pytest.fixture
def seeded():
    """400 orders over 60 applicants, and one heavy applicant with 100."""
    seed(orders=400, applicants=60, heavy_orders=100)


def test_the_counts_are_the_ones_asked_for(seeded):
    assert FilingOrder.objects.count() == 400
    per_applicant = Counter(FilingOrder.objects.values_list("applicant__email", flat=True))
    heavy = [n for email, n in per_applicant.items() if email.startswith("heavy")]
    assert heavy == [100]
    assert len(per_applicant) == 61
    assert SubjectApplication.objects.count() == 400


def test_the_mix_spreads_over_types_states_and_provinces(seeded):
    statuses = Counter(FilingOrder.objects.values_list("status", flat=True))
    types = Counter(FilingOrder.objects.values_list("order_type", flat=True))
    assert statuses.most_common(1)[0][0] == S.APPROVED
    assert len(statuses) >= 10
    assert sum(n for s, n in statuses.items() if s in IN_PROCESS_STATES) >= 20
    assert {OrderType.FIRST_FILING, OrderType.ADD_WEBSITE} <= {t for t, _n in types.most_common(2)}
    assert len(types) >= 7
    assert FilingOrder.objects.values("province_id").distinct().count() >= 15


def test_one_order_in_process_per_subject(seeded):
    in_process = (
        FilingOrder.objects.filter(status__in=IN_PROCESS_STATES)
        .values("subject_certificate_type", "subject_certificate_number")
        .annotate(n=Count("pk"))
    )
    assert in_process and max(row["n"] for row in in_process) == 1


def test_events_walk_the_state_table_and_end_in_the_order_state(seeded):
    chains = defaultdict(list)
    for event in OrderEvent.objects.order_by("order_id", "created_at", "id"):
        chains[event.order_id].append(event)
    orders = dict(FilingOrder.objects.values_list("pk", "status"))
    assert set(chains) == set(orders)
    for order_id, events in chains.items():
        assert events[0].action == "create"
        previous = ""
        for event in events:
            assert (event.from_status, event.to_status) in MOVES[event.action], (order_id, event.action)
            assert event.from_status == previous, order_id
            previous = event.to_status
        assert previous == orders[order_id]
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)


def test_actors_match_their_moves(seeded):
    kinds = dict(OrderEvent.objects.values_list("action", "actor_kind").distinct())
    assert kinds["submit"] == "applicant"
    assert kinds["start_initial_review"] == "reviewer"
    assert kinds["approve"] == "administration"
    assert not OrderEvent.objects.filter(actor_kind="reviewer", actor__isnull=True).exists()


def test_clocks_match_each_state(seeded):
    now = clock.now()
    for order in FilingOrder.objects.all():
        if order.status in APPLICANT_HELD_STATES:
            assert order.expires_at is not None and order.expires_at > now, order.pk
        if order.status in PROVIDER_QUEUE_STATES:
            assert order.due_at is not None, order.pk
        else:
            assert order.due_at is None, order.pk
        assert (order.completed_at is not None) == (order.status in FINAL_STATES), order.pk
        assert (order.assignee_id is not None) <= (order.status in (S.INITIAL_REVIEW, S.PHOTO_REVIEW)), order.pk
        if order.status == S.INITIAL_REVIEW:
            assert order.assignee_id is not None


def test_reviewers_hold_no_more_than_a_few_orders(seeded):
    held = FilingOrder.objects.filter(assignee__isnull=False).values("assignee").annotate(n=Count("pk"))
    assert all(row["n"] <= 2 for row in held)


def test_websites_domains_and_service_numbers_follow_the_order(seeded):
    for order in FilingOrder.objects.filter(order_type__in=WEBSITE_TYPES).prefetch_related(
        "websites__domains", "websites__service_number"
    ):
        websites = list(order.websites.all())
        assert 1 <= len(websites) <= 3
        for website in websites:
            assert 1 <= len(website.domains.all()) <= 4
            number = website.service_number
            if number is None:
                assert order.status == S.DRAFT
            elif order.status == S.APPROVED:
                assert number.status == ServiceNumberStatus.USED
            elif order.status in (S.WITHDRAWN, S.EXPIRED):
                assert number.status == ServiceNumberStatus.UNBOUND
            else:
                assert number.status == ServiceNumberStatus.BOUND
    per_instance = ServiceNumber.objects.values("instance").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_instance) <= 5


def test_approved_orders_wrote_the_filed_records(seeded):
    approved = FilingOrder.objects.filter(status=S.APPROVED).exclude(order_type__in=CANCELLATION_TYPES)
    assert approved.exists()
    assert not approved.filter(subject__isnull=True).exists()
    follow_ups = FilingOrder.objects.filter(order_type__in=[OrderType.ADD_WEBSITE, OrderType.CHANGE_WEBSITE])
    assert not follow_ups.filter(subject__isnull=True).exists()
    for subject in Subject.objects.prefetch_related("websites__domains"):
        assert subject.icp_number and subject.principal_id
        assert subject.owner_id == subject.orders.values_list("applicant_id", flat=True).first()
    active = Domain.objects.filter(status="active").values("ascii_name").annotate(n=Count("pk"))
    assert max(row["n"] for row in active) == 1
    changed = WebsiteApplication.objects.filter(existing_website__isnull=False)
    assert not changed.exclude(order__order_type=OrderType.CHANGE_WEBSITE).exists()


def test_orders_due_for_expiry_are_expired_by_the_real_sweep():
    seed(orders=40, due_for_expiry=True, reviewers=0)
    due = FilingOrder.objects.filter(status__in=APPLICANT_HELD_STATES, expires_at__lte=clock.now())
    assert due.count() == 40
    expired = order_expire_due()
    assert len(expired) == 40
    assert not FilingOrder.objects.exclude(status=S.EXPIRED).exists()
    assert OrderEvent.objects.filter(action="expire").count() == 40
    assert not ServiceNumber.objects.filter(status=ServiceNumberStatus.BOUND).exists()


def test_status_seeds_only_those_states_and_adds_to_what_is_there():
    seed(orders=30, heavy_orders=0)
    seed(orders=25, status="pending_initial_review", reviewers=0, seed=8)
    waiting = FilingOrder.objects.filter(status=S.PENDING_INITIAL_REVIEW)
    assert FilingOrder.objects.count() == 55
    assert waiting.count() >= 25
    assert not waiting.filter(due_at__isnull=True).exists()
    numbers = FilingOrder.objects.values("number").annotate(n=Count("pk"))
    assert max(row["n"] for row in numbers) == 1


@pytest.mark.postgres
def test_copy_and_bulk_create_write_the_same_rows():
    seed(orders=50, applicants=10, heavy_orders=0, seed=11)
    first = FilingOrder.objects.order_by("-pk").values_list("pk", flat=True).first()
    copied = sorted(FilingOrder.objects.values_list("order_type", "status"))
    seed(orders=50, applicants=10, heavy_orders=0, seed=11, no_copy=True)
    written = sorted(FilingOrder.objects.filter(pk__gt=first).values_list("order_type", "status"))
    assert written == copied
    assert (
        OrderEvent.objects.filter(order_id__gt=first).count() == OrderEvent.objects.filter(order_id__lte=first).count()
    )
    assert connection.vendor == "postgresql"
