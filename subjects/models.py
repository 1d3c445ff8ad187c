from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import CertificateType, RecordStatus
from .fields import PersonFields, SubjectFields


class Subject(SubjectFields):
    """A filed subject (主办单位): what the administration approved, with its ICP number.

    Written only by the approval of an order (DESIGN.md, "two layers"); the admin shows it read-only. A subject
    belongs to one account: the one that filed it (or claimed it, or transferred it in).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Account"), on_delete=models.PROTECT, related_name="subjects"
    )
    principal = models.ForeignKey(
        "subjects.Person",
        verbose_name=_("Subject principal"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    icp_number = models.CharField(_("ICP subject number"), max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.ACTIVE, db_index=True
    )
    filed_at = models.DateTimeField(_("Filed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("filed subject")
        verbose_name_plural = _("filed subjects")
        ordering = ["-filed_at", "-id"]
        constraints = [
            # The same subject is the same certificate type and number (RULES.md): one active record of it.
            models.UniqueConstraint(
                fields=["certificate_type", "certificate_number"],
                condition=Q(status="active"),
                name="subjects_subject_one_active_per_certificate",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="subjects_owner_status")]

    def __str__(self):
        return f"{self.name} ({self.icp_number or _('not filed')})"


class Person(PersonFields):
    """A principal (负责人) on a filed subject: of the subject itself or of one of its websites."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("Subject"), on_delete=models.CASCADE, related_name="people", null=True, blank=True
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("principal")
        verbose_name_plural = _("principals")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["mobile"], name="subjects_person_mobile"),
            models.Index(fields=["certificate_type", "certificate_number"], name="subjects_person_certificate"),
        ]

    def __str__(self):
        return self.name


class CertificatePattern(models.Model):
    """The format of a personal document that has no checksum (permits, passports): admin data."""

    certificate_type = models.CharField(
        _("Certificate type"), max_length=40, choices=CertificateType.choices, unique=True
    )
    pattern = models.CharField(_("Regular expression"), max_length=200)
    example = models.CharField(_("Example"), max_length=40, blank=True)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("certificate number pattern")
        verbose_name_plural = _("certificate number patterns")
        ordering = ["certificate_type"]

    def __str__(self):
        return self.get_certificate_type_display()
