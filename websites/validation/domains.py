"""Domains of a website and its homepage URL.

What is filed is the registrable domain (the public suffix and one label: ``example.com.cn``, ``例子.中国``):
``www.`` and other subdomains are covered by it and are not filed separately. A domain is normalised with IDNA 2008
and the UTS #46 mapping (``idna``), which lower-cases and folds full-width forms, and split with tldextract's
bundled public suffix list, offline. Whether its suffix may be filed is admin data (``DomainSuffix``,
``NatureDomainSuffix``).
"""

import contextlib
import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna
import tldextract
from django.utils.translation import gettext_lazy as _

from core.findings import Finding
from subjects.constants import SubjectNature
from subjects.validation.text import fail, text, warn

from ..models import DomainSuffix, NatureDomainSuffix

# Offline: no suffix list download, no cache directory; the snapshot bundled with tldextract (DESIGN.md).
EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
SILENT_SUBDOMAINS = frozenset({"www"})
_CODEPOINT = re.compile(r"U\+([0-9A-Fa-f]{4,6})")


@dataclass(frozen=True)
class DomainName:
    """A domain as filed: the registrable domain in Unicode and ASCII, its public suffix, and what was cut off."""

    name: str
    ascii_name: str
    suffix: str
    ascii_suffix: str
    subdomain: str = ""

    @property
    def label(self) -> str:
        """The registered label without the suffix: ``例子`` of ``例子.中国``."""
        return self.name.removesuffix("." + self.suffix)

    @property
    def ascii_label(self) -> str:
        return self.ascii_name.removesuffix("." + self.ascii_suffix)

    def covers(self, ascii_host: str) -> bool:
        """Whether a host (ASCII) is this domain or one of its subdomains."""
        return ascii_host == self.ascii_name or ascii_host.endswith("." + self.ascii_name)

    def is_on(self, ascii_suffix: str) -> bool:
        """Whether the domain ends with the labels of ``ascii_suffix`` (``example.com.cn`` is on ``cn``)."""
        return self.ascii_name.endswith("." + ascii_suffix)


class InvalidDomain(ValueError):
    """A value that is not a domain that could be filed; ``finding(field)`` says why."""

    def __init__(self, code: str, message, **params):
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params

    def finding(self, field: str) -> Finding:
        return fail(field, self.code, self.message, **self.params)


def to_ascii(value: str) -> str:
    """IDNA 2008 with the UTS #46 mapping: ``例子。中国`` → ``xn--fsqu00a.xn--fiqs8s``; raises idna.IDNAError."""
    return idna.encode(value, uts46=True).decode("ascii")


def _host_of(value) -> str:
    raw = text(value)
    if not raw:
        raise InvalidDomain("domain.required", _("Enter the domain, such as example.com."))
    try:
        parts = urlsplit(raw if "://" in raw else "//" + raw)
        host = parts.hostname or ""
        username = parts.username
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InvalidDomain(
            "domain.invalid", _("%(value)s is not a domain. Enter only the domain, such as example.com."), value=raw
        ) from None
    if username is not None or not host:
        raise InvalidDomain(
            "domain.invalid", _("%(value)s is not a domain. Enter only the domain, such as example.com."), value=raw
        )
    return host.rstrip(".").rstrip("。．｡")


def _idna_problem(host: str, exc: idna.IDNAError) -> InvalidDomain:
    reason = str(exc)
    if any(label.lower().startswith("xn--") for label in host.split(".")):
        return InvalidDomain(
            "domain.punycode",
            _("%(domain)s contains a label starting with xn-- that is not valid punycode. Check the domain."),
            domain=host,
        )
    if isinstance(exc, idna.InvalidCodepoint) and (match := _CODEPOINT.search(reason)):
        return InvalidDomain(
            "domain.invalid_character",
            _(
                "A domain cannot contain “%(character)s”. Use letters, digits, hyphens and Chinese characters, "
                "with dots between the labels."
            ),
            character=chr(int(match[1], 16)),
        )
    if "Empty" in reason:
        return InvalidDomain(
            "domain.empty_label",
            _("%(domain)s has two dots in a row or starts with a dot. Remove the extra dot."),
            domain=host,
        )
    if "Label too long" in reason:
        return InvalidDomain(
            "domain.label_too_long",
            _("A part of a domain between two dots can be at most 63 characters (in its ASCII form). Shorten it."),
        )
    if "Domain too long" in reason:
        return InvalidDomain(
            "domain.too_long", _("A domain can be at most 253 characters (in its ASCII form). Check the domain.")
        )
    if "3rd and 4th" in reason:
        return InvalidDomain(
            "domain.hyphen_34",
            _("A part of a domain cannot have two hyphens in its third and fourth places (as in ab--cd)."),
        )
    if "hyphen" in reason:
        return InvalidDomain(
            "domain.hyphen",
            _("A part of a domain cannot start or end with a hyphen. Remove the hyphen or move it inside."),
        )
    return InvalidDomain(
        "domain.invalid", _("%(value)s is not a domain. Enter only the domain, such as example.com."), value=host
    )


