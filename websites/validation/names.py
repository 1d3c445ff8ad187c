"""Website names (网站名称).

RULES.md: not only digits or letters, no symbols, not the domain itself, no 中国/中华/中央/国家/全国/人民 prefix unless
the subject is a national body; personal websites: no company or industry words and no 博客/论坛/社区/评论. The word
lists are admin data (``ReservedWord``), read with one query per check (or passed in by the caller).
"""

import unicodedata
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from core.findings import Finding
from subjects.constants import SubjectNature
from subjects.validation.text import fail, text

from ..constants import WordKind
from ..models import ReservedWord
from .domains import InvalidDomain, domain_text, normalise_domain

# Between words, besides a space: the middle dot of transliterated names (阿依古丽·买买提, 约翰·史密斯).
ALLOWED_PUNCTUATION = frozenset(" ·")
# A national body: a government agency or public institution whose own name starts with one of these.
NATIONAL_BODY_NATURES = frozenset({SubjectNature.GOVERNMENT, SubjectNature.PUBLIC_INSTITUTION})
NATIONAL_BODY_NAME_PREFIXES = ("中华人民共和国", "中国", "国家", "中央", "中共中央", "全国")


def reserved_words() -> dict[str, tuple[str, ...]]:
    """The reserved words by kind (one query)."""
    words: dict[str, list[str]] = {}
    for word, kind in ReservedWord.objects.values_list("word", "kind"):
        if word.strip():
            words.setdefault(kind, []).append(word.strip())
    return {kind: tuple(listed) for kind, listed in words.items()}


def normalise_name(value) -> str:
    """NFKC (full-width letters and digits folded), trimmed, inner runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", text(value)).split())


def _compact(value: str) -> str:
    return value.replace(" ", "").replace("·", "").casefold()


def _is_word_character(character: str) -> bool:
    return unicodedata.category(character)[0] in "LM" or unicodedata.category(character) == "Nd"


def is_national_body(subject_nature: str, subject_name: str) -> bool:
    """A government agency or public institution whose name starts with 中华人民共和国, 中国, 国家, 中央, 中共中央 or
    全国 (中华人民共和国教育部, 国家统计局, 中国科学院)."""
    name = _compact(normalise_name(subject_name))
    return subject_nature in NATIONAL_BODY_NATURES and name.startswith(NATIONAL_BODY_NAME_PREFIXES)


def _found(words: Sequence[str], compact_name: str) -> list[str]:
    """The words the name contains, without those inside a longer one found (科技 inside 网络科技)."""
    found = [word for word in words if _compact(word) in compact_name]
    found = [word for word in found if not any(word != other and word in other for other in found)]
    return sorted(found, key=lambda word: compact_name.find(_compact(word)))


def _domain_forms(domains: Sequence) -> set[str]:
    forms = set()
    for entry in domains:
        try:
            domain = normalise_domain(domain_text(entry))
        except InvalidDomain:
            continue
        forms.update({domain.name, domain.ascii_name, domain.label, domain.ascii_label, domain.name.replace(".", "")})
    return {_compact(form) for form in forms}


def _is_allowed(character: str) -> bool:
    folded = unicodedata.normalize("NFKC", character)
    return all(_is_word_character(part) or part in ALLOWED_PUNCTUATION for part in folded)


def check_name_characters(name: str, *, field: str = "name", typed: str | None = None) -> list[Finding]:
    """Letters of any script, digits, and a space or · between words; never only ASCII letters and digits.
    ``name`` is the normalised name; symbols are named as ``typed`` (全角（ stays 全角)."""
    symbols = []
    for character in text(typed) if typed is not None else name:
        if not character.isspace() and not _is_allowed(character) and character not in symbols:
            symbols.append(character)
    if symbols:
        return [
            fail(
                field,
                "website_name.symbols",
                _(
                    "A website name cannot contain symbols such as %(symbols)s. Use Chinese characters, letters and "
                    "digits; a space or a middle dot (·) between words is fine."
                ),
                symbols=[f"“{character}”" for character in symbols],
                data={"symbols": symbols},
            )
        ]
    bare = name.replace(" ", "").replace("·", "")
    if bare.isascii() and bare.isdigit():
        return [
            fail(
                field,
                "website_name.digits_only",
                _("A website name cannot be only digits. Say what the website is, such as 张三的摄影作品集."),
            )
        ]
    if bare.isascii() and bare.isalpha():
        return [
            fail(
                field,
                "website_name.letters_only",
                _(
                    "A website name cannot be only Latin letters. Give it a Chinese name that says what the website "
                    "is, such as 张三的摄影作品集."
                ),
            )
        ]
    if bare.isascii() and bare.isalnum():
        return [
            fail(
                field,
                "website_name.ascii_only",
                _(
                    "A website name cannot be only Latin letters and digits. Give it a Chinese name that says what "
                    "the website is, such as 张三的摄影作品集."
                ),
            )
        ]
    return []


def check_website_name(
    value,
    *,
    subject_nature: str,
    subject_name: str = "",
    domains: Sequence = (),
    words: Mapping[str, Sequence[str]] | None = None,
    field: str = "name",
) -> list[Finding]:
    """Every rule of a website name. ``words`` is ``reserved_words()`` (loaded when not given)."""
    name = normalise_name(value)
    if not name:
        return [fail(field, "website_name.required", _("Enter the name of the website, saying what it is about."))]
    if words is None:
        words = reserved_words()
    compact_name = _compact(name)
    findings = check_name_characters(name, field=field, typed=value)

    if compact_name in _domain_forms(domains):
        findings.append(
            fail(
                field,
                "website_name.is_domain",
                _(
                    "The website name cannot be its domain (%(name)s). Give it a name that says what the website "
                    "is, such as 张三的摄影作品集."
                ),
                name=name,
            )
        )

    subject_compact = _compact(normalise_name(subject_name))
    for word in words.get(WordKind.NATIONAL_PREFIX, ()):
        prefix = _compact(word)
        if compact_name.startswith(prefix) and not (
            is_national_body(subject_nature, subject_name) or subject_compact.startswith(prefix)
        ):
            findings.append(
                fail(
                    field,
                    "website_name.national_prefix",
                    _(
                        "Only national bodies may start a website name with “%(word)s”. "
                        "Choose a name without this prefix."
                    ),
                    word=word,
                )
            )
            break

    if subject_nature == SubjectNature.INDIVIDUAL:
        business = _found(words.get(WordKind.PERSONAL_BUSINESS, ()), compact_name)
        if business:
            findings.append(
                fail(
                    field,
                    "website_name.personal_business",
                    _(
                        "The name of a personal website cannot contain company or industry words: remove "
                        "%(words)s. Describe the personal content instead."
                    ),
                    words=business,
                )
            )
        interactive = _found(words.get(WordKind.PERSONAL_INTERACTIVE, ()), compact_name)
        if interactive:
            findings.append(
                fail(
                    field,
                    "website_name.personal_interactive",
                    _(
                        "A personal website cannot offer interactive services (blogs, forums, communities, "
                        "comments), so its name cannot contain %(words)s. Remove them."
                    ),
                    words=interactive,
                )
            )

    banned = _found(words.get(WordKind.BANNED, ()), compact_name)
    if banned:
        findings.append(
            fail(
                field,
                "website_name.banned",
                _("Website names cannot contain %(words)s. Choose another name."),
                words=banned,
            )
        )
    return findings
