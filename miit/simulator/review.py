"""The administration's review (管局审核): when it decides, what it checks, and what an approval writes.

Checks, each a reason with a field the portal shows it beside (``subject.name``, ``websites.0.domains``,
``icp_password``, or empty for the whole order):

- the ICP password of transfer-in and cancellation orders, against the registry's hash;
- the subject: known to the registry where the type needs it, not yet filed for a first filing;
- each domain: not filed under another subject (or, for new websites, at all), and since 2018-01-01 held by the
  subject, real-name verified and not expired (the registry's domain check, ``selectors.domain_holder_verify``);
- banned words in the subject's and the websites' names (the settings' list);
- the settings' random rejection rate (0 by default).

An approval issues numbers (the province's sequence row is locked, so concurrent approvals never share one), writes
the registry, issues a first filing's ICP password to the subject principal by SMS, and reports the numbers.
"""

import contextlib
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from core import clock

from .. import selectors, services
from ..constants import HolderProblem, RegistryStatus
from ..models import LegacyRecord, RegistryDomain, RegistrySubject, RegistryWebsite, Submission
from . import callbacks
from .models import CallbackType, SimulatorSettings
from .timing import after_working_days, rejected_at_random, review_days

DOMAIN_CHECKS_FROM = date(2018, 1, 1)
PASSWORD_TYPES = frozenset({"transfer_in", "cancel_subject", "cancel_website", "cancel_access"})
CANCELLATION_TYPES = frozenset({"cancel_subject", "cancel_website", "cancel_access"})
NEW_WEBSITE_TYPES = frozenset({"first_filing", "add_website", "add_website_new_user"})
TRANSFER_TYPES = frozenset({"transfer_in", "continue_transfer_in"})
WEBSITE_TYPES = NEW_WEBSITE_TYPES | TRANSFER_TYPES | {"change_website"}
# Types that work on a subject the registry already holds.
EXISTING_SUBJECT_TYPES = frozenset(
    {"add_website", "add_website_new_user", "change_subject", "change_website"} | TRANSFER_TYPES | CANCELLATION_TYPES
)


def review_schedule(submission: Submission, *, now: datetime, config: SimulatorSettings) -> None:
    """The review starts: the decision is due after the submission's number of working days (``timing``)."""
    days = review_days(seed=submission.submission_key, config=config)
    submission.status = Submission.Status.IN_REVIEW
    submission.decide_at = after_working_days(now, days, config=config)


def _reason(field: str, code: str, message: str, **params) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return {"field": field, "code": code, "message": gettext(message) % params if params else gettext(message)}


HOLDER_MESSAGES = {
    HolderProblem.NOT_REGISTERED: gettext_noop("The domain registry has no record of %(domain)s."),
    HolderProblem.EXPIRED: gettext_noop("The registration of %(domain)s has expired."),
    HolderProblem.NOT_REAL_NAME_VERIFIED: gettext_noop(
        "%(domain)s has not passed real-name verification at its registrar."
    ),
    HolderProblem.HOLDER_MISMATCH: gettext_noop("%(domain)s is held by someone other than the subject %(subject)s."),
}


def registry_subject_of(submission: Submission) -> RegistrySubject | None:
    """The active registry subject an order works on: by the filed number it names, else by its certificate."""
    payload = submission.payload or {}
    number = payload.get("filed_subject_icp_number") or ""
    if number:
        found = RegistrySubject.objects.filter(icp_number=number, status=RegistryStatus.ACTIVE).first()
        if found is not None:
            return found
    subject = payload.get("subject") or {}
    if subject.get("certificate_type") and subject.get("certificate_number"):
        return RegistrySubject.objects.filter(
            certificate_type=subject["certificate_type"],
            certificate_number=selectors.normalise_certificate_number(subject["certificate_number"]),
            status=RegistryStatus.ACTIVE,
        ).first()
    return None


