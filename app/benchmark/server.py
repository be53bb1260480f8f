"""The servers the benchmark and scripts/loadtest.py measure: `lifeact serve` (or the benchmark's
trivial app) started on a free port of 127.0.0.1, waited for until a path answers 200, its memory
read from /proc, and stopped."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.settings import PROJECT_ROOT

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (VmRSS), or None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def status_of(url: str, timeout: float = 2.0) -> int | None:
    """The status of one GET of `url`, or None when nothing answers (straight to the host, no proxy)."""
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or HOST, parts.port, timeout=timeout)
    try:
        connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def wait_for_answer(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Until `url` answers 200; RuntimeError when `process` stops first or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while status_of(url) != 200:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit code {process.returncode}) before {url} answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")
        time.sleep(0.05)


def analyses_state(url: str, timeout: float = 2.0) -> dict[str, str] | None:
    """The analyses' states in `url` (a server's /health), or None when it does not answer."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or HOST, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            return None
        return {name: row["state"] for name, row in json.loads(body).get("analyses", {}).items()}
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        connection.close()


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    ready_seconds: float  # from starting the process to the first 200 of the path waited for
    started: float = 0.0  # time.perf_counter() when the process was started
    log: IO[bytes] | None = None  # its stderr, when quiet

    def warnings(self, most: int = 20) -> list[str]:
        """The last `most` WARNING and ERROR lines the server wrote so far (when its stderr is kept):
        why an answer was slow, when it says."""
        if self.log is None:
            return []
        self.log.flush()
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").splitlines()
        self.log.seek(0, os.SEEK_END)
        return [line for line in lines if line.startswith(("WARNING", "ERROR"))][-most:]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait_for_analyses(self, timeout: float) -> dict[str, str]:
        """Until /health says every analysis of the whole graph is ready (or failed), at most
        `timeout` seconds; their last states."""
        deadline = time.monotonic() + timeout
        while True:
            states = analyses_state(f"{self.base_url}/health") or {}
            if states and all(state in ("ready", "failed") for state in states.values()):
                return states
            if time.monotonic() > deadline or self.process.poll() is not None:
                return states
            time.sleep(0.1)

    def rss_mb(self) -> float | None:
        """Resident memory now, in MB to one decimal."""
        rss = rss_mb(self.pid)
        return None if rss is None else round(rss, 1)


@contextlib.contextmanager
def running(
    module_args: list[str], env: dict[str, str], ready_path: str = "/health", timeout: float = 90, quiet: bool = True
) -> Iterator[Server]:
    """`python -m <module_args> --host 127.0.0.1 --port <free port> --log-level warning`, in the
    project folder, until `ready_path` answers 200. Quiet: the server's stderr is kept in a file and
    shown only if it fails to start; otherwise it goes to this process's stderr."""
    port = free_port()
    command = [sys.executable, "-m", *module_args, "--host", HOST, "--port", str(port), "--log-level", "warning"]
    with tempfile.TemporaryFile() if quiet else contextlib.nullcontext() as log:
        output = subprocess.DEVNULL if quiet else None
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=log)
        try:
            try:
                wait_for_answer(f"http://{HOST}:{port}{ready_path}", timeout, process)
            except RuntimeError as exc:
                if log is not None:
                    log.seek(0)
                    raise RuntimeError(f"{exc}: {log.read().decode(errors='replace')[-2000:]}") from None
                raise
            yield Server(process, port, time.perf_counter() - started, started, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def serve(
    store_path: Path | None = None,
    seed_path: Path | None = None,
    ready_path: str = "/health",
    timeout: float = 90,
    quiet: bool = True,
) -> contextlib.AbstractContextManager[Server]:
    """`lifeact serve` (one uvicorn worker) on the embedded store at `store_path`, or on the store
    the environment's settings name when there is none."""
    env = dict(os.environ)
    if store_path is not None:
        env |= {"LIFEACT_BACKEND": "embedded", "LIFEACT_EMBEDDED_PATH": str(store_path)}
    if seed_path is not None:
        env["LIFEACT_SEED_PATH"] = str(seed_path)
    return running(["app.cli", "serve"], env, ready_path, timeout, quiet)
