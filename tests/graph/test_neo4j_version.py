"""The Neo4j store's version (what every answer is cached under) costs the database one look per
half second, not one per request, and still shows another instance's write within a second."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from app.graph.neo4j_store import Neo4jStore


class AnsweringStore(Neo4jStore):
    """Neo4jStore with the database replaced by two numbers another instance may change."""

    def __init__(self) -> None:
        super().__init__(driver=None, database="neo4j")  # type: ignore[arg-type]
        self.generation_in_db = "gen-1"
        self.writes_in_db = 0
        self.asked: list[str] = []

    def read(self, name: str, params: Mapping[str, Any] | None = None, **_: Any) -> list[dict[str, Any]]:
        self.asked.append(name)
        if name == "loaded_generation":
            return [{"generation": self.generation_in_db}]
        assert name == "graph_state_writes"
        return [{"writes": self.writes_in_db}]


def test_version_is_asked_once_per_ttl_and_follows_other_instances() -> None:
    store = AnsweringStore()
    assert store.version == "gen-1#0"
    asked = len(store.asked)
    assert asked == 2
    for _ in range(200):  # a burst of requests
        assert store.version == "gen-1#0"
    assert len(store.asked) == asked
    store.writes_in_db = 1  # another instance writes …
    store.generation_in_db = "gen-2"  # … and loads
    deadline = time.monotonic() + 1.0
    while store.version != "gen-2#1":
        assert time.monotonic() < deadline, "another instance's change did not show within a second"
        time.sleep(0.05)
    assert len(store.asked) <= asked + 2 * 3  # at most one look (two queries) per half second
    store._forget_version()  # what this instance's own write or load does
    store.writes_in_db = 2
    assert store.version == "gen-2#2"
