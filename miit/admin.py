"""The simulated administration's registry in the admin: administrators seed and adjust it to stage scenarios
(a domain filed elsewhere, an expired registration, a legacy HiChina record). ICP passwords are only ever set
(hashed), never shown."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    DomainRegistration,
    LegacyRecord,
    NumberSequence,
    RegistryDomain,
    RegistrySubject,
    RegistryWebsite,
    Submission,
)


class RegistrySubjectForm(forms.ModelForm):
    new_icp_password = forms.CharField(
        label=_("New ICP password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password. Only a hash is stored."),
    )

    class Meta:
        model = RegistrySubject
        fields = [
            "certificate_type",
            "certificate_number",
            "name",
            "nature",
            "province",
            "icp_number",
            "principal_name",
            "principal_certificate_type",
            "principal_certificate_number",
            "principal_mobile",
            "status",
            "filed_on",
        ]


class RegistryWebsiteInline(admin.TabularInline):
    model = RegistryWebsite
    fields = ["name", "icp_number", "access_provider", "principal_name", "status", "filed_on"]
    extra = 0
    show_change_link = True


class RegistryDomainInline(admin.TabularInline):
    model = RegistryDomain
    fields = ["name", "ascii_name", "status"]
    extra = 0


@admin.register(RegistrySubject)
class RegistrySubjectAdmin(admin.ModelAdmin):
    form = RegistrySubjectForm
    list_display = ["icp_number", "name", "nature", "certificate_type", "certificate_number", "province", "status"]
    list_filter = ["status", "nature", "certificate_type", "province"]
    search_fields = ["icp_number", "name", "certificate_number", "principal_name", "principal_mobile"]
    list_select_related = ["province"]
    readonly_fields = ["has_password", "last_website_index", "updated_at"]
    inlines = [RegistryWebsiteInline]
    show_full_result_count = False

    @admin.display(boolean=True, description=_("ICP password set"))
    def has_password(self, obj):
        return bool(obj.password_hash)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("new_icp_password"):
            services.subject_password_set(subject=obj, password=form.cleaned_data["new_icp_password"])


@admin.register(RegistryWebsite)
class RegistryWebsiteAdmin(admin.ModelAdmin):
    list_display = ["icp_number", "name", "subject", "access_provider", "status"]
    list_filter = ["status", "access_provider"]
    search_fields = ["icp_number", "name", "subject__name", "domains__ascii_name", "domains__name"]
    list_select_related = ["subject"]
    raw_id_fields = ["subject"]
    inlines = [RegistryDomainInline]
    show_full_result_count = False


@admin.register(RegistryDomain)
class RegistryDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "ascii_name", "website", "status"]
    list_filter = ["status"]
    search_fields = ["name", "ascii_name", "website__icp_number"]
    list_select_related = ["website"]
    raw_id_fields = ["website"]
    show_full_result_count = False


@admin.register(DomainRegistration)
class DomainRegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "registrar", "holder_name", "expires_on", "real_name_verified"]
    list_filter = ["real_name_verified", "registrar"]
    search_fields = ["name", "ascii_name", "holder_name", "holder_certificate_number"]
    date_hierarchy = "expires_on"
    show_full_result_count = False


@admin.register(LegacyRecord)
class LegacyRecordAdmin(admin.ModelAdmin):
    list_display = ["icp_number", "subject_name", "domain", "province", "filed_on", "transferred", "claimed_at"]
    list_filter = ["transferred", "province"]
    search_fields = ["icp_number", "subject_name", "certificate_number", "domain", "ascii_domain"]
    list_select_related = ["province"]
    show_full_result_count = False


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    """Read-only: a number once issued is never issued again, so nobody winds a sequence back."""

    list_display = ["province", "last_value", "updated_at"]
    list_select_related = ["province"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: what a provider forwarded is the provider's word; the simulator moves ``status`` on."""

    list_display = ["received_at", "order_reference", "order_type", "province", "sms_required", "status", "provider"]
    list_filter = ["status", "sms_required", "order_type", "province"]
    search_fields = ["order_reference", "submission_key"]
    list_select_related = ["province"]
    date_hierarchy = "received_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
