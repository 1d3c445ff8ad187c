"""Contention on the shared counters and queues (PostgreSQL): claiming from the back office's queue, the ICP numbers
the administration issues at approval, and the service numbers of one instance. Eight reviewers working a queue of
200 orders is tests/reviews/test_concurrent_claims.py; two and eight applications for one instance's last service
numbers are tests/websites/test_service_number_concurrency.py."""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from core import clock
from filings import services as filings
from filings.constants import OrderStatus as S
from filings.errors import OrderError
from filings.models import DomainApplication, FilingOrder, WebsiteApplication
from miit import services as registry
from miit.models import RegistrySubject, RegistryWebsite, Submission
from miit.simulator import callbacks, processing
from reviews import conf as reviews_conf
from reviews import services as reviews
from reviews.constants import Queue
from reviews.models import Claim
from subjects.models import Subject
from tests.factories import UserFactory
from tests.miit.registry import credit_code
from tests.miit.simulator_support import domain_held_by_subject
from websites import services as websites
from websites.constants import Billing, CloudRegion, ServiceNumberStatus
from websites.models import ServiceNumber

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


# --- claim next --------------------------------------------------------------------------------------------------


def _queued(make_order, count):
    orders = [make_order() for _ in range(count)]
    FilingOrder.objects.filter(pk__in=[o.pk for o in orders]).update(
        status=S.PENDING_INITIAL_REVIEW, due_at=clock.now()
    )
    return orders


def test_more_reviewers_than_orders_claiming_at_once_give_each_order_to_one(make_order, race):
    orders = _queued(make_order, 3)
    reviewers = [UserFactory(reviewer=True) for _ in range(8)]

    outcomes = race(*(lambda r=r: reviews.review_claim_next(reviewer=r, queue=Queue.INITIAL) for r in reviewers))

    claimed = [o.pk for o in outcomes if isinstance(o, FilingOrder)]
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(claimed) == sorted(o.pk for o in orders)
    assert outcomes.count(None) == 5
    assert Claim.objects.count() == 3
    assert set(FilingOrder.objects.values_list("status", flat=True)) == {S.INITIAL_REVIEW}


def test_one_reviewer_claiming_from_many_tabs_at_once_never_holds_more_than_the_limit(make_order, race):
    limit = reviews_conf.get("MAX_CLAIMS")
    _queued(make_order, limit + 5)
    reviewer = UserFactory(reviewer=True)

    outcomes = race(
        *(lambda: reviews.review_claim_next(reviewer=reviewer, queue=Queue.INITIAL) for _ in range(limit + 3))
    )

    taken = [o for o in outcomes if isinstance(o, FilingOrder)]
    refused = [o for o in outcomes if isinstance(o, OrderError)]
    assert len(taken) == limit
    assert {r.code for r in refused} == {"claim_limit"}
    assert FilingOrder.objects.filter(assignee=reviewer, status=S.INITIAL_REVIEW).count() == limit


def test_claiming_an_order_racing_the_applicants_withdrawal_and_a_second_reviewer(make_order, race):
    (order,) = _queued(make_order, 1)
    first, second = UserFactory(reviewer=True), UserFactory(reviewer=True)

    outcomes = race(
        lambda: reviews.review_claim(order_id=order.pk, reviewer=first),
        lambda: reviews.review_claim(order_id=order.pk, reviewer=second),
        lambda: filings.order_withdraw(order_id=order.pk, actor=order.applicant),
    )

    order.refresh_from_db()
    assert order.status == S.WITHDRAWN
    assert order.assignee_id is None
    claims = [o for o in outcomes[:2] if isinstance(o, FilingOrder)]
    assert len(claims) <= 1
    assert Claim.objects.filter(order=order).count() == len(claims)
    # A claim whose order was withdrawn under it ends at the next sweep (reviews.services.review_claims_sweep).
    reviews.review_claims_sweep()
    assert not Claim.objects.filter(order=order, released_at__isnull=True).exists()


# --- ICP numbers at approval ---------------------------------------------------------------------------------------


def test_subject_numbers_issued_by_approvals_at_the_same_moment_are_distinct_and_consecutive(race):
    def approve_five():
        return [registry.subject_number_issue(province="110000") for _ in range(5)]

    outcomes = race(*(approve_five for _ in range(8)))

    issued = [number for batch in outcomes for number in batch]
    assert len(issued) == 40
    assert len(set(issued)) == 40
    values = sorted(int(number[5:13]) for number in issued)
    assert values == list(range(values[0], values[0] + 40))


