"""The portal's only door to the administration (DESIGN.md, "The administration boundary").

Everything the portal learns from the national registry comes through ``get_gateway()`` as the frozen dataclasses
below — never a ``miit`` model. Two adapters speak the same operations:

- ``HttpGateway`` POSTs signed JSON (``core.signing``, header ``X-ICP-Signature``, secret ``MIIT_CALLBACK_SECRET``)
  to ``MIIT_BASE_URL`` and checks the signature of each answer, as it would with the real administration;
- ``InProcessGateway`` asks the simulator's API layer in the same process (tests, the embedded run).

Both hand the same JSON-shaped answer to the same parsers, so they cannot disagree. ``MIIT_GATEWAY`` picks one
(``inprocess`` by default, ``http``, or a dotted path to a class). Each operation is an operation name, its payload
and a parser: the lookups, and ``submit_order`` (提交管局, called by the back office's forwarding).
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin

import idna
import requests
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core import signing
from core.findings import Finding, Level
from subjects.validation.text import fail, warn

DEFAULT_PROVIDER_NAME = "示例云计算有限公司"
DEFAULT_BASE_URL = "http://127.0.0.1:8000/miit/"

# The registry API's operations and where they live under MIIT_BASE_URL (the contract with miit/urls.py).
OPERATION_PATHS = {
    "subject_lookup": "api/subjects/lookup/",
    "domain_lookup": "api/domains/lookup/",
    "domain_registration": "api/domains/registration/",
    "domain_holder_verify": "api/domains/verify-holder/",
    "legacy_lookup": "api/legacy/lookup/",
    "legacy_claim": "api/legacy/claim/",
    "principal_lookup": "api/principals/lookup/",
    "submit_order": "api/submissions/",
    "resend_verification": "api/submissions/resend/",
    "public_query": "api/public/query/",
}


def provider_name() -> str:
    """This portal's provider as the registry names access providers (接入商). Setting: ``ICP_PROVIDER_NAME``."""
    return str(getattr(settings, "ICP_PROVIDER_NAME", DEFAULT_PROVIDER_NAME))


class GatewayError(Exception):
    """The administration could not be asked, or answered something the portal cannot trust or read."""


# --- what the administration answers -------------------------------------------------------------------------------


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class SubjectRef:
    """A filed subject as named on a domain's filing."""

    certificate_type: str
    certificate_number: str
    name: str
    nature: str
    province_code: str
    icp_number: str
    status: str
    filed_on: date | None = None

    def is_certificate(self, certificate_type: str, certificate_number: str) -> bool:
        return (self.certificate_type, self.certificate_number) == (certificate_type, certificate_number.upper())

    @classmethod
    def parse(cls, data: dict) -> "SubjectRef":
        return cls(
            certificate_type=data["certificate_type"],
            certificate_number=data["certificate_number"],
            name=data["name"],
            nature=data["nature"],
            province_code=data["province_code"],
            icp_number=data["icp_number"],
            status=data["status"],
            filed_on=_date(data.get("filed_on")),
        )


@dataclass(frozen=True)
class DomainRef:
    name: str
    ascii_name: str
    status: str


@dataclass(frozen=True)
class WebsiteRecord:
    """A filed website and its access provider; ``with_us`` when that provider is this portal's."""

    name: str
    icp_number: str
    access_provider: str
    status: str
    with_us: bool
    filed_on: date | None = None
    domains: tuple[DomainRef, ...] = ()

    @classmethod
    def parse(cls, data: dict) -> "WebsiteRecord":
        return cls(
            name=data["name"],
            icp_number=data["icp_number"],
            access_provider=data["access_provider"],
            status=data["status"],
            with_us=data["access_provider"] == provider_name(),
            filed_on=_date(data.get("filed_on")),
            domains=tuple(DomainRef(d["name"], d["ascii_name"], d["status"]) for d in data.get("domains", ())),
        )


