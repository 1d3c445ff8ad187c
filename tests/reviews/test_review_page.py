"""The review page: every field and material side by side, the warnings a reviewer needs, the difference from the
filed record for change orders, the order's history; the decision forms only for whoever holds it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.audit import MaterialView
from filings.constants import MaterialKind, OrderType
from filings.constants import OrderStatus as S
from filings.materials import material_upload
from filings.models import FilingOrder, PersonApplication, SubjectApplication
from reviews import services
from subjects.models import Person, Subject
from tests.filings.hostile import generators as samples

from .conftest import choose, sign_in

pytestmark = pytest.mark.django_db


def _page(client, order):
    response = client.get(reverse("reviews:order", args=[order.number]))
    assert response.status_code == 200
    return response


def test_the_page_shows_every_field_of_the_application(client, claimed, reviewer):
    order = claimed()
    sign_in(client, reviewer)
    page = _page(client, order).content.decode()
    for text in (
        "北京示例科技有限公司",
        "北京市海淀区中关村大街1号",
        "张伟",
        "13800138000",
        "示例科技官网",
        "https://www.example.com/",
        "example.com",
        "zhang.wei@example.com",
    ):
        assert text in page, text


def test_the_decision_forms_are_shown_only_to_the_holder(client, claimed, reviewer, other_reviewer):
    order = claimed(by=reviewer)
    sign_in(client, reviewer)
    holder = _page(client, order)
    assert holder.context["held_by_viewer"]
    page = holder.content.decode()
    assert reverse("reviews:order_reject", args=[order.number]) in page
    assert 'name="reason"' in page and "主办单位名称与证件不一致" in page
    sign_in(client, other_reviewer)
    page = _page(client, order).content.decode()
    assert reverse("reviews:order_reject", args=[order.number]) not in page


def test_materials_are_shown_as_thumbnails_linking_to_the_full_image_and_each_view_is_logged(
    client, make_order, reviewer, storage
):
    order = make_order()
    principal = order.people.first()
    material = material_upload(
        order_id=order.pk,
        actor=order.applicant,
        kind=MaterialKind.ID_FRONT,
        uploaded_file=SimpleUploadedFile("id.jpg", samples.jpeg((800, 500)), content_type="image/jpeg"),
        person_id=principal.pk,
    )
    FilingOrder.objects.filter(pk=order.pk).update(status=S.INITIAL_REVIEW, assignee=reviewer)
    sign_in(client, reviewer)
    page = _page(client, order).content.decode()
    thumbnail = reverse("filings:material_thumbnail", args=[order.number, material.pk])
    full = reverse("filings:material_file", args=[order.number, material.pk])
    assert f'src="{thumbnail}"' in page and f'href="{full}"' in page
    assert 'id="material-viewer"' in page and "reviews/review.js" in page
    assert client.get(full).status_code == 200
    assert MaterialView.objects.filter(user=reviewer, material_ref=material.pk).count() == 1


def test_warnings_name_other_subjects_with_the_same_mobile_and_other_open_orders_with_the_same_domain(
    client, claimed, make_order, reviewer
):
    order = claimed()
    other = make_order(status=S.PENDING_INITIAL_REVIEW)  # same domain example.com, another subject
    filed = Subject.objects.create(
        owner=other.applicant,
        province=order.province,
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number="911101080000000ABK",
        name="另一家已备案公司",
        icp_number="京ICP备10000001号",
    )
    Person.objects.create(
        subject=filed,
        name="李四",
        certificate_type="resident_id",
        certificate_number="110105194912310029",
        mobile="13800138000",
        email="li@example.com",
    )
    sign_in(client, reviewer)
    warnings = _page(client, order).context["warnings"]
    kinds = {w.kind: w.message for w in warnings}
    assert "另一家已备案公司" in kinds["mobile_on_other_subjects"]
    assert "京ICP备10000001号" in kinds["mobile_on_other_subjects"]
    assert other.number in kinds["mobile_on_other_subjects"]  # the other open order's principal too
    assert other.number in kinds["domain_in_other_orders"]


def test_pre_check_findings_are_listed_with_the_place_they_concern(client, make_order, reviewer):
    order = make_order(status=S.INITIAL_REVIEW, assignee=reviewer)  # the principal's mobile is not verified
    sign_in(client, reviewer)
    warnings = _page(client, order).context["warnings"]
    found = [w for w in warnings if w.kind == "precheck_error"]
    assert found
    assert any("张伟" in w.place for w in found)


def test_a_change_order_shows_the_difference_from_the_filed_record(client, make_order, reviewer):
    order = make_order(order_type=OrderType.CHANGE_SUBJECT, status=S.INITIAL_REVIEW, assignee=reviewer)
    filed = Subject.objects.create(
        owner=order.applicant,
        province=order.province,
        nature="enterprise",
        certificate_type="business_licence",
        certificate_number=order.subject_certificate_number,
        name="北京示例科技有限公司",
        certificate_address="北京市海淀区旧地址2号",
        mailing_address="中关村大街1号",
        investor="张伟",
        icp_number="京ICP备10000002号",
    )
    person = Person.objects.create(
        subject=filed,
        name="张伟",
        certificate_type="resident_id",
        certificate_number="11010519491231002X",
        mobile="13900139000",
        office_phone="086-010-62345678",
        email="zhang.wei@example.com",
    )
    FilingOrder.objects.filter(pk=order.pk).update(subject=filed)
    PersonApplication.objects.filter(order=order).update(existing_person=person)
    SubjectApplication.objects.filter(order=order).update(certificate_address="北京市海淀区中关村大街1号")
    sign_in(client, reviewer)
    response = _page(client, order)
    diff = response.context["diff"]
    changed = {(row.filed, row.new) for section in diff for row in section.rows if row.changed}
    assert changed == {("北京市海淀区旧地址2号", "北京市海淀区中关村大街1号"), ("13900139000", "13800138000")}
    assert 'class="diff-changed"' in response.content.decode()


def test_a_first_filing_has_no_difference_to_show(client, claimed, reviewer):
    order = claimed()
    sign_in(client, reviewer)
    assert _page(client, order).context["diff"] == []


def test_the_history_shows_moves_with_reasons_claims_and_calls(client, claimed, reviewer):
    from filings import services as filings

    order = claimed()
    services.review_call_record(order_id=order.pk, actor=reviewer, reached=True, note="已接通")
    services.review_initial_reject(order_id=order.pk, actor=reviewer, reasons=choose(order, "subject_name"))
    filings.order_resubmit(order_id=order.pk, actor=order.applicant)
    sign_in(client, reviewer)
    response = _page(client, order)
    page = response.content.decode()
    assert [e.action for e in response.context["events"]][-3:] == [
        "start_initial_review",
        "reject_initial_review",
        "resubmit",
    ]
    assert "主办单位名称与证件不一致" in page
    assert "已接通" in page
    assert len(response.context["claims"]) == 1


def test_the_page_is_for_reviewers_only(client, claimed):
    order = claimed()
    sign_in(client, order.applicant)
    assert client.get(reverse("reviews:order", args=[order.number])).status_code == 403
