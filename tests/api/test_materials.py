"""Materials through the API: a good image is stored re-encoded in its slot, a bad file is a 400 beside ``file``
with nothing stored, and another account's order is a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.constants import MaterialKind as K
from filings.constants import OrderStatus as S
from filings.models import Material
from tests.filings.hostile import generators as samples
from tests.filings.hostile.storage import stored_files, use_private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage_root(settings, tmp_path):
    return use_private_storage(settings, tmp_path / "private")


@pytest.fixture
def order(make_order, applicant, storage_root):
    return make_order(applicant=applicant)


def upload(client, order, data, *, name="scan.jpg", kind=K.AUTHENTICITY_STATEMENT, **slot):
    body = {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="image/jpeg"), **slot}
    return client.post(f"/api/v1/orders/{order.number}/materials/upload/", body, format="multipart")


def test_an_image_is_stored_in_its_slot_and_listed(as_applicant, order, storage_root):
    person = order.people.get()
    response = upload(as_applicant, order, samples.jpeg(), kind=K.ID_FRONT, person=person.pk)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["kind"], created["person"], created["content_type"]) == ("id_front", person.pk, "image/jpeg")
    assert len(stored_files(storage_root)) == 2  # the file and its thumbnail
    listing = as_applicant.get(f"/api/v1/orders/{order.number}/materials/").json()
    slot = next(r for r in listing["required"] if r["key"] == f"id_front.person.{person.pk}")
    assert (slot["uploaded"], slot["count"]) == (1, 1)
    assert [m["id"] for m in listing["materials"]] == [created["id"]]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (samples.pdf(), "pdf_not_accepted"),
        (samples.text(), "not_an_image"),
        (b"", "empty_file"),
        (samples.bmp(), "type_not_accepted"),
    ],
    ids=["pdf", "text", "empty", "bmp"],
)
def test_a_bad_file_is_refused_beside_its_field_and_nothing_is_stored(as_applicant, order, storage_root, data, code):
    response = upload(as_applicant, order, data, name="scan.jpg")
    assert response.status_code == 400
    error = response.json()
    assert list(error["fields"]) == ["file"]
    assert error["code"] == error["fields"]["file"][0]["code"] == code
    assert Material.objects.count() == 0
    assert stored_files(storage_root) == []


def test_a_slot_of_someone_else_is_refused_beside_its_field(as_applicant, order, make_order):
    stranger = make_order().people.get()
    response = upload(as_applicant, order, samples.jpeg(), kind=K.ID_FRONT, person=stranger.pk)
    assert response.status_code == 400
    assert response.json()["fields"]["person"][0]["code"] == "person_not_in_order"
    response = upload(as_applicant, order, samples.jpeg(), kind=K.ID_FRONT)
    assert response.json()["fields"]["person"][0]["code"] == "person_required"


def test_materials_cannot_change_once_submitted(as_applicant, make_order, applicant, storage_root):
    order = make_order(applicant=applicant, status=S.PENDING_INITIAL_REVIEW)
    response = upload(as_applicant, order, samples.jpeg())
    assert (response.status_code, response.json()["code"]) == (409, "not_editable")
    assert stored_files(storage_root) == []


def test_another_account_cannot_upload_list_or_delete(as_applicant, as_other, order, storage_root):
    created = upload(as_applicant, order, samples.jpeg()).json()
    assert upload(as_other, order, samples.jpeg()).status_code == 404
    assert as_other.get(f"/api/v1/orders/{order.number}/materials/").status_code == 404
    url = f"/api/v1/orders/{order.number}/materials/{created['id']}/delete/"
    assert as_other.post(url).status_code == 404
    assert as_applicant.post(url).status_code == 204
    assert Material.objects.count() == 0
    assert as_applicant.post(url).status_code == 404
