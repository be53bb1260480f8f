"""Every error leaves the API as JSON: {"error": {status, code, message, expected, suggestions}}.

`code` is stable (app.services.errors.ERROR_CODES); `message` and `expected` are in the request's
language (app.i18n, set by app.api.language)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.language import language_of_scope
from app.api.methods import allowed_methods
from app.graph.store import StoreUnavailable
from app.i18n import N_, use_language
from app.i18n import gettext as _
from app.models import ErrorBody, ErrorResponse
from app.services.errors import ServiceError, error_code
from app.services.text import shorten

log = logging.getLogger("lifeact.api")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Nothing by that name; close matches in `suggestions`"},
    422: {"model": ErrorResponse, "description": "A parameter is out of range or malformed; `expected` says what fits"},
    503: {
        "model": ErrorResponse,
        "description": "The graph store cannot be reached; or the request needed more than its time budget "
        "(LIFEACT_REQUEST_TIME_BUDGET) and was stopped, the message saying how to narrow it; or an analysis "
        "of the graph is still being computed",
        "headers": {"Retry-After": {"description": "Seconds to wait before asking again", "schema": {"type": "integer"}}},
    },
}

# What a write (and the audit trail, which needs a token) may answer besides the above.
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    400: {"model": ErrorResponse, "description": "The body is not UTF-8 JSON"},
    401: {"model": ErrorResponse, "description": "No valid bearer token (`WWW-Authenticate: Bearer`)"},
    403: {"model": ErrorResponse, "description": "The token's role may not do this"},
    409: {"model": ErrorResponse, "description": "A solution of that name exists"},
    412: {"model": ErrorResponse, "description": "Someone changed it since the version in `If-Match`"},
    428: {"model": ErrorResponse, "description": "`If-Match` with the current version is required"},
    429: {"model": ErrorResponse, "description": "Too many failed authentications from this client; try again later"},
}


def error_response(
    status: int, message: str, expected: str | None = None, suggestions: list[str] | None = None, code: str | None = None
) -> JSONResponse:
    error = ErrorBody(
        status=status, code=code or error_code(status), message=message, expected=expected, suggestions=suggestions or []
    )
    return JSONResponse(ErrorResponse(error=error).model_dump(), status_code=status)


# Pydantic's messages are English; these are the ones our parameters and bodies can give, in
# the request's language (any other keeps pydantic's text). Marked here, translated when used.
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": N_("is required"),
    "int_parsing": N_("is not a whole number"),
    "int_from_float": N_("is not a whole number"),
    "float_parsing": N_("is not a number"),
    "bool_parsing": N_("is not a yes/no value"),
    "date_parsing": N_("is not a date"),
    "date_from_datetime_parsing": N_("is not a date"),
    "greater_than": N_("is too small"),
    "greater_than_equal": N_("is too small"),
    "less_than": N_("is too large"),
    "less_than_equal": N_("is too large"),
    "string_too_short": N_("is too short"),
    "string_too_long": N_("is too long"),
    "string_pattern_mismatch": N_("does not have the expected form"),
    "string_type": N_("is not text"),
    "literal_error": N_("is not one of the allowed values"),
    "enum": N_("is not one of the allowed values"),
    "list_type": N_("is not a list"),
    "too_long": N_("has too many items"),
    "too_short": N_("has too few items"),
    "extra_forbidden": N_("is not a known field"),
    "model_attributes_type": N_("is not an object"),
    "dict_type": N_("is not an object"),
    "json_invalid": N_("is not valid JSON"),
    "url_parsing": N_("is not a web address"),
    "url_scheme": N_("is not an http(s) address"),
}


def _describe_validation(exc: RequestValidationError) -> tuple[str, str]:
    problems, expected = [], []
    for error in exc.errors()[:5]:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
        name = ".".join(location) or _("request")
        kind = error.get("type", "")
        known = VALIDATION_MESSAGES.get(kind)
        problems.append(f"{name}: {_(known) if known else error.get('msg', _('invalid'))}")
        ctx = error.get("ctx") or {}
        bounds = [f"{word} {ctx[key]}" for key, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if key in ctx]
        if bounds:
            expected.append(f"{name} {_(' and ').join(bounds)}")
        elif "expected" in ctx:
            expected.append(f"{name}: {ctx['expected']}")
        elif kind == "missing":
            expected.append(_("{name} is required").format(name=name))
        elif kind.endswith("_parsing") or kind.endswith("_type"):
            expected.append(_("{name} as {type}").format(name=name, type=kind.split("_")[0]))
    return shorten("; ".join(problems), 300), "; ".join(expected) or _("see the parameter descriptions at /docs")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        response = error_response(exc.status, exc.message, exc.expected, exc.suggestions, exc.code)
        response.headers.update(getattr(exc, "headers", None) or {})
        return response

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        return error_response(
            503, _("the graph store is unavailable: {reason}").format(reason=shorten(str(exc), 300)), _("try again shortly")
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, expected = _describe_validation(exc)
        return error_response(422, message, expected)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response(404, _("no such endpoint"), _("a path listed at /docs"))
        if exc.status_code == 405:  # the Allow header is added by app.api.methods, from the same list
            allowed = ", ".join(allowed_methods(request.app.router.routes, request.scope))
            return error_response(
                405,
                _("{method} is not allowed on {path}").format(method=request.method, path=request.url.path),
                _("one of {methods}").format(methods=allowed),
            )
        if exc.status_code == 400:  # FastAPI's answer to a body that is not JSON (or not UTF-8)
            return error_response(400, _("the body is not UTF-8 JSON"), _("a UTF-8 JSON body as described at /docs"))
        return error_response(exc.status_code, shorten(str(exc.detail), 300), _("a request as described at /docs"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        # Outside the language middleware (Starlette's outermost layer): the language from the request itself.
        with use_language(*language_of_scope(request.scope)):
            return error_response(500, _("an unexpected error occurred; it has been logged"))
