"""The administration's review: when it decides (a settable clock, working days or a demo speed), what it refuses
(a wrong ICP password, a domain held by someone else, banned words, a rejection rate) and what an approval issues."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.models import PhoneMessage
from filings import services as filings
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.models import DomainApplication, FieldRemark, FilingOrder, WebsiteApplication
from miit import selectors
from miit import services as registry_services
from miit.models import OutboundCallback, RegistrySubject, RegistryWebsite, Submission
from miit.simulator import processing, timing
from regions.workdays import add_working_days
from tests.filings import conftest as filing_fixtures
from tests.miit import registry
from tests.miit import simulator_support as support
from tests.miit.simulator_support import SUBJECT_MOBILE, SUBJECT_NAME, domain_held_by_subject, refreshed

# Fixtures shared with other test modules.
make_order = filing_fixtures.make_order
administration, ready, settings_row = support.administration, support.ready, support.settings_row

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBJECT_NUMBER = re.compile(r"^京ICP备\d{8}号$")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def to_review(administration, order):
    administration.forward(order)
    if refreshed(order).status == S.SMS_VERIFICATION:
        administration.verify()
    assert refreshed(order).status == S.MIIT_REVIEW
    return order


# --- approval --------------------


def test_a_first_filing_is_approved_with_numbers_and_a_password_for_the_subject_principal(ready, administration, clock):
    order = to_review(administration, ready())
    administration.decide(order, clock)
    order = refreshed(order)
    assert order.status == S.APPROVED
    subject_number = order.subject.icp_number
    assert SUBJECT_NUMBER.match(subject_number)
    website = order.subject.websites.get()
    assert website.icp_number == f"{subject_number}-1"
    assert order.websites.get().service_number.status == "used"

    filed = RegistrySubject.objects.get(icp_number=subject_number)
    assert (filed.name, filed.principal_mobile) == (SUBJECT_NAME, SUBJECT_MOBILE)
    assert RegistryWebsite.objects.get(icp_number=f"{subject_number}-1").access_provider == "示例云计算有限公司"
    assert selectors.domain_lookup(ascii_name="example.com")["website"]["icp_number"] == f"{subject_number}-1"

    message = PhoneMessage.objects.filter(source="miit", body__contains=subject_number).get()
    assert message.to_number == SUBJECT_MOBILE
    password = re.search(r"[A-Za-z0-9]{10}(?=[^A-Za-z0-9])", message.body.split(subject_number, 1)[1]).group(0)
    assert filed.check_password(password)
    assert password not in filed.password_hash
    approved = OutboundCallback.objects.get(type="approved")
    assert approved.payload["data"]["subject_icp_number"] == subject_number
    assert "password" not in str(approved.payload["data"]).replace("password_issued", "")


def test_each_website_gets_its_own_number_in_order(ready, administration, clock):
    order = ready()
    first = order.websites.get()
    extra = WebsiteApplication.objects.create(
        order=order, position=1, principal=first.principal, name="示例商城", homepage_url="https://shop.example.net/"
    )
    DomainApplication.objects.create(website=extra, name="example.net", ascii_name="example.net")
    domain_held_by_subject(order, "example.net")
    to_review(administration, order)
    administration.decide(order, clock)
    order = refreshed(order)
    numbers = dict(order.subject.websites.values_list("name", "icp_number"))
    assert numbers == {"示例科技官网": f"{order.subject.icp_number}-1", "示例商城": f"{order.subject.icp_number}-2"}


def test_subject_numbers_follow_the_province_sequence_and_are_never_given_twice(ready, administration, clock):
    orders = [to_review(administration, ready(domain=f"example{n}.cn")) for n in range(3)]
    clock.freeze(max(Submission.objects.values_list("decide_at", flat=True)) + timedelta(seconds=1))
    administration.run()
    numbers = [refreshed(o).subject.icp_number for o in orders]
    assert len(set(numbers)) == 3
    assert all(SUBJECT_NUMBER.match(n) for n in numbers)


# --- refusals --------------------


@pytest.fixture
def transfer_in(make_order):
    """A transfer-in of example.com, filed elsewhere under this subject (ICP password ``Registry-Pass-1``)."""

    def make(password):
        order = make_order(order_type=OrderType.TRANSFER_IN)
        filings.order_set_icp_password(order=order, actor=order.applicant, password=password)
        filed = registry.registry_subject(
            name=SUBJECT_NAME,
            certificate_number=order.subject_certificate_number,
            password="Registry-Pass-1",
            websites=(("example.com", False),),
        )
        domain_held_by_subject(order)
        FilingOrder.objects.filter(pk=order.pk).update(status=S.PENDING_MIIT_SUBMISSION)
        return refreshed(order), filed

    return make


def test_a_wrong_icp_password_ends_in_rejection_with_the_reason(transfer_in, administration, clock):
    order, _filed = transfer_in("Wrong-Pass-9")
    to_review(administration, order)
    administration.decide(order, clock)
    order = refreshed(order)
    assert order.status == S.MIIT_REJECTED
    remark = FieldRemark.objects.get(order=order)
    assert (remark.field, remark.code) == ("icp_password", "icp_password_wrong")
    assert RegistryWebsite.objects.get().access_provider != "示例云计算有限公司"


def test_the_right_icp_password_transfers_the_website_and_keeps_its_numbers(transfer_in, administration, clock):
    order, filed = transfer_in("Registry-Pass-1")
    existing = RegistryWebsite.objects.get()
    to_review(administration, order)
    administration.decide(order, clock)
    order = refreshed(order)
    assert order.status == S.APPROVED
    assert order.subject.icp_number == filed.icp_number
    assert order.subject.websites.get().icp_number == existing.icp_number
    existing.refresh_from_db()
    assert existing.access_provider == "示例云计算有限公司"


def test_a_domain_held_by_someone_else_ends_in_rejection_with_the_reason(make_order, administration, clock):
    order = make_order(status=S.PENDING_MIIT_SUBMISSION)
    registry.registration(
        "example.com",
        holder_name="别家网络科技有限公司",
        holder_certificate_type="business_licence",
        holder_certificate_number=registry.credit_code(),
    )
    to_review(administration, order)
    administration.decide(order, clock)
    order = refreshed(order)
    assert order.status == S.MIIT_REJECTED
    remark = FieldRemark.objects.get(order=order)
    assert (remark.field, remark.code) == ("websites.0.domains", "domain_holder_mismatch")
    assert "example.com" in remark.message
    assert not RegistrySubject.objects.exists()


def test_a_domain_filed_under_another_subject_is_refused(ready, administration, clock):
    order = ready()
    registry.registry_subject(name="别家网络科技有限公司", websites=(("example.com", False),))
    to_review(administration, order)
    administration.decide(order, clock)
    assert FieldRemark.objects.get(order=order).code == "domain_filed"


def test_a_banned_word_in_a_name_is_refused(ready, administration, clock, settings_row):
    order = ready()
    order.websites.update(name="示例彩票预测网")
    to_review(administration, order)
    administration.decide(order, clock)
    remark = FieldRemark.objects.get(order=order)
    assert (remark.field, remark.code) == ("websites.0.name", "banned_word")
    assert "彩票预测" in remark.message


@pytest.mark.parametrize(("rate", "status"), [(0, S.APPROVED), (100, S.MIIT_REJECTED)])
def test_the_rejection_rate_is_a_setting(ready, administration, clock, settings_row, rate, status):
    settings_row.rejection_rate = rate
    settings_row.save()
    order = to_review(administration, ready())
    administration.decide(order, clock)
    assert refreshed(order).status == status


@pytest.mark.parametrize(("password", "outcome"), [("Wrong-Pass-9", "rejected"), ("Registry-Pass-1", "approved")])
def test_a_cancellation_is_checked_against_the_icp_password_and_needs_no_sms(clock, password, outcome):
    filed = registry.registry_subject(password="Registry-Pass-1", websites=(("cancel-me.cn", False),))
    payload = {
        "order_number": "ICPCANCEL0001",
        "order_type": "cancel_subject",
        "filed_subject_icp_number": filed.icp_number,
        "icp_password": password,
        "subject": None,
        "websites": [],
    }
    submission = registry_services.submission_receive(
        submission_key="ICPCANCEL0001-1",
        order_reference="ICPCANCEL0001",
        order_type="cancel_subject",
        province_code="110000",
        payload=payload,
    )
    assert submission.sms_required is False
    assert processing.submission_process(submission.pk) == Submission.Status.IN_REVIEW
    submission.refresh_from_db()
    clock.freeze(submission.decide_at + timedelta(seconds=1))
    assert processing.submission_process(submission.pk) == outcome
    callback = OutboundCallback.objects.get()
    assert callback.type == outcome
    filed.refresh_from_db()
    if outcome == "rejected":
        assert callback.payload["data"]["reasons"][0]["code"] == "icp_password_wrong"
        assert filed.status == "active"
    else:
        assert filed.status == "cancelled"
        assert selectors.domain_lookup(ascii_name="cancel-me.cn") is None


# --- the clock --------------------


def test_the_review_takes_real_working_days_by_default(ready, administration, clock, settings_row):
    settings_row.review_days_min = settings_row.review_days_max = 3
    settings_row.save()
    clock.freeze(at(2024, 9, 27, 10))  # the Friday before National Day: 9-29 is a make-up working day
    order = to_review(administration, ready())
    submission = Submission.objects.get()
    assert submission.decide_at == add_working_days(clock.now(), 3)
    assert submission.decide_at > at(2024, 10, 8)
    clock.freeze(submission.decide_at - timedelta(minutes=1))
    administration.run()
    assert refreshed(order).status == S.MIIT_REVIEW
    clock.freeze(submission.decide_at)
    administration.run()
    assert refreshed(order).status == S.APPROVED


def test_a_fast_clock_makes_a_working_day_pass_in_seconds(ready, administration, clock, settings_row):
    settings_row.seconds_per_working_day = 20
    settings_row.review_days_min = settings_row.review_days_max = 5
    settings_row.save()
    clock.freeze(at(2026, 3, 6, 17))
    to_review(administration, ready())
    assert Submission.objects.get().decide_at == at(2026, 3, 6, 17, 1, 40)


def test_review_durations_fall_between_the_shortest_and_the_longest(settings_row):
    days = {timing.review_days(seed=f"ICP{n:012d}-1", config=settings_row) for n in range(300)}
    assert min(days) >= 3 and max(days) <= 20 and len(days) > 10


# --- failures --------------------


def test_a_step_that_fails_is_retried_with_backoff_then_marked_failed(ready, administration, clock, monkeypatch):
    order = to_review(administration, ready())
    submission = Submission.objects.get()
    clock.freeze(submission.decide_at)

    def broken(_submission):
        raise RuntimeError("registry offline")

    monkeypatch.setattr("miit.simulator.review.registry_apply", broken)
    assert processing.submission_process(submission.pk) is None
    submission.refresh_from_db()
    assert (submission.status, submission.attempts) == (Submission.Status.IN_REVIEW, 1)
    assert "registry offline" in submission.last_error
    assert submission.next_attempt_at == clock.now() + timedelta(seconds=10)
    assert processing.submissions_due() == []  # not before its next attempt
    for _ in range(4):
        clock.freeze(Submission.objects.get().next_attempt_at)
        processing.submission_process(submission.pk)
    submission.refresh_from_db()
    assert submission.failed_at is not None and submission.attempts == 5
    clock.advance(timedelta(days=1))
    assert processing.submissions_due() == []
    assert refreshed(order).status == S.MIIT_REVIEW

    monkeypatch.undo()
    processing.submissions_retry(ids=[submission.pk])
    administration.run()
    assert refreshed(order).status == S.APPROVED
