"""The framework floor: a FastAPI app with one route returning a small dict, served with the same
uvicorn settings as `lifeact serve` (app/cli/serve.py: one worker, the same keep-alive) on the same
machine. The seed-scale endpoints are measured against it: how fast FastAPI and uvicorn answer
here when an answer costs nothing. Its route is `async def`, the framework's fastest path (the
explorer's routes are plain `def`, run in the thread pool)."""

from __future__ import annotations

import argparse
import contextlib
import os

from fastapi import FastAPI

from app.benchmark.server import Server, running
from app.cli.serve import add_server_arguments, run_uvicorn

app = FastAPI(title="framework floor")


@app.get("/")
async def floor() -> dict[str, str]:
    return {"status": "ok"}


def serve_floor() -> contextlib.AbstractContextManager[Server]:
    return running(["app.benchmark.floor"], dict(os.environ), ready_path="/")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.benchmark.floor", description=__doc__.split("\n\n")[0])
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    run_uvicorn("app.benchmark.floor:app", args.host, args.port, args.log_level)


if __name__ == "__main__":
    main()
