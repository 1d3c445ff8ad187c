"""Reads behind the material pages: whose order, which materials, who may see them (DESIGN.md, "Who sees what").

Applicants see their own orders only; provider staff see every order's materials. Anyone else is told nothing: the
selectors return ``None`` and the views answer 404, never 403.
"""

from django.db.models import QuerySet

from ..models import FilingOrder, Material


def order_of_applicant(user, number: str) -> FilingOrder | None:
    """The applicant's own order with that number, or None (a foreign number looks like a missing one)."""
    if not user.is_authenticated:
        return None
    return FilingOrder.objects.filter(applicant=user, number=number).select_related("province").first()


def can_see_order_materials(user, order: FilingOrder) -> bool:
    return user.is_authenticated and (order.applicant_id == user.pk or user.is_provider_staff)


def order_for_viewer(user, number: str) -> FilingOrder | None:
    """The order, if ``user`` may see its materials and documents: its applicant, or provider staff."""
    if not user.is_authenticated:
        return None
    order = FilingOrder.objects.filter(number=number).select_related("province").first()
    if order is None or not can_see_order_materials(user, order):
        return None
    return order


def material_for_viewer(user, order_number: str, material_id: int) -> Material | None:
    material = Material.objects.filter(pk=material_id, order__number=order_number).select_related("order").first()
    if material is None or not can_see_order_materials(user, material.order):
        return None
    return material


def materials_of(order: FilingOrder) -> QuerySet[Material]:
    return Material.objects.filter(order=order).order_by("kind", "person_id", "website_id", "uploaded_at", "id")
