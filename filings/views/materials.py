"""上传备案资料: the materials page, upload and delete, serving a material to those allowed, and 下载核验单.

Applicants reach only their own orders; provider staff may open any order's materials and 核验单, and each staff
view of a material is logged. Everyone else gets 404, never 403 (DESIGN.md, "Who sees what").
"""

import ipaddress
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..audit import MaterialView
from ..constants import MaterialKind, OrderStatus
from ..errors import OrderError
from ..forms.materials import MaterialUploadForm
from ..materials import (
    MULTI_FILE_KINDS,
    MaterialRefused,
    material_delete,
    material_for_viewer,
    material_upload,
    material_view_record,
    materials_of,
    may_change_materials,
    order_for_viewer,
    order_of_applicant,
)
from ..models import FilingOrder, Material
from ..pdf import authenticity_statement_pdf
from ..requirements import Requirement, required_materials, verification_photo_requirements

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class Slot:
    """One card on the upload page: a requirement, the files in it, and the form (with its errors)."""

    requirement: Requirement
    materials: list[Material] = field(default_factory=list)
    form: MaterialUploadForm | None = None
    changeable: bool = False

    @property
    def dom_id(self) -> str:
        return self.requirement.dom_id

    @property
    def multi(self) -> bool:
        return self.requirement.kind in MULTI_FILE_KINDS

    @property
    def filled(self) -> bool:
        return len(self.materials) >= self.requirement.count

    @property
    def remaining(self) -> int:
        return max(self.requirement.count - len(self.materials), 0)


def _other_requirement() -> Requirement:
    return Requirement(
        MaterialKind.OTHER,
        MaterialKind.OTHER.label,
        gettext_lazy("Anything else that helps the review, e.g. a statement the reviewer asked for."),
        required=False,
    )


def _requirements(order: FilingOrder) -> list[Requirement]:
    found = list(required_materials(order))
    if order.status == OrderStatus.PENDING_PHOTO:
        found += verification_photo_requirements(order)
    found.append(_other_requirement())
    return found


def _slots(order: FilingOrder, requirements: list[Requirement]) -> tuple[list[Slot], list[Material]]:
    materials = list(materials_of(order))
    slots, used = [], set()
    for requirement in requirements:
        slot = Slot(requirement, changeable=may_change_materials(order, requirement.kind))
        for material in materials:
            if requirement.matches(material):
                slot.materials.append(material)
                used.add(material.pk)
        slots.append(slot)
    # Files no slot asks for any more (a principal was replaced, a pre-approval type removed): shown to delete.
    leftovers = [material for material in materials if material.pk not in used]
    return slots, leftovers


def _slot_for(order: FilingOrder, kind, person_id, website_id, form=None) -> Slot:
    probe = Material(kind=kind, person_id=person_id, website_id=website_id)
    requirements = _requirements(order)
    requirement = next((r for r in requirements if r.matches(probe)), None)
    if requirement is None:
        requirement = Requirement(kind, MaterialKind(kind).label, "", False, person_id, website_id)
    slot = Slot(requirement, changeable=may_change_materials(order, kind), form=form)
    slot.materials = [material for material in materials_of(order) if requirement.matches(material)]
    return slot


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _applicant_order(request, order_number: str) -> FilingOrder:
    order = order_of_applicant(request.user, order_number)
    if order is None:
        raise Http404
    return order