@dataclass(frozen=True)
class SubjectRecord(SubjectRef):
    """A filed subject with its active websites."""

    principal_name: str = ""
    websites: tuple[WebsiteRecord, ...] = field(default=())

    @property
    def has_access_with_us(self) -> bool:
        return any(website.with_us for website in self.websites)

    @property
    def has_access_elsewhere(self) -> bool:
        return any(not website.with_us for website in self.websites)

    @classmethod
    def parse(cls, data: dict) -> "SubjectRecord":
        ref = SubjectRef.parse(data)
        return cls(
            **ref.__dict__,
            principal_name=data.get("principal_name", ""),
            websites=tuple(WebsiteRecord.parse(w) for w in data.get("websites", ())),
        )


@dataclass(frozen=True)
class DomainRecord:
    """The active filing of a domain: which website, through which provider, under which subject."""

    name: str
    ascii_name: str
    status: str
    website: WebsiteRecord
    subject: SubjectRef

    @property
    def with_us(self) -> bool:
        return self.website.with_us

    @classmethod
    def parse(cls, data: dict) -> "DomainRecord":
        return cls(
            name=data["name"],
            ascii_name=data["ascii_name"],
            status=data["status"],
            website=WebsiteRecord.parse(data["website"]),
            subject=SubjectRef.parse(data["subject"]),
        )


@dataclass(frozen=True)
class DomainRegistration:
    """The domain registry's record (域名核验): registrar, holder, expiry, real-name status."""

    ascii_name: str
    name: str
    registrar: str
    holder_name: str
    holder_certificate_type: str
    holder_certificate_number: str
    registered_on: date | None
    expires_on: date | None
    real_name_verified: bool

    @classmethod
    def parse(cls, data: dict) -> "DomainRegistration":
        return cls(
            ascii_name=data["ascii_name"],
            name=data["name"],
            registrar=data["registrar"],
            holder_name=data["holder_name"],
            holder_certificate_type=data["holder_certificate_type"],
            holder_certificate_number=data["holder_certificate_number"],
            registered_on=_date(data.get("registered_on")),
            expires_on=_date(data.get("expires_on")),
            real_name_verified=bool(data["real_name_verified"]),
        )


@dataclass(frozen=True)
class HolderCheck:
    """The administration's domain check: ``problems`` are codes (``not_registered``, ``expired``,
    ``not_real_name_verified``, ``holder_mismatch``); none means the domain may be filed for that subject."""

    ok: bool
    problems: tuple[str, ...]
    registration: DomainRegistration | None

    @classmethod
    def parse(cls, data: dict) -> "HolderCheck":
        registration = data.get("registration")
        return cls(
            ok=bool(data["ok"]),
            problems=tuple(data["problems"]),
            registration=DomainRegistration.parse(registration) if registration else None,
        )


@dataclass(frozen=True)
class LegacyRecord:
    """A filing made through HiChina before the national system moved on; ``claimable`` when filed before June
    2010 and never transferred or claimed."""

    certificate_type: str
    certificate_number: str
    subject_name: str
    nature: str
    province_code: str
    domain: str
    ascii_domain: str
    icp_number: str
    filed_on: date | None
    transferred: bool
    claimed: bool
    claimable: bool

    @classmethod
    def parse(cls, data: dict) -> "LegacyRecord":
        return cls(**{**data, "filed_on": _date(data.get("filed_on"))})


@dataclass(frozen=True)
class SubmissionReceipt:
    """The administration's acknowledgement of a forwarded order (提交管局): whether it sends SMS verification
    codes first (its own province rule and the order type), and the state of its review."""

    submission_key: str
    order_number: str
    sms_required: bool
    status: str
    received_at: datetime

    @classmethod
    def parse(cls, data: dict) -> "SubmissionReceipt":
        return cls(
            submission_key=data["submission_key"],
            order_number=data["order_reference"],
            sms_required=bool(data["sms_required"]),
            status=data["status"],
            received_at=datetime.fromisoformat(data["received_at"]),
        )


