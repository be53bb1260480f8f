"""Every read is bounded in time: LIFEACT_REQUEST_TIME_BUDGET seconds per GET.

The middleware opens a Budget (app.graph.budget) for the request. The store gives every query
only what is left of it and stops the one running at the deadline; the middleware answers
503 with `Retry-After` and a message saying how to narrow the request, at the deadline even
when the route is busy in Python between queries, and it cancels the budget, so the route
stops at its next query instead of working on for nobody. A client that hangs up cancels it
too. Writes are not cut off (a write answered as failed must not commit afterwards); exports
stream for as long as the file takes, and the console has its own limit (LIFEACT_CYPHER_TIMEOUT,
through the same Budget).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.api.errors import error_response
from app.graph.budget import Budget, BudgetExceeded, limited
from app.i18n import N_
from app.i18n import gettext as _

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNBOUNDED_PREFIXES = ("/api/export", "/api/cypher", "/static/")
# Answered without the store's query most of the time; its ping has a budget of its own
# (app.services.health), and the watch below cost /health more than its answer.
OWN_BUDGET = ("/health",)
# The store stops its query at the deadline and the route's answer follows at once; the
# middleware answers itself only when the route has not done so a moment later.
GRACE_SECONDS = 0.25
RETRY_AFTER_SECONDS = 5

# How to ask for less, per endpoint (the longest matching prefix wins).
HINTS: dict[str, str] = {
    "/api/paths": N_("ask for fewer hops (a smaller max_hops, e.g. max_hops=4) or for two things closer together"),
    "/api/graph": N_("ask for a smaller neighbourhood: depth=1 or 2, kinds= to keep fewer kinds, no expand="),
    "/views/graph": N_("ask for a smaller neighbourhood: depth=1 or 2, kinds= to keep fewer kinds, no expand="),
    "/api/overlaps": N_("narrow it to one region (region=…) or raise min_shared"),
    "/api/gaps": N_("narrow it to one region (region=…), a pillar or a theme"),
    "/api/replication": N_("target a task (T.9.1) rather than a whole work package or theme"),
    "/views/replication": N_("target a task (T.9.1) rather than a whole work package or theme"),
    "/views/map": N_("target a task (T.9.1) rather than a whole work package or theme"),
    "/api/municipalities": N_("narrow it to one region (region=…) or to participating=true"),
    "/api/search": N_("type more of the name"),
}
DEFAULT_HINT = N_("narrow the request (its parameters are described at /docs)")


def hint_for(path: str) -> str:
    matches = [prefix for prefix in HINTS if path.startswith(prefix)]
    return _(HINTS[max(matches, key=len)] if matches else DEFAULT_HINT)


def over_budget_response(path: str, seconds: float) -> JSONResponse:
    response = error_response(
        503,
        _("this request needed more than the time budget of {seconds} s and was stopped; {hint}").format(
            seconds=f"{seconds:g}", hint=hint_for(path)
        ),
        expected=_("a request that can be answered within {seconds} s (LIFEACT_REQUEST_TIME_BUDGET)").format(
            seconds=f"{seconds:g}"
        ),
        code="time_budget_exceeded",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class RequestBudgetMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or path.startswith(UNBOUNDED_PREFIXES)
            or path in OWN_BUDGET
        ):
            await self.app(scope, receive, send)
            return
        budget = Budget(self.seconds)
        answered = False
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:  # the middleware answered at the deadline; the late route's answer is dropped
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        inbox: asyncio.Queue[Message] = asyncio.Queue()
        gone: list[Message] = []

        async def watch_client() -> None:
            """A GET's body is read at once; the next message is the client hanging up."""
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    gone.append(message)
                    budget.cancel("the client went away")
                await inbox.put(message)
                if gone:
                    return

        async def app_receive() -> Message:
            if gone and inbox.empty():
                return gone[0]
            return await inbox.get()

        with limited(budget):  # the route's task, and the threads it hands work to, copy this context
            work = asyncio.ensure_future(self.app(scope, app_receive, guarded_send))
        watcher = asyncio.ensure_future(watch_client())
        try:
            done, _ = await asyncio.wait({work}, timeout=self.seconds + GRACE_SECONDS)
            if work in done or started:
                await work  # finished (or already streaming its answer): its own outcome stands
                return
            budget.cancel(f"ran longer than its time budget of {self.seconds:g} s")
            answered = True
            # The thread running the route cannot be killed; it stops at its next query (the
            # budget is cancelled and the running one interrupted). Not awaited: that would
            # wait for the thread.
            work.add_done_callback(_swallow)
            work.cancel()
            await over_budget_response(path, self.seconds)(scope, receive, send)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher


def _swallow(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


async def _budget_exceeded(request: Request, exc: Exception) -> JSONResponse:
    return over_budget_response(request.url.path, exc.seconds if isinstance(exc, BudgetExceeded) else math.nan)


def install(app: FastAPI, seconds: float) -> None:
    app.add_exception_handler(BudgetExceeded, _budget_exceeded)
    app.add_middleware(RequestBudgetMiddleware, seconds=seconds)
