"""The material pages: who may see a material (404 for everyone else), the headers it is served with, the staff
view log, and the upload form's errors beside the field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.testing import force_login_with_second_factor
from filings.audit import MaterialView
from filings.constants import MaterialKind, OrderStatus
from filings.materials import material_upload
from filings.models import Material, PersonApplication
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


@pytest.fixture
def material(order):
    return material_upload(
        order_id=order.pk,
        actor=order.applicant,
        kind=K.AUTHENTICITY_STATEMENT,
        uploaded_file=SimpleUploadedFile("statement.jpg", samples.jpeg()),
    )


def file_url(material, part=""):
    name = "filings:material_thumbnail" if part == "thumbnail" else "filings:material_file"
    return reverse(name, args=[material.order.number, material.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


# --- serving -------------------------------------------------------------------------------------------------------


def test_applicant_sees_their_material_inline_with_private_headers(client, material):
    client.force_login(material.order.applicant)
    response = client.get(file_url(material))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == stored(material.file)
    # The applicant's own views are not staff views.
    assert not MaterialView.objects.exists()


def test_applicant_sees_the_thumbnail(client, material):
    client.force_login(material.order.applicant)
    response = client.get(file_url(material, "thumbnail"))
    assert response.status_code == 200
    assert body(response) == stored(material.thumbnail)


@pytest.mark.parametrize("part", ["", "thumbnail"])
def test_another_applicant_gets_404_not_403(client, material, part):
    client.force_login(UserFactory())
    assert client.get(file_url(material, part)).status_code == 404


def test_a_material_under_another_orders_number_is_404(client, material, make_order):
    own_order = make_order(applicant=material.order.applicant)
    client.force_login(material.order.applicant)
    url = reverse("filings:material_file", args=[own_order.number, material.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, material):
    response = client.get(file_url(material))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "administrator"])
def test_staff_can_view_and_each_view_is_logged(client, material, role):
    staff = UserFactory(**{role: True})
    force_login_with_second_factor(client, staff)

    response = client.get(file_url(material), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert body(response) == stored(material.file)
    client.get(file_url(material, "thumbnail"), REMOTE_ADDR="203.0.113.7")

    views = list(MaterialView.objects.order_by("id"))
    assert [(v.user_id, v.material_id, v.part, v.ip) for v in views] == [
        (staff.pk, material.pk, "file", "203.0.113.7"),
        (staff.pk, material.pk, "thumbnail", "203.0.113.7"),
    ]
    assert views[0].order_number == material.order.number
    assert views[0].material_kind == K.AUTHENTICITY_STATEMENT


def test_a_refused_view_is_not_logged(client, material):
    client.force_login(UserFactory())
    client.get(file_url(material))
    assert not MaterialView.objects.exists()


def test_the_view_log_outlives_the_material(client, material, django_capture_on_commit_callbacks):
    force_login_with_second_factor(client, UserFactory(reviewer=True))
    client.get(file_url(material))
    with django_capture_on_commit_callbacks(execute=True):
        Material.objects.filter(pk=material.pk).delete()
    view = MaterialView.objects.get()
    assert view.material_id is None
    assert view.material_ref == material.pk


# --- the materials page, upload and delete -------------------------------------------------------------------------


def upload_url(order):
    return reverse("filings:material_upload", args=[order.number])


def test_materials_page_lists_the_required_slots(client, order):
    client.force_login(order.applicant)
    response = client.get(reverse("filings:materials", args=[order.number]))
    assert response.status_code == 200
    content = response.content.decode()
    principal = PersonApplication.objects.get(order=order)
    assert 'id="slot-authenticity-statement"' in content
    assert f'id="slot-id-front-person-{principal.pk}"' in content
    assert reverse("filings:authenticity_statement", args=[order.number]) in content


def test_materials_page_of_another_applicant_is_404(client, order):
    client.force_login(UserFactory())
    assert client.get(reverse("filings:materials", args=[order.number])).status_code == 404


def test_upload_form_stores_and_returns_to_next(client, order):
    client.force_login(order.applicant)
    next_url = reverse("filings:materials", args=[order.number]) + "#slot-authenticity-statement"
    response = client.post(
        upload_url(order),
        {"kind": K.AUTHENTICITY_STATEMENT, "file": SimpleUploadedFile("a.jpg", samples.jpeg()), "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert Material.objects.filter(order=order, kind=K.AUTHENTICITY_STATEMENT).count() == 1


def test_upload_form_ignores_a_next_on_another_site(client, order):
    client.force_login(order.applicant)
    response = client.post(
        upload_url(order),
        {
            "kind": K.AUTHENTICITY_STATEMENT,
            "file": SimpleUploadedFile("a.jpg", samples.jpeg()),
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("filings:materials", args=[order.number])


def test_a_refused_upload_shows_the_message_beside_the_file_field(client, order, storage_root):
    client.force_login(order.applicant)
    client.cookies["django_language"] = "en"  # the assertion reads the English source text
    response = client.post(
        upload_url(order), {"kind": K.AUTHENTICITY_STATEMENT, "file": SimpleUploadedFile("x.jpg", samples.pdf())}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("file", code="pdf_not_accepted")
    content = response.content.decode()
    assert 'id="id_file-error"' in content
    assert "This is a PDF document, not an image" in content
    assert stored_files(storage_root) == []
    assert not Material.objects.exists()


def test_upload_without_a_file_says_choose_one(client, order):
    client.force_login(order.applicant)
    response = client.post(upload_url(order), {"kind": K.AUTHENTICITY_STATEMENT})
    assert response.context["form"].has_error("file", code="required")


def test_htmx_upload_answers_with_the_slot_card(client, order):
    client.force_login(order.applicant)
    person = PersonApplication.objects.get(order=order)
    response = client.post(
        upload_url(order),
        {"kind": K.ID_FRONT, "person": person.pk, "file": SimpleUploadedFile("id.png", samples.png())},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count(f'id="slot-id-front-person-{person.pk}"') == 1
    material = Material.objects.get(order=order, kind=K.ID_FRONT)
    assert reverse("filings:material_thumbnail", args=[order.number, material.pk]) in content
    assert "<html" not in content


def test_htmx_refused_upload_shows_the_error_in_the_card(client, order, storage_root):
    client.force_login(order.applicant)
    client.cookies["django_language"] = "en"  # the assertion reads the English source text
    response = client.post(
        upload_url(order),
        {"kind": K.AUTHENTICITY_STATEMENT, "file": SimpleUploadedFile("empty.jpg", b"")},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'id="slot-authenticity-statement"' in content
    assert "The file is empty" in content
    assert stored_files(storage_root) == []


def test_upload_to_another_applicants_order_is_404_and_stores_nothing(client, order, storage_root):
    client.force_login(UserFactory())
    response = client.post(
        upload_url(order), {"kind": K.AUTHENTICITY_STATEMENT, "file": SimpleUploadedFile("a.jpg", samples.jpeg())}
    )
    assert response.status_code == 404
    assert stored_files(storage_root) == []


def test_upload_in_a_locked_state_explains_why(client, make_order, storage_root):
    order = make_order(status=OrderStatus.PENDING_INITIAL_REVIEW)
    client.force_login(order.applicant)
    response = client.post(
        upload_url(order), {"kind": K.AUTHENTICITY_STATEMENT, "file": SimpleUploadedFile("a.jpg", samples.jpeg())}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert stored_files(storage_root) == []


def test_delete_button_removes_the_material(client, material, django_capture_on_commit_callbacks, storage_root):
    client.force_login(material.order.applicant)
    url = reverse("filings:material_delete", args=[material.order.number, material.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Material.objects.filter(pk=material.pk).exists()
    assert stored_files(storage_root) == []


def test_another_applicant_cannot_delete(client, material):
    client.force_login(UserFactory())
    url = reverse("filings:material_delete", args=[material.order.number, material.pk])
    assert client.post(url).status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_staff_cannot_delete_through_the_applicant_page(client, material):
    force_login_with_second_factor(client, UserFactory(reviewer=True))
    url = reverse("filings:material_delete", args=[material.order.number, material.pk])
    assert client.post(url).status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_the_wizard_step_shows_a_card_per_required_material(client, order):
    """The wizard's 上传备案资料 step renders each requirement with this app's slot template."""
    upload = material_upload(
        order_id=order.pk,
        actor=order.applicant,
        kind=K.SUBJECT_CERTIFICATE,
        uploaded_file=SimpleUploadedFile("licence.png", samples.png()),
    )
    client.force_login(order.applicant)
    response = client.get(reverse("filings:wizard_materials", args=[order.number]))
    assert response.status_code == 200
    content = response.content.decode()
    person = PersonApplication.objects.get(order=order)
    for dom_id in ("slot-authenticity-statement", "slot-subject-certificate", f"slot-id-back-person-{person.pk}"):
        assert f'id="{dom_id}"' in content
    assert reverse("filings:material_thumbnail", args=[order.number, upload.pk]) in content
    assert f'action="{upload_url(order)}"' in content
