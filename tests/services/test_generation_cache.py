"""The per-graph cache: tables kept whole and frozen out of the collector until the next load;
answers in a bounded least-recently-used table; everything dropped when the graph changes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services import index
from app.services.index import GenerationCache


class SwitchingStore:
    """Only what the cache reads of a store: the generation that is loaded now."""

    def __init__(self) -> None:
        self.generation = "gen-1"


@pytest.fixture
def cache() -> Iterator[GenerationCache]:
    yield GenerationCache(SwitchingStore())  # type: ignore[arg-type]
    gc.unfreeze()  # leave the collector as the next test expects it


def counting(value: Any) -> tuple[list[int], Any]:
    calls: list[int] = []

    def build() -> Any:
        calls.append(1)
        return value

    return calls, build


def test_a_table_is_built_once_per_generation_and_rebuilt_after_a_load(cache: GenerationCache) -> None:
    calls, build = counting({"rows": [1, 2, 3]})
    first = cache.get("project-tables", build)
    assert cache.get("project-tables", build) is first and len(calls) == 1
    cache.store.generation = "gen-2"
    assert cache.get("project-tables", build) == first and len(calls) == 2


def test_answers_are_bounded_and_the_least_recently_used_goes_first(
    cache: GenerationCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "ANSWER_CACHE_SIZE", 3)
    for n in range(3):
        cache.get(("overlap", n), lambda n=n: [n])
    cache.get(("overlap", 0), lambda: pytest.fail("a cached answer was rebuilt"))  # 0 is now the most recent
    cache.get(("overlap", 3), lambda: [3])  # evicts 1, the least recently used
    calls, build = counting([1])
    cache.get(("overlap", 1), build)
    assert calls == [1]
    for n in (0, 3):
        cache.get(("overlap", n), lambda n=n: pytest.fail(f"answer {n} should still be cached"))


def test_many_different_questions_do_not_grow_the_cache_without_end(cache: GenerationCache) -> None:
    for n in range(index.ANSWER_CACHE_SIZE * 3):
        cache.get(("paths", n), lambda n=n: [n])
    assert len(cache._answers) == index.ANSWER_CACHE_SIZE
    cache.get("graph-index", lambda: {"kept": True})
    assert cache._tables == {"graph-index": {"kept": True}}


def test_tables_are_frozen_out_of_collection_until_the_graph_changes(cache: GenerationCache) -> None:
    gc.unfreeze()
    cache.get(("overlap", "a", "b"), lambda: {"answer": 1})
    assert gc.get_freeze_count() == 0  # answers stay collectable
    table = cache.get("adjacency", lambda: {"edges": [[1, 2]]})
    assert gc.get_freeze_count() > 0
    assert any(obj is table for obj in gc.get_objects()) is False  # frozen: out of the collector's generations
    cache.store.generation = "gen-2"
    cache.get(("overlap", "a", "b"), lambda: {"answer": 2})
    assert gc.get_freeze_count() == 0


def test_a_value_built_while_the_graph_changed_is_returned_but_not_kept(cache: GenerationCache) -> None:
    def build_during_a_load() -> str:
        cache.store.generation = "gen-2"
        return "built from gen-1"

    assert cache.get("search-index", build_during_a_load) == "built from gen-1"
    calls, build = counting("built from gen-2")
    assert cache.get("search-index", build) == "built from gen-2" and calls == [1]


def test_the_server_sets_the_collector_thresholds(embedded_path: Path) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import embedded_settings

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with TestClient(create_app(embedded_settings(embedded_path))) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_threshold() == index.GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


@pytest.mark.parametrize("warm", [True, False])
def test_the_server_builds_the_per_graph_tables_before_it_answers_unless_told_not_to(embedded_path: Path, warm: bool) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import embedded_settings

    app = create_app(embedded_settings(embedded_path, warm_on_start=warm))
    try:
        with TestClient(app):
            built = set(app.state.cache._tables)
            expected = {"graph-index", "project-tables", "adjacency", "replication-index", "search-index"}
            assert (expected <= built) is warm and (built == set()) is (not warm)
    finally:
        gc.unfreeze()
