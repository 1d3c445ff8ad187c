"""Who reaches the photo pages: the order's applicant; another applicant gets 404 everywhere, a visitor signs in."""

import pytest
from django.urls import reverse

from filings.constants import OrderStatus
from filings.models import Material
from filings.photos import services
from filings.photos.models import Backdrop, PrincipalPhotoLink, ShanghaiAppSession
from filings.photos.testing import move_order_to, photo_upload
from tests.factories import UserFactory


@pytest.fixture
def order(make_order, applicant):
    return make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)


def _pages(order):
    person = order.websites.get().principal_id
    number = order.number
    return [
        ("get", reverse("filings:photos", args=[number]), {}),
        ("get", reverse("filings:photo_instructions", args=[number]), {}),
        ("get", reverse("filings:photo_backdrop", args=[number]), {}),
        ("post", reverse("filings:photo_backdrop", args=[number]), {"recipient": "x", "street": "y"}),
        ("post", reverse("filings:photo_own_backdrop", args=[number]), {"declared": "own"}),
        ("post", reverse("filings:photo_upload", args=[number]), {"person": person, "file": photo_upload()}),
        ("post", reverse("filings:photo_link_create", args=[number]), {"person": person}),
        ("post", reverse("filings:photo_app_start", args=[number]), {"person": person}),
        ("get", reverse("filings:photo_app_qr", args=[number, person]), {}),
        ("post", reverse("filings:photo_code", args=[number]), {"code": "ABCDEFGH"}),
        ("post", reverse("filings:photo_confirm", args=[number]), {}),
    ]


def test_another_applicant_gets_404_on_every_page(client, order, applicant):
    services.backdrop_declare(order_id=order.pk, actor=applicant)
    client.force_login(UserFactory())
    for method, url, data in _pages(order):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert not Material.objects.filter(order=order).exists()
    assert not PrincipalPhotoLink.objects.filter(order=order).exists()
    assert Backdrop.objects.get(order=order).declared == "own"


def test_another_applicant_gets_404_for_the_shanghai_qr_code(client, order, applicant):
    move_order_to(order, "310000")
    person = order.websites.get().principal_id
    services.app_session_start(order_id=order.pk, actor=applicant, person_id=person)
    client.force_login(applicant)
    assert client.get(reverse("filings:photo_app_qr", args=[order.number, person])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("filings:photo_app_qr", args=[order.number, person])).status_code == 404
    assert client.post(reverse("filings:photo_app_start", args=[order.number]), {"person": person}).status_code == 404
    assert ShanghaiAppSession.objects.filter(order=order).count() == 1


def test_a_visitor_is_asked_to_sign_in(client, order):
    for method, url, data in _pages(order):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert reverse("account_login") in response["Location"]


def test_the_applicant_reaches_every_page(client, order, applicant):
    client.force_login(applicant)
    for method, url, _data in _pages(order):
        if method == "get" and not url.endswith("qr.svg"):
            assert client.get(url).status_code == 200, url


def test_the_page_renders_in_every_state(client, make_order, applicant):
    client.force_login(applicant)
    for status in (OrderStatus.DRAFT, OrderStatus.PHOTO_REVIEW, OrderStatus.APPROVED):
        order = make_order(status=status, applicant=applicant)
        response = client.get(reverse("filings:photos", args=[order.number]))
        assert response.status_code == 200
        assert 'name="file"' not in response.content.decode()
        assert reverse("filings:photo_confirm", args=[order.number]) not in response.content.decode()