@dataclass(frozen=True)
class VerificationRound:
    """The administration's answer to a resubmission unchanged: the submission and its new SMS round."""

    submission_key: str
    order_number: str
    status: str
    sms_round: int

    @classmethod
    def parse(cls, data: dict) -> "VerificationRound":
        return cls(
            submission_key=data["submission_key"],
            order_number=data["order_reference"],
            status=data["status"],
            sms_round=int(data["sms_round"]),
        )


@dataclass(frozen=True)
class PrincipalRecord:
    """An active subject or website that names a person's document as principal (``kind``: subject / website)."""

    kind: str
    name: str
    icp_number: str
    subject_name: str
    province_code: str
    access_provider: str = ""
    filed_on: date | None = None

    @classmethod
    def parse(cls, data: dict) -> "PrincipalRecord":
        return cls(**{**data, "filed_on": _date(data.get("filed_on"))})


@dataclass(frozen=True)
class PrincipalLookup:
    """The administration's answer to "which filings use this ID?": nothing unless the name is the one on record
    for the document; then the mobiles on record for it and every active record naming the document."""

    matched: bool
    mobiles: tuple[str, ...] = ()
    records: tuple[PrincipalRecord, ...] = ()

    @classmethod
    def parse(cls, data: dict) -> "PrincipalLookup":
        return cls(
            matched=bool(data["matched"]),
            mobiles=tuple(data.get("mobiles", ())),
            records=tuple(PrincipalRecord.parse(r) for r in data.get("records", ())),
        )


HOLDER_PROBLEM_MESSAGES = {
    "not_registered": _(
        "The domain registry has no record of %(domain)s. Check the spelling: the administration verifies every "
        "domain with its registrar."
    ),
    "expired": _(
        "The registration of %(domain)s expired on %(date)s. Renew it before you submit: the administration "
        "refuses expired domains."
    ),
    "not_real_name_verified": _(
        "%(domain)s has not passed real-name verification at its registrar. Complete it before you submit."
    ),
    "holder_mismatch": _(
        "%(domain)s is registered to someone other than this subject. The holder must be the subject itself (a "
        "person for a personal filing, the organisation by name otherwise): transfer the domain before you submit."
    ),
}


def _display_name(ascii_name: str) -> str:
    try:
        return idna.decode(ascii_name)
    except idna.IDNAError:
        return ascii_name


def holder_findings(check: HolderCheck, *, domain_name: str, field: str, level: Level = Level.ERROR) -> list[Finding]:
    """The problems of a domain check as findings in the reader's language (``level``: errors for the pre-check,
    warnings on the first page)."""
    expires_on = check.registration.expires_on if check.registration else None
    make = fail if level == Level.ERROR else warn
    return [
        make(
            field,
            problem,
            HOLDER_PROBLEM_MESSAGES[problem],
            domain=domain_name,
            date=expires_on.isoformat() if expires_on else "",
        )
        for problem in check.problems
        if problem in HOLDER_PROBLEM_MESSAGES
    ]


# --- the interface ---------------------------------------------------------------------------------------------------


