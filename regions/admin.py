from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ProvinceRule, Region, WorkingDayOverride


class ProvinceFilter(admin.SimpleListFilter):
    """Filter divisions by the province they lie in (the first two digits of the code)."""

    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(region.code[:2], region.name) for region in selectors.provinces()]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) == 2:
            return queryset.filter(code__startswith=value)
        return queryset


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Read-only: the divisions come from regions/data/divisions.csv (docs/regions.md)."""

    list_display = ["code", "name", "level", "parent", "abbreviation", "kind", "is_mainland", "is_active"]
    list_filter = ["level", ProvinceFilter, "is_mainland", "is_grouping", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProvinceRule)
class ProvinceRuleAdmin(admin.ModelAdmin):
    list_display = [
        "province",
        "effective_from",
        "sms_verification_required",
        "photo_method",
        "principal_rule",
        "changes_allowed",
        "updated_at",
    ]
    list_filter = ["province", "sms_verification_required", "photo_method", "principal_rule"]
    list_select_related = ["province"]
    ordering = ["province", "effective_from"]
    date_hierarchy = "effective_from"
    search_fields = ["province__name", "note"]
    readonly_fields = ["updated_at"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_format(obj.date, "l")
