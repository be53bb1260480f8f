"""What a process keeps beside the store: answers cached under the graph's version (bounded,
least recently used first out) and the name index, rebuilt only when a load replaces the graph.
Two API instances over one store see each other's changes within a second."""

from __future__ import annotations

import copy
import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedStore
from app.graph.store import StoreUnavailable
from app.i18n import use_language
from app.main import create_app
from app.seed import SeedGraph
from app.services import read_model
from app.services.names import NameIndex
from app.services.read_model import AnswerCache, ReadModel
from tests.conftest import embedded_settings


class VersionedStore:
    """Only what the read model asks of a store: its generation and version."""

    def __init__(self) -> None:
        self.generation = "gen-1"
        self.writes = 0

    @property
    def version(self) -> str:
        return f"{self.generation}#{self.writes}"

    def cache_file(self, name: str) -> None:
        return None


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReadModel]:
    builds: list[int] = []
    monkeypatch.setattr(NameIndex, "from_store", classmethod(lambda cls, store: builds.append(1) or cls()))
    model = ReadModel(VersionedStore(), answer_cache_size=3)  # type: ignore[arg-type]
    model.builds = builds  # type: ignore[attr-defined]
    yield model
    gc.unfreeze()


def counting(value: Any) -> tuple[list[int], Any]:
    calls: list[int] = []

    def build() -> Any:
        calls.append(1)
        return value

    return calls, build


def test_an_answer_is_computed_once_per_version(model: ReadModel) -> None:
    calls, build = counting({"answer": 1})
    first = model.cached(("overlap", "a", "b"), build)
    assert model.cached(("overlap", "a", "b"), build) is first and calls == [1]
    model.store.writes += 1  # type: ignore[attr-defined]  # a write moves the version
    assert model.cached(("overlap", "a", "b"), build) == first and calls == [1, 1]
    model.store.generation = "gen-2"  # type: ignore[misc]  # so does a load
    model.cached(("overlap", "a", "b"), build)
    assert calls == [1, 1, 1]


def test_an_answer_is_kept_per_language_and_facts_once_for_both(model: ReadModel) -> None:
    answers, answer = counting(["a reason, in the reader's language"])
    facts, fact = counting(["rows of the store"])
    for language in ("da", "en", "da"):
        with use_language(language):
            model.cached("replication", answer)
            model.cached_facts("members", fact)
    assert answers == [1, 1] and facts == [1]
    model.store.writes += 1  # type: ignore[attr-defined]
    model.cached_facts("members", fact)
    assert facts == [1, 1]


def test_answers_are_bounded_and_the_least_recently_used_goes_first(model: ReadModel) -> None:
    for n in range(3):
        model.cached(("overlap", n), lambda n=n: [n])
    model.cached(("overlap", 0), lambda: pytest.fail("a cached answer was rebuilt"))  # 0 is now the most recent
    model.cached(("overlap", 3), lambda: [3])  # evicts 1, the least recently used
    calls, build = counting([1])
    model.cached(("overlap", 1), build)
    assert calls == [1]
    for n in (0, 3):
        model.cached(("overlap", n), lambda n=n: pytest.fail(f"answer {n} should still be cached"))


def test_many_different_questions_do_not_grow_the_cache_without_end() -> None:
    cache = AnswerCache(size=50)
    for n in range(500):
        cache.get("v1", ("paths", n), lambda n=n: [n])
    assert len(cache) == 50


def test_the_name_index_is_rebuilt_by_a_load_not_by_a_write(model: ReadModel) -> None:
    first = model.names()
    assert model.names() is first and model.builds == [1]  # type: ignore[attr-defined]
    model.store.writes += 1  # type: ignore[attr-defined]  # writes update the index in place (NameIndex.put)
    assert model.names() is first and model.builds == [1]  # type: ignore[attr-defined]
    model.store.generation = "gen-2"  # type: ignore[misc]
    assert model.names() is not first and model.builds == [1, 1]  # type: ignore[attr-defined]


def without_one_participation(seed_graph: SeedGraph, municipality_id: str, work_package_id: str) -> SeedGraph:
    changed = copy.deepcopy(seed_graph)
    key = ("PARTICIPATES_IN", "Municipality", "WorkPackage")
    before = len(changed.relationships[key])
    changed.relationships[key] = [
        r for r in changed.relationships[key] if (r["source_id"], r["target_id"]) != (municipality_id, work_package_id)
    ]
    assert len(changed.relationships[key]) == before - 1
    return changed


