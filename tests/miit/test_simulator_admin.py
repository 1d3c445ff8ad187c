"""The simulator in the admin: its settings (one row), the SMS rule table, failed submissions and callbacks with a
retry action, and verification records that never show a code."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.testing import force_login_with_second_factor
from filings.constants import OrderStatus as S
from miit.models import OutboundCallback, SimulatorSettings, SmsRule, SmsVerification, Submission
from tests.factories import UserFactory
from tests.filings import conftest as filing_fixtures
from tests.miit import simulator_support as support
from tests.miit.simulator_support import latest_code, refreshed

# Fixtures shared with other test modules.
make_order = filing_fixtures.make_order
administration, ready = support.administration, support.ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    force_login_with_second_factor(client, UserFactory(administrator=True, is_superuser=True))
    return client


def test_the_settings_list_opens_the_one_row_and_saves_it(admin_client):
    response = admin_client.get(reverse("admin:miit_simulatorsettings_changelist"))
    assert response.status_code == 302
    row = SimulatorSettings.load()
    assert response.url == reverse("admin:miit_simulatorsettings_change", args=[row.pk])
    data = {
        "seconds_per_working_day": 20,
        "review_days_min": 3,
        "review_days_max": 5,
        "rejection_rate": 10,
        "banned_words": "赌博\n私服",
        "sms_window_hours": 24,
    }
    assert admin_client.post(response.url, data).status_code == 302
    row.refresh_from_db()
    assert (row.seconds_per_working_day, row.review_days_max, row.banned_word_list) == (20, 5, ["赌博", "私服"])
    refused = admin_client.post(response.url, {**data, "review_days_min": 9, "review_days_max": 4})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors


def test_the_sms_rule_table_is_listed(admin_client):
    assert SmsRule.objects.count() >= 31
    assert admin_client.get(reverse("admin:miit_smsrule_changelist")).status_code == 200


def test_failed_submissions_are_filtered_and_retried(admin_client, ready, administration, clock, monkeypatch):
    order = ready()
    administration.forward(order)
    administration.verify()
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(failed_at=clock.now(), attempts=5, last_error="boom")
    url = reverse("admin:miit_submission_changelist")
    listed = admin_client.get(url, {"failed": "yes"})
    assert order.number in listed.content.decode()
    assert order.number not in admin_client.get(url, {"failed": "no"}).content.decode()

    clock.freeze(submission.decide_at + timedelta(seconds=1))
    with administration.capture(execute=True):
        response = admin_client.post(url, {"action": "retry", "_selected_action": [submission.pk]})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.failed_at is None
    assert refreshed(order).status == S.APPROVED


def test_failed_callbacks_are_listed_and_delivered_again(admin_client, ready, administration):
    order = ready()
    administration.forward(order)
    administration.verify()
    callback = OutboundCallback.objects.get()
    OutboundCallback.objects.filter(pk=callback.pk).update(status="failed")
    url = reverse("admin:miit_outboundcallback_changelist")
    assert order.number in admin_client.get(url, {"status__exact": "failed"}).content.decode()
    with administration.capture(execute=True):
        admin_client.post(url, {"action": "retry", "_selected_action": [callback.pk]})
    callback.refresh_from_db()
    assert callback.status == "delivered"


def test_verification_records_are_read_only_and_show_no_code(admin_client, ready, administration):
    administration.forward(ready())
    record = SmsVerification.objects.get()
    page = admin_client.get(reverse("admin:miit_smsverification_change", args=[record.pk])).content.decode()
    assert latest_code() not in page and record.code_hash not in page
    assert admin_client.get(reverse("admin:miit_smsverification_changelist")).status_code == 200
    response = admin_client.post(reverse("admin:miit_smsverification_change", args=[record.pk]), {"mobile": "1"})
    assert response.status_code == 403