class AdministrationGateway:
    """The operations the portal may ask of the administration. Subclasses provide ``_call``: send one operation
    with its JSON payload, return the JSON answer (a dict) or raise ``GatewayError``."""

    def _call(self, operation: str, payload: dict) -> dict:
        raise NotImplementedError

    def lookup_subject(self, *, certificate_type: str, certificate_number: str) -> SubjectRecord | None:
        """The active subject filed with this certificate, wherever it is accessed, with its active websites."""
        answer = self._call(
            "subject_lookup", {"certificate_type": certificate_type, "certificate_number": certificate_number}
        )
        return SubjectRecord.parse(answer["subject"]) if answer.get("subject") else None

    def lookup_domain(self, ascii_name: str) -> DomainRecord | None:
        """The active filing of a domain (ASCII form), or None when nobody has filed it."""
        answer = self._call("domain_lookup", {"domain": ascii_name})
        return DomainRecord.parse(answer["domain"]) if answer.get("domain") else None

    def domain_registration(self, ascii_name: str) -> DomainRegistration | None:
        answer = self._call("domain_registration", {"domain": ascii_name})
        return DomainRegistration.parse(answer["registration"]) if answer.get("registration") else None

    def verify_domain_holder(
        self,
        ascii_name: str,
        *,
        certificate_type: str = "",
        certificate_number: str = "",
        holder_name: str = "",
        nature: str = "",
    ) -> HolderCheck:
        """The administration's domain check for a subject: registered, held by it, real-name verified, not
        expired. An organisation is matched by ``holder_name`` where given, a person by certificate."""
        answer = self._call(
            "domain_holder_verify",
            {
                "domain": ascii_name,
                "certificate_type": certificate_type,
                "certificate_number": certificate_number,
                "holder_name": holder_name,
                "nature": nature,
            },
        )
        return HolderCheck.parse(answer)

    def check_domain_holder(
        self, *, ascii_name: str, subject_name: str, certificate_number: str, nature: str, certificate_type: str = ""
    ) -> list[Finding]:
        """``verify_domain_holder`` as error findings (field empty: the caller places them), for the pre-check."""
        check = self.verify_domain_holder(
            ascii_name,
            certificate_type=certificate_type,
            certificate_number=certificate_number,
            holder_name=subject_name,
            nature=nature,
        )
        return holder_findings(check, domain_name=_display_name(ascii_name), field="")

    def lookup_legacy(self, *, certificate_type: str, certificate_number: str, ascii_name: str) -> LegacyRecord | None:
        """HiChina's legacy record of this subject and domain, claimable or not."""
        answer = self._call(
            "legacy_lookup",
            {"certificate_type": certificate_type, "certificate_number": certificate_number, "domain": ascii_name},
        )
        return LegacyRecord.parse(answer["record"]) if answer.get("record") else None

    def claim_legacy(
        self, *, certificate_type: str, certificate_number: str, ascii_name: str, order_number: str
    ) -> LegacyRecord:
        """Report an approved claim (认领备案): the registry marks its legacy record claimed by this order. Sending
        the same order's report again is harmless; a record that cannot be claimed raises ``GatewayError``."""
        answer = self._call(
            "legacy_claim",
            {
                "certificate_type": certificate_type,
                "certificate_number": certificate_number,
                "domain": ascii_name,
                "order_reference": order_number,
            },
        )
        return LegacyRecord.parse(answer["record"])

    def lookup_by_principal(self, *, name: str, certificate_type: str, certificate_number: str) -> PrincipalLookup:
        """Every active subject and website naming this personal document as principal, and the mobiles on record
        for it — answered only when ``name`` matches the name on record (the portal's "which filings use my ID?")."""
        answer = self._call(
            "principal_lookup",
            {"name": name, "certificate_type": certificate_type, "certificate_number": certificate_number},
        )
        return PrincipalLookup.parse(answer)

    def submit_order(
        self, *, submission_key: str, order_number: str, order_type: str, province_code: str, payload: dict
    ) -> SubmissionReceipt:
        """Forward an order. ``submission_key`` names this forwarding of this order: sending it again (a retry
        after a timeout) returns the first receipt instead of a second submission."""
        answer = self._call(
            "submit_order",
            {
                "submission_key": submission_key,
                "order_reference": order_number,
                "order_type": order_type,
                "province_code": province_code,
                "provider": provider_name(),
                "payload": payload,
            },
        )
        return SubmissionReceipt.parse(answer["submission"])

    def resend_verification(self, *, order_number: str, resend_key: str) -> VerificationRound:
        """管局退回, resubmitted unchanged: the administration sends new SMS codes (a new round, a new window).
        ``resend_key`` names this resubmission, so a retried request does not send the codes twice."""
        answer = self._call("resend_verification", {"order_reference": order_number, "resend_key": resend_key})
        return VerificationRound.parse(answer["submission"])

    def public_query(self, *, kind: str, q: str) -> list["PublicRecord"]:
        """公共查询: active filings by ``kind`` (``domain``, ``icp_number`` or ``subject`` name) — what anyone may
        look up on the administration's public page."""
        answer = self._call("public_query", {"kind": kind, "q": q})
        return [PublicRecord.parse(entry) for entry in answer["results"]]


