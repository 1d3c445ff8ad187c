"""A sweep after a long outage is cut into runs over consecutive applicants, each its own transaction on its own
connection, run at the same time (filings.services.transitions.order_expire_due, docs/performance.md fixes 19 and
24). The runs must still expire every due order exactly once, with its event, its freed service numbers and its
notices, no two runs may touch the same account, and a run that fails must lose nothing: its orders stay due for
the next sweep."""

import threading

import pytest
from django.core.management import call_command
from django.db.models import Count

from core import clock
from filings import services
from filings.constants import APPLICANT_HELD_STATES
from filings.constants import OrderStatus as S
from filings.models import FilingOrder, OrderEvent, WebsiteApplication
from filings.services import transitions
from notifications.models import OutboxMessage
from websites.constants import ServiceNumberStatus
from websites.models import ServiceNumber

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outage(monkeypatch, settings):
    """40 orders due for expiry, and a sweep that splits from 10 due orders over 3 connections."""
    monkeypatch.setattr(transitions, "EXPIRY_SPLIT_FROM", 10)
    settings.SWEEP_CONNECTIONS = 3
    call_command("seed_orders", orders=40, due_for_expiry=True, reviewers=0, seed=7, verbosity=0)
    due = sorted(
        FilingOrder.objects.filter(status__in=APPLICANT_HELD_STATES, expires_at__lte=clock.now()).values_list(
            "pk", flat=True
        )
    )
    assert len(due) == 40
    return due


def _numbers_bound_to(order_ids):
    return ServiceNumber.objects.filter(
        pk__in=WebsiteApplication.objects.filter(order_id__in=order_ids).values("service_number_id"),
        status=ServiceNumberStatus.BOUND,
    )


def _noticed() -> set[int]:
    """The orders the outbox holds an expiry notice for (keys ``order:<id>:expired…``)."""
    keys = OutboxMessage.objects.filter(event="order.expired").values_list("idempotency_key", flat=True)
    return {int(key.split(":")[1]) for key in keys}


def test_a_split_sweep_expires_each_due_order_once_with_its_event_numbers_and_notices(outage, monkeypatch):
    assert _numbers_bound_to(outage).exists()
    runs, original = [], transitions._expire_due

    def spy(**kwargs):
        expired = original(**kwargs)
        bounds = (kwargs.get("first_applicant"), kwargs.get("last_applicant"))
        runs.append((*bounds, threading.current_thread().name, expired))
        return expired

    monkeypatch.setattr(transitions, "_expire_due", spy)

    assert services.order_expire_due() == outage

    runs.sort(key=lambda run: -1 if run[0] is None else run[0])
    assert len(runs) == 3 and len({thread for _first, _last, thread, _ids in runs}) == 3
    assert all(thread.startswith("expiry-sweep") for _first, _last, thread, _ids in runs)
    firsts, lasts = [run[0] for run in runs], [run[1] for run in runs]
    assert firsts[0] is None and lasts[-1] is None  # the ends stay open
    assert [last + 1 for last in lasts[:-1]] == firsts[1:]  # consecutive applicants, no gap, no overlap
    # No two runs touch the same account (its page version would make one wait for the other's commit).
    applicants = [
        set(FilingOrder.objects.filter(pk__in=ids).values_list("applicant_id", flat=True)) for *_r, ids in runs
    ]
    assert all(applicants) and sum(map(len, applicants)) == len(set().union(*applicants))
    assert set(FilingOrder.objects.filter(pk__in=outage).values_list("status", flat=True)) == {S.EXPIRED}
    expiries = OrderEvent.objects.filter(order_id__in=outage, action="expire")
    per_order = expiries.values("order_id").annotate(n=Count("id"))
    assert sorted((row["order_id"], row["n"]) for row in per_order) == [(pk, 1) for pk in outage]
    assert not _numbers_bound_to(outage).exists()
    assert _noticed() == set(outage)
    assert services.order_expire_due() == []  # a second sweep finds nothing left


def test_a_run_that_fails_leaves_its_orders_due_for_the_next_sweep(outage, monkeypatch):
    original = transitions._expire_due

    def second_run_fails(**kwargs):
        if kwargs.get("first_applicant") is not None and kwargs.get("last_applicant") is not None:
            raise RuntimeError("the database went away")
        return original(**kwargs)

    monkeypatch.setattr(transitions, "_expire_due", second_run_fails)
    with pytest.raises(RuntimeError, match="went away"):
        services.order_expire_due()

    expired = set(FilingOrder.objects.filter(pk__in=outage, status=S.EXPIRED).values_list("pk", flat=True))
    left = [pk for pk in outage if pk not in expired]
    assert 0 < len(left) < len(outage)  # the other runs kept what they did
    assert not OrderEvent.objects.filter(order_id__in=left, action="expire").exists()
    assert _noticed() == expired

    monkeypatch.setattr(transitions, "_expire_due", original)
    assert services.order_expire_due() == left
    assert OrderEvent.objects.filter(order_id__in=outage, action="expire").count() == len(outage)


def test_fewer_due_orders_than_the_split_threshold_take_one_transaction(outage, monkeypatch):
    monkeypatch.setattr(transitions, "EXPIRY_SPLIT_FROM", 41)
    assert transitions._due_applicant_ranges(now=clock.now(), parts=3) == [(None, None)]
    monkeypatch.setattr(transitions, "EXPIRY_SPLIT_FROM", 40)
    assert len(transitions._due_applicant_ranges(now=clock.now(), parts=3)) == 3
