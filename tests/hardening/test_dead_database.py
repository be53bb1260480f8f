"""A dead or silent Neo4j: the service starts, /health says 503 and why, every API call answers a
JSON 503 within 3 s (the issue's requirement, not a benchmark), and it recovers by itself.

Neo4j itself cannot run here (no Docker): "dead" is a port where nothing listens, "slow" is a
socket that accepts and never answers the Bolt handshake, and recovery is shown with a driver
whose sessions fail until the database "comes back" (same code path: ServiceUnavailable).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j.exceptions import ServiceUnavailable

from app.graph.neo4j_store import Neo4jStore
from app.graph.store import StoreUnavailable
from app.main import create_app
from app.settings import Settings
from tests.conftest import SEED_DIR, embedded_settings

ANSWER_WITHIN = 3.0  # seconds, from the issue

API_CALLS = [
    "/api/stats",
    "/api/regions",
    "/api/regions/Hovedstaden",
    "/api/municipalities",
    "/api/municipalities/Aarhus",
    "/api/work-packages",
    "/api/work-packages/WP5",
    "/api/tasks/T.9.1",
    "/api/themes",
    "/api/themes/drought",
    "/api/programmes",
    "/api/organisations",
    "/api/overlap?a=Aarhus&b=Odense",
    "/api/overlaps",
    "/api/overlaps/matrix",
    "/api/replication?target=WP9",
    "/api/paths?source=Samsø&target=WP9",
    "/api/graph?center=WP9",
    "/api/search?q=Aalborg",
    "/api/gaps",
    "/api/analytics/centrality",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung database)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def neo4j_settings_at(port: int) -> Settings:
    return Settings(backend="neo4j", neo4j_uri=f"bolt://127.0.0.1:{port}", seed_path=SEED_DIR, neo4j_password="unused")


def assert_quick_503(client: TestClient, url: str) -> dict[str, Any]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 503, (url, response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("application/json")
    assert elapsed < ANSWER_WITHIN, f"{url} took {elapsed:.2f} s"
    body = response.json()
    assert body["error"]["status"] == 503
    return body


@pytest.mark.parametrize("kind", ["nothing-listens", "silent"])
def test_dead_neo4j_starts_and_answers_503_quickly(kind: str, request: pytest.FixtureRequest) -> None:
    port = free_port() if kind == "nothing-listens" else request.getfixturevalue("silent_port")
    app = create_app(neo4j_settings_at(port))
    started = time.perf_counter()
    with TestClient(app) as client:
        client.headers["Accept-Language"] = "en"  # the messages checked below are the English ones
        assert time.perf_counter() - started < ANSWER_WITHIN  # the lifespan gave up on the store, it did not hang
        health = assert_quick_503(client, "/health")
        assert health["status"] == "unavailable" and health["backend"] == "neo4j"
        assert str(port) in health["error"]["message"]  # the reason names the address
        for url in API_CALLS:
            body = assert_quick_503(client, url)
            assert "unavailable" in body["error"]["message"] and body["error"]["expected"]
        # Past the fail-fast window every call meets the database afresh, and is still quick.
        for url in ("/health", "/api/graph?center=WP9"):
            time.sleep(Neo4jStore.DOWN_COOLDOWN + 0.1)
            assert_quick_503(client, url)


def test_dead_neo4j_answers_concurrent_callers_quickly() -> None:
    app = create_app(neo4j_settings_at(free_port()))
    with TestClient(app) as client:
        time.sleep(Neo4jStore.DOWN_COOLDOWN + 0.1)
        results: list[tuple[int, float]] = []

        def call(url: str) -> None:
            started = time.perf_counter()
            status = client.get(url).status_code
            results.append((status, time.perf_counter() - started))

        threads = [threading.Thread(target=call, args=(url,)) for url in API_CALLS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert {status for status, _ in results} == {503}
        assert max(elapsed for _, elapsed in results) < ANSWER_WITHIN


class _Record:
    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row

    def items(self) -> Any:
        return self.row.items()


class _Session:
    def __init__(self, driver: FlakyDriver) -> None:
        self.driver = driver

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, query: Any, params: dict[str, Any]) -> list[_Record]:
        if self.driver.down:
            raise ServiceUnavailable("Couldn't connect to 127.0.0.1:7687 (Connection refused)")
        text = query.text
        if "RETURN 1" in text:
            return [_Record({"ok": 1})]
        if "generation" in text:
            return [_Record({"generation": "gen-back"})]
        return []


class FlakyDriver:
    """Stands in for a Neo4j driver whose database is down until `down` is cleared."""

    def __init__(self) -> None:
        self.down = True
        self.sessions: list[dict[str, Any]] = []

    def session(self, **kwargs: Any) -> _Session:
        self.sessions.append(kwargs)
        return _Session(self)


def test_neo4j_store_recovers_by_itself_when_the_database_returns() -> None:
    driver = FlakyDriver()
    store = Neo4jStore(driver, "neo4j", timeout_seconds=1.0, retry_seconds=0.2)  # type: ignore[arg-type]
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        store.ping()
    assert time.perf_counter() - started < 1.0
    assert len(driver.sessions) > 1  # it retried within its budget
    assert all(kwargs["default_access_mode"] == "READ" for kwargs in driver.sessions)
    with pytest.raises(StoreUnavailable):  # fails fast within the cool-down, without a new attempt
        attempts = len(driver.sessions)
        store.ping()
    assert len(driver.sessions) == attempts
    driver.down = False
    time.sleep(Neo4jStore.DOWN_COOLDOWN + 0.05)
    store.ping()  # back, with no restart and nothing to reset
    assert store.generation == "gen-back"


def test_health_recovers_without_a_restart() -> None:
    app = create_app(neo4j_settings_at(free_port()))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 503
        store = app.state.model.store
        flaky = FlakyDriver()
        store.driver = flaky  # the same store object; only the database behind it changes
        time.sleep(Neo4jStore.DOWN_COOLDOWN + 0.05)
        assert client.get("/health").status_code == 503
        flaky.down = False
        time.sleep(Neo4jStore.DOWN_COOLDOWN + 0.05)
        response = client.get("/health")
        assert response.status_code == 200, response.text
        assert response.json()["generation"] == "gen-back"


def test_embedded_store_gone_and_back(tmp_path: Path, embedded_path: Path) -> None:
    """The embedded store's pointer names a generation that vanished: 503, then 200 once it is back."""
    import shutil

    folder = tmp_path / "graph"
    shutil.copytree(embedded_path, folder)
    with TestClient(create_app(embedded_settings(folder))) as client:
        assert client.get("/api/municipalities/Aarhus").status_code == 200
        pointer = folder / "CURRENT"
        good = pointer.read_text()
        pointer.write_text("gen-missing.lbdb")
        health = client.get("/health")
        assert health.status_code == 503 and "gen-missing" in health.json()["error"]["message"]
        for url in ("/api/municipalities/Aarhus", "/api/stats", "/api/graph?center=WP9"):
            response = client.get(url)
            assert response.status_code in (200, 503), response.text  # 200 where a cached index still answers
            if response.status_code == 503:
                assert response.json()["error"]["expected"]
        pointer.write_text(good)
        assert client.get("/health").status_code == 200
        assert client.get("/api/municipalities/Aarhus").json()["code"] == 751
