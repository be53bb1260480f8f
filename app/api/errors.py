"""Every error leaves the API as JSON: {"error": {status, message, expected, suggestions}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.methods import allowed_methods
from app.graph.store import StoreUnavailable
from app.models import ErrorBody, ErrorResponse
from app.services.errors import ServiceError
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


def error_response(status: int, message: str, expected: str | None = None, suggestions: list[str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(status=status, message=message, expected=expected, suggestions=suggestions or []))
    return JSONResponse(body.model_dump(), status_code=status)


def _describe_validation(exc: RequestValidationError) -> tuple[str, str]:
    problems, expected = [], []
    for error in exc.errors()[:5]:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
        name = ".".join(location) or "request"
        problems.append(f"{name}: {error.get('msg', 'invalid')}")
        ctx = error.get("ctx") or {}
        bounds = [f"{word} {ctx[key]}" for key, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if key in ctx]
        if bounds:
            expected.append(f"{name} {' and '.join(bounds)}")
        elif "expected" in ctx:
            expected.append(f"{name}: {ctx['expected']}")
        elif error.get("type") == "missing":
            expected.append(f"{name} is required")
        elif error.get("type", "").endswith("_parsing") or error.get("type", "").endswith("_type"):
            expected.append(f"{name} as {error['type'].split('_')[0]}")
    return shorten("; ".join(problems), 300), "; ".join(expected) or "see the parameter descriptions at /docs"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        response = error_response(exc.status, exc.message, exc.expected, exc.suggestions)
        response.headers.update(getattr(exc, "headers", None) or {})
        return response

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        return error_response(503, f"the graph store is unavailable: {shorten(str(exc), 300)}", "try again shortly")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, expected = _describe_validation(exc)
        return error_response(422, message, expected)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response(404, "no such endpoint", "a path listed at /docs")
        if exc.status_code == 405:  # the Allow header is added by app.api.methods, from the same list
            allowed = ", ".join(allowed_methods(request.app.router.routes, request.scope))
            return error_response(405, f"{request.method} is not allowed on {request.url.path}", f"one of {allowed}")
        if exc.status_code == 400:  # FastAPI's answer to a body that is not JSON (or not UTF-8)
            return error_response(400, shorten(str(exc.detail), 300), "a UTF-8 JSON body as described at /docs")
        return error_response(exc.status_code, shorten(str(exc.detail), 300), "a request as described at /docs")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "an unexpected error occurred; it has been logged")
