"""A submission's steps, run by Celery tasks (``miit.tasks``) and the beat sweep, each safe to run twice.

- received → the province and type need SMS: codes sent, SMS pending; otherwise under review (``decide_at``);
- under review, ``decide_at`` passed → approved or rejected, reported by callback;
- returned (a failed SMS round) → the provider resubmits unchanged (``submission_resend``): a new round, new codes;
  or it edits the order and forwards it again, a new submission that supersedes this one.

Each step locks its submission with ``skip_locked``: a row someone else is working on is left to them. A step that
raises is recorded on the row (``attempts``, ``last_error``) and tried again with backoff from ``next_attempt_at``;
after ``MAX_ATTEMPTS`` it is marked failed for an operator, whose retry action in the admin makes it due again.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from core import clock

from ..models import Submission
from . import review, sms
from .models import SimulatorSettings, SmsVerification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SWEEP_BATCH = 100
OPEN_STATES = (
    Submission.Status.RECEIVED,
    Submission.Status.SMS_PENDING,
    Submission.Status.IN_REVIEW,
    Submission.Status.RETURNED,
)


class SubmissionRefused(ValueError):
    """A request about a submission the administration cannot act on (nothing to resend, say)."""


def _supersede_earlier(submission: Submission, *, now) -> None:
    earlier = Submission.objects.filter(
        order_reference=submission.order_reference, status__in=OPEN_STATES, received_at__lte=submission.received_at
    ).exclude(pk=submission.pk)
    ids = list(earlier.values_list("pk", flat=True))
    if ids:
        Submission.objects.filter(pk__in=ids).update(status=Submission.Status.SUPERSEDED)
        SmsVerification.objects.filter(submission_id__in=ids, verified_at__isnull=True, failed_at__isnull=True).update(
            failed_at=now
        )


def _step(submission: Submission, *, now, config: SimulatorSettings) -> bool:
    """Run the step due on the locked submission; False when nothing is due."""
    if submission.status == Submission.Status.RECEIVED:
        _supersede_earlier(submission, now=now)
        if submission.sms_required and sms.recipients(submission):
            sms.sms_round_start(submission, now=now, config=config)
        else:
            review.review_schedule(submission, now=now, config=config)
        submission.save(update_fields=["status", "sms_round", "decide_at"])
        return True
    if submission.status == Submission.Status.IN_REVIEW and submission.decide_at and submission.decide_at <= now:
        review.submission_decide(submission, now=now, config=config)
        return True
    return False


def submission_process(submission_id: int) -> str | None:
    """Run whatever step of this submission is due. Returns its new status, or None when nothing was done."""
    now = clock.now()
    try:
        with transaction.atomic():
            submission = Submission.objects.select_for_update(skip_locked=True).filter(pk=submission_id).first()
            if submission is None or submission.failed_at is not None:
                return None
            if submission.next_attempt_at is not None and submission.next_attempt_at > now:
                return None
            if not _step(submission, now=now, config=SimulatorSettings.load()):
                return None
            if submission.attempts or submission.next_attempt_at:
                Submission.objects.filter(pk=submission.pk).update(attempts=0, next_attempt_at=None, last_error="")
            return submission.status
    except Exception as exc:
        logger.exception("submission %s: processing failed", submission_id)
        _record_failure(submission_id, exc, now=now)
        return None


def _record_failure(submission_id: int, exc: Exception, *, now) -> None:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None:
            return
        submission.attempts += 1
        submission.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if submission.attempts >= MAX_ATTEMPTS:
            submission.failed_at = now
            submission.next_attempt_at = None
        else:
            submission.next_attempt_at = now + timedelta(seconds=min(10 * 2 ** (submission.attempts - 1), 3600))
        submission.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])


def submissions_due(*, now=None, limit: int = SWEEP_BATCH) -> list[int]:
    now = now or clock.now()
    return list(
        Submission.objects.filter(failed_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(status=Submission.Status.RECEIVED) | Q(status=Submission.Status.IN_REVIEW, decide_at__lte=now))
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def submissions_process_due(*, limit: int = SWEEP_BATCH) -> int:
    """Beat's sweep: every submission with a step due (received, or a decision whose time has come)."""
    done = 0
    for pk in submissions_due(limit=limit):
        if submission_process(pk) is not None:
            done += 1
    return done


def submissions_retry(*, ids) -> int:
    """The admin's retry: failed submissions become due again, with a fresh count of attempts."""
    ids = list(ids)
    count = Submission.objects.filter(pk__in=ids).update(failed_at=None, attempts=0, next_attempt_at=None)
    if count:
        from miit.tasks import process_submission

        for pk in ids:
            transaction.on_commit(lambda pk=pk: process_submission.delay(pk), robust=True)
    return count


def submission_resend(*, order_reference: str, resend_key: str) -> Submission:
    """The provider resubmitted a returned order unchanged (管局退回 → 待短信核验): a new round with new codes.
    ``resend_key`` names that resubmission, so a retried request starts no second round."""
    now = clock.now()
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(order_reference=order_reference)
            .exclude(status=Submission.Status.SUPERSEDED)
            .order_by("-received_at", "-pk")
            .first()
        )
        if submission is None:
            raise SubmissionRefused("no submission of this order")
        if resend_key and submission.resend_key == resend_key:
            return submission
        if submission.status != Submission.Status.RETURNED:
            raise SubmissionRefused(f"the submission is {submission.status}, not returned")
        submission.resend_key = resend_key
        sms.sms_round_start(submission, now=now, config=SimulatorSettings.load())
        submission.save(update_fields=["status", "sms_round", "decide_at", "resend_key"])
    return submission
