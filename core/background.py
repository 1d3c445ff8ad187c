"""Background work asked for by a change: it leaves only if the change commits, and is not lost to a broker that is
down."""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task, *args) -> None:
    """Ask for ``task(*args)`` once the current transaction commits. If the broker cannot take it, the task runs
    right away in this process instead: the change has committed, so its follow-up must not be dropped. The task
    itself must be idempotent (a retry, or a run after a lost acknowledgement, repeats it)."""
    transaction.on_commit(partial(_enqueue, task, args), robust=True)


def _enqueue(task, args) -> None:
    try:
        task.delay(*args)
    except Exception:
        logger.warning("broker unavailable; running %s%r in process", task.name, args)
        task.apply(args=list(args))
