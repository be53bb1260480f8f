"""`lifeact serve [--host H] [--port P]`: the API and views on one uvicorn worker."""

from __future__ import annotations

import argparse

from app.i18n import gettext as _
from app.settings import get_settings


def run_uvicorn(target: str, host: str, port: int, log_level: str) -> None:
    """Serve the ASGI app `target` ("module:attribute") as `lifeact serve` does; the benchmark
    serves its trivial app through here too, so both run with the same settings."""
    import uvicorn

    # uvicorn's own keep-alive (5 s) equals httpx's pool expiry: a connection idle for just that
    # long is closed by the server while the client sends on it, and the client sees a ReadError.
    uvicorn.run(
        target, host=host, port=port, workers=1, log_level=log_level, timeout_keep_alive=get_settings().keep_alive_seconds
    )


def cmd_serve(args: argparse.Namespace) -> int:
    # The app's lifespan loads the seed into an empty store, so a first run needs nothing else.
    run_uvicorn("app.main:app", args.host, args.port, args.log_level)
    return 0


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help=_("start the API and views (loads the seed into an empty store first)"))
    add_server_arguments(serve)
    serve.set_defaults(func=cmd_serve)
