"""Every write to an order's materials: upload (with replacement), delete, and the staff view log."""

import logging
import unicodedata
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock

from ..audit import MaterialView
from ..constants import EDITABLE_STATES, MaterialKind, OrderStatus
from ..errors import NotPermitted, OrderError
from ..models import FilingOrder, Material, PersonApplication, WebsiteApplication
from . import images

logger = logging.getLogger(__name__)

K = MaterialKind
# Which kinds belong to a person, to a website, or to the order as a whole (the rest).
PERSON_KINDS = frozenset({K.ID_FRONT, K.ID_BACK, K.VERIFICATION_PHOTO})
WEBSITE_KINDS = frozenset({K.PRE_APPROVAL_DOCUMENT, K.DOMAIN_CERTIFICATE})
# A slot of these kinds holds several files (one per approval document, one per domain); an upload adds a file.
# Every other slot holds one file, and an upload replaces it.
MULTI_FILE_KINDS = frozenset({K.PRE_APPROVAL_DOCUMENT, K.DOMAIN_CERTIFICATE, K.OTHER})
MAX_FILES_PER_SLOT = 20


@dataclass
class MaterialRefused(OrderError):
    """An upload or deletion refused, with the form field it belongs beside (``None``: the whole form)."""

    status: int = 400
    field: str | None = "file"


def may_change_materials(order: FilingOrder, kind: str) -> bool:
    """Photos while the order waits for them; everything else while the applicant may edit the order."""
    if kind == K.VERIFICATION_PHOTO:
        return order.status == OrderStatus.PENDING_PHOTO
    return order.status in EDITABLE_STATES


def _refuse_state(order: FilingOrder, kind: str) -> MaterialRefused:
    if kind == K.VERIFICATION_PHOTO:
        message = _("Verification photos can be uploaded only when the order is waiting for photos.")
    else:
        message = _("Materials cannot be changed while the order is “%(status)s”.") % {
            "status": order.get_status_display()
        }
    return MaterialRefused("not_editable", message, 409, None)


def _storage():
    return Material._meta.get_field("file").storage


def _delete_stored(names) -> None:
    """Remove files from storage; a failure is logged, never raised (the row is already gone or never was)."""
    storage = _storage()
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:
            logger.exception("could not delete stored material file %s", name)


def _clean_original_name(name: str | None) -> str:
    """The uploader's file name, for display only: no path, no control characters, at most 200 characters."""
    if not name:
        return ""
    base = PurePath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return base[:200]


def _normalise_slot(order: FilingOrder, kind: str, person_id, website_id) -> tuple[int | None, int | None]:
    """The person and website a material of ``kind`` is for, checked against the order."""
    if kind in PERSON_KINDS:
        if person_id is None:
            raise MaterialRefused("person_required", _("Choose whose document this is."), field="person")
        website_id = None
    elif kind in WEBSITE_KINDS:
        if website_id is None:
            raise MaterialRefused("website_required", _("Choose the website this document is for."), field="website")
        person_id = None
    elif kind != K.OTHER:
        person_id = website_id = None
    if person_id is not None and not PersonApplication.objects.filter(pk=person_id, order=order).exists():
        raise MaterialRefused("person_not_in_order", _("This person is not on the order."), field="person")
    if website_id is not None and not WebsiteApplication.objects.filter(pk=website_id, order=order).exists():
        raise MaterialRefused("website_not_in_order", _("This website is not on the order."), field="website")
    return person_id, website_id


def _parse_kind(kind) -> str:
    try:
        return K(kind)
    except ValueError:
        raise MaterialRefused("unknown_kind", _("Choose what kind of document this is."), field="kind") from None


