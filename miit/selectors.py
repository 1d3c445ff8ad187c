"""Reads of the registry, as the plain JSON-ready mappings the API answers with.

The HTTP API and the portal's in-process adapter both call these, so the two give the same answers by
construction. Only active records are "in the registry"; a cancelled filing frees its subject and domains.
"""

import re
import unicodedata
from datetime import date

from django.db import connection
from django.db.models import Prefetch
from django.utils.dateparse import parse_date

from core import clock
from core.choices import choice_label

from .constants import PERSONAL_CERTIFICATE_TYPES, HolderProblem, RegistryStatus, SubjectNature
from .models import DomainRegistration, LegacyRecord, RegistryDomain, RegistrySubject, RegistryWebsite


def normalise_certificate_number(number: str) -> str:
    """Full-width folded, spaces and hyphens removed, upper case: how the registry keys certificates."""
    folded = unicodedata.normalize("NFKC", number or "")
    return re.sub(r"[\s\-]", "", folded).upper()


def _normalise_name(name: str) -> str:
    # Names compare after folding full-width brackets and spaces: （北京）有限公司 is (北京)有限公司.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- payloads ----------------------------------------------------------------------------------------------------


def _subject_summary(subject: RegistrySubject) -> dict:
    return {
        "certificate_type": subject.certificate_type,
        "certificate_number": subject.certificate_number,
        "name": subject.name,
        "nature": subject.nature,
        "province_code": subject.province_id,
        "icp_number": subject.icp_number,
        "status": subject.status,
        "filed_on": _iso(subject.filed_on),
    }


def _website_summary(website: RegistryWebsite) -> dict:
    return {
        "name": website.name,
        "icp_number": website.icp_number,
        "access_provider": website.access_provider,
        "status": website.status,
        "filed_on": _iso(website.filed_on),
    }


def _domain_summary(domain: RegistryDomain) -> dict:
    return {"name": domain.name, "ascii_name": domain.ascii_name, "status": domain.status}


def registration_payload(registration: DomainRegistration) -> dict:
    return {
        "ascii_name": registration.ascii_name,
        "name": registration.name,
        "registrar": registration.registrar,
        "holder_name": registration.holder_name,
        "holder_certificate_type": registration.holder_certificate_type,
        "holder_certificate_number": registration.holder_certificate_number,
        "registered_on": _iso(registration.registered_on),
        "expires_on": _iso(registration.expires_on),
        "real_name_verified": registration.real_name_verified,
    }


def legacy_payload(record: LegacyRecord) -> dict:
    return {
        "certificate_type": record.certificate_type,
        "certificate_number": record.certificate_number,
        "subject_name": record.subject_name,
        "nature": record.nature,
        "province_code": record.province_id,
        "domain": record.domain,
        "ascii_domain": record.ascii_domain,
        "icp_number": record.icp_number,
        "filed_on": _iso(record.filed_on),
        "transferred": record.transferred,
        "claimed": record.claimed_at is not None,
        "claimable": record.claimable,
    }


# --- lookups -----------------------------------------------------------------------------------------------------


def subject_lookup(*, certificate_type: str, certificate_number: str) -> dict | None:
    """The active subject filed with this certificate, with its active websites and their active domains."""
    active_domains = RegistryDomain.objects.filter(status=RegistryStatus.ACTIVE).order_by("ascii_name")
    active_websites = (
        RegistryWebsite.objects.filter(status=RegistryStatus.ACTIVE)
        .order_by("icp_number")
        .prefetch_related(Prefetch("domains", queryset=active_domains))
    )
    subject = (
        RegistrySubject.objects.filter(
            certificate_type=certificate_type,
            certificate_number=normalise_certificate_number(certificate_number),
            status=RegistryStatus.ACTIVE,
        )
        .prefetch_related(Prefetch("websites", queryset=active_websites))
        .first()
    )
    if subject is None:
        return None
    return {
        **_subject_summary(subject),
        "principal_name": subject.principal_name,
        "websites": [
            {**_website_summary(website), "domains": [_domain_summary(d) for d in website.domains.all()]}
            for website in subject.websites.all()
        ],
    }


def domain_lookup(*, ascii_name: str) -> dict | None:
    """The active filing of a domain: the domain, its website (with the access provider) and its subject."""
    domain = (
        RegistryDomain.objects.filter(ascii_name=ascii_name.lower(), status=RegistryStatus.ACTIVE)
        .select_related("website__subject")
        .first()
    )
    if domain is None:
        return None
    return {
        **_domain_summary(domain),
        "website": _website_summary(domain.website),
        "subject": _subject_summary(domain.website.subject),
    }


def domain_registration_get(*, ascii_name: str) -> dict | None:
    registration = DomainRegistration.objects.filter(ascii_name=ascii_name.lower()).first()
    return registration_payload(registration) if registration else None