def _target_website(submission: Submission, website: dict | None = None) -> RegistryWebsite | None:
    payload = submission.payload or {}
    number = ((website or {}).get("existing_icp_number")) or payload.get("target_website_icp_number") or ""
    if not number:
        return None
    return RegistryWebsite.objects.filter(icp_number=number).exclude(status=RegistryStatus.CANCELLED).first()


def _contains_banned(text: str, words: list[str]) -> str | None:
    return next((word for word in words if word and word in (text or "")), None)


def review_reasons(submission: Submission, *, config: SimulatorSettings, on: date | None = None) -> list[dict]:
    """Why the administration refuses this submission; empty: it approves."""
    on = on or clock.today()
    payload = submission.payload or {}
    kind = submission.order_type
    subject_data = payload.get("subject") or {}
    websites = payload.get("websites") or []
    registry_subject = registry_subject_of(submission)
    reasons = []

    if kind == "first_filing":
        if not subject_data:
            reasons.append(_reason("", "incomplete", gettext_noop("The submission carries no subject information.")))
        elif registry_subject is not None:
            reasons.append(
                _reason(
                    "subject.certificate_number",
                    "subject_already_filed",
                    gettext_noop("This subject is already filed (%(number)s): file a new website under it instead."),
                    number=registry_subject.icp_number,
                )
            )
    elif kind in EXISTING_SUBJECT_TYPES and registry_subject is None:
        reasons.append(
            _reason("", "subject_not_filed", gettext_noop("The registry holds no active filing of this subject."))
        )

    password = payload.get("icp_password") or ""
    if (
        kind in PASSWORD_TYPES
        and registry_subject is not None
        and not services.subject_password_check(subject=registry_subject, password=password)
    ):
        reasons.append(_reason("icp_password", "icp_password_wrong", gettext_noop("The ICP filing password is wrong.")))
    if kind in ("cancel_website", "cancel_access"):
        target = _target_website(submission)
        if target is None or (registry_subject is not None and target.subject_id != registry_subject.pk):
            reasons.append(
                _reason("", "website_not_filed", gettext_noop("The registry holds no such website of this subject."))
            )

    subject_name = subject_data.get("name") or (registry_subject.name if registry_subject else "")
    words = config.banned_word_list
    if subject_data and (word := _contains_banned(subject_data.get("name", ""), words)):
        reasons.append(
            _reason(
                "subject.name",
                "banned_word",
                gettext_noop("The name contains a word that is not allowed: %(word)s."),
                word=word,
            )
        )

    if kind in WEBSITE_TYPES:
        holder = {
            "certificate_type": subject_data.get("certificate_type")
            or (registry_subject.certificate_type if registry_subject else ""),
            "certificate_number": subject_data.get("certificate_number")
            or (registry_subject.certificate_number if registry_subject else ""),
            "holder_name": subject_name,
            "nature": subject_data.get("nature") or (registry_subject.nature if registry_subject else ""),
        }
        for index, website in enumerate(websites):
            reasons += _website_reasons(
                submission, index, website, registry_subject=registry_subject, holder=holder, words=words, on=on
            )

    if not reasons and rejected_at_random(seed=submission.submission_key, config=config):
        reasons.append(
            _reason(
                "",
                "content_rejected",
                gettext_noop("The filing information does not meet the administration's requirements."),
            )
        )
    return reasons