def material_upload(
    *, order_id: int, actor, kind: str, uploaded_file, person_id: int | None = None, website_id: int | None = None
) -> Material:
    """Decode, re-encode and store one material of an order; return the new row.

    Only the order's applicant, only while ``may_change_materials``. A refused upload stores nothing: every check
    runs before the first byte is written, and files written before a failed insert are removed again. In a
    single-file slot the new material replaces the old one, whose files are deleted after commit.
    """
    kind = _parse_kind(kind)
    order = FilingOrder.objects.filter(pk=order_id).only("id", "applicant_id", "status", "number").first()
    if order is None or order.applicant_id != actor.pk:
        raise NotPermitted()
    if not may_change_materials(order, kind):
        raise _refuse_state(order, kind)
    person_id, website_id = _normalise_slot(order, kind, person_id, website_id)
    try:
        processed = images.process(images.read_upload(uploaded_file), photo=kind == K.VERIFICATION_PHOTO)
    except images.ImageRefused as refused:
        raise MaterialRefused(refused.code, refused.message, field="file") from None

    written: list[str] = []
    try:
        with transaction.atomic():
            order = FilingOrder.objects.select_for_update(of=("self",)).get(pk=order_id)
            if not may_change_materials(order, kind):  # the state may have moved while the image was decoded
                raise _refuse_state(order, kind)
            slot = Material.objects.filter(order=order, kind=kind, person_id=person_id, website_id=website_id)
            replaced = []
            if kind in MULTI_FILE_KINDS:
                if slot.count() >= MAX_FILES_PER_SLOT:
                    raise MaterialRefused(
                        "too_many_files",
                        _("At most %(count)d files can be uploaded here. Delete one first.")
                        % {"count": MAX_FILES_PER_SLOT},
                    )
            else:
                replaced = list(slot.only("id", "file", "thumbnail"))
            material = Material(
                order=order,
                kind=kind,
                person_id=person_id,
                website_id=website_id,
                extension=processed.extension,
                content_type=processed.content_type,
                size=len(processed.data),
                width=processed.width,
                height=processed.height,
                sha256=processed.sha256,
                original_name=_clean_original_name(getattr(uploaded_file, "name", "")),
                uploaded_by=actor,
                uploaded_at=clock.now(),
            )
            # The upload path ignores the name given here: a random name in the order's folder.
            material.file.save(f"upload.{processed.extension}", ContentFile(processed.data), save=False)
            written.append(material.file.name)
            material.thumbnail.save(f"thumb.{processed.extension}", ContentFile(processed.thumbnail), save=False)
            written.append(material.thumbnail.name)
            material.save()
            old_files = [name for old in replaced for name in (old.file.name, old.thumbnail.name)]
            Material.objects.filter(pk__in=[old.pk for old in replaced]).delete()
            transaction.on_commit(partial(_delete_stored, old_files), robust=True)
    except BaseException:
        _delete_stored(written)
        raise
    return material


def material_delete(*, material_id: int, actor) -> None:
    """Delete a material of the applicant's order (while it may be changed); its files go after commit."""
    with transaction.atomic():
        material = Material.objects.filter(pk=material_id).only("id", "order_id", "kind").first()
        if material is None:
            raise NotPermitted()
        order = FilingOrder.objects.select_for_update(of=("self",)).get(pk=material.order_id)
        if order.applicant_id != actor.pk:
            raise NotPermitted()
        if not may_change_materials(order, material.kind):
            raise _refuse_state(order, material.kind)
        material = Material.objects.get(pk=material_id)
        names = [material.file.name, material.thumbnail.name]
        material.delete()
        transaction.on_commit(partial(_delete_stored, names), robust=True)


def material_view_record(*, material: Material, viewer, ip: str | None, part: str = MaterialView.Part.FILE):
    """Log that a staff member opened a material. The time is the real time, not the settable portal clock:
    this is an audit of what a person did, not a step of the filing."""
    return MaterialView.objects.create(
        user=viewer,
        material=material,
        material_ref=material.pk,
        order_number=material.order.number,
        material_kind=material.kind,
        part=part,
        ip=ip or None,
        viewed_at=timezone.now(),
    )
