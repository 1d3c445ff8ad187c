"""A principal who is not the applicant uploads their own photo through a signed, expiring, single-use link."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from filings.constants import MaterialKind, OrderStatus
from filings.models import FilingOrder, Material
from filings.photos import services, tokens
from filings.photos.checks import PhotoRefused
from filings.photos.constants import PhotoSource
from filings.photos.models import PrincipalPhotoLink
from filings.photos.testing import RED, add_website_with_principal, photo_upload


@pytest.fixture
def order(make_order, applicant):
    order = make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)
    services.backdrop_declare(order_id=order.pk, actor=applicant)
    return order


@pytest.fixture
def other_principal(order):
    return add_website_with_principal(order)


def _link(order, applicant, person):
    return services.principal_link_create(order_id=order.pk, actor=applicant, person_id=person.pk)


def _post(client, token, **data):
    payload = {"file": photo_upload(), "backdrop_confirmed": "on", **data}
    return client.post(reverse("filings:photo_link", args=[token]), payload)


def test_the_link_works_without_an_account(client, order, applicant, other_principal):
    link, token = _link(order, applicant, other_principal)
    page = client.get(reverse("filings:photo_link", args=[token]))
    assert page.status_code == 200
    assert other_principal.name in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    response = _post(client, token)
    assert response.status_code == 200
    material = Material.objects.get(order=order, kind=MaterialKind.VERIFICATION_PHOTO, person=other_principal)
    assert material.photo_check.source == PhotoSource.PRINCIPAL_LINK
    link.refresh_from_db()
    assert link.used_at is not None and link.material_id == material.pk


def test_the_applicants_page_shows_the_link_to_copy(client, order, applicant, other_principal):
    _link_row, token = _link(order, applicant, other_principal)
    client.force_login(applicant)
    page = client.get(reverse("filings:photos", args=[order.number])).content.decode()
    assert reverse("filings:photo_link", args=[token]) in page


def test_the_link_page_view_creates_a_link(client, order, applicant, other_principal):
    client.force_login(applicant)
    response = client.post(reverse("filings:photo_link_create", args=[order.number]), {"person": other_principal.pk})
    assert response.status_code == 302
    assert PrincipalPhotoLink.objects.filter(order=order, person=other_principal, used_at__isnull=True).count() == 1


def test_the_link_cannot_be_used_twice(client, order, applicant, other_principal):
    _link_row, token = _link(order, applicant, other_principal)
    assert _post(client, token).status_code == 200
    first = Material.objects.get(order=order, person=other_principal)
    again = _post(client, token, file=photo_upload(clothing=RED))
    assert again.status_code == 410
    assert client.get(reverse("filings:photo_link", args=[token])).status_code == 410
    assert list(Material.objects.filter(order=order, person=other_principal)) == [first]


def test_the_link_expires_on_the_portal_clock(client, order, applicant, other_principal, clock):
    clock.freeze()
    _link_row, token = _link(order, applicant, other_principal)
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert client.get(reverse("filings:photo_link", args=[token])).status_code == 200
    clock.advance(timedelta(seconds=1))
    response = client.get(reverse("filings:photo_link", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.context["refusal"].message
    assert _post(client, token).status_code == 410
    assert not Material.objects.filter(order=order, person=other_principal).exists()


def test_a_new_link_replaces_the_old_one(client, order, applicant, other_principal):
    _first, old_token = _link(order, applicant, other_principal)
    _second, new_token = _link(order, applicant, other_principal)
    assert client.get(reverse("filings:photo_link", args=[old_token])).status_code == 410
    assert client.get(reverse("filings:photo_link", args=[new_token])).status_code == 200


def test_the_link_stops_when_the_order_no_longer_waits_for_photos(client, order, applicant, other_principal):
    _link_row, token = _link(order, applicant, other_principal)
    FilingOrder.objects.filter(pk=order.pk).update(status=OrderStatus.WITHDRAWN)
    assert client.get(reverse("filings:photo_link", args=[token])).status_code == 410
    assert _post(client, token).status_code == 410


@pytest.mark.parametrize(
    "token",
    ["nothing", "1.abc:forged", "1.00000000000000000000000000000000:x"],
)
def test_a_made_up_token_is_not_found(client, token):
    assert client.get(reverse("filings:photo_link", args=[token])).status_code == 404


def test_a_token_is_bound_to_its_link_and_its_purpose(client, order, applicant, other_principal, make_order):
    link, _token = _link(order, applicant, other_principal)
    other_order = make_order(status=OrderStatus.PENDING_PHOTO)
    services.backdrop_declare(order_id=other_order.pk, actor=other_order.applicant)
    other_link, _other_token = services.principal_link_create(
        order_id=other_order.pk, actor=other_order.applicant, person_id=other_order.websites.get().principal_id
    )
    # This link's nonce signed for the other link's id: a valid signature, the wrong nonce.
    forged = signing.Signer(salt=tokens.LINK_SALT).sign(f"{other_link.pk}.{link.nonce}")
    assert client.get(reverse("filings:photo_link", args=[forged])).status_code == 404
    # The same value signed for the app instead of a link.
    app_token = signing.Signer(salt=tokens.APP_SALT).sign(f"{link.pk}.{link.nonce}")
    assert client.get(reverse("filings:photo_link", args=[app_token])).status_code == 404


def test_another_orders_link_cannot_upload_into_this_order(client, order, applicant, make_order):
    other_order = make_order(status=OrderStatus.PENDING_PHOTO)
    services.backdrop_declare(order_id=other_order.pk, actor=other_order.applicant)
    other_person = other_order.websites.get().principal
    _other_link, other_token = services.principal_link_create(
        order_id=other_order.pk, actor=other_order.applicant, person_id=other_person.pk
    )
    this_person = order.websites.get().principal_id
    # Whatever the form says, the link uploads for its own order and principal only.
    response = _post(client, other_token, person=this_person, order=order.number)
    assert response.status_code == 200
    assert not Material.objects.filter(order=order).exists()
    assert Material.objects.get(order=other_order).person_id == other_person.pk


def test_the_principal_confirms_the_backdrop(client, order, applicant, other_principal):
    _link_row, token = _link(order, applicant, other_principal)
    response = client.post(reverse("filings:photo_link", args=[token]), {"file": photo_upload()})
    assert response.status_code == 400
    assert "backdrop_confirmed" in response.context["form"].errors
    assert not Material.objects.filter(order=order).exists()


def test_a_refused_photo_keeps_the_link_usable(client, order, applicant, other_principal):
    _link_row, token = _link(order, applicant, other_principal)
    response = _post(client, token, file=photo_upload(size=(400, 500)))
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert _post(client, token).status_code == 200


def test_only_the_applicant_creates_links(order, other_principal, make_order):
    stranger = make_order().applicant
    with pytest.raises(Exception) as refused:
        services.principal_link_create(order_id=order.pk, actor=stranger, person_id=other_principal.pk)
    assert getattr(refused.value, "code", "") == "not_permitted"
    with pytest.raises(PhotoRefused):
        services.principal_link_create(order_id=order.pk, actor=order.applicant, person_id=999999)
