"""公安备案 (PSB filing) after approval: the deadline, its reminders, the applicant's PSB record and the footer snippet.

A filed website must be filed with the public security bureau within 30 days after it opens (RULES.md, Time; seed
chapter 8). The applicant keeps the opening date and, once done, the PSB number in a ``websites.PsbRecord`` beside
the filed website — their own data, not a filed field. Until the number is recorded, a beat sweep reminds them 7 days
and 1 day before the deadline, on the settable clock. The footer snippet is the HTML the seed asks every homepage to
show: the ICP number linked to the administration's site and the PSB number linked to the PSB's.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import clock
from notifications.services import Notice, notify_many
from regions.models import Region
from subjects.constants import RecordStatus
from subjects.validation.text import interpolate
from websites.models import PsbRecord, PsbReminder, Website

from .errors import NotPermitted, OrderError

PSB_DEADLINE_DAYS = 30
# Lead times, smallest first: a sweep that finds a website already inside the 1-day window sends that one only.
PSB_REMINDER_DAYS = (1, 7)
PSB_NUMBER_PATTERN = re.compile(r"^(?P<abbreviation>\w)公网安备(?P<digits>\d{14})号$")
MIIT_PUBLIC_URL = "https://beian.miit.gov.cn/"
PSB_QUERY_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={digits}"


@dataclass
class PsbError(OrderError):
    """A PSB record the portal refuses: ``field`` is the form field it belongs to."""

    field: str = ""


# --- the PSB number --------------------------------------------------------------------------------------------------


def psb_number_normalise(value: str) -> str:
    """Full-width digits folded and spaces removed (``京公网安备 1101 0502 0539 48 号`` → ``…11010502053948号``)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))


def psb_number_check(value: str) -> str:
    """The normalised number, or PsbError: province abbreviation + 公网安备 + 14 digits + 号, the digits starting with
    that province's code (京 → 11…)."""
    number = psb_number_normalise(value)
    found = PSB_NUMBER_PATTERN.match(number)
    if found is None:
        raise PsbError(
            "psb_number_format",
            _(
                "Enter the PSB number as issued, e.g. 京公网安备11010502053948号: the province, 公网安备, "
                "14 digits, 号."
            ),
            field="psb_number",
        )
    province = Region.objects.filter(level="province", abbreviation=found["abbreviation"]).first()
    if province is None:
        raise PsbError(
            "psb_number_province",
            interpolate(_("%(abbreviation)s is not a province abbreviation."), abbreviation=found["abbreviation"]),
            field="psb_number",
        )
    if not found["digits"].startswith(province.code[:2]):
        raise PsbError(
            "psb_number_region",
            interpolate(
                _("A PSB number of %(province)s has digits starting with %(prefix)s."),
                province=province.name,
                prefix=province.code[:2],
            ),
            field="psb_number",
        )
    return number


def psb_number_digits(number: str) -> str:
    found = PSB_NUMBER_PATTERN.match(number or "")
    return found["digits"] if found else ""


# --- the deadline ----------------------------------------------------------------------------------------------------


def filed_on(website: Website) -> date | None:
    return timezone.localtime(website.filed_at).date() if website.filed_at else None


def _record_of(website: Website) -> PsbRecord | None:
    try:
        return website.psb_record
    except PsbRecord.DoesNotExist:
        return None


@dataclass(frozen=True)
class PsbStatus:
    """Where a website stands with its PSB filing, on the portal's clock."""

    opening_date: date | None
    opening_date_given: bool
    deadline: date | None
    days_left: int | None
    psb_number: str

    @property
    def done(self) -> bool:
        return bool(self.psb_number)

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left is not None and self.days_left < 0


def psb_status(website: Website, *, today: date | None = None) -> PsbStatus:
    """The 30 days run from the opening date the applicant gave, else from the filing date (a website cannot open
    before it is filed, so that is the earliest it may have)."""
    record = _record_of(website)
    opening = record.opening_date if record and record.opening_date else filed_on(website)
    deadline = opening + timedelta(days=PSB_DEADLINE_DAYS) if opening else None
    today = today or clock.today()
    return PsbStatus(
        opening_date=opening,
        opening_date_given=bool(record and record.opening_date),
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        psb_number=record.psb_number if record else "",
    )


# --- the applicant's record ------------------------------------------------------------------------------------------

_UNSET = object()


