"""The broker down for a while loses nothing (DESIGN.md, "Work in the background": the work is a row in the database
first; the broker only says "now"). Orders forwarded to the administration while Redis is stopped are taken on by
the simulator's beat sweep once a worker runs again, once each, even when the lost task turns up late as well.
The messages of the same kind of outage are tests/notifications/test_broker_outage.py."""

import time

import pytest

from core.models import PhoneMessage
from filings.constants import OrderStatus as S
from miit.models import SmsVerification, Submission
from miit.tasks import process_due_submissions, process_submission
from reviews import services as reviews
from tests.factories import UserFactory
from tests.miit.simulator_support import SUBJECT_MOBILE

from .worker import Worker

pytestmark = [pytest.mark.postgres, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_orders_forwarded_while_the_broker_is_down_are_processed_once_when_it_returns(own_broker, tmp_path, ready):
    reviewer = UserFactory(reviewer=True)
    orders = [ready(domain=f"outage{n}.cn") for n in range(2)]

    own_broker.stop()
    started = time.monotonic()
    for order in orders:
        reviews.review_forward(order_id=order.pk, actor=reviewer)
    assert time.monotonic() - started < 20  # the broker error costs the reviewer no long wait

    submissions = list(Submission.objects.order_by("pk"))
    assert [s.order_reference for s in submissions] == [o.number for o in orders]
    assert {s.status for s in submissions} == {Submission.Status.RECEIVED}
    assert not PhoneMessage.objects.filter(source="miit").exists()
    for order in orders:
        order.refresh_from_db()
        assert order.status == S.SMS_VERIFICATION

    own_broker.start()
    worker = Worker(tmp_path, own_broker.url, name="after-outage")
    try:
        # What beat sends every few seconds, and a late copy of a task that was lost.
        process_due_submissions.apply_async()
        process_submission.apply_async(args=[submissions[0].pk])
        process_due_submissions.apply_async()
        worker.wait_for(
            lambda: (
                worker.succeeded("miit.process_due_submissions") >= 2
                and worker.succeeded("miit.process_submission") >= 1
            ),
            what="the sweeps and the late task",
            timeout=90,
        )
    finally:
        worker.stop()

    for submission in submissions:
        submission.refresh_from_db()
        assert (submission.status, submission.sms_round) == (Submission.Status.SMS_PENDING, 1)
    assert SmsVerification.objects.count() == 2  # one round of codes per submission
    # Both orders name the same principal's mobile: one text per submission, not one per sweep.
    assert PhoneMessage.objects.filter(source="miit", to_number=SUBJECT_MOBILE).count() == 2
