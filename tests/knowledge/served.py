"""A real `lifeact serve` in a subprocess on a store folder of its own, and the CLI beside it:
what the durability and reload tests drive."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path

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
