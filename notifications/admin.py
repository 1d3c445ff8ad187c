from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin

from . import services
from .models import InboxMessage, NotificationPreference, OutboxMessage, WebhookEndpoint


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every message the portal sent or will send. Rows change only through delivery and the retry action."""

    list_display = ("id", "event", "channel", "recipient", "address", "status", "attempts", "due_at", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("recipient__email", "recipient__full_name", "address", "idempotency_key")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ["retry"]

    @admin.action(description=_("Retry the selected failed messages"), permissions=["retry"])
    def retry(self, request, queryset):
        count = services.outbox_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            _("Messages to send again: %(count)d.") % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.change_outboxmessage")


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "event", "title", "read_at")
    list_filter = ("event",)
    search_fields = ("user__email", "title")
    list_select_related = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "updated_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Applicants' webhook receivers (their deliveries are outbox rows, channel "webhook"); the secret is never
    shown. Applicants manage them through the API."""

    list_display = ("id", "owner", "url", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("owner__email", "url")
    list_select_related = ("owner",)
    exclude = ("secret_encrypted",)
