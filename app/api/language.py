"""The language of a request: `?lang=da|en` wins, then `Accept-Language`, then Danish.

A pure ASGI middleware sets app.i18n's ContextVar for the whole request (routes, services,
error handlers and templates read it) and says which language the answer is in
(`Content-Language`, and `Vary: Accept-Language` since the same URL answers in either).
`LANGUAGE_PARAMETER` declares `lang` in OpenAPI once, for every router (app.main)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from fastapi import Depends, Query

from app.i18n import Language, negotiate, reset_language, set_language

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def language_of_scope(scope: Scope) -> tuple[str, bool]:
    """(language, chosen with ?lang=) for an HTTP request."""
    query = scope.get("query_string", b"").decode("latin-1")
    wanted = next((value for name, value in parse_qsl(query, keep_blank_values=True) if name == "lang"), None)
    accept = next(
        (value.decode("latin-1") for name, value in scope.get("headers", []) if name.lower() == b"accept-language"), None
    )
    language: Language = negotiate(wanted, accept)
    return language.code, language.explicit


class LanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        code, explicit = language_of_scope(scope)
        request_path = scope.get("path", "")
        request_query = scope.get("query_string", b"").decode("latin-1")

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(n, v) for n, v in message.get("headers", []) if n.lower() != b"content-language"]
                vary = [v for n, v in headers if n.lower() == b"vary"]
                if not any(b"accept-language" in v.lower() or v.strip() == b"*" for v in vary):
                    headers = [(n, v) for n, v in headers if n.lower() != b"vary"]
                    headers.append((b"vary", b", ".join([*vary, b"Accept-Language"])))
                headers.append((b"content-language", code.encode()))
                message["headers"] = headers
            await send(message)

        token = set_language(code, explicit, request_path, request_query)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            reset_language(token)


def language_parameter(
    lang: Annotated[
        Literal["da", "en"] | None,
        Query(description="The language of messages and descriptions: `da` (default) or `en`; wins over `Accept-Language`"),
    ] = None,
) -> None:
    """Declares `lang` for OpenAPI; LanguageMiddleware has already applied it."""


LANGUAGE_PARAMETER = Depends(language_parameter)
