"""The backdrop (幕布): bought and shipped to a mainland address, or 我已有幕布 (docs/photos.md, "Paths")."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.constants import OrderStatus
from filings.photos import services
from filings.photos.checks import PhotoRefused
from filings.photos.constants import BackdropDeclaration, ShipmentStatus
from filings.photos.models import Backdrop
from filings.photos.tasks import advance_backdrop_shipments
from filings.photos.testing import move_order_to, photo_upload
from notifications.models import OutboxMessage

ADDRESS = {
    "recipient": "张伟",
    "mobile": "13800138000",
    "province": "110000",
    "city": "110100",
    "district": "110108",
    "street": "中关村大街1号3号楼502室",
}


@pytest.fixture
def order(make_order, applicant):
    return make_order(status=OrderStatus.PENDING_PHOTO, applicant=applicant)


def _buy(order, applicant, **changes):
    values = {
        "recipient": "张伟",
        "mobile": "13800138000",
        "region": "110108",
        "street": "中关村大街1号3号楼502室",
        **changes,
    }
    return services.backdrop_purchase(order_id=order.pk, actor=applicant, **values)


# --- buying ----------------------------------------------------------------------------------------------------


def test_the_address_form_buys_a_backdrop_for_a_mainland_address(client, order, applicant, clock):
    clock.freeze()
    client.force_login(applicant)
    response = client.post(reverse("filings:photo_backdrop", args=[order.number]), ADDRESS)
    assert response.status_code == 302
    backdrop = Backdrop.objects.get(order=order)
    assert backdrop.status == ShipmentStatus.PURCHASED
    assert (backdrop.recipient, backdrop.mobile, backdrop.region_id) == ("张伟", "13800138000", "110108")
    assert backdrop.purchased_at == clock.now()
    assert backdrop.next_step_due_at > clock.now()
    assert backdrop.tracking_number.startswith("SF")
    assert not backdrop.ready


@pytest.mark.parametrize("province", ["810000", "820000", "710000"])
def test_an_address_outside_the_mainland_is_refused_by_the_form(client, order, applicant, province):
    client.force_login(applicant)
    response = client.post(
        reverse("filings:photo_backdrop", args=[order.number]), {**ADDRESS, "province": province, "city": ""}
    )
    assert response.status_code == 400
    assert not Backdrop.objects.filter(order=order).exists()


def test_an_address_outside_the_mainland_is_refused_by_the_service(order, applicant):
    with pytest.raises(PhotoRefused) as refused:
        _buy(order, applicant, region="810000")
    assert refused.value.code == "mailing_region"
    with pytest.raises(PhotoRefused):
        _buy(order, applicant, region="110100")  # a city with districts is no complete address
    assert not Backdrop.objects.filter(order=order, status__gt="").exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"recipient": "  "}, "recipient_required"),
        ({"street": ""}, "street_required"),
        ({"mobile": "+852 9123 4567"}, "mobile_invalid"),
        ({"mobile": ""}, "mobile_invalid"),
    ],
)
def test_an_incomplete_address_is_refused(order, applicant, changes, code):
    with pytest.raises(PhotoRefused) as refused:
        _buy(order, applicant, **changes)
    assert refused.value.code == code


def test_an_empty_form_is_refused_beside_each_field(client, order, applicant):
    client.force_login(applicant)
    response = client.post(reverse("filings:photo_backdrop", args=[order.number]), {})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"recipient", "mobile", "street", "province"} <= set(form.errors)
    assert not Backdrop.objects.filter(order=order).exists()


def test_one_backdrop_per_order(order, applicant):
    _buy(order, applicant)
    with pytest.raises(PhotoRefused) as refused:
        _buy(order, applicant)
    assert refused.value.code == "already_purchased"


def test_buying_needs_the_order_to_wait_for_photos(make_order, applicant):
    order = make_order(status=OrderStatus.PHOTO_REVIEW, applicant=applicant)
    with pytest.raises(PhotoRefused) as refused:
        _buy(order, applicant)
    assert refused.value.code == "not_waiting_for_photos"


def test_shanghai_buys_no_backdrop(order, applicant):
    move_order_to(order, "310000")
    with pytest.raises(PhotoRefused) as refused:
        _buy(order, applicant)
    assert refused.value.code == "shanghai_app_only"
    with pytest.raises(PhotoRefused):
        services.backdrop_declare(order_id=order.pk, actor=applicant)


# --- shipping ----------------------------------------------------------------------------------------------------


def test_the_parcel_moves_on_the_settable_clock(order, applicant, clock):
    clock.freeze()
    backdrop = _buy(order, applicant)
    bought = clock.now()

    assert advance_backdrop_shipments() == {}
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.PURCHASED

    clock.advance(timedelta(hours=4))
    assert advance_backdrop_shipments() == {ShipmentStatus.SHIPPED: 1}
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.SHIPPED
    assert backdrop.shipped_at == bought + timedelta(hours=4)

    clock.advance(timedelta(hours=12))
    advance_backdrop_shipments()
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.IN_TRANSIT

    clock.advance(timedelta(hours=47))
    advance_backdrop_shipments()
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.IN_TRANSIT
    clock.advance(timedelta(hours=1))
    advance_backdrop_shipments()
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.DELIVERED
    assert backdrop.delivered_at == bought + timedelta(hours=64)
    assert backdrop.next_step_due_at is None
    assert backdrop.ready


def test_a_clock_moved_by_days_catches_up_in_one_run_and_a_second_run_changes_nothing(order, applicant, clock):
    clock.freeze()
    backdrop = _buy(order, applicant)
    bought = clock.now()
    clock.advance(timedelta(days=10))
    moved = advance_backdrop_shipments()
    assert moved == {ShipmentStatus.SHIPPED: 1, ShipmentStatus.IN_TRANSIT: 1, ShipmentStatus.DELIVERED: 1}
    backdrop.refresh_from_db()
    assert (backdrop.shipped_at, backdrop.in_transit_at, backdrop.delivered_at) == (
        bought + timedelta(hours=4),
        bought + timedelta(hours=16),
        bought + timedelta(hours=64),
    )
    assert advance_backdrop_shipments() == {}
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.DELIVERED


def test_the_sweep_is_set_based_one_update_per_step(make_order, clock):
    clock.freeze()
    orders = [make_order(status=OrderStatus.PENDING_PHOTO) for _ in range(4)]
    for order in orders:
        _buy(order, order.applicant)
    clock.advance(timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        moved = advance_backdrop_shipments()
    assert moved == {ShipmentStatus.SHIPPED: 4, ShipmentStatus.IN_TRANSIT: 4, ShipmentStatus.DELIVERED: 4}
    updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith('UPDATE "FILINGS_BACKDROP"')
    ]
    assert len(updates) == 3
    assert Backdrop.objects.filter(status=ShipmentStatus.DELIVERED).count() == 4


def test_shipped_and_delivered_are_announced_once(order, applicant, clock):
    clock.freeze()
    _buy(order, applicant)
    clock.advance(timedelta(days=3))
    advance_backdrop_shipments()
    advance_backdrop_shipments()
    events = sorted(OutboxMessage.objects.filter(recipient=applicant).values_list("event", "channel"))
    assert events == [
        ("order.backdrop_delivered", "email"),
        ("order.backdrop_delivered", "in_app"),
        ("order.backdrop_shipped", "email"),
        ("order.backdrop_shipped", "in_app"),
    ]


def test_upload_waits_for_the_delivery(order, applicant, clock):
    clock.freeze()
    _buy(order, applicant)
    person_id = order.websites.get().principal_id
    with pytest.raises(PhotoRefused) as refused:
        services.photo_upload(order_id=order.pk, actor=applicant, person_id=person_id, uploaded_file=photo_upload())
    assert refused.value.code == "backdrop_not_ready"
    clock.advance(timedelta(days=3))
    advance_backdrop_shipments()
    uploaded = services.photo_upload(
        order_id=order.pk, actor=applicant, person_id=person_id, uploaded_file=photo_upload()
    )
    assert uploaded.material.person_id == person_id


def test_the_page_shows_the_shipment(client, order, applicant, clock):
    clock.freeze()
    backdrop = _buy(order, applicant)
    clock.advance(timedelta(hours=5))
    advance_backdrop_shipments()
    client.force_login(applicant)
    page = client.get(reverse("filings:photos", args=[order.number])).content.decode()
    backdrop.refresh_from_db()
    assert backdrop.tracking_number in page
    assert "中关村大街1号3号楼502室" in page


# --- 我已有幕布 ---------------------------------------------------------------------------------------------------


def test_i_already_have_a_backdrop_opens_the_upload_at_once(client, order, applicant):
    client.force_login(applicant)
    page_url = reverse("filings:photos", args=[order.number])
    assert 'name="file"' not in client.get(page_url).content.decode()
    response = client.post(reverse("filings:photo_own_backdrop", args=[order.number]), {"declared": "own"})
    assert response.status_code == 302
    backdrop = Backdrop.objects.get(order=order)
    assert backdrop.declared == BackdropDeclaration.OWN
    assert backdrop.ready and not backdrop.purchased
    assert 'name="file"' in client.get(page_url).content.decode()
    person_id = order.websites.get().principal_id
    response = client.post(
        reverse("filings:photo_upload", args=[order.number]), {"person": person_id, "file": photo_upload()}
    )
    assert response.status_code == 302
    assert order.materials.filter(kind="verification_photo", person_id=person_id).exists()


def test_the_providers_app_is_offered_only_where_the_province_allows_it(order, applicant):
    with pytest.raises(PhotoRefused) as refused:
        services.backdrop_declare(order_id=order.pk, actor=applicant, declared=BackdropDeclaration.PROVIDER_APP)
    assert refused.value.code == "provider_app_not_here"
    move_order_to(order, "440000")  # 粤: backdrop or the provider's app
    backdrop = services.backdrop_declare(order_id=order.pk, actor=applicant, declared=BackdropDeclaration.PROVIDER_APP)
    assert backdrop.ready


def test_declaring_does_not_cancel_a_parcel_on_its_way(order, applicant, clock):
    clock.freeze()
    _buy(order, applicant)
    backdrop = services.backdrop_declare(order_id=order.pk, actor=applicant)
    assert backdrop.ready and backdrop.status == ShipmentStatus.PURCHASED
    clock.advance(timedelta(days=3))
    advance_backdrop_shipments()
    backdrop.refresh_from_db()
    assert backdrop.status == ShipmentStatus.DELIVERED
