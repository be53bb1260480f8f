"""Errors the services raise; the API turns each into a JSON answer with its status and a stable
`code`. Their `message` and `expected` are written in the current language (app.i18n)."""

from __future__ import annotations

from typing import ClassVar

from app.i18n import gettext as _

# The machine-readable `code` of every error status the explorer answers with: the same in
# every language, so clients test the code and show the message.
ERROR_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "request_too_large",
    422: "invalid_parameter",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "store_unavailable",
}


def error_code(status: int) -> str:
    return ERROR_CODES.get(status, "error")


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, expected: str | None = None, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.suggestions = suggestions or []

    @property
    def code(self) -> str:
        return error_code(self.status)


def out_of_range(name: str, value: object, low: int, high: int) -> ServiceError:
    """The one wording of a number outside its bounds, for every parameter that has them."""
    return InvalidParameter(
        _("{name}={value} is out of range").format(name=name, value=value),
        expected=_("{name} from {low} to {high}").format(name=name, low=low, high=high),
    )


class NotFound(ServiceError):
    status = 404


class InvalidParameter(ServiceError):
    status = 422


class Unauthorized(ServiceError):
    status = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="lifeact"'}


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class PreconditionFailed(ServiceError):
    status = 412


class PreconditionRequired(ServiceError):
    status = 428


class TooManyRequests(ServiceError):
    status = 429
    headers: ClassVar[dict[str, str]] = {"Retry-After": "60"}


class Unavailable(ServiceError):
    """The graph store cannot answer (the views' page for what the API answers as JSON 503)."""

    status = 503
