"""The applicant's photo upload and its pre-checks (docs/photos.md, "Checks")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.constants import MaterialKind, OrderStatus
from filings.models import Material
from filings.photos import services
from filings.photos.checks import PhotoRefused, assess
from filings.photos.constants import PhotoSource, PhotoWarning
from filings.photos.models import PhotoCheck
from filings.photos.testing import BLUE, NEUTRAL, RED, photo_bytes, photo_upload
from tests.filings.hostile import generators


@pytest.fixture
def order(make_order, applicant):
    order = make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)
    services.backdrop_declare(order_id=order.pk, actor=applicant)
    return order


@pytest.fixture
def person_id(order):
    return order.websites.get().principal_id


def _upload(order, applicant, person_id, upload):
    return services.photo_upload(order_id=order.pk, actor=applicant, person_id=person_id, uploaded_file=upload)


def test_a_neutral_photo_is_stored_without_a_warning(order, applicant, person_id):
    uploaded = _upload(order, applicant, person_id, photo_upload(clothing=NEUTRAL))
    material = uploaded.material
    assert (material.kind, material.person_id, material.extension) == (
        MaterialKind.VERIFICATION_PHOTO,
        person_id,
        "jpg",
    )
    check = PhotoCheck.objects.get(material=material)
    assert check.warnings == []
    assert check.source == PhotoSource.APPLICANT
    assert (check.width, check.height) == (600, 800)
    assert check.red_share < 0.05 and check.blue_share < 0.05


@pytest.mark.parametrize(
    ("clothing", "warning"), [(RED, PhotoWarning.RED_CLOTHING), (BLUE, PhotoWarning.BLUE_CLOTHING)]
)
def test_red_or_blue_clothing_is_a_warning_recorded_for_the_reviewer(order, applicant, person_id, clothing, warning):
    uploaded = _upload(order, applicant, person_id, photo_upload(clothing=clothing))
    assert Material.objects.filter(pk=uploaded.material.pk).exists()  # a warning, not a refusal
    check = PhotoCheck.objects.get(material=uploaded.material)
    assert check.warnings == [warning.value]
    assert uploaded.warning_messages == [warning.label]


def test_the_warning_is_shown_to_the_applicant(client, order, applicant, person_id):
    client.force_login(applicant)
    response = client.post(
        reverse("filings:photo_upload", args=[order.number]),
        {"person": person_id, "file": photo_upload(clothing=RED)},
        follow=True,
    )
    flashed = [str(m) for m in response.context["messages"]]
    page = response.content.decode()
    # Pages are Chinese by default: compare with the label as the page's language renders it.
    from django.utils import translation

    with translation.override("zh-hans"):
        label = str(PhotoWarning.RED_CLOTHING.label)
    assert label in flashed
    assert page.count(label) >= 2  # flashed once, and beside the photo in the principal's card


def test_the_colour_heuristic_looks_at_the_clothing_not_the_whole_frame():
    # Red only in the top band (the backdrop's logo) and the face: no warning.
    assert assess(photo_bytes(clothing=NEUTRAL)).warnings == ()
    # Dark navy still counts as blue; pale blue and brown do not.
    assert assess(photo_bytes(clothing=(20, 30, 75))).warnings == (PhotoWarning.BLUE_CLOTHING,)
    assert assess(photo_bytes(clothing=(190, 210, 235))).warnings == ()
    assert assess(photo_bytes(clothing=(120, 80, 40))).warnings == ()


def test_a_photo_below_600_by_800_is_refused_and_nothing_is_stored(order, applicant, person_id):
    with pytest.raises(PhotoRefused) as refused:
        _upload(order, applicant, person_id, photo_upload(size=(599, 800)))
    assert refused.value.code == "photo_too_small"
    assert refused.value.field == "file"
    with pytest.raises(PhotoRefused):
        _upload(order, applicant, person_id, photo_upload(size=(800, 600)))  # landscape at that size: too low
    assert not Material.objects.filter(order=order).exists()


def test_a_large_landscape_photo_passes(order, applicant, person_id):
    uploaded = _upload(order, applicant, person_id, photo_upload(size=(1600, 1200)))
    assert (uploaded.check.width, uploaded.check.height) == (1600, 1200)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (generators.pdf(), "pdf_not_accepted"),
        (generators.text(), "not_an_image"),
        (generators.bmp(), "type_not_accepted"),
        (b"", "empty_file"),
        (generators.truncated_jpeg((800, 1000)), "damaged_image"),
    ],
)
def test_what_the_materials_refuse_the_photo_step_refuses(order, applicant, person_id, data, code):
    with pytest.raises(PhotoRefused) as refused:
        _upload(order, applicant, person_id, SimpleUploadedFile("x.jpg", data))
    assert refused.value.code == code
    assert not Material.objects.filter(order=order).exists()


def test_a_photo_over_4_mb_is_refused(order, applicant, person_id):
    big = generators.noisy_png()
    with pytest.raises(PhotoRefused) as refused:
        _upload(order, applicant, person_id, SimpleUploadedFile("big.png", big))
    assert refused.value.code == "file_too_large"


def test_the_refusal_is_shown_beside_the_principals_file_field(client, order, applicant, person_id):
    client.force_login(applicant)
    response = client.post(
        reverse("filings:photo_upload", args=[order.number]),
        {"person": person_id, "file": photo_upload(size=(300, 400))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_principal-{person_id}_file-error"' in page
    assert "300 × 400" in page


def test_a_new_photo_replaces_the_earlier_one(order, applicant, person_id):
    first = _upload(order, applicant, person_id, photo_upload(clothing=RED))
    second = _upload(order, applicant, person_id, photo_upload())
    assert list(Material.objects.filter(order=order).values_list("pk", flat=True)) == [second.material.pk]
    assert not PhotoCheck.objects.filter(pk=first.check.pk).exists()


def test_only_a_principal_of_the_order_gets_a_photo(order, applicant, make_order):
    other = make_order(status=OrderStatus.PENDING_PHOTO)
    foreign_person = other.websites.get().principal_id
    with pytest.raises(PhotoRefused) as refused:
        _upload(order, applicant, foreign_person, photo_upload())
    assert refused.value.code == "person_not_required"


def test_photos_are_taken_only_while_the_order_waits_for_them(order, applicant, person_id):
    from filings.models import FilingOrder

    FilingOrder.objects.filter(pk=order.pk).update(status=OrderStatus.PHOTO_REVIEW)
    with pytest.raises(PhotoRefused) as refused:
        _upload(order, applicant, person_id, photo_upload())
    assert refused.value.code == "not_waiting_for_photos"


def test_the_photo_is_stored_without_its_metadata(order, applicant, person_id):
    uploaded = _upload(order, applicant, person_id, SimpleUploadedFile("gps.jpg", _jpeg_with_gps()))
    with uploaded.material.file.open("rb") as stored:
        data = stored.read()
    assert b"Exif" not in data[:4096]


def _jpeg_with_gps() -> bytes:
    import io

    from PIL import Image

    from filings.photos.testing import portrait

    image = portrait()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"Exif" in data[:4096]
    return data