def _holder_matches(
    registration: DomainRegistration, *, holder_name: str, certificate_type: str, certificate_number: str, nature: str
) -> bool:
    """A personal filing's domain is held by the person (same document); an organisation's by the organisation,
    compared by name — or by certificate where no name is known yet (the first page asks no name)."""
    number = normalise_certificate_number(certificate_number)
    held_by_number = normalise_certificate_number(registration.holder_certificate_number)
    if nature == SubjectNature.INDIVIDUAL or certificate_type in PERSONAL_CERTIFICATE_TYPES:
        if held_by_number and number:
            return held_by_number == number
        return not holder_name or _normalise_name(holder_name) == _normalise_name(registration.holder_name)
    if holder_name:
        return _normalise_name(holder_name) == _normalise_name(registration.holder_name)
    if held_by_number and number:
        return held_by_number == number
    return True


def domain_holder_verify(
    *,
    ascii_name: str,
    certificate_type: str = "",
    certificate_number: str = "",
    holder_name: str = "",
    nature: str = "",
    on: date | None = None,
) -> dict:
    """The administration's domain check (RULES.md): registered, held by the subject, real-name verified, not
    expired on ``on`` (today on the settable clock). ``problems`` lists ``HolderProblem`` codes; empty means it
    passes."""
    on = on or clock.today()
    registration = DomainRegistration.objects.filter(ascii_name=ascii_name.lower()).first()
    if registration is None:
        return {"ok": False, "problems": [HolderProblem.NOT_REGISTERED.value], "registration": None}
    problems = []
    if registration.expires_on < on:
        problems.append(HolderProblem.EXPIRED.value)
    if not registration.real_name_verified:
        problems.append(HolderProblem.NOT_REAL_NAME_VERIFIED.value)
    if not _holder_matches(
        registration,
        holder_name=holder_name,
        certificate_type=certificate_type,
        certificate_number=certificate_number,
        nature=nature,
    ):
        problems.append(HolderProblem.HOLDER_MISMATCH.value)
    return {"ok": not problems, "problems": problems, "registration": registration_payload(registration)}


def legacy_lookup(*, certificate_type: str, certificate_number: str, ascii_name: str) -> dict | None:
    """HiChina's legacy record of this subject and domain, if there is one (claimable or not)."""
    record = (
        LegacyRecord.objects.filter(
            certificate_type=certificate_type,
            certificate_number=normalise_certificate_number(certificate_number),
            ascii_domain=ascii_name.lower(),
        )
        .order_by("-filed_on")
        .first()
    )
    return legacy_payload(record) if record else None


# --- the public query (公共查询) ---------------------------------------------------------------------------------

PUBLIC_QUERY_KINDS = ("domain", "icp_number", "subject")
PUBLIC_QUERY_LIMIT = 20


def _query_domain(value: str) -> str:
    """What a visitor types, as the registry's ASCII domain: scheme, path, port and a leading ``www.`` dropped."""
    import idna

    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.strip(), flags=re.IGNORECASE)
    value = value.split("/", 1)[0].split(":", 1)[0].strip().rstrip(".")
    try:
        return idna.encode(value, uts46=True).decode("ascii").lower()
    except idna.IDNAError:
        return value.lower()


# What a result shows of a website and its subject, read as values: instances with their subject (every column
# of both) and the ordering through the subject's Meta took ~40 % of the query's time.
_PUBLIC_WEBSITE_COLUMNS = (
    "id",
    "subject_id",
    "name",
    "icp_number",
    "filed_on",
    "subject__name",
    "subject__nature",
    "subject__icp_number",
    "subject__filed_on",
)
_PUBLIC_SUBJECT_COLUMNS = ("id", "name", "nature", "icp_number", "filed_on")


# Built once: each query clones it (``.all()``, ``.filter()``), never evaluates it, so it holds no rows.
_ACTIVE_WEBSITES = RegistryWebsite.objects.filter(status=RegistryStatus.ACTIVE, subject__status=RegistryStatus.ACTIVE)


def _active_websites():
    return _ACTIVE_WEBSITES.all()


# The query by domain, the one a public page and the API answer most, is written out in SQL: the ORM spent more time
# building it (a join through the domains, DISTINCT, nine columns over two tables) than the database spent answering
# it (docs/performance.md, fix 20). Table names come from the models; every value is a parameter.
_WEBSITES, _SUBJECTS, _DOMAINS = (
    connection.ops.quote_name(model._meta.db_table) for model in (RegistryWebsite, RegistrySubject, RegistryDomain)
)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value) -> date | None:
    # PostgreSQL hands back dates; SQLite, text.
    return parse_date(value) if isinstance(value, str) else value