@login_required
@require_GET
def material_list(request, order_number):
    order = _applicant_order(request, order_number)
    slots, leftovers = _slots(order, _requirements(order))
    context = {
        "order": order,
        "slots": slots,
        "leftovers": leftovers,
        "editable": order.is_editable,
        "next_url": request.get_full_path(),
    }
    return render(request, "filings/materials/list.html", context)


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def material_upload_view(request, order_number):
    order = _applicant_order(request, order_number)
    default_next = reverse("filings:materials", args=[order.number])
    if request.method == "GET":
        initial = {key: request.GET.get(key) for key in ("kind", "person", "website", "next") if request.GET.get(key)}
        form = MaterialUploadForm(initial=initial)
        return render(request, "filings/materials/upload.html", {"order": order, "form": form})

    form = MaterialUploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            material = material_upload(
                order_id=order.pk,
                actor=request.user,
                kind=data["kind"],
                uploaded_file=data["file"],
                person_id=data["person"],
                website_id=data["website"],
            )
        except MaterialRefused as refusal:
            form.add_refusal(refusal)
        except OrderError as refusal:
            form.add_error(None, refusal.message)
        else:
            if request.htmx:
                slot = _slot_for(order, material.kind, material.person_id, material.website_id)
                return render(request, "filings/materials/_slot.html", {"order": order, "slot": slot})
            messages.success(request, _("%(kind)s uploaded.") % {"kind": material.get_kind_display()})
            return redirect(_safe_next(request, default_next))
    if request.htmx and form.data.get("kind") in MaterialKind.values:
        slot = _slot_for(
            order,
            form.data["kind"],
            _int_or_none(form.data.get("person")),
            _int_or_none(form.data.get("website")),
            form=form,
        )
        return render(request, "filings/materials/_slot.html", {"order": order, "slot": slot})
    return render(request, "filings/materials/upload.html", {"order": order, "form": form})


@login_required
@require_POST
def material_delete_view(request, order_number, pk):
    order = _applicant_order(request, order_number)
    material = Material.objects.filter(pk=pk, order=order).first()
    if material is None:
        raise Http404
    error = None
    try:
        material_delete(material_id=material.pk, actor=request.user)
    except OrderError as refusal:
        error = refusal.message
    if request.htmx:
        slot = _slot_for(order, material.kind, material.person_id, material.website_id)
        return render(request, "filings/materials/_slot.html", {"order": order, "slot": slot, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(kind)s deleted.") % {"kind": material.get_kind_display()})
    return redirect(_safe_next(request, reverse("filings:materials", args=[order.number])))


def _client_ip(request) -> str | None:
    # REMOTE_ADDR as the proxy in front of the application sets it (the same source the sign-in lock-out uses).
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _serve(request, order_number, pk, part: str):
    material = material_for_viewer(request.user, order_number, pk)
    if material is None:
        raise Http404
    stored = material.thumbnail if part == MaterialView.Part.THUMBNAIL else material.file
    if not stored:
        raise Http404
    if material.order.applicant_id != request.user.pk:
        material_view_record(material=material, viewer=request.user, ip=_client_ip(request), part=part)
    suffix = "-thumbnail" if part == MaterialView.Part.THUMBNAIL else ""
    response = FileResponse(
        stored.open("rb"),
        content_type=material.content_type,
        as_attachment=False,
        filename=f"{material.order.number}-{material.kind}-{material.pk}{suffix}.{material.extension}",
    )
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


@login_required
@require_GET
def material_file(request, order_number, pk):
    return _serve(request, order_number, pk, MaterialView.Part.FILE)


@login_required
@require_GET
def material_thumbnail(request, order_number, pk):
    return _serve(request, order_number, pk, MaterialView.Part.THUMBNAIL)


@login_required
@require_GET
def authenticity_statement(request, order_number):
    order = order_for_viewer(request.user, order_number)
    if order is None:
        raise Http404
    response = HttpResponse(authenticity_statement_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="authenticity-statement-{order.number}.pdf"'
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


urlpatterns = [
    path("orders/<str:order_number>/materials/", material_list, name="materials"),
    path("orders/<str:order_number>/materials/upload/", material_upload_view, name="material_upload"),
    path("orders/<str:order_number>/materials/<int:pk>/", material_file, name="material_file"),
    path("orders/<str:order_number>/materials/<int:pk>/thumbnail/", material_thumbnail, name="material_thumbnail"),
    path("orders/<str:order_number>/materials/<int:pk>/delete/", material_delete_view, name="material_delete"),
    path("orders/<str:order_number>/authenticity-statement.pdf", authenticity_statement, name="authenticity_statement"),
]
