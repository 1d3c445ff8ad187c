"""Messages of findings: lazy, interpolated when rendered, so a finding reads in the language of whoever shows it.

``gettext_lazy("... %(name)s ...") % params`` would translate at once, in whatever language is active when the
check runs (a Celery task, the API); ``interpolate`` keeps both the translation and the ``%`` for later.
"""

from collections.abc import Iterable

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language

from core.findings import Finding, error, warning


def list_separator() -> str:
    return "、" if (get_language() or "").startswith("zh") else ", "


def _render(value) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return list_separator().join(_render(item) for item in value)
    return str(value)


def _interpolate(message, params: dict) -> str:
    return str(message) % {name: _render(value) for name, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def interpolate(message, **params) -> Promise | str:
    """``message % params``, done when the text is rendered. List values are joined with the language's comma."""
    if not params:
        return message
    return _lazy_interpolate(message, params)


def _machine_params(params: dict) -> dict:
    # Finding.params are for machines (API clients, tests): plain strings, lists of strings.
    return {
        name: [str(item) for item in value] if isinstance(value, list | tuple | set | frozenset) else str(value)
        for name, value in params.items()
    }


def fail(field_name: str, code: str, message, *, data: dict | None = None, **params) -> Finding:
    """An error whose message is interpolated with ``params`` when rendered.

    ``Finding.params`` gets ``data`` when given (codes rather than translated labels), else ``params`` as strings.
    """
    return error(field_name, code, interpolate(message, **params), **(data or _machine_params(params)))


def warn(field_name: str, code: str, message, *, data: dict | None = None, **params) -> Finding:
    """A warning whose message is interpolated with ``params`` when rendered (``data`` as in ``fail``)."""
    return warning(field_name, code, interpolate(message, **params), **(data or _machine_params(params)))


def placed(findings: Iterable[Finding], prefix: str) -> list[Finding]:
    """The findings under a nested field (``principal`` → ``principal.mobile``); no prefix leaves them as they are."""
    prefix = prefix.strip(".")
    return [finding.at(prefix) for finding in findings] if prefix else list(findings)


def text(value) -> str:
    """A form value as stripped text (None and non-strings included)."""
    if value is None:
        return ""
    return str(value).strip()
