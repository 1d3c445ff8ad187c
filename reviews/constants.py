"""The back office's choice lists (TextChoices, Chinese by the catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from filings.constants import OrderStatus as S


class Queue(models.TextChoices):
    """The provider's review queues (docs/reviews.md, "Queues")."""

    INITIAL = "initial", _("Initial review")
    PHOTO = "photo", _("Photo review")
    CLAIMS = "claims", _("Claim filings")
    CALLS = "calls", _("Call-backs due")
    FORWARD = "forward", _("Ready to forward")


# Queues a reviewer claims orders from (the forward queue needs no claim: forwarding is one action).
CLAIMABLE_QUEUES = (Queue.INITIAL, Queue.CLAIMS, Queue.CALLS, Queue.PHOTO)
# The states in which a reviewer holds an order (FilingOrder.assignee is set only there).
HELD_STATES = (S.INITIAL_REVIEW, S.PHOTO_REVIEW)


class SlaState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ReasonStage(models.TextChoices):
    """Which decision a rejection reason belongs to."""

    INITIAL_REVIEW = "initial_review", _("Initial review")
    PHOTO_REVIEW = "photo_review", _("Photo review")


class ReasonTarget(models.TextChoices):
    """What a reason points at. Resolved per order into the dotted field paths the applicant's pages show remarks
    beside (``reviews.reasons``): ``subject_principal.mobile`` → ``people.<principal id>.mobile``, ``website.name`` →
    ``websites.<index>.name`` for the website the reviewer picks, ``photo`` → each person's verification photo."""

    ORDER = "", _("The whole order")
    SUBJECT_NAME = "subject.name", _("Subject: name")
    SUBJECT_CERTIFICATE_ADDRESS = "subject.certificate_address", _("Subject: certificate address")
    SUBJECT_MAILING_ADDRESS = "subject.mailing_address", _("Subject: mailing address")
    SUBJECT_INVESTOR = "subject.investor", _("Subject: investor or competent unit")
    SUBJECT_REMARKS = "subject.remarks", _("Subject: remarks")
    SUBJECT_PRINCIPAL_NAME = "subject_principal.name", _("Subject principal: name")
    SUBJECT_PRINCIPAL_CERTIFICATE = "subject_principal.certificate_number", _("Subject principal: certificate number")
    SUBJECT_PRINCIPAL_MOBILE = "subject_principal.mobile", _("Subject principal: mobile")
    SUBJECT_PRINCIPAL_OFFICE_PHONE = "subject_principal.office_phone", _("Subject principal: office phone")
    SUBJECT_PRINCIPAL_EMAIL = "subject_principal.email", _("Subject principal: e-mail")
    WEBSITE_NAME = "website.name", _("Website: name")
    WEBSITE_HOMEPAGE = "website.homepage_url", _("Website: homepage URL")
    WEBSITE_SERVICE_CONTENT = "website.service_content", _("Website: service content")
    WEBSITE_LANGUAGES = "website.languages", _("Website: language")
    WEBSITE_DOMAINS = "website.domains", _("Website: domains")
    WEBSITE_REMARKS = "website.remarks", _("Website: remarks")
    WEBSITE_PRINCIPAL_NAME = "website_principal.name", _("Website principal: name")
    WEBSITE_PRINCIPAL_CERTIFICATE = "website_principal.certificate_number", _("Website principal: certificate number")
    WEBSITE_PRINCIPAL_MOBILE = "website_principal.mobile", _("Website principal: mobile")
    WEBSITE_PRINCIPAL_EMAIL = "website_principal.email", _("Website principal: e-mail")
    MATERIALS = "materials", _("Filing materials")
    PHOTO = "photo", _("Verification photo")


class ClaimOutcome(models.TextChoices):
    """How a claim ended."""

    DECIDED = "decided", _("Decided")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Released when idle")
    REASSIGNED = "reassigned", _("Reassigned")
    ENDED = "ended", _("Order moved on")


class DecisionStage(models.TextChoices):
    INITIAL_REVIEW = "initial_review", _("Initial review")
    PHOTO_REVIEW = "photo_review", _("Photo review")
    CALL = "call", _("Telephone check")
    FORWARDING = "forwarding", _("Forwarding")


class DecisionOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded to the administration")


# The catalogue reason a second missed call rejects with (电话无法联系); reference data creates it.
PHONE_UNREACHABLE_CODE = "phone_unreachable"