def normalise_domain(value) -> DomainName:
    """The registrable domain of what was typed (a domain, or a URL: scheme, port, path and subdomains are cut
    off), lower-cased, in Unicode and ASCII. Raises InvalidDomain."""
    host = _host_of(value)
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise InvalidDomain(
            "domain.ip_address",
            _("%(value)s is an IP address. A filing is for a domain: enter the domain of the website."),
            value=host,
        )
    try:
        ascii_host = to_ascii(host)
        unicode_host = idna.decode(ascii_host)
    except idna.IDNAError as exc:
        raise _idna_problem(host, exc) from None
    parts = EXTRACTOR(unicode_host)
    if not parts.suffix:
        raise InvalidDomain(
            "domain.unknown_suffix",
            _("%(domain)s does not end in a public domain suffix such as .com or .cn. Check the end of the domain."),
            domain=unicode_host,
        )
    if not parts.domain:
        raise InvalidDomain(
            "domain.suffix_only",
            _("%(domain)s is only a suffix. Enter the whole domain, such as example.%(domain)s."),
            domain=unicode_host,
        )
    name = f"{parts.domain}.{parts.suffix}"
    return DomainName(
        name=name,
        ascii_name=to_ascii(name),
        suffix=parts.suffix,
        ascii_suffix=to_ascii(parts.suffix),
        subdomain=parts.subdomain,
    )


# --- Admin data ------------------------------------------------------------------------------------------------------


def _suffix_keys(row: DomainSuffix) -> set[str]:
    # As an administrator may type them: with a leading dot, in capitals, the Unicode form only right.
    keys = {row.ascii_suffix.strip().lstrip(".").lower()}
    with contextlib.suppress(idna.IDNAError):
        keys.add(to_ascii(row.suffix.strip().lstrip(".")))
    return keys - {""}


def domain_suffixes() -> dict[str, DomainSuffix]:
    """The suffix list by ASCII suffix (one query)."""
    return {key: row for row in DomainSuffix.objects.all() for key in _suffix_keys(row)}


def nature_suffixes() -> dict[str, tuple[str, ...]]:
    """The suffixes each restricted nature may file, by nature (one query). Natures without rows are free."""
    rules: dict[str, list[str]] = {}
    for nature, suffix in NatureDomainSuffix.objects.order_by("nature", "suffix").values_list("nature", "suffix"):
        rules.setdefault(nature, []).append(suffix.strip().lstrip("."))
    return {nature: tuple(suffixes) for nature, suffixes in rules.items()}


def suffix_row(domain: DomainName, suffixes: Mapping[str, DomainSuffix]) -> DomainSuffix | None:
    """The row deciding a domain's suffix: its public suffix (``com.cn``), else that suffix's last label (``cn``)."""
    return suffixes.get(domain.ascii_suffix) or suffixes.get(domain.ascii_suffix.rsplit(".", 1)[-1])


# --- Checks ----------------------------------------------------------------------------------------------------------


