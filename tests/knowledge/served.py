"""A real `lifeact serve` in a subprocess on a store folder of its own, and the CLI beside it:
what the durability and reload tests drive."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from app.benchmark.server import Server, running
from app.settings import PROJECT_ROOT
from tests.conftest import SEED_DIR


def cli_env(folder: Path, seed: Path = SEED_DIR) -> dict[str, str]:
    return {
        **os.environ,
        "LIFEACT_BACKEND": "embedded",
        "LIFEACT_EMBEDDED_PATH": str(folder),
        "LIFEACT_SEED_PATH": str(seed),
        "PYTHONUNBUFFERED": "1",
        "LIFEACT_LANGUAGE": "en",  # the tests read the command's English lines
    }


def cli(folder: Path, *args: str, seed: Path = SEED_DIR, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`python -m app.cli ARGS` on `folder` (this checkout's code, not an installed script)."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=PROJECT_ROOT,
        env=cli_env(folder, seed),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def create_token(folder: Path, name: str, role: str = "editor") -> str:
    done = cli(folder, "tokens", "create", "--name", name, "--role", role)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def serving(folder: Path) -> AbstractContextManager[Server]:
    """`python -m app.cli serve` on a free port until the block ends (terminated, or already killed)."""
    return running(["app.cli", "serve"], cli_env(folder))


@contextmanager
def in_thread(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn in a thread of this process (so a test can reach into it); its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
