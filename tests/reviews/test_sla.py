"""The one-working-day SLA: each queued order is due at the same clock time on the next working day (holidays and
make-up working days, 调休, included); overdue orders stand out; supervisors hear about each breach once."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from notifications.models import OutboxMessage
from regions.models import WorkingDayOverride
from reviews import services
from reviews.constants import Queue, SlaState
from reviews.models import SlaBreach
from reviews.queues import sla_state
from reviews.selectors.queues import QueueFilters, queue_orders

from .conftest import at, refreshed, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # Monday before National Day 2024: 1–7 October are off, so the next working day is Tuesday 8 October.
        (at(2024, 9, 30, 10), at(2024, 10, 8, 10)),
        # Friday 11 October 2024: Saturday 12 October is a make-up working day (调休).
        (at(2024, 10, 11, 17), at(2024, 10, 12, 17)),
        # Submitted on the make-up Sunday 29 September 2024 (a working day): due Monday at the same time.
        (at(2024, 9, 29, 9, 30), at(2024, 9, 30, 9, 30)),
        # Submitted on a day off (Saturday 28 September): the day counted is Sunday 29 September, the make-up day.
        (at(2024, 9, 28, 15), at(2024, 9, 30, 0)),
        # Friday before the Spring Festival 2025: Sunday 26 January is a make-up working day.
        (at(2025, 1, 24, 17), at(2025, 1, 26, 17)),
        # An ordinary Friday: Monday at the same time.
        (at(2024, 11, 8, 17), at(2024, 11, 11, 17)),
    ],
)
def test_an_order_is_due_one_working_day_after_it_entered_the_queue(queued, clock, submitted, due):
    clock.freeze(submitted)
    order = queued()
    assert order.due_at == due


def test_an_administrators_working_day_override_moves_the_due_time(queued, clock):
    WorkingDayOverride.objects.create(date=date(2024, 11, 11), is_working_day=False, note="test")
    clock.freeze(at(2024, 11, 8, 17))
    assert queued().due_at == at(2024, 11, 12, 17)


def test_the_sla_state_of_an_order_across_the_holiday(queued, clock, reviewer):
    clock.freeze(at(2024, 9, 30, 10))
    order = queued()
    for moment, state in [
        (at(2024, 10, 3, 12), SlaState.ON_TIME),  # in the middle of the holiday: not late
        (at(2024, 10, 8, 8, 30), SlaState.DUE_SOON),
        (at(2024, 10, 8, 10), SlaState.OVERDUE),
    ]:
        clock.freeze(moment)
        assert sla_state(refreshed(order).due_at, clock.now()) == state
        listed = queue_orders(Queue.INITIAL, QueueFilters(sla=state), viewer=reviewer, now=clock.now())
        assert [o.pk for o in listed] == [order.pk]


def test_overdue_orders_stand_out_in_the_queue(client, queued, reviewer, clock):
    clock.freeze(at(2024, 9, 30, 10))
    late = queued()
    clock.freeze(at(2024, 10, 8, 9))
    on_time = queued()
    clock.freeze(at(2024, 10, 8, 10, 5))
    sign_in(client, reviewer)
    page = client.get(reverse("reviews:queue", args=["initial"])).content.decode()
    assert f'class="row-overdue" data-order="{late.number}"' in page
    assert f'class="" data-order="{on_time.number}"' in page
    assert page.index(late.number) < page.index(on_time.number)


def test_supervisors_hear_about_each_breach_once(queued, reviewer, supervisor, clock):
    second_supervisor = type(supervisor).objects.get(pk=supervisor.pk)  # one supervisor is enough to count rows
    clock.freeze(at(2024, 11, 8, 17))
    order = queued()
    clock.freeze(at(2024, 11, 11, 16, 59))
    assert services.review_sla_breaches_alert() == []
    clock.advance(timedelta(minutes=2))
    breaches = services.review_sla_breaches_alert()
    assert [(b.order_id, b.due_at) for b in breaches] == [(order.pk, at(2024, 11, 11, 17))]
    messages = OutboxMessage.objects.filter(event="reviews.sla_breach", recipient=second_supervisor)
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "in_app"]
    assert messages.first().context["orders"][0]["number"] == order.number
    assert not OutboxMessage.objects.filter(event="reviews.sla_breach", recipient=reviewer).exists()

    # The next runs find nothing new, even once a reviewer holds the (still late) order.
    clock.advance(timedelta(minutes=10))
    assert services.review_sla_breaches_alert() == []
    services.review_claim(order_id=order.pk, reviewer=reviewer)
    assert services.review_sla_breaches_alert() == []
    assert SlaBreach.objects.count() == 1
    assert OutboxMessage.objects.filter(event="reviews.sla_breach").count() == 2


def test_a_breach_in_a_later_queue_is_a_new_breach(claimed, reviewer, clock, photo_waiting):
    clock.freeze(at(2024, 11, 8, 17))
    photo = photo_waiting()
    clock.freeze(at(2024, 11, 12, 9))
    assert [b.status for b in services.review_sla_breaches_alert()] == ["photo_review"]
    services.review_claim(order_id=photo.pk, reviewer=reviewer)
    services.review_photo_pass(order_id=photo.pk, actor=reviewer)
    clock.freeze(at(2024, 11, 13, 9, 1))
    assert [b.status for b in services.review_sla_breaches_alert()] == ["pending_miit_submission"]


def test_the_dashboard_shows_queue_sizes_the_oldest_order_overdue_counts_and_decisions_per_day(
    client, queued, claimed, reviewer, supervisor, clock
):
    clock.freeze(at(2024, 11, 4, 10))
    oldest = queued()
    clock.freeze(at(2024, 11, 5, 11))
    queued()
    decided = claimed()
    services.review_initial_pass(order_id=decided.pk, actor=reviewer)
    clock.freeze(at(2024, 11, 5, 12))
    services.review_sla_breaches_alert()
    sign_in(client, supervisor)
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    summaries = {s.queue: s for s in response.context["summaries"]}
    assert (summaries["initial"].total, summaries["initial"].overdue) == (2, 1)
    assert summaries["initial"].oldest.pk == oldest.pk
    assert f'href="/review/orders/{oldest.number}/"' in page
    row = next(r for r in response.context["reviewer_rows"] if r.reviewer.pk == reviewer.pk)
    assert (row.per_day[-1], row.total) == (1, 1)
    assert response.context["breaches"]["today"] == 1


def test_only_supervisors_see_the_dashboard(client, reviewer):
    sign_in(client, reviewer)
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 403
