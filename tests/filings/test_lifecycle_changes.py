"""变更主体 / 变更网站: a change starts as a copy, leaves the filed record alone until the administration approves it,
keeps its province, waits for no other order, and is answered with the way out where the province forbids it."""

import pytest
from django.urls import reverse

from filings import lifecycle, precheck, services
from filings.constants import OrderStatus as S
from filings.constants import OrderType
from filings.detection import detect_filing_type
from filings.errors import NotPermitted
from filings.models import FilingOrder, PersonApplication, SubjectApplication
from miit.models import RegistrySubject
from regions.models import ProvinceRule, Region
from regions.selectors import province_rule_for
from subjects.constants import RecordStatus
from subjects.models import Person
from tests.factories import UserFactory
from tests.miit import registry
from websites.models import Domain

from .lifecycle_support import administration, bind_service_number, domain_held, filed_subject, through_the_provider

pytestmark = pytest.mark.django_db


def codes(order):
    return {finding.code for finding in precheck.order_precheck(FilingOrder.objects.get(pk=order.pk))}


def active_domains(website):
    return sorted(website.domains.filter(status=RecordStatus.ACTIVE).values_list("ascii_name", flat=True))


# --- 变更主体 --------------------------------------------------------------------------------------------------


def test_a_subject_change_starts_as_a_copy_of_the_filed_record(applicant):
    subject = filed_subject(applicant)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    application = order.subject_application
    assert (order.order_type, order.subject, order.province_id) == (OrderType.CHANGE_SUBJECT, subject, "110000")
    assert (application.name, application.mailing_address) == (subject.name, subject.mailing_address)
    assert application.principal.existing_person == subject.principal
    # The mobile the administration verified at filing needs no new code while it is unchanged.
    assert application.principal.mobile_verified_at is not None
    assert not order.websites.exists()


def test_a_subject_change_through_the_administration_changes_the_record_only_at_approval(
    applicant, reviewer, precheck_passes
):
    subject = filed_subject(applicant)
    before = (subject.name, subject.mailing_address, subject.icp_number)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    services.application_save_subject(
        order_id=order.pk,
        actor=applicant,
        data={"name": "北京新名字科技有限公司", "mailing_address": "东长安街2号"},
    )
    order = through_the_provider(order, reviewer)
    assert order.status == S.MIIT_REVIEW
    subject.refresh_from_db()
    assert (subject.name, subject.mailing_address, subject.icp_number) == before

    administration.approve(order)
    subject.refresh_from_db()
    assert (subject.name, subject.mailing_address) == ("北京新名字科技有限公司", "东长安街2号")
    assert RegistrySubject.objects.get(icp_number=subject.icp_number).name == "北京新名字科技有限公司"
    assert subject.icp_number == before[2] and subject.status == RecordStatus.ACTIVE


def test_an_administration_rejection_of_a_change_leaves_the_record(applicant, reviewer, precheck_passes):
    subject = filed_subject(applicant)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    services.application_save_subject(order_id=order.pk, actor=applicant, data={"name": "北京别的名字有限公司"})
    order = administration.reject(through_the_provider(order, reviewer))
    subject.refresh_from_db()
    assert order.status == S.MIIT_REJECTED
    assert subject.name == "北京测试科技有限公司"


def test_a_change_that_changes_nothing_is_stopped_by_the_precheck(applicant):
    subject = filed_subject(applicant)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    assert "nothing_changed" in codes(order)
    services.application_save_subject(order_id=order.pk, actor=applicant, data={"investor": "李四"})
    assert "nothing_changed" not in codes(order)
    order = FilingOrder.objects.get(pk=order.pk)
    assert [(c.label, c.filed, c.new) for c in lifecycle.order_changes(order)] == [
        ("Investor or competent unit", "张三", "李四")
    ]


def test_the_province_of_a_filing_cannot_change(applicant):
    subject = filed_subject(applicant)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    # The application services have no province to edit…
    services.application_save_subject(order_id=order.pk, actor=applicant, data={"province": "310000", "name": "新"})
    assert SubjectApplication.objects.get(order=order).province_id == "110000"
    # …and an application that differs anyway does not pass the pre-check.
    SubjectApplication.objects.filter(order=order).update(province=Region.objects.get(pk="310000"))
    assert "province_cannot_change" in codes(order)


# --- 变更网站 --------------------------------------------------------------------------------------------------


def test_a_website_change_carries_a_copy_of_the_website_for_the_reviewers_comparison(applicant):
    subject = filed_subject(applicant, domains=("copy-a.cn",))
    website = subject.websites.get()
    order = lifecycle.change_website_start(applicant=applicant, website_id=website.pk)
    entry = order.websites.get()
    assert order.target_website == website
    assert entry.existing_website == website
    assert (entry.name, entry.homepage_url) == (website.name, website.homepage_url)
    assert [d.ascii_name for d in entry.domains.all()] == ["copy-a.cn"]
    assert entry.principal.existing_person == website.principal
    assert entry.service_number is None  # every website of an order needs its own service number


