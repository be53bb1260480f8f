"""Errors the services raise; the API turns each into a JSON answer with its status."""

from __future__ import annotations


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
