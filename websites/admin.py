from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import (
    CloudInstance,
    Domain,
    DomainSuffix,
    IdentityLookup,
    InstanceReminder,
    NatureDomainSuffix,
    PsbRecord,
    PsbReminder,
    ReservedWord,
    ServiceContent,
    ServiceNumber,
    Website,
)


class DomainInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Domain
    fields = ("name", "ascii_name", "status")
    extra = 0


@admin.register(Website)
class WebsiteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Filed websites change only through approved orders (DESIGN.md): read-only here."""

    list_display = ("name", "icp_number", "subject", "status", "filed_at")
    list_filter = ("status",)
    search_fields = ("name", "icp_number", "domains__name", "subject__name")
    list_select_related = ("subject",)
    inlines = [DomainInline]


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "ascii_name", "website", "status")
    list_filter = ("status",)
    search_fields = ("name", "ascii_name")
    list_select_related = ("website",)


class ServiceNumberInline(admin.TabularInline):
    model = ServiceNumber
    fields = ("number", "status", "created_at", "bound_at", "used_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CloudInstance)
class CloudInstanceAdmin(admin.ModelAdmin):
    list_display = ("instance_id", "name", "owner", "region", "billing", "subscription_end", "public_bandwidth_mbps")
    list_filter = ("region", "billing")
    search_fields = ("instance_id", "name", "owner__email", "public_ip")
    list_select_related = ("owner",)
    readonly_fields = ("instance_id", "created_at")
    raw_id_fields = ("owner",)
    inlines = [ServiceNumberInline]


@admin.register(ServiceNumber)
class ServiceNumberAdmin(admin.ModelAdmin):
    list_display = ("number", "instance", "status", "created_at", "bound_at", "used_at")
    list_filter = ("status",)
    search_fields = ("number", "instance__instance_id", "instance__owner__email")
    list_select_related = ("instance",)
    readonly_fields = ("number", "instance", "created_at", "bound_at", "used_at")

    def has_add_permission(self, request, obj=None):
        return False  # numbers are issued by the apply service, which enforces the cap


@admin.register(InstanceReminder)
class InstanceReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("instance", "subscription_end", "days_before", "sent_at")


@admin.register(ServiceContent)
class ServiceContentAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "allowed_for_individuals", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")


@admin.register(DomainSuffix)
class DomainSuffixAdmin(admin.ModelAdmin):
    list_display = ("suffix", "ascii_suffix", "approved", "note")
    list_filter = ("approved",)
    search_fields = ("suffix", "ascii_suffix")


@admin.register(NatureDomainSuffix)
class NatureDomainSuffixAdmin(admin.ModelAdmin):
    list_display = ("nature", "suffix")
    list_filter = ("nature",)


@admin.register(ReservedWord)
class ReservedWordAdmin(admin.ModelAdmin):
    list_display = ("word", "kind")
    list_filter = ("kind",)
    search_fields = ("word",)


@admin.register(PsbRecord)
class PsbRecordAdmin(admin.ModelAdmin):
    """The applicant's own data beside a filed website (not a filed field)."""

    list_display = ("website", "psb_number", "opening_date", "recorded_at")
    search_fields = ("psb_number", "website__name", "website__icp_number")
    list_select_related = ("website",)
    readonly_fields = ("website", "recorded_at", "updated_at")


@admin.register(PsbReminder)
class PsbReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("website", "opening_date", "days_before", "sent_at")
    list_select_related = ("website",)


@admin.register(IdentityLookup)
class IdentityLookupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit of "which filings use my ID?": who asked, for which (masked) ID, what was shown, any report."""

    list_display = ("created_at", "user", "name_entered", "certificate_masked", "outcome", "result_count", "reported")
    list_filter = ("outcome", "reported")
    search_fields = ("user__email", "certificate_hash", "name_entered")
    list_select_related = ("user",)
    exclude = ("certificate_hash",)