def test_replacing_a_domain_through_the_administration_ends_the_old_one_at_approval_and_frees_it(
    applicant, reviewer, precheck_passes
):
    subject = filed_subject(applicant, domains=("old-name.cn",))
    website = subject.websites.get()
    order = lifecycle.change_website_start(applicant=applicant, website_id=website.pk)
    entry = order.websites.get()
    services.application_add_domain(
        order_id=order.pk, actor=applicant, website_id=entry.pk, name="new-name.cn", ascii_name="new-name.cn"
    )
    services.application_remove_domain(
        order_id=order.pk, actor=applicant, domain_id=entry.domains.get(ascii_name="old-name.cn").pk
    )
    bind_service_number(order)
    domain_held(subject, "new-name.cn")
    order = through_the_provider(order, reviewer)

    # Until the administration approves, the old domain is filed and nobody else can file it.
    assert active_domains(website) == ["old-name.cn"]
    other = UserFactory()
    someone_else = {
        "province": Region.objects.get(pk="110000"),
        "nature": "enterprise",
        "certificate_type": "business_licence",
        "certificate_number": registry.credit_code(),
        "domain": "old-name.cn",
    }
    assert detect_filing_type(applicant=other, **someone_else).order_type is None

    administration.approve(order)
    website.refresh_from_db()
    assert active_domains(website) == ["new-name.cn"]
    assert Domain.objects.get(ascii_name="old-name.cn").status == RecordStatus.CANCELLED
    assert website.icp_number == f"{subject.icp_number}-1"  # the website keeps its number
    assert detect_filing_type(applicant=other, **someone_else).order_type == OrderType.FIRST_FILING


def test_a_domain_filed_for_another_website_cannot_be_added_by_a_change(applicant):
    filed_subject(UserFactory(), domains=("taken-elsewhere.cn",))
    subject = filed_subject(applicant, domains=("mine-a.cn",))
    order = lifecycle.change_website_start(applicant=applicant, website_id=subject.websites.get().pk)
    entry = order.websites.get()
    services.application_add_domain(
        order_id=order.pk,
        actor=applicant,
        website_id=entry.pk,
        name="taken-elsewhere.cn",
        ascii_name="taken-elsewhere.cn",
    )
    findings = [f for f in precheck.order_precheck(order) if f.code == "domain_filed_elsewhere"]
    assert [f.field for f in findings] == ["websites.0.domains.1"]


def test_the_sms_goes_to_the_subject_principal_for_a_subject_change_and_the_website_principal_for_a_website_change(
    applicant,
):
    subject = filed_subject(applicant, domains=("sms-a.cn",))
    website = subject.websites.get()
    website.principal = Person.objects.create(
        subject=subject,
        name="王站长",
        certificate_type="resident_id",
        certificate_number=registry.resident_id(),
        mobile="13900139000",
        office_phone="086-010-62345678",
        email="wang@example.com",
    )
    website.save()

    subject_change = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    services.application_save_subject(order_id=subject_change.pk, actor=applicant, data={"name": "北京改名有限公司"})
    subject_change.refresh_from_db()
    assert [p.mobile for p in lifecycle.change_sms_principals(subject_change)] == ["13800138000"]
    services.order_withdraw(order_id=subject_change.pk, actor=applicant)

    website_change = lifecycle.change_website_start(applicant=applicant, website_id=website.pk)
    entry = website_change.websites.get()
    services.application_save_website(
        order_id=website_change.pk, actor=applicant, website_id=entry.pk, data={"name": "新的网站名称"}
    )
    assert [p.mobile for p in lifecycle.change_sms_principals(website_change)] == ["13900139000"]


# --- guards ------------------------------------------------------------------------------------------------


def test_a_second_order_while_one_is_in_process_is_refused(applicant):
    subject = filed_subject(applicant, domains=("busy-a.cn",))
    website = subject.websites.get()
    first = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    for start in (
        lambda: lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk),
        lambda: lifecycle.change_website_start(applicant=applicant, website_id=website.pk),
        lambda: lifecycle.cancellation_start(
            applicant=applicant, order_type=OrderType.CANCEL_WEBSITE, website_id=website.pk, icp_password="x"
        ),
    ):
        with pytest.raises(lifecycle.LifecycleRefused) as refused:
            start()
        assert (refused.value.code, refused.value.order_number) == ("order_in_process", first.number)
    services.order_withdraw(order_id=first.pk, actor=applicant)
    assert lifecycle.change_website_start(applicant=applicant, website_id=website.pk).order_type == "change_website"


