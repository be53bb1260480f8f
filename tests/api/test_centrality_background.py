"""Centrality is computed once per graph version on a thread of its own, never inside a request:
served from there, recomputed after a load or a write moves the version, 503 with Retry-After
while nothing is ready, and the previous version's result (marked stale) while the next one is
being computed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph import loader
from app.main import create_app
from app.services import analytics, read_model
from app.services.analytics import _centrality
from app.services.read_model import Background, NotReady
from tests.conftest import SEED_DIR, embedded_settings

URL = "/api/analytics/centrality?limit=5"


class Gate:
    """Counts the computations, each of which waits for the test to open the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.open.set()
        self.runs: list[str | None] = []

    def compute(self, model: read_model.ReadModel) -> dict[str, Any]:
        self.runs.append(model.store.version)
        assert self.open.wait(30)
        return _centrality(model)


@pytest.fixture
def gated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Gate]]:
    gate = Gate()
    monkeypatch.setitem(read_model.BACKGROUND, "centrality", gate.compute)
    with TestClient(
        create_app(embedded_settings(tmp_path)), headers={"Accept-Language": "en"}
    ) as client:  # empty: the seed is loaded at start
        yield client, gate


def wait_for(predicate: Any, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_served_from_the_computation_of_the_current_version(gated: tuple[TestClient, Gate]) -> None:
    client, gate = gated
    version = client.app.state.model.version
    first = client.get(URL)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["graph_version"] == version and body["stale"] is False
    assert body["method"] == "exact betweenness"  # the project's graph is small enough
    assert body["municipalities"][0]["betweenness"] >= body["municipalities"][-1]["betweenness"]
    for _ in range(3):
        assert client.get("/api/analytics/centrality?limit=7").status_code == 200
    assert gate.runs == [version], "computed more than once for one version"


def test_recomputed_after_a_load_moves_the_version(gated: tuple[TestClient, Gate]) -> None:
    client, gate = gated
    model = client.app.state.model
    before = model.version
    assert client.get(URL).json()["graph_version"] == before
    loader.load(model.store, SEED_DIR)  # a new generation: the version moves
    after = model.version  # seen by the model: the computation for it starts now, not in a request
    assert after != before
    wait_for(lambda: len(gate.runs) == 2)
    body = client.get(URL).json()
    assert body["graph_version"] == after and body["stale"] is False
    assert gate.runs == [before, after]


def test_while_the_next_version_is_computed_the_previous_one_is_served_as_stale(gated: tuple[TestClient, Gate]) -> None:
    client, gate = gated
    model = client.app.state.model
    before = model.version
    fresh = client.get(URL).json()
    gate.open.clear()
    loader.load(model.store, SEED_DIR)
    after = model.version
    started = time.perf_counter()
    stale = client.get(URL)
    assert time.perf_counter() - started < analytics.READY_WAIT + 2  # the request does not wait it out
    assert stale.status_code == 200
    assert stale.json()["stale"] is True and stale.json()["graph_version"] == before
    assert stale.json()["municipalities"] == fresh["municipalities"]
    gate.open.set()
    wait_for(lambda: client.get(URL).json()["graph_version"] == after)
    assert client.get(URL).json()["stale"] is False


def test_nothing_computed_yet_answers_503_with_retry_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate()
    gate.open.clear()
    monkeypatch.setitem(read_model.BACKGROUND, "centrality", gate.compute)
    monkeypatch.setattr(analytics, "READY_WAIT", 0.1)
    with TestClient(create_app(embedded_settings(tmp_path)), headers={"Accept-Language": "en"}) as client:
        response = client.get(URL)
        assert response.status_code == 503, response.text
        assert int(response.headers["Retry-After"]) > 0
        message = response.json()["error"]["message"]
        assert "centrality" in message and "outside any request" in message
        gate.open.set()
        wait_for(lambda: client.get(URL).status_code == 200)
        assert len(gate.runs) == 1  # the 503 did not start a second computation


def test_a_failed_computation_says_why_and_is_tried_again() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the store went away")
        return "scores"

    job: Background[str] = Background("centrality", flaky)
    with pytest.raises(NotReady, match="the store went away"):
        job.get("v1", wait=5)
    assert job.get("v1", wait=5).value == "scores"
    assert len(attempts) == 2


def test_a_large_graph_samples_its_betweenness_in_another_process(
    gated: tuple[TestClient, Gate], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = gated
    monkeypatch.setattr(analytics, "BETWEENNESS_EXACT_NODES", 10)  # the seed's graph counts as large
    monkeypatch.setattr(analytics, "BETWEENNESS_SAMPLES", 40)
    scores = _centrality(client.app.state.model)
    assert scores["method"].startswith("betweenness estimated from 40 sampled sources")
    exact = client.get("/api/analytics/centrality?limit=3").json()
    # Sampling every node's paths from enough sources ranks the project's hubs as the exact count does.
    assert scores["scores"]["WorkPackage"][0].id in {s["id"] for s in exact["work_packages"]}


def test_health_tells_whether_the_analyses_are_ready(gated: tuple[TestClient, Gate]) -> None:
    client, gate = gated
    gate.open.clear()
    model = client.app.state.model
    model.start_background(model.version)
    wait_for(lambda: len(gate.runs) == 1)
    analyses = client.get("/health").json()["analyses"]
    assert analyses["centrality"] == {"state": "computing", "seconds": None}
    gate.open.set()
    wait_for(lambda: client.get("/health").json()["analyses"]["centrality"]["state"] == "ready")
    ready = client.get("/health").json()["analyses"]
    assert ready["centrality"]["seconds"] >= 0 and set(ready) >= {"centrality", "overlap ranking"}
    gate.open.clear()
    loader.load(model.store, SEED_DIR)
    model.version  # noqa: B018  (seen: the next version's computation starts)
    wait_for(lambda: len(gate.runs) == 2)
    assert client.get("/health").json()["analyses"]["centrality"]["state"] == "stale"
    gate.open.set()
