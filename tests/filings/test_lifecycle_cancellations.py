"""注销主体 / 注销网站 / 取消接入: the ICP password goes to the administration, which checks it; no photo, no SMS; after
approval the records end, the domains are free to file again, and the numbers are never reused."""

import pytest
from django.urls import reverse

from filings import lifecycle, precheck, services
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.detection import detect_filing_type
from filings.errors import OrderError
from filings.models import FilingOrder, OrderEvent
from filings.services.drafts import order_icp_password
from miit.constants import RegistryStatus
from miit.models import RegistryDomain, RegistrySubject
from miit.services import sms_required_for
from regions.models import Region
from subjects.constants import RecordStatus
from subjects.models import Subject
from tests.factories import UserFactory
from tests.miit import registry
from websites.models import Domain, Website

from .lifecycle_support import administration, filed_subject, through_the_provider

pytestmark = pytest.mark.django_db


def statuses(subject):
    subject.refresh_from_db()
    websites = {w.icp_number: w.status for w in subject.websites.all()}
    domains = {d.ascii_name: d.status for d in Domain.objects.filter(website__subject=subject)}
    return subject.status, websites, domains


def cancel(applicant, kind, record, password="Registry-Pass-1"):  # noqa: S107 - a test ICP password
    key = "subject_id" if kind == OrderType.CANCEL_SUBJECT else "website_id"
    return lifecycle.cancellation_start(applicant=applicant, order_type=kind, icp_password=password, **{key: record.pk})


def first_filing_for(domain: str, applicant=None):
    return detect_filing_type(
        applicant=applicant or UserFactory(),
        province=Region.objects.get(pk="110000"),
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=registry.credit_code(),
        domain=domain,
    )


# --- each cancellation through the administration ------------------------------------------------------------------


def test_cancelling_a_subject_through_the_administration_ends_all_its_websites_and_frees_the_domains(
    applicant, reviewer, precheck_passes
):
    subject = filed_subject(applicant, domains=("end-a.cn", "end-b.cn"))
    order = cancel(applicant, OrderType.CANCEL_SUBJECT, subject)
    assert order_icp_password(order) == "Registry-Pass-1"  # kept for the administration, encrypted

    order = through_the_provider(order, reviewer)
    assert order.status == S.MIIT_REVIEW
    assert statuses(subject)[0] == RecordStatus.ACTIVE  # nothing ends before the administration approves
    assert first_filing_for("end-a.cn").order_type is None

    administration.approve(order)
    status, websites, domains = statuses(subject)
    assert status == RecordStatus.CANCELLED
    assert set(websites.values()) == {RecordStatus.CANCELLED}
    assert set(domains.values()) == {RecordStatus.CANCELLED}
    assert first_filing_for("end-a.cn").order_type == OrderType.FIRST_FILING
    # The registry ended them too: the public query finds nothing any more.
    assert RegistrySubject.objects.get(icp_number=subject.icp_number).status == RegistryStatus.CANCELLED
    assert not RegistryDomain.objects.filter(ascii_name__in=["end-a.cn", "end-b.cn"], status="active").exists()


def test_numbers_of_a_cancelled_subject_are_never_reused(applicant, reviewer, precheck_passes, make_order):
    subject = filed_subject(applicant, domains=("reuse-a.cn",))
    old_subject_number, old_website_number = subject.icp_number, subject.websites.get().icp_number
    administration.approve(through_the_provider(cancel(applicant, OrderType.CANCEL_SUBJECT, subject), reviewer))

    # A later first filing of the freed domain, by someone else.
    later = make_order(status=S.MIIT_REVIEW)
    later.websites.get().domains.update(name="reuse-a.cn", ascii_name="reuse-a.cn")
    entry = later.websites.get()
    with pytest.raises(OrderError) as refused:
        services.order_approve(
            order_id=later.pk, subject_icp_number=old_subject_number, website_numbers={entry.pk: old_website_number}
        )
    assert refused.value.code == "number_in_use"
    assert FilingOrder.objects.get(pk=later.pk).status == S.MIIT_REVIEW  # nothing half-written

    services.order_approve(
        order_id=later.pk, subject_icp_number="京ICP备26000001号", website_numbers={entry.pk: "京ICP备26000001号-1"}
    )
    domain = Domain.objects.get(ascii_name="reuse-a.cn", status=RecordStatus.ACTIVE)
    assert domain.website.icp_number == "京ICP备26000001号-1" != old_website_number
    assert Subject.objects.get(icp_number=old_subject_number).status == RecordStatus.CANCELLED
    assert Website.objects.get(icp_number=old_website_number).status == RecordStatus.CANCELLED


def test_cancelling_one_website_through_the_administration_leaves_the_others(applicant, reviewer, precheck_passes):
    subject = filed_subject(applicant, domains=("keep-a.cn", "drop-b.cn"))
    dropped = subject.websites.get(domains__ascii_name="drop-b.cn")
    order = cancel(applicant, OrderType.CANCEL_WEBSITE, dropped)
    assert order.target_website == dropped
    administration.approve(through_the_provider(order, reviewer))
    status, websites, domains = statuses(subject)
    assert status == RecordStatus.ACTIVE
    assert websites == {f"{subject.icp_number}-1": RecordStatus.ACTIVE, dropped.icp_number: RecordStatus.CANCELLED}
    assert domains == {"keep-a.cn": RecordStatus.ACTIVE, "drop-b.cn": RecordStatus.CANCELLED}


