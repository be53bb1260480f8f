"""Errors the services raise; the API turns each into a JSON answer with its status."""

from __future__ import annotations

from typing import ClassVar


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, expected: str | None = None, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.suggestions = suggestions or []


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