def test_two_api_instances_over_one_store_see_each_others_loads_within_a_second(tmp_path: Path, seed_graph: SeedGraph) -> None:
    """What several API replicas over one Neo4j rely on, shown with two app instances over one embedded store."""
    loader = EmbeddedStore(tmp_path)
    loader.replace_graph(seed_graph)
    try:
        with (
            TestClient(create_app(embedded_settings(tmp_path))) as first,
            TestClient(create_app(embedded_settings(tmp_path))) as second,
        ):
            for client in (first, second):
                assert "WP10" in client.get("/api/overlap", params={"a": "Samsø", "b": "Aalborg"}).json()["shared_work_packages"]
                assert "Samsø" in client.get("/api/work-packages/WP10").json()["municipalities"]
            first.app.state.model.store.replace_graph(
                without_one_participation(seed_graph, "municipality:741", "workpackage:WP10")
            )
            deadline = time.monotonic() + 1.0
            while True:
                shared = second.get("/api/overlap", params={"a": "Samsø", "b": "Aalborg"}).json()["shared_work_packages"]
                if "WP10" not in shared or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert "WP10" not in shared
            assert "Samsø" not in second.get("/api/work-packages/WP10").json()["municipalities"]
            assert "Samsø" not in first.get("/api/work-packages/WP10").json()["municipalities"]
    finally:
        loader.close()
        gc.unfreeze()


def test_the_server_sets_the_collector_thresholds(embedded_path: Path) -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with TestClient(create_app(embedded_settings(embedded_path))) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_threshold() == read_model.GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


@pytest.mark.parametrize("warm", [True, False])
def test_the_server_builds_the_name_index_before_it_answers_unless_told_not_to(embedded_path: Path, warm: bool) -> None:
    app = create_app(embedded_settings(embedded_path, warm_on_start=warm))
    try:
        with TestClient(app):
            assert (app.state.model._names is not None) is warm
    finally:
        gc.unfreeze()


def test_a_restart_reads_the_name_index_from_its_snapshot_and_a_new_version_rebuilds_it(
    tmp_path: Path, seed_graph: SeedGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path)
    store.replace_graph(seed_graph)
    try:
        first = ReadModel(store).names()
        snapshot = store.cache_file("names")
        assert snapshot is not None and snapshot.exists()
        real_build = NameIndex.from_store
        monkeypatch.setattr(NameIndex, "from_store", classmethod(lambda cls, s: pytest.fail("the snapshot was not used")))
        again = ReadModel(store).names()
        assert len(again) == len(first) and again.resolve("Kobenhavn").id == first.resolve("København").id
        assert [n.id for _, n, _ in again.search("aarh", 5)] == [n.id for _, n, _ in first.search("aarh", 5)]
        builds: list[int] = []
        monkeypatch.setattr(NameIndex, "from_store", classmethod(lambda cls, s: builds.append(1) or real_build(s)))
        snapshot.write_bytes(b"not a snapshot")  # unreadable: rebuilt, never an error
        assert ReadModel(store).names().resolve("Samsø").name == "Samsø" and builds == [1]
        store.replace_graph(seed_graph)  # a new generation: its own snapshot, the old one pruned with it
        assert ReadModel(store).names().resolve("Samsø").name == "Samsø" and builds == [1, 1]
        assert store.cache_file("names") != snapshot
    finally:
        store.close()
        gc.unfreeze()


def test_an_answer_asked_for_by_many_at_once_is_built_once() -> None:
    import threading

    cache = AnswerCache(size=10)
    started, release = threading.Event(), threading.Event()
    builds: list[int] = []

    def slow_build() -> str:
        builds.append(1)
        started.set()
        release.wait(5)
        return "answer"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get("v1", "graph", slow_build)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(cache.get("v1", "graph", slow_build))) for _ in range(8)]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert results == ["answer"] * 9 and builds == [1]


def test_a_failed_build_lets_the_waiting_callers_try_again() -> None:
    cache = AnswerCache(size=10)

    def failing() -> str:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError):
        cache.get("v1", "graph", failing)
    assert cache.get("v1", "graph", lambda: "answer") == "answer"


def test_a_starting_server_answers_before_its_analyses_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """At start the analyses wait a moment (the first visitors first); reading the version, as
    every request does, does not start them early; a change to the graph starts them at once."""
    started: list[tuple[str | None, float]] = []
    monkeypatch.setitem(read_model.BACKGROUND, "probe", lambda model: started.append((model.store.version, time.monotonic())))
    store = VersionedStore()
    model = ReadModel(store)  # type: ignore[arg-type]
    began = time.monotonic()
    model.start_background_later(0.5)
    assert model.version == "gen-1#0" and model.version == "gen-1#0"
    time.sleep(0.2)
    assert started == []
    deadline = time.monotonic() + 5
    while not started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started and started[0][0] == "gen-1#0" and started[0][1] - began >= 0.5
    store.writes += 1  # a write moves the version: the analyses start for it at once
    assert model.version == "gen-1#1"
    deadline = time.monotonic() + 5
    while len(started) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [version for version, _ in started] == ["gen-1#0", "gen-1#1"]


def test_a_stopped_server_leaves_nothing_behind_that_opens_its_graph_again(embedded_path: Path) -> None:
    """The analyses waiting to start are cancelled when the server stops, and a closed store does
    not open its graph again for a thread that outlived the server (each such opening was a
    LadybugDB database nobody closed)."""
    app = create_app(embedded_settings(embedded_path))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        model = app.state.model
        starter = model._starter
        assert starter is not None and starter.is_alive()
    starter.join(1)
    assert not starter.is_alive() and model._starter is None
    with pytest.raises(StoreUnavailable, match="closed"):
        _ = model.store.version
