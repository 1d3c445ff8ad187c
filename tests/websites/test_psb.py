"""公安备案 after approval: the PSB number's format, the applicant's PSB record, the 30-day reminders on the settable
clock, and the footer snippet."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from filings import psb
from filings.errors import NotPermitted
from icpfiling.celery import app
from notifications.models import OutboxMessage
from subjects.constants import RecordStatus
from tests.factories import UserFactory
from tests.filings.lifecycle_support import filed_subject
from websites.models import PsbRecord, PsbReminder

pytestmark = pytest.mark.django_db

FILED = timezone.make_aware(datetime(2026, 3, 1, 10, 0))  # Asia/Shanghai: the 30 days end on 2026-03-31


@pytest.fixture
def applicant(db):
    return UserFactory()


@pytest.fixture
def website(applicant):
    website = filed_subject(applicant, domains=("psb-site.cn",)).websites.get()
    website.filed_at = FILED
    website.save(update_fields=["filed_at"])
    return website


def on(clock, day: date):
    clock.set_to(timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0)), frozen=True)


def reminders(website):
    return list(
        OutboxMessage.objects.filter(event="website.psb_due", channel="in_app", recipient=website.subject.owner)
        .order_by("id")
        .values_list("context__days_left", flat=True)
    )


# --- the PSB number ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "stored"),
    [
        ("京公网安备11010502053948号", "京公网安备11010502053948号"),
        ("京公网安备 1101 0502 0539 48 号", "京公网安备11010502053948号"),
        ("粤公网安备４４０３０５０２００００１２号", "粤公网安备44030502000012号"),
    ],
)
def test_a_psb_number_in_the_issued_format_is_accepted(entered, stored):
    assert psb.psb_number_check(entered) == stored


@pytest.mark.parametrize(
    ("entered", "code"),
    [
        ("京ICP备12345678号", "psb_number_format"),
        ("京公网安备1101050205394号", "psb_number_format"),  # 13 digits
        ("京公网安备110105020539480号", "psb_number_format"),  # 15 digits
        ("京公网安备11010502053948", "psb_number_format"),  # no 号
        ("公网安备11010502053948号", "psb_number_format"),
        ("北公网安备11010502053948号", "psb_number_province"),
        ("沪公网安备11010502053948号", "psb_number_region"),  # Shanghai numbers start with 31
    ],
)
def test_a_psb_number_in_another_format_is_refused(entered, code):
    with pytest.raises(psb.PsbError) as refused:
        psb.psb_number_check(entered)
    assert (refused.value.code, refused.value.field) == (code, "psb_number")


# --- the record ----------------------------------------------------------------------------------------------------


def test_the_applicant_records_the_psb_number_beside_the_website(website, applicant, clock):
    record = psb.psb_record_save(actor=applicant, website_id=website.pk, psb_number="京公网安备11010502053948号")
    assert (record.website, record.psb_number) == (website, "京公网安备11010502053948号")
    assert record.recorded_at is not None
    website.refresh_from_db()
    assert website.icp_number.endswith("-1")  # the filed website itself is untouched


def test_a_website_cannot_have_opened_before_it_was_filed(website, applicant):
    with pytest.raises(psb.PsbError) as refused:
        psb.psb_record_save(actor=applicant, website_id=website.pk, opening_date=date(2026, 2, 28))
    assert refused.value.field == "opening_date"
    assert psb.psb_record_save(actor=applicant, website_id=website.pk, opening_date=date(2026, 3, 5)).opening_date


def test_only_the_owner_records_a_psb_number_and_each_number_once(website, applicant):
    with pytest.raises(NotPermitted):
        psb.psb_record_save(actor=UserFactory(), website_id=website.pk, psb_number="京公网安备11010502053948号")
    psb.psb_record_save(actor=applicant, website_id=website.pk, psb_number="京公网安备11010502053948号")
    other = filed_subject(applicant, domains=("psb-other.cn",)).websites.get()
    with pytest.raises(psb.PsbError) as refused:
        psb.psb_record_save(actor=applicant, website_id=other.pk, psb_number="京公网安备11010502053948号")
    assert refused.value.code == "psb_number_taken"


def test_the_website_page_saves_the_record_and_shows_errors_beside_the_field(website, applicant, client):
    client.force_login(applicant)
    url = reverse("filings:psb_record", args=[website.pk])
    response = client.post(url, {"psb_number": "京公网安备123号", "opening_date": ""})
    assert response.status_code == 400
    assert 'id="id_psb_number-error"' in response.content.decode()
    assert not PsbRecord.objects.filter(psb_number__startswith="京").exists()
    response = client.post(url, {"psb_number": "京公网安备11010502053948号", "opening_date": "2026-03-02"})
    assert response.status_code == 302
    record = PsbRecord.objects.get(website=website)
    assert (record.psb_number, record.opening_date) == ("京公网安备11010502053948号", date(2026, 3, 2))


# --- reminders on the settable clock ---------------------------------------------------------------------------------


def test_reminders_come_7_days_and_1_day_before_the_deadline_once_each(website, clock):
    on(clock, date(2026, 3, 23))  # 8 days left
    assert psb.psb_reminders_send() == 0
    on(clock, date(2026, 3, 24))  # 7 days left
    assert psb.psb_reminders_send() == 1
    assert psb.psb_reminders_send() == 0  # a second run reminds nobody again
    on(clock, date(2026, 3, 27))
    assert psb.psb_reminders_send() == 0
    on(clock, date(2026, 3, 30))  # 1 day left
    assert psb.psb_reminders_send() == 1
    on(clock, date(2026, 4, 1))  # past the deadline: the page says so, the reminders are over
    assert psb.psb_reminders_send() == 0
    assert reminders(website) == [7, 1]
    assert set(OutboxMessage.objects.filter(event="website.psb_due").values_list("channel", flat=True)) == {
        "email",
        "sms",
        "in_app",
    }
    assert OutboxMessage.objects.filter(event="website.psb_due", channel="sms").first().address == "13800138000"


def test_a_sweep_that_first_runs_inside_the_last_day_sends_that_reminder_only(website, clock):
    on(clock, date(2026, 3, 31))
    assert psb.psb_reminders_send() == 1
    assert reminders(website) == [0]
    assert list(PsbReminder.objects.values_list("days_before", flat=True)) == [1]


def test_the_opening_date_moves_the_deadline_and_starts_the_reminders_afresh(website, applicant, clock):
    on(clock, date(2026, 3, 24))
    psb.psb_reminders_send()
    psb.psb_record_save(actor=applicant, website_id=website.pk, opening_date=date(2026, 3, 10))  # deadline 04-09
    assert psb.psb_reminders_send() == 0
    on(clock, date(2026, 4, 2))
    assert psb.psb_reminders_send() == 1
    assert reminders(website) == [7, 7]
    assert psb.psb_status(website).deadline == date(2026, 4, 9)


def test_a_recorded_psb_number_or_an_ended_website_gets_no_reminder(website, applicant, clock):
    psb.psb_record_save(actor=applicant, website_id=website.pk, psb_number="京公网安备11010502053948号")
    on(clock, date(2026, 3, 24))
    assert psb.psb_reminders_send() == 0
    PsbRecord.objects.filter(website=website).update(psb_number="")
    type(website).objects.filter(pk=website.pk).update(status=RecordStatus.CANCELLED)
    assert psb.psb_reminders_send() == 0


def test_the_reminder_sweep_is_a_scheduled_task():
    assert "filings.send_psb_reminders" in app.tasks
    assert PeriodicTask.objects.get(task="filings.send_psb_reminders").interval.every == 3600


# --- the footer snippet ----------------------------------------------------------------------------------------------


def test_the_footer_snippet_links_the_icp_number_and_the_psb_number():
    assert psb.psb_footer_snippet(icp_number="京ICP备12345678号-1", psb_number="京公网安备11010502053948号") == (
        '<div class="icp-footer" style="text-align:center">\n'
        '  <a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">京ICP备12345678号-1</a>\n'
        '  <a href="https://beian.mps.gov.cn/#/query/webSearch?code=11010502053948" target="_blank" '
        'rel="noopener noreferrer">京公网安备11010502053948号</a>\n'
        "</div>"
    )


def test_before_the_psb_filing_the_snippet_has_the_icp_number_only():
    assert psb.psb_footer_snippet(icp_number="京ICP备12345678号-1") == (
        '<div class="icp-footer" style="text-align:center">\n'
        '  <a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">京ICP备12345678号-1</a>\n'
        "</div>"
    )


def test_the_website_page_shows_the_deadline_and_the_snippet_ready_to_paste(website, applicant, client, clock):
    on(clock, date(2026, 3, 24))
    psb.psb_record_save(actor=applicant, website_id=website.pk, psb_number="京公网安备11010502053948号")
    client.force_login(applicant)
    page = client.get(reverse("filings:website_detail", args=[website.pk])).content.decode()
    assert "京公网安备11010502053948号" in page
    # In the text area the HTML is shown as text, ready to copy.
    assert "&lt;a href=&quot;https://beian.mps.gov.cn/#/query/webSearch?code=11010502053948&quot;" in page
    PsbRecord.objects.filter(website=website).update(psb_number="")
    page = client.get(reverse("filings:website_detail", args=[website.pk])).content.decode()
    assert 'data-days-left="7"' in page
