"""确认提交: every principal's photo, then photo review; a reviewer's rejection brings the order back for a retry."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.constants import MaterialKind, OrderStatus
from filings.materials import material_upload
from filings.models import FieldRemark, FilingOrder
from filings.photos import services
from filings.photos.checks import PhotoRefused
from filings.photos.constants import PhotoSource
from filings.photos.models import PhotoCheck
from filings.photos.testing import RED, add_website_with_principal, photo_bytes, photo_upload
from filings.services import order_photo_review_reject
from filings.services.transitions import Remark


@pytest.fixture
def order(make_order, applicant):
    order = make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)
    services.backdrop_declare(order_id=order.pk, actor=applicant)
    return order


@pytest.fixture
def first(order):
    return order.websites.get().principal


def _upload(order, person, **kwargs):
    return services.photo_upload(
        order_id=order.pk, actor=order.applicant, person_id=person.pk, uploaded_file=photo_upload(**kwargs)
    )


def _photo_path(person) -> str:
    return f"materials.{MaterialKind.VERIFICATION_PHOTO}.person.{person.pk}"


def test_confirm_needs_every_principals_photo(order, applicant, first):
    second = add_website_with_principal(order)
    with pytest.raises(PhotoRefused) as refused:
        services.photos_confirm(order_id=order.pk, actor=applicant)
    assert refused.value.code == "photos_missing"
    _upload(order, first)
    with pytest.raises(PhotoRefused) as refused:
        services.photos_confirm(order_id=order.pk, actor=applicant)
    assert refused.value.code == "photos_missing"
    assert second.name in str(refused.value.message) and first.name not in str(refused.value.message)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PHOTO

    _upload(order, second)
    order = services.photos_confirm(order_id=order.pk, actor=applicant)
    assert order.status == OrderStatus.PHOTO_REVIEW
    assert order.events.filter(action="submit_photos").count() == 1


def test_the_confirm_page_says_who_is_missing(client, order, applicant, first):
    second = add_website_with_principal(order)
    _upload(order, first)
    client.force_login(applicant)
    response = client.post(reverse("filings:photo_confirm", args=[order.number]))
    assert response.status_code == 409
    assert second.name in response.context["confirm_error"]
    response = client.get(reverse("filings:photos", args=[order.number]))
    assert [p.person.name for p in response.context["step"].missing] == [second.name]


def test_a_confirmed_order_goes_to_the_reviewers(client, order, applicant, first):
    _upload(order, first)
    client.force_login(applicant)
    response = client.post(reverse("filings:photo_confirm", args=[order.number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("filings:order_detail", args=[order.number])
    order.refresh_from_db()
    assert order.status == OrderStatus.PHOTO_REVIEW
    # Once confirmed, nothing more goes in.
    with pytest.raises(PhotoRefused):
        _upload(order, first)


def test_a_photo_rejection_brings_the_order_back_and_the_applicant_retries(client, order, applicant, first, reviewer):
    _upload(order, first, clothing=RED)
    services.photos_confirm(order_id=order.pk, actor=applicant)
    FilingOrder.objects.filter(pk=order.pk).update(assignee=reviewer)
    order_photo_review_reject(
        order_id=order.pk,
        actor=reviewer,
        remarks=[Remark(field=_photo_path(first), message="请勿穿着红色或蓝色上衣拍照。", code="photo_clothing")],
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PHOTO

    # The reason is shown beside the principal.
    client.force_login(applicant)
    response = client.get(reverse("filings:photos", args=[order.number]))
    state = response.context["step"].principals[0]
    assert state.remarks == ["请勿穿着红色或蓝色上衣拍照。"]
    assert "请勿穿着红色或蓝色上衣拍照。" in response.content.decode()

    # The same photo again is not a retry.
    with pytest.raises(PhotoRefused) as refused:
        services.photos_confirm(order_id=order.pk, actor=applicant)
    assert refused.value.code == "photos_not_retaken"

    _upload(order, first)
    order = services.photos_confirm(order_id=order.pk, actor=applicant)
    assert order.status == OrderStatus.PHOTO_REVIEW
    assert not FieldRemark.objects.filter(order=order, resolved_at__isnull=True).exists()
    assert order.events.filter(action="submit_photos").count() == 2


def test_a_whole_order_photo_remark_asks_for_every_photo_again(client, order, applicant, first, reviewer):
    second = add_website_with_principal(order)
    _upload(order, first)
    _upload(order, second)
    services.photos_confirm(order_id=order.pk, actor=applicant)
    order_photo_review_reject(order_id=order.pk, actor=reviewer, remarks=[Remark(field="", message="幕布未完整露出")])
    client.force_login(applicant)
    page = client.get(reverse("filings:photos", args=[order.number]))
    assert page.context["step"].order_remarks == ["幕布未完整露出"]
    _upload(order, first)
    with pytest.raises(PhotoRefused) as refused:
        services.photos_confirm(order_id=order.pk, actor=applicant)
    assert second.name in str(refused.value.message)
    _upload(order, second)
    assert services.photos_confirm(order_id=order.pk, actor=applicant).status == OrderStatus.PHOTO_REVIEW


def test_a_photo_from_the_materials_page_is_checked_when_confirming(order, applicant, first):
    material_upload(
        order_id=order.pk,
        actor=applicant,
        kind=MaterialKind.VERIFICATION_PHOTO,
        uploaded_file=SimpleUploadedFile("small.jpg", photo_bytes(size=(300, 400))),
        person_id=first.pk,
    )
    with pytest.raises(PhotoRefused) as refused:
        services.photos_confirm(order_id=order.pk, actor=applicant)
    assert refused.value.code == "photo_too_small"
    material_upload(
        order_id=order.pk,
        actor=applicant,
        kind=MaterialKind.VERIFICATION_PHOTO,
        uploaded_file=SimpleUploadedFile("blue.jpg", photo_bytes(clothing=(30, 70, 185))),
        person_id=first.pk,
    )
    assert services.photos_confirm(order_id=order.pk, actor=applicant).status == OrderStatus.PHOTO_REVIEW
    check = PhotoCheck.objects.get(material__order=order)
    assert check.source == PhotoSource.MATERIALS_PAGE
    assert check.warnings == ["blue_clothing"]


def test_only_the_applicant_confirms(order, first, make_order):
    _upload(order, first)
    stranger = make_order().applicant
    with pytest.raises(Exception) as refused:
        services.photos_confirm(order_id=order.pk, actor=stranger)
    assert getattr(refused.value, "code", "") == "not_permitted"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PHOTO


def test_the_order_page_leads_to_the_photo_step(client, order, applicant):
    client.force_login(applicant)
    page = client.get(reverse("filings:order_detail", args=[order.number])).content.decode()
    assert reverse("filings:photos", args=[order.number]) in page
    FilingOrder.objects.filter(pk=order.pk).update(status=OrderStatus.PHOTO_REVIEW)
    page = client.get(reverse("filings:order_detail", args=[order.number])).content.decode()
    assert reverse("filings:photos", args=[order.number]) not in page