def test_websites_filed_under_one_subject_at_once_get_distinct_numbers(race):
    subject = registry.registry_subject_create(
        certificate_type="business_licence",
        certificate_number=credit_code(),
        name="北京并发科技有限公司",
        nature="enterprise",
        province="110000",
    )

    def add(n):
        return registry.registry_website_add(
            subject=RegistrySubject.objects.get(pk=subject.pk),
            name=f"网站{n}",
            access_provider="x",
            domains=[f"c{n}.cn"],
        ).icp_number

    outcomes = race(*(lambda n=n: add(n) for n in range(8)))

    assert sorted(outcomes) == sorted(f"{subject.icp_number}-{n}" for n in range(1, 9))
    assert RegistryWebsite.objects.filter(subject=subject).count() == 8
    assert RegistrySubject.objects.get(pk=subject.pk).last_website_index == 8


def test_the_administration_deciding_many_first_filings_at_once_numbers_each_once(make_order, race):
    """The simulator's own approval path, eight submissions decided at once in one province: each subject gets its
    own number, each callback reaches its order, and the filed records carry the numbers."""
    reviewer = UserFactory(reviewer=True)
    orders = []
    for n in range(8):
        order = make_order(status=S.PENDING_MIIT_SUBMISSION)
        domain = f"approve{n}.cn"
        DomainApplication.objects.filter(website__order=order).update(name=domain, ascii_name=domain)
        order.websites.update(homepage_url=f"https://www.{domain}/")
        domain_held_by_subject(order, domain)
        orders.append(order)
        reviews.review_forward(order_id=order.pk, actor=reviewer)
    # Past the SMS step and the review's wait: every submission is due for its decision now.
    Submission.objects.update(
        status=Submission.Status.IN_REVIEW, sms_required=False, decide_at=clock.now() - timedelta(seconds=1)
    )
    FilingOrder.objects.filter(pk__in=[o.pk for o in orders]).update(status=S.MIIT_REVIEW)
    pks = list(Submission.objects.values_list("pk", flat=True))

    outcomes = race(*(lambda pk=pk: processing.submission_process(pk) for pk in pks))

    assert outcomes == [Submission.Status.APPROVED] * 8, [(s.status, s.last_error) for s in Submission.objects.all()]
    numbers = [s.decision["subject_icp_number"] for s in Submission.objects.all()]
    assert len(set(numbers)) == 8
    assert RegistrySubject.objects.filter(icp_number__in=numbers).count() == 8
    # The callbacks (delivered after each commit, and by the sweep here) move every order once.
    callbacks.callbacks_deliver()
    statuses = Counter(FilingOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True))
    assert statuses == {S.APPROVED: 8}
    assert sorted(Subject.objects.values_list("icp_number", flat=True)) == sorted(numbers)


# --- service numbers -----------------------------------------------------------------------------------------------


def _instance(owner):
    return websites.instance_buy(
        owner=owner,
        name="web",
        region=CloudRegion.BEIJING,
        billing=Billing.SUBSCRIPTION,
        months=12,
        public_bandwidth_mbps=5,
    )


def test_applications_through_the_page_at_once_never_pass_the_cap_of_five(race):
    owner = UserFactory()
    instance = _instance(owner)
    url = reverse("websites:service_number_apply", args=[instance.instance_id])

    def apply():
        client = Client()
        client.force_login(owner)
        return client.post(url).status_code

    statuses = race(*(apply for _ in range(8)))

    assert all(status in (200, 302) for status in statuses), statuses
    assert ServiceNumber.objects.filter(instance=instance).count() == 5


def test_one_service_number_bound_by_two_orders_at_once_goes_to_one(make_order, race):
    owner = UserFactory()
    first, second = make_order(applicant=owner), make_order(applicant=owner)
    number = websites.service_number_apply(instance_id=_instance(owner).pk, actor=owner)

    def bind(order):
        website = order.websites.get()
        # Each order gives back the number the factory bound, so both want the new one.
        filings.application_bind_service_number(
            order_id=order.pk, actor=owner, website_id=website.pk, number=number.number
        )
        return order.pk

    outcomes = race(lambda: bind(first), lambda: bind(second))

    won = [o for o in outcomes if isinstance(o, int)]
    assert len(won) == 1, outcomes
    assert ServiceNumber.objects.get(pk=number.pk).status == ServiceNumberStatus.BOUND
    assert WebsiteApplication.objects.filter(service_number=number).count() == 1