@dataclass(frozen=True)
class PublicWebsite:
    name: str
    icp_number: str
    domains: tuple[str, ...]
    filed_on: date | None


@dataclass(frozen=True)
class PublicRecord:
    """A filed subject as the public query shows it, with the websites that answer the query."""

    subject_name: str
    nature: str
    nature_label: str
    icp_number: str
    filed_on: date | None
    websites: tuple[PublicWebsite, ...]

    @classmethod
    def parse(cls, data: dict) -> "PublicRecord":
        return cls(
            subject_name=data["subject_name"],
            nature=data["nature"],
            nature_label=data.get("nature_label", ""),
            icp_number=data["icp_number"],
            filed_on=_date(data.get("filed_on")),
            websites=tuple(
                PublicWebsite(w["name"], w["icp_number"], tuple(w.get("domains", ())), _date(w.get("filed_on")))
                for w in data.get("websites", ())
            ),
        )


class InProcessGateway(AdministrationGateway):
    """Asks the simulator's API layer directly: the same input checks and answers as over HTTP, without a server."""

    def _call(self, operation: str, payload: dict) -> dict:
        from rest_framework.exceptions import ValidationError

        from miit.api import answer_in_process

        try:
            answer = answer_in_process(operation, payload)
        except ValidationError as exc:
            raise GatewayError(f"{operation}: refused input {exc.detail}") from None
        # Through JSON and back, exactly what the HTTP adapter would receive.
        return json.loads(json.dumps(answer, ensure_ascii=False))


class HttpGateway(AdministrationGateway):
    """Signed JSON over HTTP to ``MIIT_BASE_URL``; an answer without a valid signature is not believed."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        secret: str | None = None,
        session=None,
        timeout: float | tuple[float, float] = (3.05, 10),
    ):
        self.base_url = base_url or getattr(settings, "MIIT_BASE_URL", DEFAULT_BASE_URL)
        if not self.base_url.endswith("/"):
            self.base_url += "/"
        self.secret = secret if secret is not None else getattr(settings, "MIIT_CALLBACK_SECRET", "")
        self.session = session or requests.Session()
        self.timeout = timeout

    def _call(self, operation: str, payload: dict) -> dict:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            headers = {
                "Content-Type": "application/json",
                "Accept": "application/json",
                signing.SIGNATURE_HEADER: signing.sign(secret=self.secret, body=body),
            }
        except signing.SignatureError as exc:
            raise GatewayError(f"{operation}: {exc}") from None
        url = urljoin(self.base_url, OPERATION_PATHS[operation])
        try:
            response = self.session.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise GatewayError(f"{operation}: the administration cannot be reached ({exc})") from None
        if response.status_code != 200:
            raise GatewayError(f"{operation}: the administration answered HTTP {response.status_code}")
        try:
            signing.verify(
                secret=self.secret, body=response.content, header=response.headers.get(signing.SIGNATURE_HEADER)
            )
        except signing.SignatureError as exc:
            raise GatewayError(f"{operation}: answer not signed by the administration ({exc})") from None
        try:
            return json.loads(response.content)
        except ValueError:
            raise GatewayError(f"{operation}: the answer is not JSON") from None


ADAPTERS = {"inprocess": InProcessGateway, "in_process": InProcessGateway, "http": HttpGateway}


def get_gateway() -> AdministrationGateway:
    """The adapter ``MIIT_GATEWAY`` names: ``inprocess`` (default), ``http``, or a dotted path to a class."""
    name = getattr(settings, "MIIT_GATEWAY", "inprocess") or "inprocess"
    adapter = ADAPTERS.get(name.lower()) if "." not in name else import_string(name)
    if adapter is None:
        raise GatewayError(f"Unknown MIIT_GATEWAY {name!r}: use inprocess, http or a dotted path")
    return adapter()
