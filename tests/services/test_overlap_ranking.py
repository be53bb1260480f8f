"""The unscoped overlap ranking, computed once per graph version in the background: the pages it
serves are the ones the store ranks (the same pairs, order, totals and cursors), and a page
served from it asks the store nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.graph.embedded import EmbeddedStore
from app.services import overlap, read_model
from app.services.paging import PageRequest
from app.services.read_model import ReadModel


@pytest.fixture(autouse=True)
def only_the_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    """No other background analysis runs on into the closing of the store."""
    monkeypatch.setattr(read_model, "BACKGROUND", {overlap.RANKING: overlap._overlap_ranking})


@pytest.fixture
def model(embedded_path: Path) -> Iterator[ReadModel]:
    store = EmbeddedStore(embedded_path)
    try:
        yield ReadModel(store)
    finally:
        store.close()


def ready_ranking(model: ReadModel) -> overlap.OverlapRanking:
    computed = model.background(overlap.RANKING, 30.0)
    assert not computed.stale
    return computed.value


def pages(model: ReadModel, min_shared: int, limit: int) -> list[dict[str, Any]]:
    """Every page of the unscoped list, walked with its cursors, as JSON."""
    found, request = [], PageRequest(limit)
    while True:
        model.answers.clear()
        page = overlap.overlaps(model, min_shared=min_shared, page=request)
        found.append(page.model_dump(mode="json"))
        if page.next_cursor is None:
            return found
        request = PageRequest(limit, int(page.next_cursor))


def test_the_ranking_serves_the_pages_the_store_ranks(model: ReadModel, monkeypatch: pytest.MonkeyPatch) -> None:
    ranking = ready_ranking(model)
    most = max(len(shared) for shared in ranking.shared_sets)
    counted = model.store.read("overlap_pair_total", {"any_region": True, "region": "", "min_shared": 1})
    assert ranking.total(1) == len(ranking.a) == counted[0]["total"] > 100
    cases = [(min_shared, limit) for min_shared in range(1, most + 2) for limit in (7, 500)]
    served = {case: pages(model, *case) for case in cases}
    monkeypatch.setattr(overlap, "_current_ranking", lambda model: None)  # the store ranks every page
    for case in cases:
        assert served[case] == pages(model, *case), case
    assert served[(most + 1, 7)] == [{"data": [], "count": 0, "total": 0, "limit": 7, "next_cursor": None}]
    # a page past the end is empty, with the list's total
    model.answers.clear()
    late = overlap.overlaps(model, page=PageRequest(5, ranking.total(1) + 3))
    assert (late.data, late.total, late.next_cursor) == ([], ranking.total(1), None)


def test_a_page_of_the_ready_ranking_asks_the_store_nothing_about_pairs(model: ReadModel) -> None:
    ready_ranking(model)
    asked: list[str] = []
    read = model.store.read

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(name)
        return read(name, *args, **kwargs)

    model.store.read = counting  # type: ignore[method-assign]
    model.answers.clear()
    page = overlap.overlaps(model, min_shared=2, page=PageRequest(3, 10))
    assert page.count == 3 and page.next_cursor == "13"
    assert not [name for name in asked if name.startswith("overlap_pair")], asked
    # a region is still ranked in the store (a region's pairs are few)
    model.answers.clear()
    overlap.overlaps(model, region="Nordjylland", page=PageRequest(3))
    assert "overlap_pair_page" in asked


def test_a_ranking_of_another_version_is_never_served(embedded_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    computed: list[str | None] = []

    def gated(model: ReadModel) -> overlap.OverlapRanking:
        computed.append(model.store.version)
        if len(computed) > 1:  # the new version's ranking takes its time
            gate.wait(30)
        return overlap._overlap_ranking(model)

    monkeypatch.setitem(read_model.BACKGROUND, overlap.RANKING, gated)  # a dict of this test's own (above)
    store = EmbeddedStore(embedded_path)
    try:
        model = ReadModel(store)
        first = ready_ranking(model)
        before = overlap.overlaps(model, page=PageRequest(4)).model_dump()
        version = store.version
        monkeypatch.setattr(EmbeddedStore, "version", property(lambda store: f"{version}-moved"))
        assert overlap._current_ranking(model) is None  # the old one is not served …
        model.answers.clear()
        assert overlap.overlaps(model, page=PageRequest(4)).model_dump() == before  # … the store answers
        gate.set()
        again = ready_ranking(model)
        assert again is not first and computed == [version, f"{version}-moved"]
    finally:
        gate.set()
        store.close()
