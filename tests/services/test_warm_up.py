"""A server asks itself the typical questions once its graph is open (app.services.warm_up): each
kind answered, once per generation of the graph (a write keeps it, a load replaces it), shown by
/health among the analyses."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import app.main
from app.graph.embedded import EmbeddedStore
from app.main import create_app
from app.seed import SeedGraph
from app.services import warm_up
from app.services.read_model import ReadModel
from tests.conftest import embedded_settings, seeded_store

KINDS = {
    "municipalities",
    "work packages",
    "themes",
    "regions",
    "a municipality",
    "search",
    "a close spelling",
    "an overlap",
    "a region",
    "gaps",
    "a work package",
    "replication",
    "a theme",
}


def test_every_typical_question_is_answered_once_per_generation(
    tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph
) -> None:
    store = EmbeddedStore(seeded_store(tmp_path_factory, seed_graph, "warm-up"))
    try:
        model = ReadModel(store)
        first = warm_up.warm_up(model)
        assert first["again"] is True and set(first["questions"]) == KINDS
        assert all(seconds is not None and seconds >= 0 for seconds in first["questions"].values())
        # what it asked is now answered from the cache, in the same language as a visitor's default
        for _what, ask in warm_up.typical_questions(model):
            started = time.perf_counter()
            ask()
            assert time.perf_counter() - started < 0.05
        assert warm_up.warm_up(model) == {"generation": store.generation, "questions": {}, "again": False}
        store.replace_graph(seed_graph)  # a load: a new generation, new connections to warm
        again = warm_up.warm_up(model)
        assert again["again"] is True and again["generation"] == store.generation != first["generation"]
    finally:
        store.close()


def test_an_empty_graph_is_asked_only_for_its_lists(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    try:
        result = warm_up.warm_up(ReadModel(store))
        assert set(result["questions"]) == {"municipalities", "work packages", "themes", "regions"}
    finally:
        store.close()


def test_a_server_shows_its_warm_up_among_the_analyses(
    tmp_path: Path, embedded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.main, "BACKGROUND_START_DELAY_SECONDS", 0.05)
    with TestClient(create_app(embedded_settings(embedded_path))) as client:
        deadline = time.monotonic() + 30
        while client.get("/health").json()["analyses"][warm_up.WARM_UP]["state"] != "ready":
            assert time.monotonic() < deadline, "the warm-up did not finish"
            time.sleep(0.05)
