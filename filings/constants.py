from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderType(models.TextChoices):
    """备案类型. Detected from the registry and the portal's own records, never chosen (RULES.md)."""

    FIRST_FILING = "first_filing", _("First filing")
    ADD_WEBSITE = "add_website", _("Add website")
    ADD_WEBSITE_NEW_USER = "add_website_new_user", _("Add website (new user)")
    TRANSFER_IN = "transfer_in", _("Transfer-in")
    CONTINUE_TRANSFER_IN = "continue_transfer_in", _("Continue transfer-in")
    CLAIM = "claim", _("Claim filing")
    CHANGE_SUBJECT = "change_subject", _("Change subject")
    CHANGE_WEBSITE = "change_website", _("Change website")
    CANCEL_SUBJECT = "cancel_subject", _("Cancel subject")
    CANCEL_WEBSITE = "cancel_website", _("Cancel website")
    CANCEL_ACCESS = "cancel_access", _("Cancel access")


CANCELLATION_TYPES = frozenset({OrderType.CANCEL_SUBJECT, OrderType.CANCEL_WEBSITE, OrderType.CANCEL_ACCESS})
# Orders whose ICP password the administration checks (RULES.md: transfer-in and cancellations).
PASSWORD_TYPES = frozenset({OrderType.TRANSFER_IN} | CANCELLATION_TYPES)
# Orders that carry new or changed websites, each needing its own service number.
WEBSITE_TYPES = frozenset(
    {
        OrderType.FIRST_FILING,
        OrderType.ADD_WEBSITE,
        OrderType.ADD_WEBSITE_NEW_USER,
        OrderType.TRANSFER_IN,
        OrderType.CONTINUE_TRANSFER_IN,
        OrderType.CHANGE_WEBSITE,
    }
)


class OrderStatus(models.TextChoices):
    """The states of RULES.md's table."""

    DRAFT = "draft", _("Incomplete")
    PENDING_INITIAL_REVIEW = "pending_initial_review", _("Awaiting initial review")
    INITIAL_REVIEW = "initial_review", _("Initial review in progress")
    INITIAL_REJECTED = "initial_rejected", _("Initial review rejected")
    PENDING_PHOTO = "pending_photo", _("Photo needed")
    PHOTO_REVIEW = "photo_review", _("Photo under review")
    PENDING_MIIT_SUBMISSION = "pending_miit_submission", _("Awaiting submission to the administration")
    SMS_VERIFICATION = "sms_verification", _("Awaiting SMS verification")
    MIIT_REVIEW = "miit_review", _("Under administration review")
    MIIT_RETURNED = "miit_returned", _("Returned by the administration")
    MIIT_REJECTED = "miit_rejected", _("Rejected by the administration")
    APPROVED = "approved", _("Filed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


S = OrderStatus
FINAL_STATES = frozenset({S.APPROVED, S.WITHDRAWN, S.EXPIRED})
IN_PROCESS_STATES = frozenset(set(S) - FINAL_STATES)
# The applicant holds these: the 45-day validity runs only here (RULES.md, Time).
APPLICANT_HELD_STATES = frozenset({S.DRAFT, S.INITIAL_REJECTED, S.PENDING_PHOTO, S.MIIT_RETURNED, S.MIIT_REJECTED})
EDITABLE_STATES = frozenset({S.DRAFT, S.INITIAL_REJECTED, S.MIIT_RETURNED, S.MIIT_REJECTED})
ADMINISTRATION_STATES = frozenset({S.SMS_VERIFICATION, S.MIIT_REVIEW})
WITHDRAWABLE_STATES = frozenset(IN_PROCESS_STATES - ADMINISTRATION_STATES)
# The provider's queues: due within one working day of entering them.
PROVIDER_QUEUE_STATES = frozenset(
    {S.PENDING_INITIAL_REVIEW, S.INITIAL_REVIEW, S.PHOTO_REVIEW, S.PENDING_MIIT_SUBMISSION}
)


class ActorKind(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    ADMINISTRATION = "administration", _("Administration")
    SYSTEM = "system", _("System")


class MaterialKind(models.TextChoices):
    """上传备案资料."""

    AUTHENTICITY_STATEMENT = "authenticity_statement", _("Authenticity verification form")
    SUBJECT_CERTIFICATE = "subject_certificate", _("Subject certificate (e.g. business licence)")
    ID_FRONT = "id_front", _("Principal's ID, front")
    ID_BACK = "id_back", _("Principal's ID, back")
    DOMAIN_CERTIFICATE = "domain_certificate", _("Domain certificate")
    PRE_APPROVAL_DOCUMENT = "pre_approval_document", _("Pre-approval document")
    AUTHORISATION_LETTER = "authorisation_letter", _("Authorisation letter")
    VERIFICATION_PHOTO = "verification_photo", _("Verification photo")
    OTHER = "other", _("Other")


ORDER_VALIDITY_DAYS = 45
