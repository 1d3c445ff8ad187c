"""One error format for the whole API:

    {"code": "invalid", "message": "Check the fields marked.",
     "fields": {"websites.0.name": [{"code": "...", "message": "..."}]}}

``code`` is stable for machines, ``message`` is for people (in the request's language), ``fields`` maps dotted paths
of the input to their problems (empty when the error is about the request as a whole).

Apps raise their own domain errors (an order move refused, a service number unknown); each app's ``api`` module
registers how one becomes an ``ApiError`` with ``register_error``, so this module knows no app above ``core``.
"""

from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(exceptions.APIException):
    """An error answered in the API's format: ``status``, ``code``, ``message`` and ``fields`` (path → problems)."""

    def __init__(self, code: str, message, *, status_code: int = status.HTTP_400_BAD_REQUEST, fields=None):
        super().__init__(detail=str(message), code=code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.fields = dict(fields or {})

    @classmethod
    def for_field(cls, field: str, code: str, message, *, status_code: int = status.HTTP_400_BAD_REQUEST):
        """An error about one input field, also named at the top."""
        return cls(code, message, status_code=status_code, fields={field: [field_problem(code, message)]})


def field_problem(code: str, message) -> dict:
    return {"code": code, "message": str(message)}


def error_body(code: str, message, fields: Mapping | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": dict(fields or {})}


_MAPPERS: dict[type, Callable[[Exception], ApiError]] = {}


def register_error(exception_class: type, to_api_error: Callable[[Exception], ApiError]) -> None:
    """Answer ``exception_class`` (and its subclasses, unless they have their own) as ``to_api_error(exc)``."""
    _MAPPERS[exception_class] = to_api_error


def _mapped(exc: Exception) -> Exception:
    for klass in type(exc).__mro__:
        mapper = _MAPPERS.get(klass)
        if mapper is not None:
            return mapper(exc)
    return exc


def _flatten(detail, prefix: str = "") -> dict[str, list[dict]]:
    """DRF's nested error detail as dotted paths: {"websites": [{"name": [...]}]} → {"websites.0.name": [...]}."""
    found: dict[str, list[dict]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = api_settings.NON_FIELD_ERRORS_KEY if key == api_settings.NON_FIELD_ERRORS_KEY and not prefix else key
            path = f"{prefix}.{name}" if prefix else str(name)
            for sub, problems in _flatten(value, path).items():
                found.setdefault(sub, []).extend(problems)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            path = prefix or api_settings.NON_FIELD_ERRORS_KEY
            found.setdefault(path, []).extend(_problem(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                if item in ({}, [], None):
                    continue
                for sub, problems in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    found.setdefault(sub, []).extend(problems)
    elif detail is not None:
        found.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(_problem(detail))
    return found


def _problem(item) -> dict:
    return field_problem(getattr(item, "code", None) or "invalid", item)


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def exception_handler(exc, context):
    """DRF's handler (status, headers such as WWW-Authenticate and Retry-After, rollback), answering the API's one
    error format. Anything it does not know stays a server error."""
    exc = _mapped(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        response.data = error_body(exc.code, exc.message, exc.fields)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("Check the fields marked."), _flatten(exc.detail))
    else:
        response.data = error_body(_code_of(exc), exc.detail if isinstance(exc.detail, str) else str(exc), {})
    return response
