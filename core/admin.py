from django.contrib import admin

from .models import ClockSetting, MobileCode, PhoneMessage


class ReadOnlyAdminMixin:
    """For records nothing but a service may write (filed records, histories): viewable, never editable here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClockSetting)
class ClockSettingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "offset_seconds", "frozen_at", "updated_at")

    def save_model(self, request, obj, form, change):
        from . import clock

        super().save_model(request, obj, form, change)
        clock.forget_cached()


@admin.register(PhoneMessage)
class PhoneMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("sent_at", "to_number", "sender", "carrier", "source", "body")
    list_filter = ("carrier", "source")
    search_fields = ("to_number", "body")
    date_hierarchy = "sent_at"


@admin.register(MobileCode)
class MobileCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("mobile", "purpose", "sent_at", "expires_at", "attempts", "verified_at")
    list_filter = ("purpose",)
    search_fields = ("mobile",)
    exclude = ("code_hash",)
