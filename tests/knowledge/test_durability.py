"""A 201 means durable: a real server killed with SIGKILL right after it answered still has
the fact, and its change record, when it starts again."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import httpx
import pytest

from app.graph.embedded import EmbeddedStore
from app.graph.store import ChangeRecord, StoreUnavailable, WriteTx
from app.seed import SeedGraph
from app.services.load_control import ServerLock
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
