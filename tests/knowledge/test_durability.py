"""A 201 means durable: a real server killed with SIGKILL right after it answered still has
the fact, and its change record, when it starts again."""

from __future__ import annotations

import gc
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.graph import embedded
from app.graph.embedded import EmbeddedStore
from app.graph.loader import load
from app.graph.schema import WRITTEN
from app.graph.store import ChangeRecord, StoreUnavailable, WriteTx
from app.main import create_app
from app.seed import SeedGraph
from app.services.load_control import ServerLock
from app.services.tokens import TokenFile
from tests.conftest import SEED_DIR, embedded_settings
from tests.knowledge.served import create_token, serving
from tests.knowledge.test_knowledge_api import SOLUTION


def test_a_201_survives_sigkill(tmp_path: Path, embedded_path: Path) -> None:
    folder = tmp_path / "graph"
    shutil.copytree(embedded_path, folder)
    token = create_token(folder, "durable")
    headers = {"Authorization": f"Bearer {token}"}
    with serving(folder) as server:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            created = client.post("/api/solutions", json=SOLUTION, headers=headers)
            assert created.status_code == 201, created.text
            adopted = client.post(
                f"/api/solutions/{created.json()['slug']}/adoptions",
                json={"municipality": "Kolding", "status": "adopted", "date": "2025-06-01", "note": "vedtaget i byrådet"},
                headers=headers,
            )
            assert adopted.status_code == 201, adopted.text
        server.process.send_signal(signal.SIGKILL)  # no shutdown, no checkpoint: only what the 201 promised
        server.process.wait(timeout=10)
        assert server.process.returncode == -signal.SIGKILL
    # The killed server's SERVER file is left behind, but its lock died with it: a load runs here.
    assert (folder / "SERVER").exists() and ServerLock.holder(folder) is None
    with serving(folder) as server, httpx.Client(base_url=server.base_url, timeout=30) as client:
        solution = client.get(f"/api/solutions/{created.json()['slug']}")
        assert solution.status_code == 200, solution.text
        assert solution.json()["name"] == SOLUTION["name"] and solution.json()["current_adopters"] == ["Kolding"]
        assert [a["note"] for a in solution.json()["adoptions"]] == ["vedtaget i byrådet"]
        trail = client.get("/api/changes", headers=headers).json()["data"]
        assert [(c["action"], c["entity"]) for c in trail] == [
            ("create", created.json()["id"]),
            ("create", adopted.json()["id"]),
        ]


def test_a_write_the_store_fails_is_a_clear_503_and_changes_nothing(tmp_path: Path, seed_graph: SeedGraph) -> None:
    """LadybugDB's own failures inside a write (under load: "the buffer pool is full") are
    StoreUnavailable (the API's 503), never an unhandled error (a 500), and roll back."""
    store = EmbeddedStore(tmp_path)
    store.replace_graph(seed_graph)
    version = store.version

    def write(tx: WriteTx) -> tuple[None, ChangeRecord]:
        tx.run("graph_state_bump", {"state": "state"})  # a change the failure must undo
        tx._run("MATCH (n:NoSuchTable) RETURN n", {})
        raise AssertionError("the store should have failed")

    try:
        with pytest.raises(StoreUnavailable, match="nothing was changed"):
            store.write_transaction(write)
        assert store.version == version
        assert store.read("graph_state_writes", {"state": "state"})[0]["writes"] == 0
    finally:
        store.close()


POOL_FULL = "Buffer manager exception: Unable to allocate memory! The buffer pool is full and no memory could be freed!"
MISSING_TABLE = "Binder exception: Table Observation does not exist."


def _store_with_a_written_solution(tmp_path: Path, embedded_path: Path) -> Path:
    folder = tmp_path / "graph"
    shutil.copytree(embedded_path, folder)
    (folder / "SERVER").unlink(missing_ok=True)
    token = TokenFile(folder / "tokens.json").create("reload", "editor")
    with TestClient(create_app(embedded_settings(folder))) as api:
        created = api.post("/api/solutions", json=SOLUTION, headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201, created.text
    gc.unfreeze()
    return folder


@pytest.fixture
def written_store(tmp_path: Path, embedded_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(_store_with_a_written_solution(tmp_path, embedded_path))
    yield store
    store.close()


def _written_solutions(store: EmbeddedStore) -> list[str]:
    with store.pinned() as run:
        rows = run(store.queries.node_template("written_nodes", "Solution"), {"written": WRITTEN})
    return [row["node"]["name"] for row in rows]


@contextmanager
def failing_reads(monkeypatch: pytest.MonkeyPatch, fails: Callable[[str, dict], str | None]) -> Iterator[None]:
    """LadybugDB's reads raise the message `fails(text, params)` gives (None: they run) in the block."""
    real_rows = embedded._rows

    def rows(conn, text, params):  # type: ignore[no-untyped-def]
        message = fails(text, params)
        if message is not None:
            raise RuntimeError(message)
        return real_rows(conn, text, params)

    monkeypatch.setattr(embedded, "_rows", rows)
    try:
        yield
    finally:
        monkeypatch.setattr(embedded, "_rows", real_rows)


def _written(params: dict) -> bool:
    return params.get("written") == WRITTEN


@pytest.mark.parametrize("failures", [1, 2])
def test_a_load_waits_out_a_full_pool_while_it_reads_the_written_knowledge(
    written_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, failures: int
) -> None:
    """Background analyses beside a load can fill the buffer pool: the load's read of the written
    knowledge is tried again (as every read is), and the new graph keeps every written fact."""
    store = written_store
    left = [failures]

    def full_at_first(text: str, params: dict) -> str | None:
        if _written(params) and left[0]:
            left[0] -= 1
            return POOL_FULL
        return None

    generation = store.generation
    with failing_reads(monkeypatch, full_at_first):
        load(store, SEED_DIR)
    assert store.generation != generation and left == [0]
    assert _written_solutions(store) == [SOLUTION["name"]]


def test_a_load_that_cannot_read_the_written_knowledge_loads_nothing(
    written_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never a new graph without the written facts: a failure to read them stops the load loudly."""
    store = written_store
    generation = store.generation
    with (
        failing_reads(monkeypatch, lambda text, params: POOL_FULL if _written(params) else None),
        pytest.raises(StoreUnavailable, match="written knowledge"),
    ):
        load(store, SEED_DIR)
    assert store.generation == generation
    assert _written_solutions(store) == [SOLUTION["name"]]


def test_a_load_of_a_graph_built_before_a_knowledge_table_keeps_the_others(
    written_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table the live graph does not have yet holds nothing written: the rest is carried over."""
    store = written_store
    generation = store.generation
    with failing_reads(monkeypatch, lambda text, params: MISSING_TABLE if _written(params) and ":Observation" in text else None):
        load(store, SEED_DIR)
    assert store.generation != generation
    assert _written_solutions(store) == [SOLUTION["name"]]


def test_a_version_the_store_cannot_read_is_an_error_not_a_wrong_count(
    written_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version taken as 0 writes, after a write, would be a version seen before it: answers
    cached then would be served as current. So a failed read of the count is a 503, and kept nowhere."""
    store = written_store
    with (
        failing_reads(monkeypatch, lambda text, params: POOL_FULL if "state" in params else None),
        pytest.raises(StoreUnavailable),
    ):
        store.version  # noqa: B018
    assert store.version == f"{store.generation}#1"
