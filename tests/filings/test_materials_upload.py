"""material_upload / material_delete: what is refused (with what message), what is stored, and that a refusal
stores nothing (RULES.md, Validation → Materials; DESIGN.md, "Who sees what")."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from filings.constants import MaterialKind, OrderStatus
from filings.errors import NotPermitted
from filings.materials import MaterialRefused, material_delete, material_upload
from filings.models import Material, PersonApplication, WebsiteApplication
from tests.factories import UserFactory

from .hostile import generators as samples
from .hostile.storage import stored_files, use_private_storage

K = MaterialKind


@pytest.fixture
def storage_root(settings, tmp_path):
    return use_private_storage(settings, tmp_path / "private")


@pytest.fixture
def order(make_order, storage_root):
    return make_order()


def upload(order, data, name="scan.jpg", content_type="image/jpeg", kind=K.AUTHENTICITY_STATEMENT, **slot):
    return material_upload(
        order_id=order.pk,
        actor=order.applicant,
        kind=kind,
        uploaded_file=SimpleUploadedFile(name, data, content_type=content_type),
        **slot,
    )


def principal_of(order):
    return PersonApplication.objects.filter(order=order).first()


def opened(field) -> Image.Image:
    with field.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def stored_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


# --- refused uploads: a clear message, a stable code, and nothing stored ----------------------------------------


BAD_UPLOADS = [
    # (case, bytes, file name, browser content type, code, words the message must contain)
    ("text", samples.text, "notes.jpg", "image/jpeg", "not_an_image", "not an image"),
    ("renamed pdf", samples.pdf, "x.jpg", "image/jpeg", "pdf_not_accepted", "PDF"),
    ("truncated jpeg", samples.truncated_jpeg, "scan.jpg", "image/jpeg", "damaged_image", "damaged or incomplete"),
    ("5 MB png", samples.noisy_png, "big.png", "image/png", "file_too_large", "4 MB"),
    (
        "declared 20000x20000",
        lambda: samples.png_declaring(20000, 20000),
        "bomb.png",
        "image/png",
        "too_many_pixels",
        "40 megapixels",
    ),
    ("50 MP deflate bomb", samples.deflate_bomb_png, "bomb.png", "image/png", "too_many_pixels", "40 megapixels"),
    ("0 bytes", lambda: b"", "empty.jpg", "image/jpeg", "empty_file", "empty"),
    ("bmp named png", samples.bmp, "scan.png", "image/png", "type_not_accepted", "BMP"),
]


@pytest.mark.parametrize(
    ("make_bytes", "name", "content_type", "code", "words"),
    [case[1:] for case in BAD_UPLOADS],
    ids=[case[0] for case in BAD_UPLOADS],
)
def test_bad_upload_is_refused_with_a_clear_message_and_stores_nothing(
    order, storage_root, make_bytes, name, content_type, code, words
):
    with pytest.raises(MaterialRefused) as refused:
        upload(order, make_bytes(), name=name, content_type=content_type)

    assert refused.value.code == code
    assert refused.value.field == "file"
    assert words in str(refused.value.message)
    assert stored_files(storage_root) == []
    assert not Material.objects.filter(order=order).exists()


def test_pixel_cap_is_the_portals_own_not_pillows_global(order, storage_root, monkeypatch):
    """Even with Pillow's own limit switched off, 50 megapixels are refused before any pixel is decoded."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    for data in (samples.deflate_bomb_png(), samples.png_declaring(20000, 20000)):
        with pytest.raises(MaterialRefused) as refused:
            upload(order, data, name="bomb.png", content_type="image/png")
        assert refused.value.code == "too_many_pixels"
    assert stored_files(storage_root) == []


def test_pillows_bomb_warning_counts_as_a_refusal(order, storage_root, monkeypatch):
    """An image between Pillow's warning threshold and its error threshold is refused, not just warned about."""
    # 120 x 80 = 9,600 px: over the limit but under twice it, where Pillow only warns.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6000)
    with pytest.raises(MaterialRefused) as refused:
        upload(order, samples.jpeg())
    assert refused.value.code == "too_many_pixels"
    assert stored_files(storage_root) == []


def test_a_failure_after_the_files_are_written_leaves_no_file_behind(order, storage_root, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Material, "save", broken_save)
    with pytest.raises(RuntimeError):
        upload(order, samples.jpeg())
    assert stored_files(storage_root) == []


# --- good uploads: stored re-encoded, privately, under random names ------------------------------------------------


