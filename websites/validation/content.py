"""What a website offers: service content (网站服务内容, admin data), languages (网站语言) and content that needs an
approval before filing (前置或专项审批内容)."""

from collections.abc import Mapping, Sequence

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.findings import Finding
from subjects.constants import SubjectNature
from subjects.validation.text import fail, text

from ..constants import PreApprovalType, WebsiteLanguage
from ..models import ServiceContent


def service_contents() -> dict[str, ServiceContent]:
    """The active service contents by code (one query)."""
    return {row.code: row for row in ServiceContent.objects.filter(is_active=True)}


def _content_name(row: ServiceContent) -> str:
    return row.name_en if (get_language() or "").startswith("en") and row.name_en else row.name


content_name = lazy(_content_name, str)
content_name.__doc__ = "A service content's name in the reader's language (its Chinese name unless English is on)."


def _codes(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return list(dict.fromkeys(text(getattr(value, "code", value)) for value in values if text(value)))


def check_service_content(
    codes: Sequence,
    *,
    subject_nature: str,
    contents: Mapping[str, ServiceContent] | None = None,
    field: str = "service_content",
) -> list[Finding]:
    """At least one content, each an active ``ServiceContent``; a personal website only those allowed for
    individuals (其他)."""
    chosen = _codes(codes)
    if not chosen:
        return [fail(field, "service_content.required", _("Choose at least one kind of service the website offers."))]
    if contents is None:
        contents = service_contents()
    unknown = [code for code in chosen if code not in contents]
    if unknown:
        return [
            fail(
                field,
                "service_content.unknown",
                _("%(codes)s is not a service content on the list. Choose from the list."),
                codes=unknown,
            )
        ]
    if subject_nature == SubjectNature.INDIVIDUAL:
        refused = [contents[code] for code in chosen if not contents[code].allowed_for_individuals]
        if refused:
            allowed = [row for row in contents.values() if row.allowed_for_individuals]
            return [
                fail(
                    field,
                    "service_content.not_for_individuals",
                    _("A personal website can only offer %(allowed)s. Remove %(refused)s."),
                    allowed=[content_name(row) for row in allowed],
                    refused=[content_name(row) for row in refused],
                    data={"allowed": [row.code for row in allowed], "refused": [row.code for row in refused]},
                )
            ]
    return []


def check_languages(languages: Sequence, *, field: str = "languages") -> list[Finding]:
    """At least one language, each from ``WebsiteLanguage``."""
    chosen = _codes(languages)
    if not chosen:
        return [fail(field, "languages.required", _("Choose at least one language the website is written in."))]
    unknown = [code for code in chosen if code not in WebsiteLanguage.values]
    if unknown:
        return [
            fail(
                field,
                "languages.unknown",
                _("%(codes)s is not a language on the list. Choose from the list (Other for any language not in it)."),
                codes=unknown,
            )
        ]
    return []


def _approval_entries(pre_approvals) -> list[Mapping]:
    entries = []
    for entry in pre_approvals or ():
        entries.append(entry if isinstance(entry, Mapping) else {"type": entry, "document_number": ""})
    return entries


def check_pre_approvals(pre_approvals: Sequence, *, subject_nature: str, field: str = "pre_approvals") -> list[Finding]:
    """Each content type chosen is a ``PreApprovalType``, chosen once, with the number of its approval document
    (``[{"type": "news", "document_number": "…"}]``); a personal website chooses none."""
    entries = _approval_entries(pre_approvals)
    if not entries:
        return []
    if subject_nature == SubjectNature.INDIVIDUAL:
        types = [text(entry.get("type")) for entry in entries]
        return [
            fail(
                field,
                "pre_approvals.not_for_individuals",
                _(
                    "A personal website cannot carry content that needs an approval before filing (%(types)s). "
                    "Remove it, or file as an organisation that holds the approval."
                ),
                types=[PreApprovalType(code).label if code in PreApprovalType.values else code for code in types],
                data={"types": types},
            )
        ]
    findings = []
    seen = set()
    for index, entry in enumerate(entries):
        approval_type = text(entry.get("type"))
        if approval_type not in PreApprovalType.values:
            findings.append(
                fail(
                    f"{field}.{index}.type",
                    "pre_approvals.unknown_type",
                    _("Choose the kind of content that needs approval from the list."),
                )
            )
            continue
        if approval_type in seen:
            findings.append(
                fail(
                    f"{field}.{index}.type",
                    "pre_approvals.duplicate",
                    _("%(type)s is chosen twice. Give each kind of content once, with its approval document."),
                    type=PreApprovalType(approval_type).label,
                    data={"type": approval_type},
                )
            )
            continue
        seen.add(approval_type)
        if not text(entry.get("document_number")):
            findings.append(
                fail(
                    f"{field}.{index}.document_number",
                    "pre_approvals.document_required",
                    _(
                        "Enter the number of the approval document for %(type)s content: the competent department "
                        "approves such content before the website is filed."
                    ),
                    type=PreApprovalType(approval_type).label,
                    data={"type": approval_type},
                )
            )
    return findings