def test_cancelling_access_through_the_administration_removes_the_website_from_us(applicant, reviewer, precheck_passes):
    subject = filed_subject(applicant, domains=("access-a.cn",))
    website = subject.websites.get()
    administration.approve(through_the_provider(cancel(applicant, OrderType.CANCEL_ACCESS, website), reviewer))
    website.refresh_from_db()
    assert website.status == RecordStatus.ACCESS_REMOVED
    assert not Domain.objects.filter(website=website, status=RecordStatus.ACTIVE).exists()
    assert statuses(subject)[0] == RecordStatus.ACTIVE


@pytest.mark.parametrize("kind", [OrderType.CANCEL_SUBJECT, OrderType.CANCEL_WEBSITE, OrderType.CANCEL_ACCESS])
def test_cancellations_have_no_photo_and_no_sms(kind, applicant, reviewer, precheck_passes):
    subject = filed_subject(applicant, domains=("nophoto-a.cn",))
    record = subject if kind == OrderType.CANCEL_SUBJECT else subject.websites.get()
    order = cancel(applicant, kind, record)
    # The administration's own rule, whatever the province: no SMS for a cancellation.
    assert sms_required_for(province_code="110000", order_type=kind) is False
    order = through_the_provider(order, reviewer)
    visited = set(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True))
    assert S.PENDING_PHOTO not in visited and S.SMS_VERIFICATION not in visited
    assert order.status == S.MIIT_REVIEW


# --- the ICP password ----------------------------------------------------------------------------------------------


def test_a_wrong_icp_password_ends_in_the_administrations_rejection(applicant, reviewer, precheck_passes):
    subject = filed_subject(applicant, domains=("pw-a.cn",))
    # The portal never checks the password: a wrong one is accepted here…
    order = cancel(applicant, OrderType.CANCEL_SUBJECT, subject, password="not-the-password")
    order = through_the_provider(order, reviewer)
    # …and the administration, which checks it against its registry, rejects the order beside the password.
    order = administration.reject(order)
    assert order.status == S.MIIT_REJECTED
    remark = order.remarks.get()
    assert (remark.field, remark.code) == ("icp_password", "icp_password_wrong")
    assert remark.message == "备案密码错误。"
    assert statuses(subject)[0] == RecordStatus.ACTIVE
    # The applicant enters the right one and resubmits; the administration approves it this time.
    services.order_set_icp_password(order=order, actor=applicant, password="Registry-Pass-1")
    order = services.order_resubmit(order_id=order.pk, actor=applicant)
    assert order.status == S.PENDING_INITIAL_REVIEW
    assert order_icp_password(order) == "Registry-Pass-1"
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    order = services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    administration.approve(administration.hand_over(order, reviewer))
    assert statuses(subject)[0] == RecordStatus.CANCELLED


def test_a_cancellation_needs_the_icp_password(applicant):
    subject = filed_subject(applicant)
    with pytest.raises(OrderError) as refused:
        cancel(applicant, OrderType.CANCEL_SUBJECT, subject, password="  ")
    assert refused.value.code == "icp_password_missing"
    order = cancel(applicant, OrderType.CANCEL_SUBJECT, subject)
    FilingOrder.objects.filter(pk=order.pk).update(icp_password_encrypted="")
    codes = {f.code for f in precheck.order_precheck(FilingOrder.objects.get(pk=order.pk))}
    assert "icp_password_missing" in codes


def test_a_cancellation_waits_for_the_order_in_process(applicant, client):
    subject = filed_subject(applicant, domains=("wait-a.cn",))
    busy = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    with pytest.raises(lifecycle.LifecycleRefused):
        cancel(applicant, OrderType.CANCEL_SUBJECT, subject)
    client.force_login(applicant)
    page = client.get(reverse("filings:cancel_subject", args=[subject.pk])).content.decode()
    assert 'data-code="order_in_process"' in page
    assert reverse("filings:order_detail", args=[busy.number]) in page
    assert 'name="icp_password"' not in page


# --- the pages ------------------------------------------------------------------------------------------------------


def test_the_cancel_page_says_that_removing_one_of_several_domains_is_a_website_change(applicant, client):
    subject = filed_subject(applicant, domains=("one-a.cn",))
    single = subject.websites.get()
    several = filed_subject(applicant, domains=("two-a.cn",)).websites.get()
    Domain.objects.create(website=several, name="two-b.cn", ascii_name="two-b.cn")
    client.force_login(applicant)
    page = client.get(reverse("filings:cancel_website", args=[several.pk])).content.decode()
    assert 'data-notice="several-domains"' in page
    assert reverse("filings:change_website", args=[several.pk]) in page
    page = client.get(reverse("filings:cancel_website", args=[single.pk])).content.decode()
    assert 'data-notice="several-domains"' not in page


def test_the_cancel_subject_page_lists_the_websites_that_end_with_it(applicant, client):
    subject = filed_subject(applicant, domains=("list-a.cn", "list-b.cn"))
    client.force_login(applicant)
    page = client.get(reverse("filings:cancel_subject", args=[subject.pk])).content.decode()
    for website in subject.websites.all():
        assert website.icp_number in page


def test_confirming_a_cancellation_opens_its_draft_with_the_password(applicant, client):
    website = filed_subject(applicant, domains=("confirm-a.cn",)).websites.get()
    client.force_login(applicant)
    url = reverse("filings:cancel_access", args=[website.pk])
    response = client.post(url, {"icp_password": "Registry-Pass-1"})
    assert response.status_code == 200 and not website.orders.exists()  # the confirmation box is required
    response = client.post(url, {"icp_password": "Registry-Pass-1", "confirm": "on"})
    order = website.orders.get()
    assert response.status_code == 302 and response.url == reverse("filings:wizard", args=[order.number])
    assert (order.order_type, order.status) == (OrderType.CANCEL_ACCESS, S.DRAFT)
    assert order_icp_password(order) == "Registry-Pass-1"
