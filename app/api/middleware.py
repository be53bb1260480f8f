"""Security headers, CORS, a request size limit and HTTP method semantics, around every response.

Pure ASGI middleware (no BaseHTTPMiddleware) so that streaming responses, static files
and the views pass through untouched apart from the headers. Installed first
(app.main APP_HOOKS), with these layers from the outside in:

    security headers -> CORS (only when LIFEACT_CORS_ORIGINS is set) -> language -> size limit -> methods
    -> answer cache -> time budget (app.api.budget) -> app

so that a 413 and a CORS preflight answer carry the security headers too, and a 413 is in the
request's language (app.api.language). "methods"
(app.api.methods) answers HEAD wherever GET is and puts `Allow` on every 405.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from app.api import budget
from app.api.answer_cache import AnswerCacheMiddleware
from app.api.errors import error_response
from app.api.language import LanguageMiddleware
from app.api.methods import HttpMethodsMiddleware
from app.i18n import gettext as _
from app.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def content_security_policy(frame_ancestors: str, inline_scripts: bool = True) -> str:
    """The app's policy; pages without inline script (the API docs) can forbid it."""
    ancestors = " ".join(frame_ancestors.split()) or "'self'"
    scripts = "'self' 'unsafe-inline'" if inline_scripts else "'self'"
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; connect-src 'self'; frame-ancestors {ancestors}"
    )


def cors_origins(setting: str) -> list[str]:
    return [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]


class SecurityHeadersMiddleware:
    """Adds nosniff, a referrer policy and the agreed CSP to every HTTP response.

    A response that already carries its own Content-Security-Policy keeps it. No
    X-Frame-Options: embedding is governed by the CSP's frame-ancestors (the setting).
    """

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.csp = content_security_policy(frame_ancestors).encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.csp))
                if b"x-content-type-options" not in present:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in present:
                    headers.append((b"referrer-policy", b"strict-origin-when-cross-origin"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when a body without a declared length runs over the limit.

    An HTTPException, so that FastAPI's body parsing lets it through instead of
    turning it into a 400; the handler from install() turns it into the JSON 413.
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, "the request body is too large")  # replaced by too_large_response, in the request's language
        self.max_bytes = max_bytes


def too_large_response(max_bytes: int) -> JSONResponse:
    return error_response(
        413,
        _("the request body is too large"),
        _("at most {count} bytes (LIFEACT_MAX_REQUEST_BYTES)").format(count=max_bytes),
    )


class RequestSizeLimitMiddleware:
    """Refuses request bodies over `max_bytes` with a JSON 413, before the app reads them.

    A declared Content-Length is checked up front; a body without one (chunked) is
    counted as it arrives, so a lying or missing length cannot get past the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await error_response(400, _("the Content-Length header is not a number"), _("a byte count"))(
                        scope, receive, send
                    )
                    return
                if declared > self.max_bytes:
                    await too_large_response(self.max_bytes)(scope, receive, send)
                    return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if response_started:  # too late for a clean answer; the connection is dropped
                raise
            await too_large_response(self.max_bytes)(scope, receive, send)


async def _body_too_large(request: Request, exc: Exception) -> JSONResponse:
    return too_large_response(getattr(exc, "max_bytes", 0))


def install(app: FastAPI, settings: Settings) -> None:
    app.add_exception_handler(BodyTooLarge, _body_too_large)
    # add_middleware wraps what is there, so the last one added is the outermost.
    budget.install(app, settings.request_time_budget)  # innermost: a cached answer costs no budget
    app.add_middleware(AnswerCacheMiddleware)  # innermost: it sees HEAD already turned into GET
    app.add_middleware(HttpMethodsMiddleware, routes=app.router.routes)
    app.add_middleware(RequestSizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(LanguageMiddleware)
    origins = cors_origins(settings.cors_origins)
    if origins:
        allow_any = "*" in origins
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["*"] if allow_any else origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "Accept"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
