"""The back office's own records: the rejection-reason catalogue (admin data), claims, call notes, decisions and
SLA breaches. The order itself (state, assignee, due time, history) lives in ``filings``; everything here points
at it and is written only by ``reviews.services``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import ClaimOutcome, DecisionOutcome, DecisionStage, Queue, ReasonStage, ReasonTarget


class RejectionReason(models.Model):
    """One reason of the catalogue a reviewer rejects with. ``message`` is what the applicant reads beside the field
    that ``target`` points at (stored on the remark as text, so editing a reason never rewrites a past rejection)."""

    code = models.SlugField(_("Code"), max_length=40, unique=True)
    stage = models.CharField(_("Decision"), max_length=20, choices=ReasonStage.choices)
    target = models.CharField(_("Field"), max_length=60, choices=ReasonTarget.choices, blank=True)
    message = models.TextField(_("Message to the applicant"))
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["stage", "position", "id"]

    def __str__(self):
        return self.message[:60]


class Claim(models.Model):
    """A reviewer holding an order (认领 in the back office's sense): from the claim until a decision, a release,
    the idle sweep or a supervisor's reassignment. At most one open claim per order."""

    order = models.ForeignKey(
        "filings.FilingOrder", verbose_name=_("Order"), on_delete=models.CASCADE, related_name="review_claims"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Reviewer"), on_delete=models.PROTECT, related_name="review_claims"
    )
    queue = models.CharField(_("Queue"), max_length=20, choices=Queue.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    claimed_at = models.DateTimeField(_("Claimed at"))
    expires_at = models.DateTimeField(_("Released if idle at"))
    released_at = models.DateTimeField(_("Ended at"), null=True, blank=True)
    outcome = models.CharField(_("Outcome"), max_length=20, choices=ClaimOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(released_at__isnull=True), name="reviews_one_open_claim_per_order"
            ),
        ]
        indexes = [
            # The idle sweep: open claims by expiry.
            models.Index(fields=["expires_at"], condition=Q(released_at__isnull=True), name="reviews_claim_idle"),
            models.Index(fields=["reviewer", "-claimed_at"], name="reviews_claim_reviewer"),
        ]

    def __str__(self):
        return f"{self.order_id} → {self.reviewer_id}"


class CallAttempt(models.Model):
    """A reviewer's telephone check of an order (called, reached or not), written once."""

    order = models.ForeignKey(
        "filings.FilingOrder", verbose_name=_("Order"), on_delete=models.CASCADE, related_name="call_attempts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("Called at"))
    reached = models.BooleanField(_("Reached"))
    note = models.TextField(_("Note"), blank=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["order", "called_at", "id"]
        indexes = [models.Index(fields=["order", "called_at"], name="reviews_call_order_time")]

    def __str__(self):
        return f"{self.order_id} {self.called_at:%Y-%m-%d %H:%M}"


class CallFollowUp(models.Model):
    """Where the telephone check of an order stands: missed calls so far and when the retry is due (a due time
    the call-back queue reads, never a broker countdown). Removed by every decision on the order."""

    order = models.OneToOneField(
        "filings.FilingOrder",
        verbose_name=_("Order"),
        on_delete=models.CASCADE,
        related_name="call_follow_up",
        primary_key=True,
    )
    misses = models.PositiveSmallIntegerField(_("Missed calls"), default=0)
    retry_due_at = models.DateTimeField(_("Call-back due at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"))

    class Meta:
        verbose_name = _("call follow-up")
        verbose_name_plural = _("call follow-ups")
        indexes = [
            models.Index(
                fields=["retry_due_at"], condition=Q(retry_due_at__isnull=False), name="reviews_call_retry_due"
            ),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.misses}"


class Decision(models.Model):
    """One decision of the back office (pass, reject, forward), for the statistics: who decided what and when.
    The order's own history is its ``OrderEvent`` rows."""

    order = models.ForeignKey(
        "filings.FilingOrder", verbose_name=_("Order"), on_delete=models.CASCADE, related_name="review_decisions"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("Stage"), max_length=20, choices=DecisionStage.choices)
    outcome = models.CharField(_("Outcome"), max_length=20, choices=DecisionOutcome.choices)
    reason_codes = models.JSONField(_("Reasons"), default=list, blank=True)
    decided_at = models.DateTimeField(_("Decided at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["decided_at", "reviewer"], name="reviews_decision_day"),
            models.Index(fields=["order", "decided_at"], name="reviews_decision_order"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.stage} {self.outcome}"


class SlaBreach(models.Model):
    """An order found past its due time in a provider queue; one row per order and due time, so supervisors hear
    about each breach once."""

    order = models.ForeignKey(
        "filings.FilingOrder", verbose_name=_("Order"), on_delete=models.CASCADE, related_name="sla_breaches"
    )
    status = models.CharField(_("Status"), max_length=30)
    due_at = models.DateTimeField(_("Due at"))
    detected_at = models.DateTimeField(_("Detected at"))

    class Meta:
        verbose_name = _("SLA breach")
        verbose_name_plural = _("SLA breaches")
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "due_at"], name="reviews_one_breach_per_due_time"),
        ]
        indexes = [models.Index(fields=["detected_at"], name="reviews_breach_detected")]

    def __str__(self):
        return f"{self.order_id} {self.due_at:%Y-%m-%d %H:%M}"
