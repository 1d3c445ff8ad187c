"""Orders in the admin: readable, never editable. State changes are made by admin actions that call the same
services as the pages (DESIGN.md); the back-office issue adds its own actions here."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .callbacks import CallbackEvent
from .models import (
    DomainApplication,
    FieldRemark,
    FilingOrder,
    Material,
    MaterialView,
    OrderEvent,
    PersonApplication,
    SubjectApplication,
    WebsiteApplication,
)
from .photos.models import Backdrop, PhotoCheck, PrincipalPhotoLink, ShanghaiAppSession


class SubjectApplicationInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = SubjectApplication
    extra = 0


class PersonApplicationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PersonApplication
    fields = ("name", "certificate_type", "certificate_number", "mobile", "email", "mobile_verified_at")
    extra = 0


class WebsiteApplicationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebsiteApplication
    fields = ("position", "name", "homepage_url", "principal", "service_number")
    extra = 0


class OrderEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderEvent
    fields = ("created_at", "action", "from_status", "to_status", "actor_kind", "actor", "reason")
    extra = 0


@admin.register(FilingOrder)
class FilingOrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "order_type", "status", "province", "applicant", "created_at", "due_at", "expires_at")
    list_filter = ("status", "order_type", "province")
    search_fields = ("number", "applicant__email", "subject_certificate_number", "subject_application__name")
    list_select_related = ("province", "applicant")
    date_hierarchy = "created_at"
    exclude = ("icp_password_encrypted",)
    inlines = [SubjectApplicationInline, PersonApplicationInline, WebsiteApplicationInline, OrderEventInline]


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "order", "action", "from_status", "to_status", "actor_kind", "actor")
    list_filter = ("action", "to_status", "actor_kind")
    search_fields = ("order__number", "reason")
    list_select_related = ("order", "actor")


@admin.register(FieldRemark)
class FieldRemarkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "order", "field", "message", "resolved_at")
    search_fields = ("order__number", "message")
    list_select_related = ("order",)


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "kind", "content_type", "size", "width", "height", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("order__number", "sha256")
    list_select_related = ("order",)
    exclude = ("file", "thumbnail")


@admin.register(MaterialView)
class MaterialViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("viewed_at", "user", "order_number", "material_kind", "part", "ip")
    list_filter = ("part", "material_kind")
    search_fields = ("order_number", "user__email")
    list_select_related = ("user",)


@admin.register(DomainApplication)
class DomainApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "ascii_name", "website")
    search_fields = ("name", "ascii_name", "website__order__number")
    list_select_related = ("website",)


# --- photo verification (filings/photos) -----------------------------------------------------------------------


@admin.register(Backdrop)
class BackdropAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "declared", "status", "recipient", "tracking_number", "purchased_at", "delivered_at")
    list_filter = ("status", "declared")
    search_fields = ("order__number", "recipient", "tracking_number")
    list_select_related = ("order",)
    exclude = ("mobile",)


@admin.register(PrincipalPhotoLink)
class PrincipalPhotoLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "person", "created_at", "expires_at", "used_at", "revoked_at")
    search_fields = ("order__number",)
    list_select_related = ("order", "person")
    exclude = ("nonce",)


@admin.register(ShanghaiAppSession)
class ShanghaiAppSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "person", "created_at", "verified_at", "photo_taken_at", "expires_at")
    search_fields = ("order__number",)
    list_select_related = ("order", "person")
    exclude = ("nonce",)


@admin.register(PhotoCheck)
class PhotoCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__",)


@admin.register(CallbackEvent)
class CallbackEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every administration event the portal applied, once each (filings/callbacks.py)."""

    list_display = ("received_at", "event_id", "type", "order_number", "applied")
    list_filter = ("type", "applied")
    search_fields = ("event_id", "order_number")
