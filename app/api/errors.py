"""Every error leaves the API as JSON: {"error": {status, code, message, expected, suggestions}}.

`code` is stable (app.services.errors.ERROR_CODES); `message` and `expected` are in the request's
language (app.i18n, set by app.api.language)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.language import language_of_scope
from app.api.methods import allowed_methods
from app.api.params import pattern_help
from app.graph.store import StoreMemoryExceeded, StoreUnavailable
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
        return _("{name} from {low} to {high}").format(name=name, low=low, high=high) + f" ({low} ≤ {name} ≤ {high})"
    if low is not None:
        return f"{name} ≥ {low}"
    if high is not None:
        return f"{name} ≤ {high}"
    return None


# What a value of each pydantic type looks like (for `{name} as …`), in the request's language.
TYPE_WORDS: dict[str, str] = {
    "int": N_("a whole number"),
    "float": N_("a number"),
    "bool": N_("true or false"),
    "date": N_("a date, YYYY-MM-DD"),
    "datetime": N_("a date and time, YYYY-MM-DDTHH:MM:SS"),
    "string": N_("text"),
    "list": N_("a list"),
    "dict": N_("an object"),
    "model": N_("an object"),
    "url": N_("an http:// or https:// address"),
}
LOCATIONS = ("query", "path", "body", "header", "cookie")
# A length rule's bound in `ctx`, and how it reads (text and lists); worded without a plural, as
# the bound may be 1.
LENGTH_RULES: dict[str, tuple[str, str]] = {
    "string_too_long": ("max_length", N_("a length of at most {count}")),
    "string_too_short": ("min_length", N_("a length of at least {count}")),
    "too_long": ("max_length", N_("a list of at most {count} items")),
    "too_short": ("min_length", N_("a list of at least {count} items")),
}


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as a list in any language: the values themselves are the contract."""
    head, _or, last = expected.rpartition(" or ")
    return f"{head}, {last}" if head else expected


def _describe(error: dict[str, Any], request: Request | None) -> tuple[str, str | None]:
    """One problem in words, and what would fit, in the request's language. Built from the
    error's `type` and `ctx`, never from pydantic's English `msg` where the type is one we meet."""
    loc = [str(part) for part in error.get("loc", ())]
    # The first part says where (query, body …); the rest is the field, which may itself be called "query".
    location = loc[1:] if loc and loc[0] in LOCATIONS else loc
    in_body = bool(loc) and loc[0] == "body"
    name = ".".join(location) or (_("the body") if in_body else _("request"))
    kind, ctx, value = error.get("type", ""), error.get("ctx") or {}, error.get("input")
    shown = shorten(str(value), 20) if isinstance(value, str | int | float) else ""
    bounds = _range(name, *_bounds(request, name)) if location else None
    if kind == "json_invalid":
        return (
            _("the body is not valid JSON (at character {position})").format(position=location[-1] if location else 0),
            _("a UTF-8 JSON body as described at /docs"),
        )
    if kind == "missing":
        if in_body:
            return _("{name} is missing").format(name=name), _("a value for {name} in the body").format(name=name)
        return _("{name} is missing").format(name=name), _("{name}=… is required").format(name=name)
    if kind == "int_parsing":
        problem = _("{name}='{value}' is not a whole number").format(name=name, value=shown)
        return problem, bounds or _("{name} as a whole number").format(name=name)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = [f"{word} {ctx[key]}" for key, word in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if key in ctx]
        return _("{name}={value} is out of range").format(name=name, value=shown), bounds or f"{name} {' & '.join(limits)}"
    if kind == "bool_parsing":
        problem = _("{name}='{value}' is not understood").format(name=name, value=shown)
        return problem, _("{name}=1 or {name}=0 (true or false)").format(name=name)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        help_text = pattern_help(pattern)
        if not str(value).strip():
            return _("{name} is missing").format(name=name), f"{name}: {help_text}"
        return _("{name}='{value}' does not fit").format(name=name, value=shown), f"{name}: {help_text}"
    known = VALIDATION_MESSAGES.get(kind)
    if kind == "value_error" and ctx.get("error") is not None:
        # our own validators' words (already in the request's language), without pydantic's "Value error, "
        return f"{name}: {ctx['error']}", None
    problem = f"{name}: {_(known) if known else error.get('msg', _('invalid'))}"
    if kind in LENGTH_RULES and LENGTH_RULES[kind][0] in ctx:
        key, rule = LENGTH_RULES[kind]
        return problem, f"{name}: " + _(rule).format(count=ctx[key])
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return problem, f"{name}: " + _("one of {values}").format(values=_choices(str(ctx["expected"])))
    if kind == "url_scheme" and "expected_schemes" in ctx:
        return problem, f"{name}: " + _("one of {values}").format(values=_choices(str(ctx["expected_schemes"])))
    if "expected" in ctx:
        return problem, f"{name}: {ctx['expected']}"
    kind_type = kind.split("_")[0]
    if (kind.endswith("_parsing") or kind.endswith("_type")) and kind_type in TYPE_WORDS:
        return problem, _("{name} as {type}").format(name=name, type=_(TYPE_WORDS[kind_type]))
    return problem, None


def describe_problem(error: Any) -> tuple[str, str | None]:
    """One problem of a form's body in words, and what would fit, in the request's language."""
    return _describe(error, None)


def describe_validation(exc: RequestValidationError, request: Request | None = None) -> tuple[str, str]:
    """The 422's message and `expected`, for the JSON error and the views' error pages alike."""
    problems, expected = [], []
    for error in exc.errors()[:5]:
        problem, fits = _describe(error, request)
        problems.append(problem)
        if fits:
            expected.append(fits)
    return shorten("; ".join(problems), 300), "; ".join(expected) or _("see the parameter descriptions at /docs")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        response = error_response(exc.status, exc.message, exc.expected, exc.suggestions, exc.code)
        response.headers.update(getattr(exc, "headers", None) or {})
        return response

    @app.exception_handler(StoreMemoryExceeded)
    async def store_memory_exceeded(request: Request, exc: StoreMemoryExceeded) -> JSONResponse:
        from app.api.budget import hint_for  # the budget's hints per endpoint; it answers with error_response

        log.warning("store memory exceeded on %s: %s", request.url.path, exc)
        return error_response(
            503,
            _("this question needs more working memory than the graph store may use; {hint}").format(
                hint=hint_for(request.url.path)
            ),
            _("a narrower question, or a larger LIFEACT_EMBEDDED_BUFFER_POOL_MB"),
            code="store_memory_exceeded",
        )

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        return error_response(
            503, _("the graph store is unavailable: {reason}").format(reason=shorten(str(exc), 300)), _("try again shortly")
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, expected = describe_validation(exc, request)
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