@pytest.mark.parametrize(
    ("make_bytes", "name", "stored_format", "extension", "content_type"),
    [
        (samples.jpeg, "身份证.jpg", "JPEG", "jpg", "image/jpeg"),
        (samples.png, "licence.png", "PNG", "png", "image/png"),
        (samples.gif, "statement.gif", "PNG", "png", "image/png"),
    ],
    ids=["jpg", "png", "gif"],
)
def test_good_image_is_stored_re_encoded_with_a_thumbnail(
    order, storage_root, make_bytes, name, stored_format, extension, content_type
):
    data = make_bytes()
    material = upload(order, data, name=name, content_type="application/octet-stream")

    material.refresh_from_db()
    assert material.extension == extension
    assert material.content_type == content_type
    image = opened(material.file)
    assert image.format == stored_format
    assert (material.width, material.height) == image.size == (120, 80)
    stored = stored_bytes(material.file)
    assert material.size == len(stored)
    assert material.sha256 == hashlib.sha256(stored).hexdigest()
    thumbnail = opened(material.thumbnail)
    assert max(thumbnail.size) <= 320
    assert material.original_name == name
    # A random name in the order's folder, never the uploader's name.
    assert material.file.name.startswith(f"materials/{order.number}/")
    assert name.rsplit(".", 1)[0] not in material.file.name
    assert len(stored_files(storage_root)) == 2


def test_jpeg_is_re_encoded_not_copied(order):
    data = samples.jpeg()
    material = upload(order, data)
    assert stored_bytes(material.file) != data


def test_large_image_gets_a_small_thumbnail(order):
    material = upload(order, samples.jpeg(size=(1600, 1200)))
    assert opened(material.thumbnail).size == (320, 240)
    assert opened(material.file).size == (1600, 1200)


def test_the_content_decides_the_type_not_the_name_or_the_browser(order):
    material = upload(order, samples.png(), name="photo.jpg", content_type="image/jpeg")
    assert material.content_type == "image/png"
    assert opened(material.file).format == "PNG"


def test_jpeg_with_trailing_payload_is_stored_without_it(order):
    material = upload(order, samples.jpeg_with_trailing_payload())
    assert samples.PAYLOAD not in stored_bytes(material.file)
    assert b"<script>" not in stored_bytes(material.file)
    assert samples.PAYLOAD not in stored_bytes(material.thumbnail)


def test_gif_polyglot_is_stored_as_a_plain_png_without_its_payload(order):
    material = upload(order, samples.gif_polyglot(), name="polyglot.gif", content_type="image/gif")
    stored = stored_bytes(material.file)
    assert stored.startswith(b"\x89PNG")
    assert b"<script>" not in stored
    assert b"PK\x03\x04" not in stored


def test_animated_gif_keeps_its_first_frame(order):
    material = upload(order, samples.animated_gif(), name="anim.gif", content_type="image/gif")
    image = opened(material.file)
    assert image.format == "PNG"
    assert getattr(image, "n_frames", 1) == 1


@pytest.mark.parametrize("icc", [True, False], ids=["with colour profile", "without colour profile"])
def test_photo_exif_with_gps_is_stripped_and_the_orientation_applied(order, icc):
    data = samples.jpeg_with_gps(size=(80, 40), icc=icc)
    assert b"SecretPhone" in data  # the sample does carry what must go

    material = upload(order, data)

    stored = stored_bytes(material.file)
    image = opened(material.file)
    assert not image.getexif()
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert "comment" not in image.info
    assert b"Exif" not in stored
    assert b"SecretPhone" not in stored
    assert b"shot at home" not in stored
    # Orientation 6 (rotate to view) was applied before the EXIF went: 80x40 stands upright as 40x80.
    assert image.size == (40, 80)
    assert (material.width, material.height) == (40, 80)
    assert b"Exif" not in stored_bytes(material.thumbnail)


def test_png_text_chunks_do_not_survive(order):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Secret Author")
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    samples.picture().save(buffer, format="PNG", pnginfo=info)

    material = upload(order, buffer.getvalue(), name="scan.png", content_type="image/png")

    stored = stored_bytes(material.file)
    assert b"Secret Author" not in stored
    assert b"<script>" not in stored


# --- who may upload, when, and for whom ----------------------------------------------------------------------------


def test_another_applicant_cannot_upload_to_the_order(order, storage_root):
    with pytest.raises(NotPermitted):
        material_upload(
            order_id=order.pk,
            actor=UserFactory(),
            kind=K.AUTHENTICITY_STATEMENT,
            uploaded_file=SimpleUploadedFile("x.jpg", samples.jpeg()),
        )
    assert stored_files(storage_root) == []


@pytest.mark.parametrize(
    "status", [OrderStatus.PENDING_INITIAL_REVIEW, OrderStatus.INITIAL_REVIEW, OrderStatus.APPROVED]
)
def test_materials_cannot_change_while_the_applicant_may_not_edit(make_order, storage_root, status):
    order = make_order(status=status)
    with pytest.raises(MaterialRefused) as refused:
        upload(order, samples.jpeg())
    assert refused.value.code == "not_editable"
    assert refused.value.field is None
    assert stored_files(storage_root) == []