def test_a_province_that_forbids_changes_is_answered_with_the_way_out(applicant, client):
    subject = filed_subject(applicant, domains=("strict-a.cn",))
    rule = province_rule_for("110000")
    ProvinceRule.objects.filter(pk=rule.pk).update(changes_allowed=False)
    with pytest.raises(lifecycle.LifecycleRefused) as refused:
        lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    assert (refused.value.code, refused.value.way_out) == ("changes_not_allowed", "cancel_and_refile")

    client.force_login(applicant)
    website = subject.websites.get()
    page = client.get(reverse("filings:change_website", args=[website.pk])).content.decode()
    assert 'data-code="changes_not_allowed"' in page
    assert reverse("filings:cancel_website", args=[website.pk]) in page
    assert reverse("filings:cancel_subject", args=[subject.pk]) in page
    assert reverse("filings:start") in page
    # Posting anyway opens nothing.
    assert client.post(reverse("filings:change_website", args=[website.pk])).status_code == 409
    assert not subject.orders.exists()
    # The way out is open: a cancellation may start.
    order = lifecycle.cancellation_start(
        applicant=applicant, order_type=OrderType.CANCEL_SUBJECT, subject_id=subject.pk, icp_password="pw"
    )
    assert order.order_type == OrderType.CANCEL_SUBJECT


def test_a_change_opened_before_the_province_forbade_changes_cannot_be_submitted(applicant):
    subject = filed_subject(applicant)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    ProvinceRule.objects.filter(pk=province_rule_for("110000").pk).update(changes_allowed=False)
    assert "changes_not_allowed" in codes(order)


def test_another_accounts_records_cannot_be_changed(applicant, client):
    subject = filed_subject(UserFactory(), domains=("theirs-z.cn",))
    with pytest.raises(NotPermitted):
        lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    client.force_login(applicant)
    website = subject.websites.get()
    for name, pk in (
        ("filings:change_subject", subject.pk),
        ("filings:cancel_subject", subject.pk),
        ("filings:continue_transfer_in", subject.pk),
        ("filings:change_website", website.pk),
        ("filings:cancel_website", website.pk),
        ("filings:cancel_access", website.pk),
        ("filings:website_detail", website.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


def test_a_cancelled_record_cannot_be_changed(applicant):
    subject = filed_subject(applicant)
    subject.status = RecordStatus.CANCELLED
    subject.save()
    with pytest.raises(lifecycle.LifecycleRefused) as refused:
        lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    assert refused.value.code == "record_not_active"


# --- pages -------------------------------------------------------------------------------------------------


def test_the_records_page_links_each_action_and_the_change_page_opens_the_wizard(applicant, client):
    subject = filed_subject(applicant, domains=("page-a.cn",))
    website = subject.websites.get()
    client.force_login(applicant)
    page = client.get(reverse("filings:records")).content.decode()
    for name, pk in (
        ("filings:change_subject", subject.pk),
        ("filings:cancel_subject", subject.pk),
        ("filings:continue_transfer_in", subject.pk),
        ("filings:change_website", website.pk),
        ("filings:cancel_website", website.pk),
        ("filings:cancel_access", website.pk),
        ("filings:website_detail", website.pk),
    ):
        assert reverse(name, args=[pk]) in page, name
    assert reverse("filings:identity_lookup") in page and reverse("filings:licence") in page

    response = client.post(reverse("filings:change_subject", args=[subject.pk]))
    order = subject.orders.get()
    assert response.status_code == 302 and response.url == reverse("filings:wizard", args=[order.number])
    # While it is in process, the record's actions wait.
    page = client.get(reverse("filings:records")).content.decode()
    assert reverse("filings:change_website", args=[website.pk]) not in page


def test_the_changes_page_shows_filed_and_new_values(applicant, client):
    subject = filed_subject(applicant)
    order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    services.application_save_subject(order_id=order.pk, actor=applicant, data={"investor": "李四"})
    PersonApplication.objects.filter(order=order).update(email="new@example.com")
    client.force_login(applicant)
    page = client.get(reverse("filings:order_changes", args=[order.number])).content.decode()
    assert "李四" in page and "张三" in page
    assert "new@example.com" in page and "zhangsan@example.com" in page


@pytest.mark.parametrize(
    "kind",
    [OrderType.CHANGE_SUBJECT, OrderType.CHANGE_WEBSITE, OrderType.CANCEL_SUBJECT, OrderType.CANCEL_ACCESS],
)
def test_the_wizard_carries_every_lifecycle_order(kind, applicant, client):
    subject = filed_subject(applicant, domains=("wizard-a.cn",))
    website = subject.websites.get()
    if kind == OrderType.CHANGE_SUBJECT:
        order = lifecycle.change_subject_start(applicant=applicant, subject_id=subject.pk)
    elif kind == OrderType.CHANGE_WEBSITE:
        order = lifecycle.change_website_start(applicant=applicant, website_id=website.pk)
    else:
        record = {"subject_id": subject.pk} if kind == OrderType.CANCEL_SUBJECT else {"website_id": website.pk}
        order = lifecycle.cancellation_start(applicant=applicant, order_type=kind, icp_password="pw", **record)
    client.force_login(applicant)
    pages = ["filings:wizard", "filings:wizard_materials", "filings:wizard_check", "filings:order_detail"]
    if kind in lifecycle.CHANGE_TYPES:
        pages += ["filings:wizard_subject", "filings:order_changes"]
    for name in pages:
        assert client.get(reverse(name, args=[order.number])).status_code == 200, name
    if kind == OrderType.CHANGE_WEBSITE:
        page = client.get(reverse("filings:wizard_website", args=[order.number, 0])).content.decode()
        assert "wizard-a.cn" in page
