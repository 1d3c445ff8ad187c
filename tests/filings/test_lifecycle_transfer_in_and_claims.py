"""继续接入备案 (a subject already with us moves one more website here) and 认领备案 (a HiChina record from before June
2010 becomes the applicant's records after the reviewer's pass)."""

import pytest
from django.urls import reverse

from filings import lifecycle, precheck, services
from filings.claims import report_claim
from filings.constants import MaterialKind, OrderType
from filings.constants import OrderStatus as S
from filings.detection import detect_filing_type
from filings.errors import TransitionRefused
from filings.gateway import GatewayError, get_gateway
from filings.models import FilingOrder, SubjectApplication
from filings.requirements import required_materials
from filings.services.drafts import order_create_draft
from miit.models import LegacyRecord, RegistryWebsite
from regions.models import Region
from subjects.constants import RecordStatus
from subjects.models import Subject
from tests.factories import UserFactory
from tests.miit import registry
from websites.models import Domain

from .lifecycle_support import administration, bind_service_number, domain_held, filed_subject, through_the_provider

pytestmark = pytest.mark.django_db

PRINCIPAL = {
    "name": "王五",
    "certificate_type": "resident_id",
    "mobile": "13700137000",
    "office_phone": "086-010-62345678",
    "email": "wangwu@example.com",
}


# --- 继续接入备案 --------------------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(applicant):
    """A subject with us whose second website is filed through another provider."""
    number = registry.credit_code()
    registered = registry.registry_subject(
        certificate_number=number, websites=(("ours-c.cn", True), ("theirs-c.cn", False))
    )
    domain_held(registered, "theirs-c.cn")
    return filed_subject(applicant, certificate_number=number, domains=("ours-c.cn",))


def test_continuing_transfer_in_through_the_administration_adds_the_website_to_the_subject(
    applicant, reviewer, precheck_passes, elsewhere
):
    detection, order = lifecycle.continue_transfer_in_start(
        applicant=applicant, subject_id=elsewhere.pk, domain="theirs-c.cn"
    )
    assert detection.order_type == OrderType.CONTINUE_TRANSFER_IN
    assert (order.order_type, order.subject) == (OrderType.CONTINUE_TRANSFER_IN, elsewhere)
    entry = order.websites.get()
    assert [d.ascii_name for d in entry.domains.all()] == ["theirs-c.cn"]
    principal = order.people.get(existing_person=elsewhere.principal)
    services.application_save_website(
        order_id=order.pk,
        actor=applicant,
        website_id=entry.pk,
        data={"name": "第二个网站", "homepage_url": "https://theirs-c.cn/"},
        principal_id=principal.pk,
    )
    bind_service_number(order)
    order = through_the_provider(order, reviewer)
    assert order.status == S.MIIT_REVIEW
    registry_number = RegistryWebsite.objects.get(domains__ascii_name="theirs-c.cn").icp_number

    administration.approve(order)
    assert Subject.objects.filter(certificate_number=elsewhere.certificate_number).count() == 1
    moved = elsewhere.websites.get(icp_number=registry_number)
    assert moved.name == "第二个网站" and moved.status == RecordStatus.ACTIVE
    assert Domain.objects.get(ascii_name="theirs-c.cn", status=RecordStatus.ACTIVE).website == moved
    assert elsewhere.websites.count() == 2


def test_continuing_transfer_in_for_a_domain_filed_nowhere_points_to_add_website(applicant, elsewhere):
    with pytest.raises(lifecycle.LifecycleRefused) as refused:
        lifecycle.continue_transfer_in_start(applicant=applicant, subject_id=elsewhere.pk, domain="brand-new-c.cn")
    assert (refused.value.code, refused.value.way_out) == ("not_filed_elsewhere", "add_website")
    assert not FilingOrder.objects.filter(subject=elsewhere).exists()


def test_the_continue_transfer_in_page_opens_the_draft_or_says_why_not(applicant, client, elsewhere):
    client.force_login(applicant)
    url = reverse("filings:continue_transfer_in", args=[elsewhere.pk])
    response = client.post(url, {"domain": "ours-c.cn"})  # already filed with us: a change, not a transfer-in
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert not FilingOrder.objects.filter(subject=elsewhere).exists()
    response = client.post(url, {"domain": "theirs-c.cn"})
    order = FilingOrder.objects.get(subject=elsewhere)
    assert response.status_code == 302 and response.url == reverse("filings:wizard", args=[order.number])


# --- 认领备案 --------------------------------------------------------------------------------------------------------


@pytest.fixture
def claim(applicant):
    """A claim draft opened as the start page opens it, with the principal named and verified."""
    number = registry.resident_id()
    legacy = registry.legacy("claim-home.cn", certificate_number=number)
    detection = detect_filing_type(
        applicant=applicant,
        province=Region.objects.get(pk="110000"),
        nature="individual",
        certificate_type="resident_id",
        certificate_number=number,
        domain="claim-home.cn",
    )
    assert detection.order_type == OrderType.CLAIM
    order = order_create_draft(
        applicant=applicant,
        order_type=detection.order_type,
        province=detection.province,
        nature=detection.nature,
        certificate_type=detection.certificate_type,
        certificate_number=detection.certificate_number,
        domain=detection.domain,
        subject=detection.subject,
    )
    person = services.application_save_person(
        order_id=order.pk, actor=applicant, data={**PRINCIPAL, "certificate_number": number}
    )
    services.application_set_subject_principal(order_id=order.pk, actor=applicant, person_id=person.pk)
    return FilingOrder.objects.get(pk=order.pk), legacy, person