def _websites_by_domain(names: list[str]) -> list[dict]:
    """Active websites of active subjects with an active domain among ``names`` (ASCII), at most
    ``PUBLIC_QUERY_LIMIT``, in the registry's order, as rows of ``_PUBLIC_WEBSITE_COLUMNS``."""
    active = RegistryStatus.ACTIVE
    rows = _rows(
        f"""
        SELECT w.id, w.subject_id, w.name, w.icp_number, w.filed_on, s.name, s.nature, s.icp_number, s.filed_on
        FROM {_WEBSITES} w JOIN {_SUBJECTS} s ON s.id = w.subject_id
        WHERE w.status = %s AND s.status = %s
          AND w.id IN (SELECT website_id FROM {_DOMAINS} WHERE ascii_name IN ({_marks(names)}) AND status = %s)
        ORDER BY s.icp_number, w.icp_number
        LIMIT %s
        """,  # noqa: S608
        [active, active, *names, active, PUBLIC_QUERY_LIMIT],
    )
    return [
        {
            **dict(zip(_PUBLIC_WEBSITE_COLUMNS, row, strict=True)),
            "filed_on": _date(row[4]),
            "subject__filed_on": _date(row[8]),
        }
        for row in rows
    ]


def _public_websites(websites: list[dict]) -> list[dict]:
    """The result's websites with their active domains (by ASCII name): one query for all, none for no websites."""
    domains: dict[int, list[str]] = {website["id"]: [] for website in websites}
    if domains:
        for website_id, name in _rows(
            f"SELECT website_id, name FROM {_DOMAINS} WHERE website_id IN ({_marks(domains)}) AND status = %s "  # noqa: S608
            "ORDER BY ascii_name, id",
            [*domains, RegistryStatus.ACTIVE],
        ):
            domains[website_id].append(name)
    return [
        {
            "name": website["name"],
            "icp_number": website["icp_number"],
            "domains": domains[website["id"]],
            "filed_on": website["filed_on"],
        }
        for website in websites
    ]


def _public_entry(subject: dict, websites: list[dict]) -> dict:
    return {
        "subject_name": subject["name"],
        "nature": subject["nature"],
        "nature_label": choice_label(SubjectNature, subject["nature"]),  # get_nature_display()
        "icp_number": subject["icp_number"],
        "filed_on": subject["filed_on"],
        "websites": websites,
    }


def _website_entries(websites: list[dict]) -> list[dict]:
    """One result per website, under its subject (rows of ``_PUBLIC_WEBSITE_COLUMNS``)."""
    return [
        _public_entry(
            {
                "name": website["subject__name"],
                "nature": website["subject__nature"],
                "icp_number": website["subject__icp_number"],
                "filed_on": website["subject__filed_on"],
            },
            [public],
        )
        for website, public in zip(websites, _public_websites(websites), strict=True)
    ]


def registry_version() -> int:
    """How many times the registry has changed (``RegistryVersion``, moved by triggers), as committed now: 0 before
    its first change. One read by primary key, no ORM: it is asked before every kept public query page."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM miit_registryversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def public_query(*, kind: str, q: str) -> list[dict]:
    """The administration's public query: active filings by domain, ICP number (subject or website) or exact
    subject name. Each result is a subject with the websites that answer the query (all of them for a subject
    number or name): name, nature, numbers, website names, domains and approval dates."""
    q = (q or "").strip()
    if not q or kind not in PUBLIC_QUERY_KINDS:
        return []
    # Websites in the registry's order: by their subject's number, then their own.
    if kind == "domain":
        ascii_name = _query_domain(q)
        names = [ascii_name] + ([ascii_name[4:]] if ascii_name.startswith("www.") else [])
        return _website_entries(_websites_by_domain(names))
    if kind == "icp_number":
        number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", q))
        website = (
            _active_websites()
            .filter(icp_number=number)
            .order_by("subject__icp_number", "icp_number")
            .values(*_PUBLIC_WEBSITE_COLUMNS)
            .first()
        )
        if website is not None:
            return _website_entries([website])
        subjects = RegistrySubject.objects.filter(icp_number=number, status=RegistryStatus.ACTIVE)
    else:
        subjects = RegistrySubject.objects.filter(name=_normalise_name(q), status=RegistryStatus.ACTIVE)
        if not subjects.exists():
            subjects = RegistrySubject.objects.filter(name=q, status=RegistryStatus.ACTIVE)
    subjects = list(subjects.order_by("icp_number").values(*_PUBLIC_SUBJECT_COLUMNS)[:PUBLIC_QUERY_LIMIT])
    if not subjects:
        return []
    # Every website of these subjects, each subject's by number.
    websites = _active_websites().filter(subject_id__in=[subject["id"] for subject in subjects])
    websites = list(websites.order_by("icp_number").values(*_PUBLIC_WEBSITE_COLUMNS))
    by_subject: dict[int, list[dict]] = {subject["id"]: [] for subject in subjects}
    for website, public in zip(websites, _public_websites(websites), strict=True):
        by_subject[website["subject_id"]].append(public)
    return [_public_entry(subject, by_subject[subject["id"]]) for subject in subjects]
