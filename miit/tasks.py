"""The simulated administration's background work. Every task takes ids, checks what is already done and is safe to
run twice (DESIGN.md, "Work in the background"); deadlines are due times in the database that the beat sweeps
below pick up (schedules in ``miit/reference_data.py``), never long countdowns in the broker."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .simulator import callbacks, processing, sms

DATABASE_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    name="miit.process_submission", autoretry_for=DATABASE_ERRORS, retry_backoff=5, retry_backoff_max=300, max_retries=5
)
def process_submission(submission_id: int) -> str | None:
    """Enqueued when a submission arrives (after commit): send the SMS codes, or start the review."""
    return processing.submission_process(submission_id)


@shared_task(name="miit.process_due_submissions", autoretry_for=DATABASE_ERRORS, max_retries=3)
def process_due_submissions() -> int:
    """Every few seconds (beat): the submissions with a step due — arrivals not yet handled, decisions due."""
    return processing.submissions_process_due()


@shared_task(name="miit.sweep_sms_windows", autoretry_for=DATABASE_ERRORS, max_retries=3)
def sweep_sms_windows() -> int:
    """Every minute (beat): rounds whose SMS window ended unverified fail, and their orders are returned."""
    return len(sms.sms_windows_sweep())


@shared_task(
    name="miit.deliver_callbacks", autoretry_for=DATABASE_ERRORS, retry_backoff=5, retry_backoff_max=300, max_retries=5
)
def deliver_callbacks(ids: list[int] | None = None) -> int:
    """After the commit that wrote them (``ids``), or every few seconds from beat (``None``: whatever is due)."""
    return callbacks.callbacks_deliver(ids=ids)
