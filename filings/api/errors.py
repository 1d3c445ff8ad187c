"""How the filings domain's errors are answered (core.api.errors): a refused move is 409 (403 for the wrong actor),
a refused upload 400 beside its field, a refused mobile code 400 beside ``code`` or ``mobile``."""

from rest_framework import status

from core.api.errors import ApiError, field_problem, register_error
from core.mobile_codes import CodeError

from ..errors import OrderError
from ..materials import MaterialRefused


def _order_error(exc: OrderError) -> ApiError:
    return ApiError(exc.code, exc.message, status_code=exc.status)


def _material_refused(exc: MaterialRefused) -> ApiError:
    fields = {exc.field: [field_problem(exc.code, exc.message)]} if exc.field else {}
    return ApiError(exc.code, exc.message, status_code=exc.status, fields=fields)


def _code_error(exc: CodeError) -> ApiError:
    field = "mobile" if exc.code == "invalid_mobile" else "code"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS if exc.code in ("too_soon", "too_many") else 400
    return ApiError(
        exc.code, exc.message, status_code=status_code, fields={field: [field_problem(exc.code, exc.message)]}
    )


register_error(OrderError, _order_error)
register_error(MaterialRefused, _material_refused)
register_error(CodeError, _code_error)