def _website_reasons(submission, index, website, *, registry_subject, holder, words, on) -> list[dict]:
    kind = submission.order_type
    field = f"websites.{index}"
    reasons = []
    if word := _contains_banned(website.get("name", ""), words):
        reasons.append(
            _reason(
                f"{field}.name",
                "banned_word",
                gettext_noop("The name contains a word that is not allowed: %(word)s."),
                word=word,
            )
        )
    target = _target_website(submission, website) if kind == "change_website" else None
    for domain in website.get("domains") or ():
        ascii_name = (domain.get("ascii_name") or "").lower()
        shown = domain.get("name") or ascii_name
        filed = RegistryDomain.objects.filter(ascii_name=ascii_name, status=RegistryStatus.ACTIVE).select_related(
            "website"
        )
        filed = filed.first()
        if filed is not None:
            same_subject = registry_subject is not None and filed.website.subject_id == registry_subject.pk
            allowed = (kind in TRANSFER_TYPES and same_subject) or (
                kind == "change_website" and target is not None and filed.website_id == target.pk
            )
            if not allowed:
                reasons.append(
                    _reason(
                        f"{field}.domains",
                        "domain_filed",
                        gettext_noop("%(domain)s is already filed (%(number)s)."),
                        domain=shown,
                        number=filed.website.icp_number,
                    )
                )
                continue
        if on >= DOMAIN_CHECKS_FROM:
            check = selectors.domain_holder_verify(ascii_name=ascii_name, on=on, **holder)
            for problem in check["problems"]:
                reasons.append(
                    _reason(
                        f"{field}.domains",
                        f"domain_{problem}",
                        HOLDER_MESSAGES[HolderProblem(problem)],
                        domain=shown,
                        subject=holder["holder_name"],
                    )
                )
    return reasons


# --- the approval's writes -----------------------------------------------------------------------------------------


def _person(data: dict | None) -> dict:
    data = data or {}
    return {
        "principal_name": data.get("name", ""),
        "principal_certificate_type": data.get("certificate_type", ""),
        "principal_certificate_number": data.get("certificate_number", ""),
        "principal_mobile": data.get("mobile", ""),
    }


def _domains(website: dict) -> list[tuple[str, str]]:
    return [(d.get("name") or d["ascii_name"], d["ascii_name"].lower()) for d in website.get("domains") or ()]


def _replace_domains(registry_website: RegistryWebsite, domains: list[tuple[str, str]]) -> None:
    wanted = {ascii_name: name for name, ascii_name in domains}
    current = {d.ascii_name: d for d in registry_website.domains.filter(status=RegistryStatus.ACTIVE)}
    RegistryDomain.objects.filter(pk__in=[d.pk for a, d in current.items() if a not in wanted]).update(
        status=RegistryStatus.CANCELLED
    )
    RegistryDomain.objects.bulk_create(
        RegistryDomain(website=registry_website, name=name, ascii_name=a)
        for a, name in wanted.items()
        if a not in current
    )


def _update_website(registry_website: RegistryWebsite, website: dict, *, provider: str) -> RegistryWebsite:
    registry_website.name = website.get("name") or registry_website.name
    registry_website.access_provider = provider or registry_website.access_provider
    registry_website.status = RegistryStatus.ACTIVE
    for key, value in _person(website.get("principal")).items():
        setattr(registry_website, key, selectors.normalise_certificate_number(value) if "number" in key else value)
    registry_website.save()
    _replace_domains(registry_website, _domains(website))
    return registry_website


def _add_website(subject: RegistrySubject, website: dict, *, provider: str) -> RegistryWebsite:
    return services.registry_website_add(
        subject=subject,
        name=website.get("name", ""),
        access_provider=provider,
        domains=_domains(website),
        **_person(website.get("principal")),
    )


def _transferred_website(subject: RegistrySubject, website: dict) -> RegistryWebsite | None:
    ascii_names = [a for _name, a in _domains(website)]
    domain = (
        RegistryDomain.objects.filter(
            ascii_name__in=ascii_names, status=RegistryStatus.ACTIVE, website__subject=subject
        )
        .select_related("website")
        .first()
    )
    return domain.website if domain else None


def _end(websites, status: str) -> None:
    ids = list(websites.values_list("pk", flat=True))
    RegistryWebsite.objects.filter(pk__in=ids).update(status=status)
    RegistryDomain.objects.filter(website_id__in=ids, status=RegistryStatus.ACTIVE).update(
        status=RegistryStatus.CANCELLED
    )


