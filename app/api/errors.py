"""Every error leaves the API as JSON: {"error": {status, message, expected, suggestions}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.methods import allowed_methods
from app.api.params import PATTERN_HELP
from app.graph.store import StoreUnavailable
from app.models import ErrorBody, ErrorResponse
from app.services.errors import ServiceError
from app.services.text import shorten

log = logging.getLogger("lifeact.api")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Nothing by that name; close matches in `suggestions`"},
    422: {"model": ErrorResponse, "description": "A parameter is out of range or malformed; `expected` says what fits"},
    503: {"model": ErrorResponse, "description": "The graph store cannot be reached"},
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


def _bounds(request: Request | None, name: str) -> tuple[object | None, object | None]:
    """The declared lower and upper bound of the route's parameter `name`, whichever error named it."""
    route = request.scope.get("route") if request is not None else None
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None, None
    low = high = None
    for field in get_flat_params(dependant):
        if field.alias != name:
            continue
        for rule in field.field_info.metadata:
            low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
            high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return low, high


def _range(name: str, low: object | None, high: object | None) -> str | None:
    if low is not None and high is not None:
        return f"{name} from {low} to {high} ({low} ≤ {name} ≤ {high})"
    if low is not None:
        return f"{name} ≥ {low}"
    if high is not None:
        return f"{name} ≤ {high}"
    return None


def _describe(error: dict[str, Any], request: Request | None) -> tuple[str, str | None]:
    """One problem in words, and what would fit."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "header")]
    name = ".".join(location) or "request"
    kind, ctx, value = error.get("type", ""), error.get("ctx") or {}, error.get("input")
    shown = shorten(str(value), 20) if isinstance(value, str | int | float) else ""
    bounds = _range(name, *_bounds(request, name)) if location else None
    if kind == "missing":
        return f"{name} is missing", f"{name}=… is required"
    if kind == "int_parsing":
        return f"{name}='{shown}' is not a whole number", bounds or f"{name} as a whole number"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = [f"{word} {ctx[key]}" for key, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if key in ctx]
        return f"{name}={shown} is out of range", bounds or f"{name} {' and '.join(limits)}"
    if kind == "bool_parsing":
        return f"{name}='{shown}' is not understood", f"{name}=1 or {name}=0 (true or false)"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        fits = f"{name}: {PATTERN_HELP.get(pattern, 'text matching ' + pattern)}"
        return (f"{name} is missing" if not str(value).strip() else f"{name}='{shown}' does not fit"), fits
    problem = f"{name}: {error.get('msg', 'invalid')}"
    if "expected" in ctx:
        return problem, f"{name}: {ctx['expected']}"
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return problem, f"{name} as {kind.split('_')[0]}"
    return problem, None


def describe_validation(exc: RequestValidationError, request: Request | None = None) -> tuple[str, str]:
    """The 422's message and `expected`, for the JSON error and the views' error pages alike."""
    problems, expected = [], []
    for error in exc.errors()[:5]:
        problem, fits = _describe(error, request)
        problems.append(problem)
        if fits:
            expected.append(fits)
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
        message, expected = describe_validation(exc, request)
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
