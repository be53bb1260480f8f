"""Helpers for the browser tests: the app served by uvicorn on a free 127.0.0.1 port, and
Debian's chromium driven by Playwright, with every request and every script error recorded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from app.main import create_app
from app.settings import Settings
from app.views import chromium
from app.views.chromium import missing_reason

LOCAL_SCHEMES = ("data:", "blob:", "file:", "about:")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The app on a background uvicorn thread; yields its origin."""
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class PageLog:
    """What a page did: every URL it requested, console errors, uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self, *origins: str) -> list[str]:
        return [url for url in self.requests if not is_local(url, origins)]


def is_local(url: str, origins: tuple[str, ...]) -> bool:
    return url.startswith(LOCAL_SCHEMES) or any(url.startswith(origin + "/") for origin in origins)


def watch(page: Any, log: PageLog, *origins: str) -> None:
    """Record everything; abort whatever would leave the machine (so a leak fails fast, never hangs)."""
    page.on("console", lambda message: log.errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: log.errors.append(f"pageerror: {error}"))
    page.on("request", lambda request: log.requests.append(request.url))

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if is_local(url, origins):
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)


def record_adoptions(page: Any, municipality: str, note: str, dated: tuple[tuple[str, str], ...]) -> None:
    """On a solution's page, the adoption form sent once per (status, date), each time back on the
    page as of that date."""
    for status, date in dated:
        adoption = page.locator("#record-adoption form")
        adoption.locator("input[name=municipality]").fill(municipality)
        adoption.locator("select[name=status]").select_option(status)
        adoption.locator("input[name=date]").fill(date)
        adoption.locator("input[name=note]").fill(note)
        adoption.locator("button[type=submit]").click()
        page.wait_for_url(f"**as_of={date}")


def launch(playwright: Any) -> Any:
    if missing_reason():
        raise AssertionError(f"{missing_reason()}: the browser tests drive Debian's chromium through Playwright.")
    return chromium.launch(playwright)


@contextmanager
def report_site(pages: dict[str, str]) -> Iterator[str]:
    """A stand-in for a report web site on its own loopback origin, serving `pages` (path -> HTML,
    read at request time so they can name the app's origin once it is known)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            payload = (body or "not found").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
