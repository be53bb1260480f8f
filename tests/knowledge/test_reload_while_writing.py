"""`lifeact load` while the server runs and writes arrive keeps every acknowledged write.

A real server (uvicorn in a thread, so the test can also load in-process) serves a store of its
own; writer threads POST solutions and adoptions without pause while the seed is reloaded, first
in the server's process, then by `python -m app.cli load` from another process, which hands the
load to the server (the store folder's SERVER lock names it). Afterwards every write that got
201 is there, with one change record each, and nothing else was recorded.
"""

from __future__ import annotations

import gc
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.graph.loader import load
from app.main import create_app
from app.services.load_control import ServerLock
from app.services.tokens import TokenFile
from tests.conftest import SEED_DIR, embedded_settings
from tests.knowledge.served import cli, in_thread
from tests.knowledge.test_knowledge_api import SOLUTION

WRITERS = 4
LOADS = 1  # of each kind; every load runs while all writers write


@pytest.fixture
def server(tmp_path: Path, embedded_path: Path) -> Iterator[tuple[str, Path, FastAPI]]:
    folder = tmp_path / "graph"
    shutil.copytree(embedded_path, folder)
    app = create_app(embedded_settings(folder))
    with in_thread(app) as base:
        yield base, folder, app
    gc.unfreeze()


class Writers:
    """Threads that write until stopped and keep what the server acknowledged."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.headers = base, {"Authorization": f"Bearer {token}"}
        self.stop = threading.Event()
        self.acknowledged: list[tuple[str, str]] = []  # (entity id, kind)
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(WRITERS)]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _write(self, writer: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                body = {**SOLUTION, "name": f"Løsning {writer}-{n} på Ærø"}
                self._keep(client.post("/api/solutions", json=body, headers=self.headers), "solution")
                if n % 3 == 0:
                    adoption = {"municipality": "Ærø", "status": "considering", "date": "2025-01-01", "note": f"{writer}-{n}"}
                    self._keep(
                        client.post("/api/solutions/solution:carl/adoptions", json=adoption, headers=self.headers), "adoption"
                    )

    def _keep(self, response: httpx.Response, kind: str) -> None:
        with self._lock:
            if response.status_code == 201:
                self.acknowledged.append((response.json()["id"], kind))
            else:
                self.failures.append(f"{kind}: {response.status_code} {response.text[:200]}")


def audit_trail(client: httpx.Client, headers: dict[str, str]) -> list[dict]:
    """Every change record, page by page along the cursor."""
    records: list[dict] = []
    while True:
        page = client.get("/api/changes", params={"since": records[-1]["id"] if records else 0, "limit": 1000}, headers=headers)
        assert page.status_code == 200, page.text
        if not page.json()["data"]:
            return records
        records.extend(page.json()["data"])


def test_every_acknowledged_write_survives_loads_in_process_and_handed_off(server: tuple[str, Path, FastAPI]) -> None:
    base, folder, app = server
    token = TokenFile(folder / "tokens.json").create("writer", "editor")
    holder = ServerLock.holder(folder)
    assert holder is not None and holder.url.startswith("http://127.0.0.1:")
    assert (folder / "SERVER").stat().st_mode & 0o777 == 0o600
    generations = []
    with Writers(base, token) as writers:
        time.sleep(0.5)
        for _ in range(LOADS):  # in the server's own process
            generations.append(load(app.state.model.store, SEED_DIR).generation)
            time.sleep(0.3)
        for _ in range(LOADS):  # from another process: handed to the server
            done = cli(folder, "load")
            assert done.returncode == 0, done.stderr
            assert "holds" in done.stderr and "it does the load" in done.stderr
            generations.append(done.stdout.split("(generation ")[1].split(")")[0])
            time.sleep(0.3)
    assert not writers.failures, writers.failures[:5]
    kinds = {kind for _, kind in writers.acknowledged}
    assert kinds == {"solution", "adoption"} and len(writers.acknowledged) > 8, len(writers.acknowledged)
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/health").json()["generation"] == generations[-1]
        solutions = {s["id"] for s in client.get("/api/solutions").json()["data"]}
        adoptions = {a["id"] for a in client.get("/api/solutions/carl").json()["adoptions"]}
        trail = audit_trail(client, writers.headers)
    written = {entity for entity, _ in writers.acknowledged}
    assert {e for e, k in writers.acknowledged if k == "solution"} <= solutions
    assert {e for e, k in writers.acknowledged if k == "adoption"} <= adoptions
    assert sorted(c["entity"] for c in trail) == sorted(written)  # one record per acknowledged write, no other
    assert [c["id"] for c in trail] == list(range(1, len(trail) + 1))


def test_a_handed_off_load_that_would_orphan_a_written_fact_changes_nothing(
    server: tuple[str, Path, FastAPI], tmp_path: Path
) -> None:
    base, folder, _ = server
    token = TokenFile(folder / "tokens.json").create("writer", "editor")
    with httpx.Client(base_url=base, timeout=30) as client:
        created = client.post("/api/solutions", json=SOLUTION, headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201, created.text
        generation = client.get("/health").json()["generation"]
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    text = (seed / "work_packages.yaml").read_text(encoding="utf-8")
    (seed / "work_packages.yaml").write_text(text.replace("code: T.5.3", "code: T.5.9"), encoding="utf-8")
    done = cli(folder, "load", seed=seed)
    assert done.returncode == 3, done.stderr
    assert f"{created.json()['id']} -[BELONGS_TO]-> task:T.5.3" in done.stderr
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/health").json()["generation"] == generation
        assert client.get(f"/api/solutions/{created.json()['slug']}").status_code == 200


def test_a_load_with_a_broken_seed_is_refused_by_the_server_as_by_the_cli(
    server: tuple[str, Path, FastAPI], tmp_path: Path
) -> None:
    _, folder, _ = server
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    (seed / "themes.yaml").write_text("themes: [{slug: 3}]\n", encoding="utf-8")
    done = cli(folder, "load", seed=seed)
    assert done.returncode == 2 and "the seed is invalid" in done.stderr and "themes.yaml" in done.stderr, done.stderr