@transaction.atomic
def psb_record_save(*, actor, website_id: int, opening_date=_UNSET, psb_number=_UNSET) -> PsbRecord:
    """Set the opening date and/or the PSB number of one of the actor's filed websites (an empty number clears it)."""
    website = Website.objects.select_for_update(of=("self",)).select_related("subject").get(pk=website_id)
    if website.subject.owner_id != actor.pk:
        raise NotPermitted()
    if website.status != RecordStatus.ACTIVE:
        raise PsbError("record_not_active", _("This website is no longer filed."))
    record, _created = PsbRecord.objects.get_or_create(website=website)
    if opening_date is not _UNSET:
        first = filed_on(website)
        if opening_date is not None and first is not None and opening_date < first:
            raise PsbError(
                "opened_before_filing",
                interpolate(
                    _("A website cannot open before it is filed: it was filed on %(date)s."), date=first.isoformat()
                ),
                field="opening_date",
            )
        record.opening_date = opening_date
    if psb_number is not _UNSET:
        number = psb_number_check(psb_number) if (psb_number or "").strip() else ""
        if number and PsbRecord.objects.filter(psb_number=number).exclude(pk=record.pk).exists():
            raise PsbError(
                "psb_number_taken", _("This PSB number is already recorded for another website."), field="psb_number"
            )
        if number != record.psb_number:
            record.psb_number = number
            record.recorded_at = clock.now() if number else None
    record.save()
    return record


# --- the footer snippet ----------------------------------------------------------------------------------------------


def psb_footer_snippet(*, icp_number: str, psb_number: str = "") -> str:
    """The HTML to paste at the bottom of the homepage: the ICP number linked to the administration's site and, once
    recorded, the PSB number linked to its public query. Settings ``ICP_FOOTER_MIIT_URL`` / ``ICP_FOOTER_PSB_URL``
    (with ``{digits}``) replace the links."""
    miit_url = getattr(settings, "ICP_FOOTER_MIIT_URL", MIIT_PUBLIC_URL)
    lines = [
        '<div class="icp-footer" style="text-align:center">',
        format_html('  <a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', miit_url, icp_number),
    ]
    digits = psb_number_digits(psb_number)
    if digits:
        psb_url = getattr(settings, "ICP_FOOTER_PSB_URL", PSB_QUERY_URL).format(digits=digits)
        lines.append(
            format_html('  <a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', psb_url, psb_number)
        )
    lines.append("</div>")
    return "\n".join(lines)


# --- reminders -------------------------------------------------------------------------------------------------------


def psb_reminders_send(*, today: date | None = None) -> int:
    """Remind the owners of filed websites without a PSB number that the 30 days are running out. Set-based: one
    query per lead time finds the websites inside it that have no reminder of that lead time or a shorter one for
    their current opening date; the reminder rows (unique per website, opening date and lead time) and the outbox's
    idempotency keys make a second run, or two at once, a no-op. Returns how many reminders it sent."""
    from . import notify

    today = today or clock.today()
    sent = 0
    for days in PSB_REMINDER_DAYS:
        with transaction.atomic():
            due = list(_due_websites(today, days))
            if not due:
                continue
            now = clock.now()
            PsbReminder.objects.bulk_create(
                (PsbReminder(website_id=w.pk, opening_date=w.opening, days_before=days, sent_at=now) for w in due),
                ignore_conflicts=True,
            )
            notify_many(
                Notice(
                    event=notify.PSB_DUE.key,
                    context={
                        "website_name": website.name,
                        "icp_number": website.icp_number or "",
                        "deadline": (website.opening + timedelta(days=PSB_DEADLINE_DAYS)).isoformat(),
                        "days_left": (website.opening + timedelta(days=PSB_DEADLINE_DAYS) - today).days,
                        "link": reverse("filings:website_detail", args=[website.pk]),
                    },
                    idempotency_key=f"psb:{website.pk}:{website.opening.isoformat()}:{days}d",
                    recipient=website.subject.owner,
                    mobile=website.principal_mobile or "",
                )
                for website in due
            )
            sent += len(due)
    return sent


def _due_websites(today: date, days: int):
    """Active websites with no PSB number whose deadline (opening + 30 days) is ``days`` days away or less but not
    past, and no reminder of this lead time or a shorter one yet. The opening date defaults to the filing day."""
    from django.db.models.functions import Coalesce, TruncDate

    opening = Coalesce(F("psb_record__opening_date"), TruncDate("filed_at", tzinfo=timezone.get_default_timezone()))
    reminded = PsbReminder.objects.filter(
        website=OuterRef("pk"), opening_date=OuterRef("opening"), days_before__lte=days
    )
    earliest = today - timedelta(days=PSB_DEADLINE_DAYS)
    latest = today - timedelta(days=PSB_DEADLINE_DAYS - days)
    return (
        Website.objects.filter(status=RecordStatus.ACTIVE, subject__status=RecordStatus.ACTIVE, filed_at__isnull=False)
        .filter(Q(psb_record__isnull=True) | Q(psb_record__psb_number=""))
        .annotate(opening=opening, principal_mobile=F("principal__mobile"))
        .filter(opening__gte=earliest, opening__lte=latest)
        .exclude(Exists(reminded))
        .select_related("subject__owner")
        .order_by("pk")
    )


@shared_task(name="filings.send_psb_reminders")
def send_psb_reminders() -> int:
    """Hourly (beat): PSB deadline reminders. Safe to run twice."""
    return psb_reminders_send()