@pytest.mark.parametrize("status", [OrderStatus.INITIAL_REJECTED, OrderStatus.MIIT_RETURNED, OrderStatus.MIIT_REJECTED])
def test_materials_can_change_in_every_editable_state(make_order, storage_root, status):
    order = make_order(status=status)
    assert upload(order, samples.jpeg()).pk


def test_verification_photo_only_while_the_order_waits_for_photos(make_order, storage_root):
    draft = make_order()
    with pytest.raises(MaterialRefused) as refused:
        upload(draft, samples.jpeg(), kind=K.VERIFICATION_PHOTO, person_id=principal_of(draft).pk)
    assert refused.value.code == "not_editable"

    waiting = make_order(status=OrderStatus.PENDING_PHOTO)
    # Other materials are frozen while the photo is pending.
    with pytest.raises(MaterialRefused):
        upload(waiting, samples.jpeg())
    photo = upload(waiting, samples.png(), kind=K.VERIFICATION_PHOTO, person_id=principal_of(waiting).pk)
    # Photos are stored as JPEG whatever they came as.
    assert photo.content_type == "image/jpeg"
    assert opened(photo.file).format == "JPEG"
    assert len(stored_files(storage_root)) == 2


def test_id_document_needs_a_person_of_this_order(order, make_order, storage_root):
    with pytest.raises(MaterialRefused) as refused:
        upload(order, samples.jpeg(), kind=K.ID_FRONT)
    assert (refused.value.code, refused.value.field) == ("person_required", "person")

    stranger = principal_of(make_order())
    with pytest.raises(MaterialRefused) as refused:
        upload(order, samples.jpeg(), kind=K.ID_FRONT, person_id=stranger.pk)
    assert refused.value.code == "person_not_in_order"
    assert not Material.objects.filter(order=order).exists()


def test_pre_approval_document_needs_a_website_of_this_order(order):
    with pytest.raises(MaterialRefused) as refused:
        upload(order, samples.jpeg(), kind=K.PRE_APPROVAL_DOCUMENT)
    assert refused.value.code == "website_required"


def test_unknown_kind_is_refused(order):
    with pytest.raises(MaterialRefused) as refused:
        upload(order, samples.jpeg(), kind="passport_scan")
    assert (refused.value.code, refused.value.field) == ("unknown_kind", "kind")


# --- replacing and deleting ---------------------------------------------------------------------------------------


def test_a_new_upload_replaces_the_old_file_of_the_same_slot(order, storage_root, django_capture_on_commit_callbacks):
    person = principal_of(order)
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(order, samples.jpeg(), kind=K.ID_FRONT, person_id=person.pk)
    old_files = {first.file.name, first.thumbnail.name}

    with django_capture_on_commit_callbacks(execute=True):
        second = upload(order, samples.png(), kind=K.ID_FRONT, person_id=person.pk)

    assert list(Material.objects.filter(order=order, kind=K.ID_FRONT).values_list("pk", flat=True)) == [second.pk]
    remaining = {str(path.relative_to(storage_root)) for path in stored_files(storage_root)}
    assert remaining == {second.file.name, second.thumbnail.name}
    assert not old_files & remaining


def test_other_slots_are_not_replaced(order):
    person = principal_of(order)
    upload(order, samples.jpeg(), kind=K.ID_FRONT, person_id=person.pk)
    upload(order, samples.jpeg(), kind=K.ID_BACK, person_id=person.pk)
    upload(order, samples.jpeg(), kind=K.AUTHENTICITY_STATEMENT)
    assert Material.objects.filter(order=order).count() == 3


def test_pre_approval_documents_add_up_in_their_slot(order):
    website = WebsiteApplication.objects.get(order=order)
    upload(order, samples.jpeg(), kind=K.PRE_APPROVAL_DOCUMENT, website_id=website.pk)
    upload(order, samples.png(), kind=K.PRE_APPROVAL_DOCUMENT, website_id=website.pk)
    assert Material.objects.filter(order=order, kind=K.PRE_APPROVAL_DOCUMENT, website=website).count() == 2


def test_delete_removes_the_row_and_its_files_after_commit(order, storage_root, django_capture_on_commit_callbacks):
    material = upload(order, samples.jpeg())
    assert len(stored_files(storage_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        material_delete(material_id=material.pk, actor=order.applicant)
    assert not Material.objects.filter(pk=material.pk).exists()
    assert stored_files(storage_root) == []


def test_only_the_applicant_deletes_and_only_while_editable(make_order, storage_root):
    order = make_order()
    material = upload(order, samples.jpeg())
    with pytest.raises(NotPermitted):
        material_delete(material_id=material.pk, actor=UserFactory(reviewer=True))
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.PENDING_INITIAL_REVIEW)
    with pytest.raises(MaterialRefused) as refused:
        material_delete(material_id=material.pk, actor=order.applicant)
    assert refused.value.code == "not_editable"
    assert Material.objects.filter(pk=material.pk).exists()
    assert len(stored_files(storage_root)) == 2
