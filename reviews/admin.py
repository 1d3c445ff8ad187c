"""The back office in the admin: the rejection-reason catalogue is admin data (editable); claims, calls, decisions
and breaches are records the services write, readable only. The filing-order admin of ``filings`` is registered
again here with the back office's actions (release, reassign, forward), so ``filings`` imports nothing from
``reviews`` (DESIGN.md: imports point down the stack)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from core.admin import ReadOnlyAdminMixin
from filings.admin import FilingOrderAdmin
from filings.errors import OrderError
from filings.models import FilingOrder

from . import services
from .models import CallAttempt, CallFollowUp, Claim, Decision, RejectionReason, SlaBreach


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "stage", "target", "message", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("stage", "is_active", "target")
    search_fields = ("code", "message")

    def get_readonly_fields(self, request, obj=None):
        # The code is how the services find a reason (电话无法联系): fixed once created.
        return ("code",) if obj is not None else ()


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "reviewer", "queue", "claimed_at", "expires_at", "released_at", "outcome", "assigned_by")
    list_filter = ("queue", "outcome")
    search_fields = ("order__number", "reviewer__email")
    list_select_related = ("order", "reviewer", "assigned_by")
    date_hierarchy = "claimed_at"


@admin.register(CallAttempt)
class CallAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "reviewer", "called_at", "reached", "note")
    list_filter = ("reached",)
    search_fields = ("order__number", "reviewer__email", "note")
    list_select_related = ("order", "reviewer")


@admin.register(CallFollowUp)
class CallFollowUpAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "misses", "retry_due_at", "updated_at")
    search_fields = ("order__number",)
    list_select_related = ("order",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("decided_at", "order", "reviewer", "stage", "outcome", "reason_codes")
    list_filter = ("stage", "outcome")
    search_fields = ("order__number", "reviewer__email")
    list_select_related = ("order", "reviewer")
    date_hierarchy = "decided_at"


@admin.register(SlaBreach)
class SlaBreachAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("detected_at", "order", "status", "due_at")
    list_filter = ("status",)
    search_fields = ("order__number",)
    list_select_related = ("order",)
    date_hierarchy = "detected_at"


# --- orders: the admin's transitions, through the same services as the back-office pages --------------------------


class OrderActionForm(ActionForm):
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer (for reassigning)"),
        required=False,
        queryset=get_user_model()
        .objects.filter(groups__name__in=[Role.REVIEWER.value, Role.SUPERVISOR.value], is_active=True)
        .distinct(),
    )


def _each(modeladmin, request, queryset, act, done_message) -> None:
    """Run ``act(order)`` for each selected order; report what was done and each refusal with its reason."""
    done = 0
    for order in queryset.order_by("pk"):
        try:
            act(order)
        except OrderError as refusal:
            modeladmin.message_user(request, f"{order.number}: {refusal.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


class ReviewFilingOrderAdmin(FilingOrderAdmin):
    """The order admin of ``filings`` with the back office's actions. Orders stay read-only; each action calls the
    service a reviewer's page calls, as the signed-in user, so the same permissions and state rules apply (the
    user must be a reviewer or supervisor)."""

    action_form = OrderActionForm
    actions = ["release_claims", "reassign", "forward"]

    @admin.action(description=_("Release the claim (back to the queue)"), permissions=["view"])
    def release_claims(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda order: services.review_release(
                order_id=order.pk, actor=request.user, reason=str(_("Released in the admin."))
            ),
            _("%(count)d order(s) released."),
        )

    @admin.action(description=_("Reassign to the reviewer chosen below"), permissions=["view"])
    def reassign(self, request, queryset):
        # The action form's own validation needs the changelist's action choices; the service checks the reviewer.
        reviewer_id = request.POST.get("reviewer", "")
        if not reviewer_id.isdigit():
            self.message_user(request, _("Choose the reviewer to give the orders to."), messages.ERROR)
            return
        _each(
            self,
            request,
            queryset,
            lambda order: services.review_reassign(order_id=order.pk, actor=request.user, reviewer_id=int(reviewer_id)),
            _("%(count)d order(s) reassigned."),
        )

    @admin.action(description=_("Forward to the administration"), permissions=["view"])
    def forward(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda order: services.review_forward(order_id=order.pk, actor=request.user),
            _("%(count)d order(s) forwarded."),
        )


admin.site.unregister(FilingOrder)
admin.site.register(FilingOrder, ReviewFilingOrderAdmin)
