"""The catalogue and the schedules come with the reference data; the beat tasks call the sweeps."""

from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from reviews import reference_data, tasks
from reviews.constants import PHONE_UNREACHABLE_CODE, ReasonStage
from reviews.models import RejectionReason

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_catalogue_has_reasons_for_both_decisions_and_phone_unreachable():
    stages = set(RejectionReason.objects.values_list("stage", flat=True))
    assert stages == {ReasonStage.INITIAL_REVIEW, ReasonStage.PHOTO_REVIEW}
    assert RejectionReason.objects.get(code=PHONE_UNREACHABLE_CODE).message == "电话无法联系"
    photo = set(RejectionReason.objects.filter(stage=ReasonStage.PHOTO_REVIEW).values_list("code", flat=True))
    assert {"photo_clothing", "photo_face", "photo_backdrop"} <= photo


def test_loading_again_keeps_an_administrators_edits_and_adds_nothing_twice():
    RejectionReason.objects.filter(code="website_name").update(message="改过的说明", is_active=False)
    count = RejectionReason.objects.count()
    reference_data.load()
    assert RejectionReason.objects.count() == count
    assert RejectionReason.objects.get(code="website_name").message == "改过的说明"


def test_the_sweeps_are_on_beat():
    tasks_on_beat = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"reviews.sweep_claims", "reviews.alert_sla_breaches"} <= tasks_on_beat


def test_the_tasks_run_the_sweeps(claimed, clock):
    clock.freeze(at(2024, 11, 8, 17))
    claimed()
    assert tasks.sweep_claims() == {"ended": 0, "expired": 0}
    assert tasks.alert_sla_breaches() == 0
    clock.advance(timedelta(days=3, minutes=1))
    assert tasks.sweep_claims() == {"ended": 0, "expired": 1}
    assert tasks.alert_sla_breaches() == 1
