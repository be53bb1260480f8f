"""Handing a load to the server that holds the embedded store (`lifeact load` and
`lifeact knowledge import` while `lifeact serve` runs).

LadybugDB lets one process open a database read-write. Once the server has written, a load in
another process could not read the live generation's written knowledge, and a write that the
server acknowledged while that load ran would land in the generation being replaced: lost. So
the server that holds a store folder says so, and does the load itself:

- it holds `SERVER` in the store folder: an exclusive `flock` for as long as the process lives
  (the kernel drops it when the process dies, even by SIGKILL, so a stale file is never
  mistaken for a server), and, in the file (mode 0600), the address of a control listener on
  127.0.0.1 and a random secret;
- `lifeact load` finds the lock held, POSTs the load to that address with the secret, and the
  server runs it in-process: `EmbeddedStore` takes its write lock for the whole load, so writes
  wait for the switch and then go to the new generation, and the written knowledge it carries is
  read under that same lock. No acknowledged write is lost.

The listener answers only `POST /load` with `Authorization: Bearer <secret>` (compared in
constant time); errors are the API's `{"error": {...}}`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hmac
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from app.graph import loader
from app.graph.store import GraphCounts, LoadReport, LoadVerificationError, StoreUnavailable
from app.seed import SeedError
from app.services.knowledge_backup import KnowledgeFileError, read_knowledge
from app.services.read_model import ReadModel

log = logging.getLogger("lifeact.control")

LOCK_FILE = "SERVER"
HOST = "127.0.0.1"
HAND_OFF_TIMEOUT = 600.0  # seconds a handed-off load may take (the seed loads in under one)


@dataclass(frozen=True)
class ServerAddress:
    url: str
    secret: str
    pid: int


@dataclass(frozen=True)
class LoadRequest:
    seed_path: Path
    knowledge_path: Path | None = None  # an exported knowledge folder to add (an import)


LoadFunction = Callable[[LoadRequest], LoadReport]


# -- the lock file --------------------------------------------------------------------------------
class ServerLock:
    """`SERVER` in a store folder, held (flock) by the one server that may load into it."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_FILE
        self._fd: int | None = None

    def acquire(self, address: ServerAddress) -> bool:
        """Takes the lock and writes `address` into it; False when another live process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.fchmod(fd, 0o600)  # a file left by an older version may have been readable by others
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"url": address.url, "secret": address.secret, "pid": address.pid}).encode())
        os.fsync(fd)
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)  # the secret does not outlive the server
            os.close(self._fd)
            self._fd = None

    @staticmethod
    def holder(folder: Path) -> ServerAddress | None:
        """The live server holding the folder, or None (no file, or one a dead process left)."""
        path = Path(folder) / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:  # held: a server lives; it wrote its address before taking requests
                content = path.read_text(encoding="utf-8")
                document = json.loads(content) if content.strip() else None
                if not document:
                    raise StoreUnavailable(f"a server holds {path} but has not written its address yet; try again") from None
                return ServerAddress(str(document["url"]), str(document["secret"]), int(document["pid"]))
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)


# -- the server's side ----------------------------------------------------------------------------
def _error(status: int, message: str, expected: str | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "message": message, "expected": expected, "suggestions": []}}


class _Handler(BaseHTTPRequestHandler):
    server: _ControlServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(405, _error(405, "the control listener takes POST /load only", "POST /load"))

    def do_POST(self) -> None:
        given = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), self.server.secret.encode()):
            self._answer(401, _error(401, "the control listener needs the secret in the store folder's SERVER file"))
            return
        if self.path != "/load":
            self._answer(404, _error(404, f"no {self.path} here", "POST /load"))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(min(length, 65536)) or b"{}")
            knowledge = body.get("knowledge_path")
            request = LoadRequest(Path(body["seed_path"]), Path(knowledge) if knowledge else None)
        except (ValueError, KeyError, TypeError) as exc:
            self._answer(400, _error(400, f"not a load request: {exc}", '{"seed_path": "...", "knowledge_path": null}'))
            return
        self._run(request)

    def _run(self, request: LoadRequest) -> None:
        try:
            report = self.server.load(request)
        except KnowledgeFileError as exc:
            self._answer(400, _error(400, str(exc)))
        except SeedError as exc:
            self._answer(422, _error(422, str(exc)))
        except LoadVerificationError as exc:
            self._answer(409, _error(409, str(exc)))
        except StoreUnavailable as exc:
            self._answer(503, _error(503, str(exc)))
        except Exception as exc:  # the CLI shows it; the server keeps serving
            log.exception("a handed-off load failed")
            self._answer(500, _error(500, f"{type(exc).__name__}: {exc}"))
        else:
            self._answer(200, _report_body(report))


class _ControlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, load: LoadFunction, secret: str) -> None:
        super().__init__((HOST, 0), _Handler)
        self.load = load
        self.secret = secret


class ControlListener:
    """The server's side: the listener thread and the held lock, until `close`."""

    def __init__(self, server: _ControlServer, lock: ServerLock, thread: threading.Thread) -> None:
        self._server, self._lock, self._thread = server, lock, thread

    def close(self) -> None:
        self._lock.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def in_process_load(model: ReadModel, batch_size: int) -> LoadFunction:
    """A load as `lifeact load` runs it, on the store this server reads and writes."""

    def load(request: LoadRequest) -> LoadReport:
        extra = read_knowledge(request.knowledge_path) if request.knowledge_path else None
        report = loader.load(model.store, request.seed_path, batch_size, extra=extra)
        model.names()  # the new graph's name index, before the CLI is told the load is done
        return report

    return load