def test_a_claim_asks_for_the_principals_id_only(claim):
    order, _legacy, person = claim
    assert [(r.kind, r.person_id) for r in required_materials(order)] == [
        (MaterialKind.ID_FRONT, person.pk),
        (MaterialKind.ID_BACK, person.pk),
    ]


def test_a_claim_through_the_reviewer_puts_the_records_on_the_account_and_the_registry_marks_it_claimed(
    applicant, reviewer, precheck_passes, claim, django_capture_on_commit_callbacks
):
    order, legacy, _person = claim
    order = services.order_submit(order_id=order.pk, actor=applicant)
    assert order.due_at is not None  # the provider decides within one working day
    # The reviewer compares the photos with the name on file (the registry's, through the gateway).
    assert SubjectApplication.objects.get(order=order).name == "王五"
    assert not Subject.objects.filter(owner=applicant).exists()

    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    assert order.status == S.APPROVED
    # The administration heard of it: its record is claimed by this order, and nobody can claim it again.
    legacy.refresh_from_db()
    assert legacy.claimed_by == order.number and not legacy.claimable
    again = detect_filing_type(
        applicant=UserFactory(),
        province=Region.objects.get(pk="110000"),
        nature="individual",
        certificate_type="resident_id",
        certificate_number=legacy.certificate_number,
        domain="claim-home.cn",
    )
    assert again.order_type != OrderType.CLAIM
    subject = Subject.objects.get(owner=applicant)
    assert FilingOrder.objects.get(pk=order.pk).subject == subject
    assert (subject.name, subject.icp_number, subject.certificate_number) == (
        "王五",
        legacy.icp_number,
        legacy.certificate_number,
    )
    assert subject.principal.mobile == "13700137000"
    website = subject.websites.get()
    assert website.icp_number == f"{legacy.icp_number}-1"
    assert [d.ascii_name for d in website.domains.filter(status=RecordStatus.ACTIVE)] == ["claim-home.cn"]


def test_the_claimed_records_appear_on_my_icp_filings(applicant, reviewer, precheck_passes, claim, client):
    order, legacy, _person = claim
    services.order_submit(order_id=order.pk, actor=applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    client.force_login(applicant)
    page = client.get(reverse("filings:records")).content.decode()
    assert legacy.icp_number in page and "claim-home.cn" in page


def test_a_claim_whose_record_moved_is_stopped_by_the_precheck(claim):
    order, legacy, _person = claim
    assert "legacy_not_claimable" not in {f.code for f in precheck.order_precheck(order)}
    LegacyRecord.objects.filter(pk=legacy.pk).update(transferred=True)
    assert "legacy_not_claimable" in {f.code for f in precheck.order_precheck(order)}


def test_a_claim_whose_record_moved_during_review_is_not_passed(applicant, reviewer, precheck_passes, claim):
    order, legacy, _person = claim
    services.order_submit(order_id=order.pk, actor=applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    LegacyRecord.objects.filter(pk=legacy.pk).update(transferred=True)
    with pytest.raises(TransitionRefused) as refused:
        services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    assert refused.value.code == "legacy_not_claimable"
    assert FilingOrder.objects.get(pk=order.pk).status == S.INITIAL_REVIEW
    assert not Subject.objects.filter(owner=applicant).exists()


def test_a_rejected_claim_files_nothing(applicant, reviewer, precheck_passes, claim):
    from filings.services.transitions import Remark

    order, _legacy, _person = claim
    services.order_submit(order_id=order.pk, actor=applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    order = services.order_initial_review_reject(
        order_id=order.pk, actor=reviewer, remarks=[Remark(field="", message="证件照片不清晰")]
    )
    assert order.status == S.INITIAL_REJECTED
    assert not Subject.objects.filter(owner=applicant).exists()


def test_reporting_a_claim_again_is_harmless_and_another_orders_claim_is_refused(
    applicant, reviewer, precheck_passes, claim, django_capture_on_commit_callbacks
):
    order, legacy, _person = claim
    services.order_submit(order_id=order.pk, actor=applicant)
    services.order_initial_review_start(order_id=order.pk, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_initial_review_pass(order_id=order.pk, actor=reviewer)
    claimed_at = LegacyRecord.objects.get(pk=legacy.pk).claimed_at

    assert report_claim(order.pk) is True  # the worker's retry, say
    assert LegacyRecord.objects.get(pk=legacy.pk).claimed_at == claimed_at
    with pytest.raises(GatewayError):
        get_gateway().claim_legacy(
            certificate_type="resident_id",
            certificate_number=legacy.certificate_number,
            ascii_name="claim-home.cn",
            order_number="ICP00000000OTHER",
        )
    assert LegacyRecord.objects.get(pk=legacy.pk).claimed_by == order.number


def test_a_claim_not_approved_reports_nothing(claim):
    order, legacy, _person = claim
    assert report_claim(order.pk) is False
    assert LegacyRecord.objects.get(pk=legacy.pk).claimed_at is None