def check_suffix(domain: DomainName, suffixes: Mapping[str, DomainSuffix], *, field: str = "domain") -> list[Finding]:
    """The suffix is on the approved list (RULES.md: the seed's Beijing list; .hk .tw .asia .jp .co .so .me .xyz
    refused by name)."""
    row = suffix_row(domain, suffixes)
    if row is not None and row.approved:
        return []
    if row is not None:
        return [
            fail(
                field,
                "domain.suffix_refused",
                _(
                    "Domains ending in .%(suffix)s cannot be filed: the administration does not accept this suffix. "
                    "Use a domain on an approved suffix, such as .cn or .com."
                ),
                suffix=row.suffix.strip().lstrip("."),
            )
        ]
    return [
        fail(
            field,
            "domain.suffix_not_listed",
            _(
                ".%(suffix)s is not on the list of suffixes the administration accepts for filing. "
                "Use a domain on an approved suffix, such as .cn or .com."
            ),
            suffix=domain.suffix,
        )
    ]


def check_nature_suffix(
    domain: DomainName, nature: str, rules: Mapping[str, Sequence[str]], *, field: str = "domain"
) -> list[Finding]:
    """A subject of a restricted nature files only domains *on* its suffixes: ending with all the labels of one
    (a public institution's ``example.org.cn`` is on ``cn``; a government agency's ``beijing.gov.cn`` on
    ``gov.cn``, its ``example.cn`` on neither ``gov.cn`` nor ``政务``)."""
    allowed = rules.get(nature, ())
    if not allowed:
        return []
    for suffix in allowed:
        try:
            if domain.is_on(to_ascii(suffix)):
                return []
        except idna.IDNAError:
            continue
    return [
        fail(
            field,
            "domain.suffix_not_for_nature",
            _("A subject of the nature “%(nature)s” files only domains ending in %(allowed)s; %(domain)s does not."),
            nature=SubjectNature(nature).label,
            allowed=[f".{suffix}" for suffix in allowed],
            domain=domain.name,
            data={"nature": str(nature), "allowed": list(allowed), "domain": domain.name},
        )
    ]


def check_domain_name(
    domain: DomainName,
    *,
    field: str = "domain",
    nature: str | None = None,
    suffixes: Mapping[str, DomainSuffix] | None = None,
    nature_rules: Mapping[str, Sequence[str]] | None = None,
) -> list[Finding]:
    """The rules of a normalised domain: a warning when a subdomain other than www. was cut off, the suffix on the
    approved list, allowed for the subject's nature. Loads the admin data it is not given (one query each)."""
    findings = []
    if domain.subdomain and domain.subdomain not in SILENT_SUBDOMAINS:
        findings.append(
            warn(
                field,
                "domain.subdomain",
                _(
                    "Only the registered domain %(domain)s is filed; it covers %(entered)s and every other "
                    "subdomain, which are not filed separately."
                ),
                domain=domain.name,
                entered=f"{domain.subdomain}.{domain.name}",
            )
        )
    findings.extend(check_suffix(domain, domain_suffixes() if suffixes is None else suffixes, field=field))
    if nature:
        rules = nature_suffixes() if nature_rules is None else nature_rules
        findings.extend(check_nature_suffix(domain, nature, rules, field=field))
    return findings


def check_domain(
    value,
    *,
    field: str = "domain",
    nature: str | None = None,
    suffixes: Mapping[str, DomainSuffix] | None = None,
    nature_rules: Mapping[str, Sequence[str]] | None = None,
) -> list[Finding]:
    """One domain as typed: well-formed (``normalise_domain``), then ``check_domain_name``."""
    try:
        domain = normalise_domain(value)
    except InvalidDomain as problem:
        return [problem.finding(field)]
    return check_domain_name(domain, field=field, nature=nature, suffixes=suffixes, nature_rules=nature_rules)


def domain_text(entry) -> str:
    """A domain entry as text: a string, or a mapping / object with ``name`` (a DomainFields row)."""
    if isinstance(entry, Mapping):
        return text(entry.get("name"))
    return text(getattr(entry, "name", entry))


def parsed_domains(domains: Iterable) -> list[DomainName | None]:
    """Each entry normalised, or None where it is not a valid domain."""
    parsed = []
    for entry in domains:
        try:
            parsed.append(normalise_domain(domain_text(entry)))
        except InvalidDomain:
            parsed.append(None)
    return parsed