def start_listener(folder: Path, load: LoadFunction) -> ControlListener | None:
    """Listens on 127.0.0.1 (a free port) and takes the folder's lock; None when another process
    holds it (that one then takes the loads; this one serves reads and says so in the log)."""
    secret = secrets.token_urlsafe(32)
    server = _ControlServer(load, secret)
    address = ServerAddress(f"http://{HOST}:{server.server_address[1]}", secret, os.getpid())
    lock = ServerLock(folder)
    if not lock.acquire(address):
        server.server_close()
        log.warning("another process holds %s: `lifeact load` hands its loads to that one", lock.path)
        return None
    thread = threading.Thread(target=server.serve_forever, name="load-control", daemon=True)
    thread.start()
    return ControlListener(server, lock, thread)


# -- the CLI's side -------------------------------------------------------------------------------
def _report_body(report: LoadReport) -> dict[str, Any]:
    return {
        "generation": report.generation,
        "rows": report.rows,
        "seconds": report.seconds,
        "nodes": report.counts.nodes,
        "relationships": report.counts.relationships,
    }


def hand_off(address: ServerAddress, request: LoadRequest) -> LoadReport:
    """Asks the running server to load; its report, or the error it answered, as the local load
    would have raised it (SeedError, LoadVerificationError, StoreUnavailable)."""
    import httpx  # only the CLI asks; the server does not load the client

    payload = {
        "seed_path": str(request.seed_path.resolve()),
        "knowledge_path": str(request.knowledge_path.resolve()) if request.knowledge_path else None,
    }
    try:
        response = httpx.post(
            f"{address.url}/load",
            json=payload,
            headers={"Authorization": f"Bearer {address.secret}"},
            timeout=HAND_OFF_TIMEOUT,
            trust_env=False,  # straight to 127.0.0.1, never through a proxy
        )
    except httpx.HTTPError as exc:
        raise StoreUnavailable(
            f"the server (pid {address.pid}) holds the store but its control listener did not answer: {exc}"
        ) from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200:
        message = (body.get("error") or {}).get("message") or response.text[:500]
        refused = {400: KnowledgeFileError, 422: SeedError, 409: LoadVerificationError}
        raise refused.get(response.status_code, StoreUnavailable)(message)
    counts = GraphCounts(nodes=dict(body["nodes"]), relationships=dict(body["relationships"]))
    return LoadReport(generation=body["generation"], counts=counts, seconds=float(body["seconds"]), rows=int(body["rows"]))
