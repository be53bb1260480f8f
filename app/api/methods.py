"""HTTP method semantics for every route at once: HEAD wherever GET is, and `Allow` on every 405.

FastAPI's routes answer only the methods they declare, so `HEAD /` was a 405, and a 405 carried
at most the `Allow` of the one route that happened to match the path. `HttpMethodsMiddleware`
(pure ASGI, installed by app.api.middleware next to the app) fixes both for every route,
present and future:

- a HEAD request goes on as a GET, and its response is passed on without the body: the same
  status and headers (Content-Length included) as the GET, as RFC 9110 section 9.3.2 asks;
- a 405 answer gets `Allow` with the methods the router really accepts on that path (probed
  through the routes' own matching), HEAD included wherever GET is.

The error handler (app.api.errors) names the same methods in the 405's JSON body.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, Mount
from starlette.staticfiles import StaticFiles

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Probed in this order, and listed in it; HEAD and OPTIONS are not routes' own methods here.
PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
READ_ONLY = frozenset({"GET", "HEAD"})


def _methods_of(routes: Iterable[BaseRoute], scope: Scope, method: str) -> set[str]:
    """The methods that `method` on scope's path proves allowed (empty when it is not)."""
    probe = {
        "type": "http",
        "method": method,
        "path": scope.get("path", "/"),
        "root_path": scope.get("root_path", ""),
        "headers": [],
        "query_string": b"",
    }
    for route in routes:
        match, child_scope = route.matches(probe)
        if match is not Match.FULL:
            continue
        if isinstance(route, Mount):
            if isinstance(route.app, StaticFiles):
                return set(READ_ONLY)
            inner = getattr(route.app, "routes", None)
            if inner is not None:  # a mounted router: probe its routes with the rest of the path
                return _methods_of(inner, {**probe, **child_scope}, method)
        return {method}
    return set()


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """Every method the routes accept on scope's path, HEAD with GET, in the usual order."""
    allowed: set[str] = set()
    for method in PROBED_METHODS:
        if method not in allowed:
            allowed |= _methods_of(routes, scope, method)
    if "GET" in allowed:
        allowed.add("HEAD")
    return [method for method in ORDER if method in allowed]


class HttpMethodsMiddleware:
    """HEAD as GET without the body; `Allow` on every 405 (see the module docstring).

    `routes` is the application's live route list (app.router.routes), so routes added after
    the middleware is installed count too.
    """

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        body_sent = False

        async def send_with_methods(message: Message) -> None:
            nonlocal body_sent
            if message["type"] == "http.response.start" and message["status"] == 405:
                allow = ", ".join(allowed_methods(self.routes, scope)).encode("latin-1")
                headers = [(name, value) for name, value in message.get("headers", []) if name.lower() != b"allow"]
                message["headers"] = [*headers, (b"allow", allow)]
            elif head and message["type"] == "http.response.body":
                # Only the end of the body goes on, empty; the headers already went as GET's.
                if message.get("more_body", False) or body_sent:
                    return
                body_sent = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_with_methods)