def registry_apply(submission: Submission) -> dict:
    """Write the approved submission into the registry; returns the callback's data: the subject's number, each
    website application's number (``{"id", "icp_number"}``), and whether a password was issued."""
    payload = submission.payload or {}
    kind = submission.order_type
    provider = submission.provider
    subject_data = payload.get("subject") or {}
    websites = payload.get("websites") or []
    numbers = []
    issued_password = None

    if kind == "claim":
        legacy = LegacyRecord.objects.filter(icp_number=payload.get("filed_subject_icp_number") or "").first()
        if legacy is not None and legacy.claimed_at is None:
            LegacyRecord.objects.filter(pk=legacy.pk).update(claimed_at=clock.now())
        return {"subject_icp_number": legacy.icp_number if legacy else "", "websites": [], "password_issued": False}

    if kind == "first_filing":
        issued_password = services.new_password()
        subject = services.registry_subject_create(
            certificate_type=subject_data["certificate_type"],
            certificate_number=subject_data["certificate_number"],
            name=subject_data["name"],
            nature=subject_data["nature"],
            province=submission.province_id,
            password=issued_password,
            **_person(subject_data.get("principal")),
        )
    else:
        subject = registry_subject_of(submission)

    if kind == "change_subject":
        for key in ("name", "nature"):
            if subject_data.get(key):
                setattr(subject, key, subject_data[key])
        for key, value in _person(subject_data.get("principal")).items():
            setattr(subject, key, selectors.normalise_certificate_number(value) if "number" in key else value)
        subject.save()
    elif kind == "cancel_subject":
        _end(subject.websites.exclude(status=RegistryStatus.CANCELLED), RegistryStatus.CANCELLED)
        RegistrySubject.objects.filter(pk=subject.pk).update(status=RegistryStatus.CANCELLED)
    elif kind in ("cancel_website", "cancel_access"):
        status = RegistryStatus.CANCELLED if kind == "cancel_website" else RegistryStatus.ACCESS_REMOVED
        _end(RegistryWebsite.objects.filter(pk=_target_website(submission).pk), status)

    for website in websites:
        if kind in NEW_WEBSITE_TYPES:
            registry_website = _add_website(subject, website, provider=provider)
        elif kind in TRANSFER_TYPES:
            existing = _transferred_website(subject, website)
            registry_website = (
                _update_website(existing, website, provider=provider)
                if existing
                else _add_website(subject, website, provider=provider)
            )
        elif kind == "change_website":
            target = _target_website(submission, website)
            registry_website = (
                _update_website(target, website, provider="")
                if target
                else _add_website(subject, website, provider=provider)
            )
        else:
            existing = _target_website(submission, website)
            if existing is None:
                continue
            registry_website = existing
        if website.get("id") is not None:
            numbers.append({"id": website["id"], "icp_number": registry_website.icp_number})

    if issued_password:
        mobile = (subject_data.get("principal") or {}).get("mobile", "")
        # Without a usable mobile the subject retrieves its password on the retrieval page.
        with contextlib.suppress(ValueError):
            services.password_send(subject=subject, password=issued_password, mobile=mobile)
    return {"subject_icp_number": subject.icp_number, "websites": numbers, "password_issued": bool(issued_password)}


def submission_decide(submission: Submission, *, now: datetime, config: SimulatorSettings) -> None:
    """Decide a due submission (on the locked row, inside the caller's transaction) and report it."""
    reasons = review_reasons(submission, config=config, on=clock.today())
    if reasons:
        submission.status = Submission.Status.REJECTED
        submission.decision = {"reasons": reasons}
        callback_type = CallbackType.REJECTED
        data = {"reasons": reasons}
    else:
        with transaction.atomic():
            data = registry_apply(submission)
        submission.status = Submission.Status.APPROVED
        submission.decision = data
        callback_type = CallbackType.APPROVED
    submission.decided_at = now
    submission.save(update_fields=["status", "decision", "decided_at"])
    callbacks.callback_create(submission=submission, type=callback_type, data=data, now=now)
