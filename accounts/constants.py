from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The groups people work in. Group names are stable identifiers; labels are what people read."""

    APPLICANT = "Applicants", _("Applicant")
    REVIEWER = "Reviewers", _("Reviewer")
    SUPERVISOR = "Supervisors", _("Supervisor")
    ADMINISTRATOR = "Administrators", _("Administrator")


STAFF_ROLES = (Role.REVIEWER, Role.SUPERVISOR, Role.ADMINISTRATOR)
