"""Personal data (DESIGN.md, "Who sees what"): every staff view of an uploaded material is logged, and lists —
the back office's queues, the admin's lists, the applicant's own lists — never show an ID number in full."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.testing import force_login_with_second_factor
from core.masking import mask_id_number
from filings.audit import MaterialView
from filings.constants import MaterialKind, OrderStatus
from filings.models import FilingOrder, PersonApplication
from miit import services as registry_services
from reviews.constants import Queue
from reviews.services import review_claim
from subjects.models import Person

from .routes import World, portal_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_order):
    return World(make_order=make_order)


def _signed_in(user, *, ip="198.51.100.7"):
    client = Client(REMOTE_ADDR=ip)
    force_login_with_second_factor(client, user)
    return client


# --- the log of staff views -------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", ["material_file", "material_thumbnail"])
@pytest.mark.parametrize("role", ["reviewer", "supervisor", "administrator"])
def test_every_staff_view_of_a_material_writes_one_log_row(world, role, part):
    material = world.material(kind=MaterialKind.AUTHENTICITY_STATEMENT)
    FilingOrder.objects.filter(pk=material.order_id).update(status=OrderStatus.INITIAL_REVIEW)
    staff = getattr(world, role)
    url = reverse(f"filings:{part}", args=[material.order.number, material.pk])
    client = _signed_in(staff)

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)

    rows = list(MaterialView.objects.filter(user=staff))
    assert len(rows) == 2  # each view, not each person
    row = rows[0]
    assert (row.material_id, row.material_ref, row.order_number) == (material.pk, material.pk, material.order.number)
    assert row.material_kind == MaterialKind.AUTHENTICITY_STATEMENT
    assert row.part == ("thumbnail" if part == "material_thumbnail" else "file")
    assert row.ip == "198.51.100.7"


def test_the_review_page_shows_materials_only_through_the_logged_views(world):
    """The back office's own page links every material to the logging views, never to a file address."""
    order = world.order()
    material = world.material(order)
    FilingOrder.objects.filter(pk=order.pk).update(status=OrderStatus.PENDING_INITIAL_REVIEW)
    review_claim(order_id=order.pk, reviewer=world.reviewer)
    page = _signed_in(world.reviewer).get(reverse("reviews:order", args=[order.number])).content.decode()
    links = set(re.findall(r'(?:href|src)="([^"]+)"', page))
    assert reverse("filings:material_file", args=[order.number, material.pk]) in links
    assert reverse("filings:material_thumbnail", args=[order.number, material.pk]) in links
    assert not [link for link in links if material.file.name in link or material.thumbnail.name in link]
    assert not MaterialView.objects.exists()  # showing the page is not viewing the file


def test_the_applicant_viewing_their_own_material_is_not_logged_and_nobody_else_gets_it(world):
    material = world.material()
    url = reverse("filings:material_file", args=[material.order.number, material.pk])
    assert _signed_in(world.owner).get(url).status_code == 200
    assert _signed_in(world.other).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert not MaterialView.objects.exists()


def test_the_log_cannot_be_changed_or_deleted(world):
    material = world.material()
    client = _signed_in(world.reviewer)
    client.get(reverse("filings:material_file", args=[material.order.number, material.pk]))
    row = MaterialView.objects.get()
    row.ip = "203.0.113.1"
    with pytest.raises(Exception, match="immutable"):
        row.save()
    with pytest.raises(Exception, match="immutable"):
        row.delete()
    admin_client = _signed_in(world.administrator)
    change = admin_client.post(reverse("admin:filings_materialview_change", args=[row.pk]), {"ip": "203.0.113.1"})
    assert change.status_code in (302, 403)
    assert MaterialView.objects.get().ip == "198.51.100.7"
    delete = admin_client.post(reverse("admin:filings_materialview_delete", args=[row.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert MaterialView.objects.count() == 1


# --- masking in lists ---------------------------------------------------------------------------------------------

# Resident ID numbers with valid check digits, put where lists could show them.
APPLICATION_ID = "11010519491231002X"
FILED_ID = "110101199003077534"
REGISTRY_ID = "110105198001011238"


@pytest.fixture
def people_everywhere(world):
    """The same people in every place that lists people: an order in each queue, filed records, the registry."""
    for status in (
        OrderStatus.DRAFT,
        OrderStatus.PENDING_INITIAL_REVIEW,
        OrderStatus.PHOTO_REVIEW,
        OrderStatus.PENDING_MIIT_SUBMISSION,
        OrderStatus.APPROVED,
    ):
        order = world.order(status)
        PersonApplication.objects.filter(order=order).update(certificate_number=APPLICATION_ID)
    subject = world.subject()
    Person.objects.filter(subject=subject).update(certificate_number=FILED_ID)
    individual = registry_services.registry_subject_create(
        certificate_type="resident_id",
        certificate_number=REGISTRY_ID,
        name="王小明",
        nature="individual",
        province="110000",
        principal_name="王小明",
        principal_certificate_type="resident_id",
        principal_certificate_number=REGISTRY_ID,
        principal_mobile="13900139000",
    )
    registry_services.registry_website_add(subject=individual, name="个人博客", access_provider="x", domains=["wxm.cn"])
    registry_services.legacy_record_create(
        certificate_type="resident_id",
        certificate_number=REGISTRY_ID,
        subject_name="王小明",
        nature="individual",
        province="110000",
        domain="wxm-old.cn",
        icp_number="京ICP备08000001号",
        filed_on="2008-05-01",
    )
    registry_services.domain_registration_upsert(
        domain="wxm.cn",
        registrar="测试注册商",
        holder_name="王小明",
        holder_certificate_type="resident_id",
        holder_certificate_number=REGISTRY_ID,
        expires_on="2099-12-31",
    )
    return (APPLICATION_ID, FILED_ID, REGISTRY_ID)


def _full_numbers_in(html: str, numbers) -> list[str]:
    return [number for number in numbers if number in html or number.lower() in html]


def test_admin_lists_show_id_numbers_masked(world, people_everywhere):
    client = _signed_in(world.administrator)
    shown = {}
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        found = _full_numbers_in(response.content.decode(), people_everywhere)
        if found:
            shown[url] = found
    assert not shown, f"admin lists showing ID numbers in full: {shown}"


def test_the_back_office_and_the_applicants_lists_show_no_id_number_in_full(world, people_everywhere):
    pages = [(world.reviewer, reverse("reviews:queue", args=[queue.value])) for queue in Queue] + [
        (world.supervisor, reverse("reviews:dashboard"))
    ]
    # Every page without parameters is a list or a start page: as each role that may open it.
    for route in portal_routes():
        if route.params or route.is_admin or route.namespace in ("miit", "captcha"):
            continue
        for user in (world.owner, world.reviewer):
            pages.append((user, reverse(route.name)))
    shown = {}
    for user, url in pages:
        response = _signed_in(user).get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            found = _full_numbers_in(response.content.decode(), people_everywhere)
            if found:
                shown[f"{url} as {user.email}"] = found
    assert not shown, f"lists showing ID numbers in full: {shown}"
    assert len(pages) > 40


def test_masking_keeps_the_ends_and_hides_the_middle():
    # The same rule as the identity lookup's (filings/identity.py): three characters kept in front, two behind.
    assert mask_id_number("11010519491231002X") == "110*************2X"
    assert mask_id_number(" 11010519491231002x ") == "110*************2X"
    assert mask_id_number("G12345678") == "G12****78"
    assert mask_id_number("") == ""
    assert mask_id_number("12345") == "*****"
    assert mask_id_number(None) == ""
