"""Filing orders: what an applicant asks for (DESIGN.md, "two layers").

An order carries a subject application, the people on it, website applications with their domains and service
numbers, materials, an immutable history (``OrderEvent``) and the reviewers' remarks per field. Its ``status`` is a
protected django-fsm field: the ``@transition`` methods below only declare source, target and conditions; every
move is made by one service in ``filings.services``, which locks the row, checks the actor and the guard, writes
the event and schedules side effects after commit.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from core.choices import choice_label
from subjects.fields import PersonFields, SubjectFields
from websites.fields import DomainFields, WebsiteFields

from .constants import (
    APPLICANT_HELD_STATES,
    CANCELLATION_TYPES,
    EDITABLE_STATES,
    IN_PROCESS_STATES,
    WITHDRAWABLE_STATES,
    ActorKind,
    MaterialKind,
    OrderStatus,
    OrderType,
)

S = OrderStatus


def _new_order_number() -> str:
    # Readable on the phone, not enumerable: a prefix and 12 random hex digits.
    return "ICP" + secrets.token_hex(6).upper()


def _after_initial_review(order, *args, **kwargs) -> str:
    if order.order_type == OrderType.CLAIM:
        return S.APPROVED
    if order.order_type in CANCELLATION_TYPES:
        return S.PENDING_MIIT_SUBMISSION
    return S.PENDING_PHOTO


def _after_forwarding(order, *args, sms_required: bool = False, **kwargs) -> str:
    return S.SMS_VERIFICATION if sms_required else S.MIIT_REVIEW


class FilingOrder(ConcurrentTransitionMixin, models.Model):
    # Unique through Meta.constraints and indexed through Meta.indexes rather than ``unique=True`` / ``db_index``:
    # on PostgreSQL those would add a second, pattern-matching copy of each index (…_like) that no query uses and
    # every write pays for — the expiry sweep rewrites 100 000 rows (docs/performance.md).
    number = models.CharField(_("Order number"), max_length=20, default=_new_order_number)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Applicant"),
        on_delete=models.PROTECT,
        related_name="filing_orders",
        db_index=False,  # filings_order_applicant (applicant, -created_at) leads with it
    )
    order_type = models.CharField(_("Filing type"), max_length=30, choices=OrderType.choices)
    status = FSMField(_("Status"), max_length=30, choices=OrderStatus.choices, default=S.DRAFT, protected=True)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("Province"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The filed subject this order works on (add website, transfer-in, change, cancel, claim); empty for a first
    # filing until approval creates it.
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("Filed subject"),
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        blank=True,
    )
    # The filed website a website change or cancellation works on.
    target_website = models.ForeignKey(
        "websites.Website",
        verbose_name=_("Filed website"),
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        blank=True,
    )
    # Certificate and first domain as entered on 验证备案类型: the key for "one order in process per subject".
    subject_certificate_type = models.CharField(_("Subject certificate type"), max_length=40)
    subject_certificate_number = models.CharField(_("Subject certificate number"), max_length=40)
    # The ICP password (transfer-in, cancellations), encrypted: forwarded to the administration, never checked here.
    icp_password_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(_("Created at"))
    submitted_at = models.DateTimeField(_("First submitted at"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("Last submitted at"), null=True, blank=True)
    # The 45-day validity: runs only while the applicant holds the order (RULES.md, Time). ``expires_at`` is set
    # while the applicant holds it; ``validity_left`` keeps the remainder while the provider or the administration do.
    expires_at = models.DateTimeField(_("Expires at"), null=True, blank=True)
    validity_left = models.DurationField(_("Validity left"), null=True, blank=True)
    # When the provider must have acted (one working day from entering a provider queue), or null.
    due_at = models.DateTimeField(_("Due at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("Status changed at"))
    # The reviewer holding it (initial review, photo review); null in every other state. Indexed in Meta for the
    # orders someone holds only: an index of every row would be nearly all nulls, written again by every sweep.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Reviewer"),
        on_delete=models.PROTECT,
        related_name="assigned_orders",
        null=True,
        blank=True,
        db_index=False,
    )
    completed_at = models.DateTimeField(_("Completed at"), null=True, blank=True)
    # The applicant's last edit of the content: after 管局退回, "resubmit unchanged" is offered only without one.
    edited_at = models.DateTimeField(_("Last edited at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("filing order")
        verbose_name_plural = _("filing orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="filings_order_applicant"),
            models.Index(fields=["province"], name="filings_order_province"),
            models.Index(fields=["status", "due_at"], name="filings_order_queue"),
            # The initial-review queue holds two states: its page and "claim next" read it in due order from this
            # index, a page at a time, instead of sorting the whole queue (docs/performance.md).
            models.Index(
                fields=["due_at", "id"],
                name="filings_order_initial_queue",
                condition=Q(status__in=[S.INITIAL_REVIEW, S.PENDING_INITIAL_REVIEW]),
            ),
            # "Claim next" from the initial-review queue (reviews.queues.claimable): its first row at once, not
            # after the claim filings waiting beside it (another queue's), however many gather at the head once
            # the queue has been worked through (docs/performance.md, fix 33).
            models.Index(
                fields=["due_at", "id"],
                name="filings_order_claim_next",
                condition=Q(status=S.PENDING_INITIAL_REVIEW) & ~Q(order_type=OrderType.CLAIM),
            ),
            models.Index(
                fields=["expires_at"],
                name="filings_order_expiry",
                condition=Q(status__in=sorted(APPLICANT_HELD_STATES)),
            ),
            models.Index(
                fields=["subject_certificate_type", "subject_certificate_number"], name="filings_order_certificate"
            ),
            # Who holds what: a reviewer's count before each claim (an index-only count of their own orders, not
            # the whole review queue's), and the lookups of a user's orders that the foreign key needs.
            models.Index(
                fields=["assignee", "status"], name="filings_order_assignee", condition=Q(assignee__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="filings_order_number_unique"),
            # One order in process per subject (RULES.md guards), enforced by the database as well.
            models.UniqueConstraint(
                fields=["subject_certificate_type", "subject_certificate_number"],
                condition=Q(status__in=sorted(IN_PROCESS_STATES)),
                name="filings_one_order_in_process_per_subject",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_order_type_display()}"

    # Django's own get_FOO_display builds a dict of every choice on each call, translating every label to hash it
    # (15 statuses): on a list of orders that was a sixth of the page's time (docs/performance.md).
    def get_status_display(self) -> str:
        return choice_label(OrderStatus, self.status)

    def get_order_type_display(self) -> str:
        return choice_label(OrderType, self.order_type)

    # --- state queries ---------------------------------------------------------------------------------------
    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_withdrawable(self) -> bool:
        return self.status in WITHDRAWABLE_STATES

    @property
    def is_applicant_held(self) -> bool:
        return self.status in APPLICANT_HELD_STATES

    @property
    def is_final(self) -> bool:
        return self.status not in IN_PROCESS_STATES

    # --- transitions: source, target and conditions only; services do the rest --------------------------------
    @transition(field=status, source=S.DRAFT, target=S.PENDING_INITIAL_REVIEW)
    def submit(self):
        pass

    @transition(
        field=status, source=[S.INITIAL_REJECTED, S.MIIT_RETURNED, S.MIIT_REJECTED], target=S.PENDING_INITIAL_REVIEW
    )
    def resubmit(self):
        pass

    @transition(field=status, source=S.MIIT_RETURNED, target=S.SMS_VERIFICATION)
    def resubmit_unchanged(self):
        pass

    @transition(field=status, source=sorted(WITHDRAWABLE_STATES), target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=status, source=sorted(APPLICANT_HELD_STATES), target=S.EXPIRED)
    def expire(self):
        pass

    @transition(field=status, source=S.PENDING_INITIAL_REVIEW, target=S.INITIAL_REVIEW)
    def start_initial_review(self):
        pass

    @transition(field=status, source=S.INITIAL_REVIEW, target=S.PENDING_INITIAL_REVIEW)
    def release_initial_review(self):
        pass

    @transition(
        field=status,
        source=S.INITIAL_REVIEW,
        target=GET_STATE(_after_initial_review, states=[S.PENDING_PHOTO, S.PENDING_MIIT_SUBMISSION, S.APPROVED]),
    )
    def pass_initial_review(self):
        pass

    @transition(field=status, source=S.INITIAL_REVIEW, target=S.INITIAL_REJECTED)
    def reject_initial_review(self):
        pass

    @transition(field=status, source=S.PENDING_PHOTO, target=S.PHOTO_REVIEW)
    def submit_photos(self):
        pass

    @transition(field=status, source=S.PHOTO_REVIEW, target=S.PENDING_MIIT_SUBMISSION)
    def pass_photo_review(self):
        pass

    @transition(field=status, source=S.PHOTO_REVIEW, target=S.PENDING_PHOTO)
    def reject_photo_review(self):
        pass

    @transition(
        field=status,
        source=S.PENDING_MIIT_SUBMISSION,
        target=GET_STATE(_after_forwarding, states=[S.SMS_VERIFICATION, S.MIIT_REVIEW]),
    )
    def forward_to_administration(self, *, sms_required: bool = False):
        pass

    @transition(field=status, source=S.SMS_VERIFICATION, target=S.MIIT_REVIEW)
    def complete_sms_verification(self):
        pass

    @transition(field=status, source=S.SMS_VERIFICATION, target=S.MIIT_RETURNED)
    def fail_sms_verification(self):
        pass

    @transition(field=status, source=S.MIIT_REVIEW, target=S.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=S.MIIT_REVIEW, target=S.MIIT_REJECTED)
    def reject_by_administration(self):
        pass


class PersonApplication(PersonFields):
    """A principal in an order: the subject's, or a website's. May start from a filed ``Person``."""

    order = models.ForeignKey(FilingOrder, on_delete=models.CASCADE, related_name="people")
    existing_person = models.ForeignKey(
        "subjects.Person", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    mobile_verified_at = models.DateTimeField(_("Mobile verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("principal (application)")
        verbose_name_plural = _("principals (application)")
        ordering = ["id"]

    def __str__(self):
        return self.name


class SubjectApplication(SubjectFields):
    order = models.OneToOneField(FilingOrder, on_delete=models.CASCADE, related_name="subject_application")
    principal = models.ForeignKey(
        PersonApplication,
        verbose_name=_("Subject principal"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("subject (application)")
        verbose_name_plural = _("subjects (application)")

    def __str__(self):
        return self.name


class WebsiteApplication(WebsiteFields):
    order = models.ForeignKey(FilingOrder, on_delete=models.CASCADE, related_name="websites")
    position = models.PositiveSmallIntegerField(default=0)
    principal = models.ForeignKey(
        PersonApplication,
        verbose_name=_("Website principal"),
        on_delete=models.SET_NULL,
        related_name="websites",
        null=True,
        blank=True,
    )
    # The filed website this entry changes (a website change, transfer-in of a filed website), if any.
    existing_website = models.ForeignKey(
        "websites.Website", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    service_number = models.OneToOneField(
        "websites.ServiceNumber",
        verbose_name=_("Service number"),
        on_delete=models.PROTECT,
        related_name="website_application",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("website (application)")
        verbose_name_plural = _("websites (application)")
        ordering = ["order", "position", "id"]

    def __str__(self):
        return self.name or str(_("(unnamed website)"))


class DomainApplication(DomainFields):
    website = models.ForeignKey(WebsiteApplication, on_delete=models.CASCADE, related_name="domains")

    class Meta:
        verbose_name = _("domain (application)")
        verbose_name_plural = _("domains (application)")
        ordering = ["website", "id"]
        constraints = [
            models.UniqueConstraint(fields=["website", "ascii_name"], name="filings_domain_once_per_website"),
        ]

    def __str__(self):
        return self.name


def _material_path(instance, filename) -> str:
    # Never the uploader's file name: a random name in a per-order folder.
    return f"materials/{instance.order.number}/{secrets.token_hex(16)}.{instance.extension}"


class Material(models.Model):
    """An uploaded document or photo, re-encoded by Pillow and stored privately (DESIGN.md, "Who sees what")."""

    order = models.ForeignKey(FilingOrder, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("Kind"), max_length=30, choices=MaterialKind.choices)
    person = models.ForeignKey(
        PersonApplication, on_delete=models.CASCADE, related_name="materials", null=True, blank=True
    )
    website = models.ForeignKey(
        WebsiteApplication, on_delete=models.CASCADE, related_name="materials", null=True, blank=True
    )
    file = models.FileField(_("File"), upload_to=_material_path, max_length=200)
    thumbnail = models.FileField(upload_to=_material_path, max_length=200, blank=True)
    extension = models.CharField(max_length=4)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField(_("Size (bytes)"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("Original file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("Uploaded at"))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["order", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.order.number})"


class OrderEvent(models.Model):
    """One move of an order (审核历史): who, when, from, to, why. Written once, never changed."""

    order = models.ForeignKey(FilingOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("Action"), max_length=40)
    from_status = models.CharField(_("From"), max_length=30, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("To"), max_length=30, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("By"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_kind = models.CharField(_("Actor"), max_length=20, choices=ActorKind.choices)
    reason = models.TextField(_("Reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("Time"))

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order", "created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="filings_event_order_time")]

    def __str__(self):
        return f"{self.order_id}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Order events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Order events are immutable")


class FieldRemark(models.Model):
    """A reviewer's or the administration's remark on one field, shown to the applicant beside it.

    ``field`` uses the dotted names of the validation findings (``subject.name``, ``websites.0.homepage_url``), or
    is empty for the whole order. The text is stored as given (DESIGN.md: shown where it is stored).
    """

    order = models.ForeignKey(FilingOrder, on_delete=models.CASCADE, related_name="remarks")
    event = models.ForeignKey(OrderEvent, on_delete=models.CASCADE, related_name="remarks", null=True, blank=True)
    field = models.CharField(_("Field"), max_length=80, blank=True)
    code = models.CharField(max_length=40, blank=True)
    message = models.TextField(_("Remark"))
    created_at = models.DateTimeField(_("Time"))
    resolved_at = models.DateTimeField(_("Resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("field remark")
        verbose_name_plural = _("field remarks")
        ordering = ["order", "created_at", "id"]
        indexes = [models.Index(fields=["order", "resolved_at"], name="filings_remark_open")]

    def __str__(self):
        return f"{self.field or '—'}: {self.message[:40]}"


from .audit import MaterialView  # noqa: E402,F401
from .callbacks import CallbackEvent  # noqa: E402,F401
from .pagecache import PageVersion  # noqa: E402,F401
from .photos.models import *  # noqa: E402,F403
