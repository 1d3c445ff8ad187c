"""Shanghai: the administration's app (simulated) — QR code, mobile and ID, photo, picture code (图片验证码)."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from filings.constants import MaterialKind, OrderStatus
from filings.models import Material
from filings.photos import services
from filings.photos.checks import PhotoRefused
from filings.photos.constants import PhotoSource
from filings.photos.models import ShanghaiAppSession
from filings.photos.testing import move_order_to, photo_upload

PRINCIPAL_MOBILE = "13800138000"  # make_order's principal
PRINCIPAL_ID_TAIL = "31002X"


@pytest.fixture
def order(make_order, applicant):
    return move_order_to(make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant), "310000")


@pytest.fixture
def person(order):
    return order.websites.get().principal


@pytest.fixture
def app(order, applicant, person):
    _session, token = services.app_session_start(order_id=order.pk, actor=applicant, person_id=person.pk)
    return reverse("filings:photo_app", args=[token])


def _verify(client, app, mobile=PRINCIPAL_MOBILE, id_last6=PRINCIPAL_ID_TAIL):
    return client.post(app, {"action": "verify", "mobile": mobile, "id_last6": id_last6})


def _photo(client, app, location="shanghai", **kwargs):
    return client.post(app, {"action": "photo", "location": location, "file": photo_upload(**kwargs)})


def _code_from(response) -> str:
    match = re.search(r'id="picture-code">([A-Z0-9]+)<', response.content.decode())
    assert match, "no picture code on the page"
    return match.group(1)


def _pull(client, order, code):
    return client.post(reverse("filings:photo_code", args=[order.number]), {"code": code})


# --- the portal's side ---------------------------------------------------------------------------------------------


def test_the_page_offers_the_app_only(client, order, applicant, person):
    client.force_login(applicant)
    page = client.get(reverse("filings:photos", args=[order.number])).content.decode()
    assert reverse("filings:photo_app_start", args=[order.number]) in page
    assert reverse("filings:photo_code", args=[order.number]) in page
    assert reverse("filings:photo_backdrop", args=[order.number]) not in page
    assert reverse("filings:photo_upload", args=[order.number]) not in page
    with pytest.raises(PhotoRefused):
        services.photo_upload(order_id=order.pk, actor=applicant, person_id=person.pk, uploaded_file=photo_upload())
    with pytest.raises(PhotoRefused):
        services.principal_link_create(order_id=order.pk, actor=applicant, person_id=person.pk)


def test_the_qr_code_is_an_svg_served_by_the_portal(client, order, applicant, person, app):
    client.force_login(applicant)
    response = client.get(reverse("filings:photo_app_qr", args=[order.number, person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"
    root = ElementTree.fromstring(response.content)  # noqa: S314 (the portal's own output)
    assert root.tag.endswith("svg")
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
    page = client.get(reverse("filings:photos", args=[order.number])).content.decode()
    assert reverse("filings:photo_app_qr", args=[order.number, person.pk]) in page
    assert app in page  # the same address as a link, for a computer without a phone


def test_no_qr_code_before_one_is_asked_for(client, order, applicant, person):
    client.force_login(applicant)
    assert client.get(reverse("filings:photo_app_qr", args=[order.number, person.pk])).status_code == 404
    response = client.post(reverse("filings:photo_app_start", args=[order.number]), {"person": person.pk})
    assert response.status_code == 302
    assert client.get(reverse("filings:photo_app_qr", args=[order.number, person.pk])).status_code == 200


def test_the_app_is_for_shanghai_only(make_order, applicant):
    order = make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)
    with pytest.raises(PhotoRefused) as refused:
        services.app_session_start(order_id=order.pk, actor=applicant, person_id=order.websites.get().principal_id)
    assert refused.value.code == "not_shanghai"


# --- the app ---------------------------------------------------------------------------------------------------


def test_the_app_verifies_the_website_principals_mobile_and_id(client, app):
    page = client.get(app)
    assert page.status_code == 200
    assert "138****8000" in page.content.decode()
    assert _verify(client, app).status_code == 302
    session = ShanghaiAppSession.objects.get()
    assert session.verified_at is not None


def test_a_wrong_mobile_is_refused(client, app):
    response = _verify(client, app, mobile="13900139000")
    assert response.status_code == 400
    assert "mobile" in response.context["verify_form"].errors
    session = ShanghaiAppSession.objects.get()
    assert session.verified_at is None and session.verify_failures == 1


def test_a_wrong_id_is_refused(client, app):
    response = _verify(client, app, id_last6="123456")
    assert response.status_code == 400
    assert "id_last6" in response.context["verify_form"].errors
    assert ShanghaiAppSession.objects.get().verified_at is None


def test_five_wrong_entries_end_the_qr_code(client, app):
    for _ in range(4):
        assert _verify(client, app, mobile="13900139000").status_code == 400
    assert _verify(client, app, mobile="13900139000").status_code == 410
    assert _verify(client, app).status_code == 410
    assert ShanghaiAppSession.objects.get().verified_at is None


def test_no_photo_before_the_verification(client, app):
    response = _photo(client, app)
    assert response.status_code == 400
    assert response.context["photo_form"].non_field_errors().as_data()[0].code == "not_verified"
    assert not ShanghaiAppSession.objects.get().photo_name


def test_the_photo_must_be_taken_in_shanghai(client, app):
    _verify(client, app)
    response = _photo(client, app, location="elsewhere")
    assert response.status_code == 400
    assert "location" in response.context["photo_form"].errors
    assert not ShanghaiAppSession.objects.get().photo_name


def test_the_app_checks_the_photo_like_the_portal(client, app):
    _verify(client, app)
    response = _photo(client, app, size=(500, 600))
    assert response.status_code == 400
    assert "file" in response.context["photo_form"].errors


def test_the_picture_code_pulls_the_photo_into_the_order(client, order, applicant, person, app):
    _verify(client, app)
    response = _photo(client, app)
    assert response.status_code == 200
    code = _code_from(response)
    session = ShanghaiAppSession.objects.get()
    assert session.code_hash and code not in session.code_hash  # only a keyed hash is kept
    assert not Material.objects.filter(order=order).exists()  # held by the app until pulled

    client.force_login(applicant)
    response = _pull(client, order, code.lower())
    assert response.status_code == 302
    material = Material.objects.get(order=order, kind=MaterialKind.VERIFICATION_PHOTO, person=person)
    assert material.photo_check.source == PhotoSource.SHANGHAI_APP
    session.refresh_from_db()
    assert session.pulled_at is not None and session.material_id == material.pk and session.photo_name == ""

    # Pulled: the code works no more, and the app says it is done.
    again = _pull(client, order, code)
    assert again.status_code == 400
    assert client.get(app).status_code == 200
    assert "photo_form" not in client.get(app).context

    # Confirm: the order goes to photo review.
    response = client.post(reverse("filings:photo_confirm", args=[order.number]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PHOTO_REVIEW


def test_a_wrong_code_is_refused(client, order, applicant, app):
    _verify(client, app)
    code = _code_from(_photo(client, app))
    client.force_login(applicant)
    wrong = "A" * len(code) if code != "A" * len(code) else "B" * len(code)
    response = _pull(client, order, wrong)
    assert response.status_code == 400
    assert "code" in response.context["code_form"].errors
    assert not Material.objects.filter(order=order).exists()


def test_an_expired_code_is_refused_and_a_new_one_works(client, order, applicant, app, clock):
    clock.freeze()
    _verify(client, app)
    code = _code_from(_photo(client, app))
    clock.advance(timedelta(minutes=30))
    client.force_login(applicant)
    assert _pull(client, order, code).status_code == 400
    assert not Material.objects.filter(order=order).exists()

    new_code = _code_from(client.post(app, {"action": "new_code"}))
    assert new_code != code
    assert _pull(client, order, code).status_code == 400
    assert _pull(client, order, new_code).status_code == 302


def test_a_code_of_another_order_finds_nothing(client, order, applicant, app, make_order):
    other = move_order_to(make_order(status=OrderStatus.PENDING_PHOTO), "310000")
    _session, token = services.app_session_start(
        order_id=other.pk, actor=other.applicant, person_id=other.websites.get().principal_id
    )
    other_app = reverse("filings:photo_app", args=[token])
    _verify(client, other_app)
    other_code = _code_from(_photo(client, other_app))
    client.force_login(applicant)
    response = _pull(client, order, other_code)
    assert response.status_code == 400
    assert [e.code for e in response.context["code_form"].errors.as_data()["code"]] == ["code_not_found"]
    assert not Material.objects.filter(order__in=[order, other]).exists()


def test_a_new_qr_code_ends_the_old_one(client, order, applicant, person, app):
    services.app_session_start(order_id=order.pk, actor=applicant, person_id=person.pk)
    assert client.get(app).status_code == 410


def test_the_qr_code_expires(client, app, clock):
    clock.freeze()
    clock.advance(timedelta(hours=24))
    assert client.get(app).status_code == 410


def test_confirming_in_shanghai_needs_the_apps_photo(order, applicant, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings.materials import material_upload
    from filings.photos.testing import photo_bytes

    # A photo through the general materials page is not the app's.
    material_upload(
        order_id=order.pk,
        actor=applicant,
        kind=MaterialKind.VERIFICATION_PHOTO,
        uploaded_file=SimpleUploadedFile("p.jpg", photo_bytes()),
        person_id=person.pk,
    )
    with pytest.raises(PhotoRefused) as refused:
        services.photos_confirm(order_id=order.pk, actor=applicant)
    assert refused.value.code == "photos_not_from_app"


def test_a_photo_nobody_will_pull_is_deleted(client, order, applicant, person, app, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    _verify(client, app)
    _photo(client, app)
    held = ShanghaiAppSession.objects.get().photo_name
    assert default_storage.exists(held)
    with django_capture_on_commit_callbacks(execute=True):
        services.app_session_start(order_id=order.pk, actor=applicant, person_id=person.pk)
    assert not default_storage.exists(held)
    assert ShanghaiAppSession.objects.exclude(photo_name="").count() == 0
