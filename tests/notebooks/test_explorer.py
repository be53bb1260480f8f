"""app.explorer.Explorer: the notebooks' way into the graph, without a server."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.explorer import Explorer
from app.services import exports
from app.services.errors import InvalidParameter, NotFound
from tests.conftest import embedded_settings


@pytest.fixture(scope="module")
def explorer(embedded_path: Path) -> Explorer:
    with Explorer.open(embedded_settings(embedded_path)) as opened:
        yield opened


def test_an_empty_store_gets_the_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIFEACT_EMBEDDED_PATH", str(tmp_path / "graph"))
    monkeypatch.chdir(tmp_path)  # no .env from the project
    with Explorer.open() as fresh:
        assert fresh.settings.embedded_path == tmp_path / "graph"
        assert fresh.stats().nodes["Municipality"] == 98
        assert fresh.store.generation is not None
    assert (tmp_path / "graph" / "CURRENT").is_file()


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda e: e.overlap("Samsø", "Aalborg"), "/api/overlap?a=Samsø&b=Aalborg"),
        (lambda e: e.overlap_matrix(region="Nordjylland"), "/api/overlaps/matrix?region=Nordjylland"),
        (lambda e: e.replication("T.9.1", limit=5), "/api/replication?target=T.9.1&limit=5"),
        (lambda e: e.paths("Samsø", "WP9"), "/api/paths?source=Samsø&target=WP9"),
        (lambda e: e.neighbourhood("WP9", depth=1), "/api/graph?center=WP9&depth=1"),
        (lambda e: e.search("kobenhavn"), "/api/search?q=kobenhavn"),
        (lambda e: e.gaps(pillar="adaptation"), "/api/gaps?pillar=adaptation"),
        (lambda e: e.centrality(limit=5), "/api/analytics/centrality?limit=5"),
        (lambda e: e.municipality("Århus"), "/api/municipalities/Århus"),
        (lambda e: e.work_package("wp5"), "/api/work-packages/wp5"),
        (lambda e: e.task("T.9.1"), "/api/tasks/T.9.1"),
    ],
)
def test_answers_are_the_apis(explorer: Explorer, embedded_client: TestClient, call, path: str) -> None:
    assert call(explorer).model_dump(mode="json") == embedded_client.get(path).json()


def test_list_answers_are_the_apis(explorer: Explorer, embedded_client: TestClient) -> None:
    assert [p.model_dump(mode="json") for p in explorer.overlaps(min_shared=2)] == embedded_client.get(
        "/api/overlaps?min_shared=2"
    ).json()["data"]
    assert len(list(explorer.municipalities(participating=True))) == 26 and len(list(explorer.regions())) == 5
    assert [r.model_dump(mode="json") for r in explorer.organisation_relations("CONCITO")] == embedded_client.get(
        "/api/organisations/CONCITO/relations"
    ).json()["data"]


def test_errors_are_the_services(explorer: Explorer) -> None:
    with pytest.raises(NotFound) as caught:
        explorer.overlap("Samsø", "Aalborgg")
    assert "Aalborg" in caught.value.suggestions
    with pytest.raises(InvalidParameter):
        explorer.export("pdf")


def test_export_to_bytes_and_to_a_file(explorer: Explorer, tmp_path: Path) -> None:
    data = explorer.export("graphml")
    assert isinstance(data, bytes) and data == exports.export_bytes(explorer.model, "graphml")
    written = explorer.export("gexf", tmp_path / "out" / "graph.gexf")
    assert written == tmp_path / "out" / "graph.gexf"
    assert nx.read_gexf(written).number_of_nodes() == len(explorer.export_graph().nodes) == 199
    with pytest.raises(exports.OutputExists):
        explorer.export("gexf", written)
    explorer.export("gexf", written, force=True)


def test_closing_closes_the_store(embedded_path: Path) -> None:
    with Explorer.open(embedded_settings(embedded_path)) as opened:
        assert "embedded store" in repr(opened)
        opened.stats()
    # The embedded store let go of its database file (it would reopen it on a later read).
    assert opened.store._live is None


def test_lists_come_page_by_page_as_from_the_api(explorer: Explorer, embedded_client: TestClient) -> None:
    first = explorer.municipalities_page(limit=40)
    assert (first.count, first.total, first.limit) == (40, 98, 40) and first.next_cursor
    walked, page = list(first.data), first
    while page.next_cursor:
        page = explorer.municipalities_page(limit=40, cursor=page.next_cursor)
        walked += page.data
    every = list(explorer.municipalities())
    assert [m.code for m in walked] == [m.code for m in every] and len({m.code for m in every}) == 98
    assert [m.model_dump(mode="json") for m in every] == embedded_client.get("/api/municipalities?limit=98").json()["data"]
    assert [m.name for m in explorer.municipalities(work_package="WP9")] == [
        m["name"] for m in embedded_client.get("/api/municipalities?work_package=WP9").json()["data"]
    ]
    pairs = list(explorer.overlaps())
    assert len(pairs) == explorer.overlaps_page(limit=1).total == len({(p.a, p.b) for p in pairs})
    with pytest.raises(InvalidParameter):
        explorer.municipalities_page(limit=1001)
    with pytest.raises(InvalidParameter):
        explorer.overlap_matrix(names=[f"{n}" for n in range(61)])


def test_resources_are_every_page_of_the_apis(explorer: Explorer, embedded_client: TestClient) -> None:
    every = explorer.resources()
    assert every == embedded_client.get("/api/resources?limit=500").json()["data"] and len(every) > 1
    assert explorer.resources(task="t.4.1") == embedded_client.get("/api/resources?task=T.4.1").json()["data"] != []
    with pytest.raises(NotFound):
        explorer.resources(theme="no-such-theme-at-all")
