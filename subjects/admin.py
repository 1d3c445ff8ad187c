from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import CertificatePattern, Person, Subject


class PersonInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Person
    fields = ("name", "certificate_type", "certificate_number", "mobile", "email")
    extra = 0


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Filed subjects change only through approved orders (DESIGN.md): read-only here."""

    list_display = ("name", "icp_number", "nature", "province", "owner", "status", "filed_at")
    list_filter = ("status", "nature", "province")
    search_fields = ("name", "icp_number", "certificate_number", "owner__email")
    list_select_related = ("province", "owner")
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "certificate_type", "mobile", "email", "subject")
    list_filter = ("certificate_type",)
    search_fields = ("name", "mobile", "email", "certificate_number")
    list_select_related = ("subject",)


@admin.register(CertificatePattern)
class CertificatePatternAdmin(admin.ModelAdmin):
    list_display = ("certificate_type", "pattern", "example", "is_active")
    list_filter = ("is_active",)
