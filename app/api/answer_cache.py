"""Cached answers for the read API, served before routing: a GET under /api/ whose answer was
computed at the graph's current version is sent again as it was, bytes and headers.

This is the bounded cache of answers keyed by the graph's version (app.services.read_model):
every change to the graph moves the version, so an answer is never served from an older
graph, and several API processes over one Neo4j stay consistent with each other. Only
200 answers to anonymous GETs are kept (no Authorization, no cookie, no `Cache-Control: no-store`),
within a byte budget;
exports (streamed), the console and the audit trail are never cached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from app.services.read_model import ResponseCache

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CACHED_PREFIX = "/api/"
NEVER_CACHED = ("/api/export", "/api/cypher", "/api/changes")
VARY = (b"accept-language", b"accept")  # request headers an answer may depend on


def _uncacheable(name: bytes, value: bytes) -> bool:
    """A cookie, or an answer that says it must not be kept (a stale analysis: `no-store`)."""
    name = name.lower()
    return name == b"set-cookie" or (name == b"cache-control" and b"no-store" in value.lower())


class AnswerCacheMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not path.startswith(CACHED_PREFIX)
            or path.startswith(NEVER_CACHED)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        model = getattr(scope["app"].state, "model", None)
        if model is None or b"authorization" in headers or b"cookie" in headers:
            await self.app(scope, receive, send)
            return
        cache: ResponseCache = model.responses
        try:
            version = model.version
        except Exception:  # the store is down: let the route answer (503) as it does
            await self.app(scope, receive, send)
            return
        key = (path, scope.get("query_string", b""), *(headers.get(name, b"") for name in VARY))
        hit = cache.get(version, key)
        if hit is not None:
            status, response_headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": response_headers})
            await send({"type": "http.response.body", "body": body})
            return

        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start.get("status") == 200:
                    stored = list(start.get("headers", []))
                    if not any(_uncacheable(name, value) for name, value in stored):
                        cache.put(version, key, (200, stored, b"".join(chunks)), model.version)
            await send(message)

        await self.app(scope, receive, capture)
