"""Uploaded materials (上传备案资料): image checks and re-encoding, the services that store them, the reads behind
the pages. See docs/materials.md."""

from .images import MAX_PIXELS, MAX_UPLOAD_BYTES, THUMBNAIL_EDGE, ImageRefused, ProcessedImage
from .selectors import can_see_order_materials, material_for_viewer, materials_of, order_for_viewer, order_of_applicant
from .services import (
    MULTI_FILE_KINDS,
    PERSON_KINDS,
    WEBSITE_KINDS,
    MaterialRefused,
    material_delete,
    material_upload,
    material_view_record,
    may_change_materials,
)

__all__ = [
    "MAX_PIXELS",
    "MAX_UPLOAD_BYTES",
    "MULTI_FILE_KINDS",
    "PERSON_KINDS",
    "THUMBNAIL_EDGE",
    "WEBSITE_KINDS",
    "ImageRefused",
    "MaterialRefused",
    "ProcessedImage",
    "can_see_order_materials",
    "material_delete",
    "material_for_viewer",
    "material_upload",
    "material_view_record",
    "materials_of",
    "may_change_materials",
    "order_for_viewer",
    "order_of_applicant",
]