def check_domains(
    domains: Sequence,
    *,
    field: str = "domains",
    nature: str | None = None,
    suffixes: Mapping[str, DomainSuffix] | None = None,
    nature_rules: Mapping[str, Sequence[str]] | None = None,
) -> list[Finding]:
    """The domains of one website (``domains.0``, ``domains.1``…): at least one, each valid, none twice (the same
    registrable domain typed twice, e.g. with and without www., counts as twice)."""
    if not domains:
        return [fail(field, "domains.required", _("Add at least one domain of the website."))]
    if suffixes is None:
        suffixes = domain_suffixes()
    if nature and nature_rules is None:
        nature_rules = nature_suffixes()
    findings = []
    seen: set[str] = set()
    for index, entry in enumerate(domains):
        entry_field = f"{field}.{index}"
        try:
            domain = normalise_domain(domain_text(entry))
        except InvalidDomain as problem:
            findings.append(problem.finding(entry_field))
            continue
        findings.extend(
            check_domain_name(domain, field=entry_field, nature=nature, suffixes=suffixes, nature_rules=nature_rules)
        )
        if domain.ascii_name in seen:
            findings.append(
                fail(
                    entry_field,
                    "domain.duplicate",
                    _("%(domain)s is already listed for this website. Remove the second entry."),
                    domain=domain.name,
                )
            )
        seen.add(domain.ascii_name)
    return findings


def check_domains_across_websites(websites: Sequence[Sequence], *, field: str = "websites") -> list[Finding]:
    """No domain on two websites of one application (``websites.1.domains.0``). Domains of one site belong on one
    website entry (seed: 多个域名均指向同一网站, 请在同一网站填写)."""
    findings = []
    first_website: dict[str, int] = {}
    for website_index, domains in enumerate(websites):
        for domain_index, domain in enumerate(parsed_domains(domains)):
            if domain is None:
                continue
            other = first_website.setdefault(domain.ascii_name, website_index)
            if other != website_index:
                findings.append(
                    fail(
                        f"{field}.{website_index}.domains.{domain_index}",
                        "domain.in_other_website",
                        _(
                            "%(domain)s is already on website %(other)s of this application. A domain is filed on "
                            "one website only: if both point to the same site, put all its domains on one website."
                        ),
                        domain=domain.name,
                        other=other + 1,
                    )
                )
    return findings


def check_homepage_url(url, domains: Sequence, *, field: str = "homepage_url") -> list[Finding]:
    """网站首页URL: http or https (a missing scheme means http), no user name, the default port, and a host that is
    one of the website's domains or a subdomain of one (IDN hosts compared in ASCII). Domains that are themselves
    invalid are left to the domain checks."""
    raw = text(url)
    if not raw:
        return [fail(field, "homepage_url.required", _("Enter the address of the website's home page."))]
    try:
        parts = urlsplit(raw if "://" in raw else "http://" + raw)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        parts, host, port = None, "", None
    if parts is None or not host or parts.username is not None:
        return [
            fail(
                field,
                "homepage_url.invalid",
                _("Enter the home page as an address such as https://www.example.com/."),
            )
        ]
    if parts.scheme not in ("http", "https"):
        return [
            fail(
                field,
                "homepage_url.scheme",
                _("The home page address starts with http:// or https://, not %(scheme)s://."),
                scheme=parts.scheme,
            )
        ]
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [
            fail(
                field,
                "homepage_url.ip_address",
                _("The home page must be on one of the website's domains, not on an IP address."),
            )
        ]
    if port not in (None, 80, 443):
        return [
            fail(
                field,
                "homepage_url.port",
                _("A filed website is reached on the standard port: remove :%(port)s from the home page address."),
                port=port,
            )
        ]
    try:
        ascii_host = to_ascii(host)
    except idna.IDNAError:
        return [
            fail(
                field,
                "homepage_url.invalid",
                _("Enter the home page as an address such as https://www.example.com/."),
            )
        ]
    valid = [domain for domain in parsed_domains(domains) if domain is not None]
    if not valid or any(domain.covers(ascii_host) for domain in valid):
        return []
    return [
        fail(
            field,
            "homepage_url.off_domain",
            _(
                "The home page must be on one of this website's domains (%(domains)s); %(host)s is not. "
                "Use one of those domains, or add this one to the website."
            ),
            domains=[domain.name for domain in valid],
            host=idna.decode(ascii_host),
        )
    ]
