"""The hostile corpus (hostile.py) sent the way a browser sends it: through the upload page of an applicant, and through
a principal's photo link that needs no account. A refused file is answered with a message beside the field and
leaves nothing behind (no file, no row); a valid image with a payload is stored re-encoded, and neither the stored
file, nor its thumbnail, nor what the portal serves back carries the payload."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from filings.constants import MaterialKind, OrderStatus
from filings.models import Material
from filings.photos.models import PrincipalPhotoLink
from filings.photos.testing import portrait
from tests.filings.hostile.storage import stored_files

from .hostile import CORPUS, PHP, Hostile, zip_archive
from .routes import World

pytestmark = pytest.mark.django_db

REFUSED = [case for case in CORPUS if case.refused]
CLEANED = [case for case in CORPUS if not case.refused]


def test_the_corpus_has_at_least_twenty_hostile_files_of_both_kinds():
    assert len(CORPUS) >= 20
    assert len(REFUSED) >= 15 and len(CLEANED) >= 8
    assert len({case.label for case in CORPUS}) == len(CORPUS)


@pytest.fixture
def world(make_order):
    return World(make_order=make_order)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _upload(client, order, case: Hostile):
    data = case.make()
    upload = SimpleUploadedFile(case.filename, data, content_type=case.content_type)
    url = reverse("filings:material_upload", args=[order.number])
    return data, client.post(url, {"kind": MaterialKind.AUTHENTICITY_STATEMENT, "file": upload})


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("case", REFUSED, ids=[case.label for case in REFUSED])
def test_a_hostile_file_is_refused_with_a_message_and_nothing_is_stored(world, private_storage, case):
    order = world.order()
    client = _english(Client())
    client.force_login(world.owner)

    _data, response = _upload(client, order, case)

    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors.get("file", [])] == [case.code], errors
    page = response.content.decode()
    assert case.words in page
    assert 'class="error-summary"' in page
    assert stored_files(private_storage) == []
    assert not Material.objects.filter(order=order).exists()


@pytest.mark.parametrize("case", CLEANED, ids=[case.label for case in CLEANED])
def test_a_valid_image_with_a_payload_is_stored_re_encoded_and_the_payload_is_gone(world, private_storage, case):
    order = world.order()
    client = Client()
    client.force_login(world.owner)

    data, response = _upload(client, order, case)

    assert response.status_code == 302, response.content.decode()[:2000]
    for marker in case.payload:
        assert marker in data, f"the sample does not carry {marker!r}: the test would prove nothing"
    material = Material.objects.get(order=order)
    stored, thumbnail = _read(material.file), _read(material.thumbnail)
    assert stored != data
    served = b"".join(client.get(reverse("filings:material_file", args=[order.number, material.pk])).streaming_content)
    assert served == stored
    for name, content in (("stored file", stored), ("thumbnail", thumbnail)):
        left = [marker for marker in case.payload if marker in content]
        assert not left, f"{case.label}: the {name} still carries {left}"
        image = Image.open(io.BytesIO(content))
        image.load()
        assert image.format in ("JPEG", "PNG")
        assert not image.getexif()
        assert not {"exif", "comment", "xmp", "icc_profile"} & set(image.info)
    # Only the re-encoded file and its thumbnail, under names the portal chose.
    assert len(stored_files(private_storage)) == 2
    assert case.filename.rsplit(".", 1)[0] not in material.file.name


@pytest.mark.parametrize("case", CORPUS, ids=[case.label for case in CORPUS])
def test_a_principals_photo_link_takes_no_hostile_file_either(world, private_storage, case):
    """The page of a principal's link needs no account: the same corpus, with the photo's own checks on top."""
    order, token = world.principal_link()
    url = reverse("filings:photo_link", args=[token])
    data = case.make()
    upload = SimpleUploadedFile(case.filename, data, content_type=case.content_type)

    response = _english(Client()).post(url, {"file": upload, "backdrop_confirmed": "on"})

    photos = Material.objects.filter(order=order, kind=MaterialKind.VERIFICATION_PHOTO)
    if response.status_code == 400:
        assert response.context["form"].errors, "refused without saying why"
        assert stored_files(private_storage) == []
        assert not photos.exists()
        assert PrincipalPhotoLink.objects.get(order=order).used_at is None
    else:
        assert not case.refused, f"{case.label} was accepted: {response.status_code}"
        assert response.status_code == 200
        stored = _read(photos.get().file)
        assert not [marker for marker in case.payload if marker in stored]
    assert order.status == OrderStatus.PENDING_PHOTO


def test_a_principals_real_photo_with_payloads_is_stored_without_them(world, private_storage):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    buffer = io.BytesIO()
    portrait().save(buffer, "JPEG", exif=exif, comment=PHP)
    data = buffer.getvalue() + zip_archive() + PHP
    order, token = world.principal_link()

    response = Client().post(
        reverse("filings:photo_link", args=[token]),
        {"file": SimpleUploadedFile("me.jpg", data, content_type="image/jpeg"), "backdrop_confirmed": "on"},
    )

    assert response.status_code == 200, response.content.decode()[:2000]
    stored = _read(Material.objects.get(order=order, kind=MaterialKind.VERIFICATION_PHOTO).file)
    for marker in (b"SecretPhone", b"Exif", b"<?php", b"PK\x03\x04", b"shell.php"):
        assert marker in data
        assert marker not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
