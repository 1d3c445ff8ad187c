"""The simulated administration's registry in the admin: administrators seed and adjust it to stage scenarios
(a domain filed elsewhere, an expired registration, a legacy HiChina record). ICP passwords are only ever set
(hashed), never shown."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.masking import masked_column

from . import services
from .models import (
    DomainRegistration,
    LegacyRecord,
    NumberSequence,
    OutboundCallback,
    RegistryDomain,
    RegistrySubject,
    RegistryWebsite,
    SimulatorSettings,
    SmsRule,
    SmsVerification,
    Submission,
)
from .simulator import callbacks, processing


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
    # Lists show ID numbers masked (core.masking); the record's own page shows them in full.
    list_display = [
        "icp_number",
        "name",
        "nature",
        "certificate_type",
        masked_column("certificate_number", label=RegistrySubject._meta.get_field("certificate_number").verbose_name),
        "province",
        "status",
    ]
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
    list_display = [
        "icp_number",
        "subject_name",
        "domain",
        "province",
        "filed_on",
        "transferred",
        "claimed_at",
        "claimed_by",
    ]
    list_filter = ["transferred", "province"]
    search_fields = ["icp_number", "subject_name", "certificate_number", "domain", "ascii_domain", "claimed_by"]
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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.is_superuser or request.user.has_perm(f"{self.opts.app_label}.view_{self.opts.model_name}")


class FailedFilter(admin.SimpleListFilter):
    title = _("failed")
    parameter_name = "failed"

    def lookups(self, request, model_admin):
        return [("yes", _("Failed")), ("no", _("Not failed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(failed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(failed_at__isnull=True)
        return queryset


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only: what a provider forwarded is the provider's word; the simulator moves ``status`` on. A failed
    step (the ``failed`` filter) can be retried."""

    list_display = [
        "received_at",
        "order_reference",
        "order_type",
        "province",
        "sms_required",
        "status",
        "decide_at",
        "attempts",
        "failed_at",
        "provider",
    ]
    list_filter = [FailedFilter, "status", "sms_required", "order_type", "province"]
    search_fields = ["order_reference", "submission_key"]
    list_select_related = ["province"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    actions = ["retry"]

    @admin.action(description=_("Retry the selected submissions"), permissions=["retry"])
    def retry(self, request, queryset):
        count = processing.submissions_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(count)d submission(s) will be processed again.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutboundCallback)
class OutboundCallbackAdmin(ReadOnlyAdmin):
    """The results the administration owes the portal: pending (with their next attempt), delivered, failed."""

    list_display = [
        "created_at",
        "order_reference",
        "type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "type"]
    search_fields = ["order_reference", "event_id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["retry"]

    @admin.action(description=_("Deliver the selected callbacks again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = callbacks.callbacks_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(count)d callback(s) will be delivered again.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SmsVerification)
class SmsVerificationAdmin(ReadOnlyAdmin):
    """Read-only, and never the code (only its hash is stored, and not shown either)."""

    list_display = [
        "sent_at",
        "submission",
        "round",
        "mobile",
        "sends",
        "wrong_id_attempts",
        "expires_at",
        "verified_at",
        "failed_at",
    ]
    fields = [
        "submission",
        "round",
        "mobile",
        "roles",
        "names",
        "sent_at",
        "last_sent_at",
        "sends",
        "expires_at",
        "wrong_id_attempts",
        "wrong_code_attempts",
        "verified_at",
        "failed_at",
    ]
    readonly_fields = fields
    list_filter = ["round"]
    search_fields = ["mobile", "submission__order_reference"]
    list_select_related = ["submission"]
    show_full_result_count = False


@admin.register(SmsRule)
class SmsRuleAdmin(admin.ModelAdmin):
    """The administration's own table: where SMS verification is required, from which day."""

    list_display = ["province", "effective_from", "required", "note"]
    list_filter = ["required", "effective_from"]
    search_fields = ["province__name", "note"]
    list_select_related = ["province"]


@admin.register(SimulatorSettings)
class SimulatorSettingsAdmin(admin.ModelAdmin):
    """One row: the list opens it."""

    list_display = ["__str__", "seconds_per_working_day", "review_days_min", "review_days_max", "rejection_rate"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = SimulatorSettings.load()
        return redirect(reverse("admin:miit_simulatorsettings_change", args=[row.pk]))
