"""`lifeact synth` and the bulk loader: deterministic graphs in the seed's schema, loaded
verified, answering the same services; the bulk path gives the seed exactly as the ordinary one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.graph.bulk import bulk_load
from app.graph.embedded import EmbeddedStore
from app.graph.schema import RELATIONSHIP_SHAPES, RelationshipShape, node_columns
from app.seed import SeedGraph
from app.services import entities, traversal
from app.services import overlap as overlap_service
from app.services import replication as replication_service
from app.services.read_model import ReadModel
from app.services.text import fold
from app.synth import SynthSizes, synth_graph
from tests.conftest import all_edges

SMALL = SynthSizes(municipalities=400, regions=6, projects=12)


@pytest.fixture(scope="module")
def small_graph() -> SeedGraph:
    return synth_graph(SMALL, seed=3)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory, small_graph: SeedGraph):
    store = EmbeddedStore(tmp_path_factory.mktemp("synth"))
    report = bulk_load(store, small_graph)
    assert report.rows == small_graph.row_count()
    yield store
    store.close()


def test_same_seed_same_graph_and_another_seed_another(small_graph: SeedGraph) -> None:
    again = synth_graph(SMALL, seed=3)
    assert again.nodes == small_graph.nodes
    assert again.relationships == small_graph.relationships
    assert synth_graph(SMALL, seed=4).relationships != small_graph.relationships


def test_sizes_and_schema(small_graph: SeedGraph) -> None:
    counts = small_graph.node_counts()
    assert counts["Municipality"] == 400 and counts["Region"] == 6
    assert counts["Programme"] == 12 + 6  # the projects and one climate network per region
    assert counts["WorkPackage"] >= 2 * 12 and counts["Task"] >= counts["WorkPackage"]
    for label, rows in small_graph.nodes.items():
        for row in rows:
            assert set(row) <= set(node_columns(label)), label
            assert row["kind"] == label
    for (rel_type, from_label, to_label), rows in small_graph.relationships.items():
        assert RelationshipShape(rel_type, from_label, to_label) in RELATIONSHIP_SHAPES
        assert rows
    names = [fold(row["name"]) for rows in small_graph.nodes.values() for row in rows]
    assert len(names) == len(set(names)), "every name resolves to one node"


def test_every_region_has_members_and_every_work_package_a_lead(small_graph: SeedGraph) -> None:
    regions = {row["region"] for row in small_graph.nodes["Municipality"]}
    assert regions == {row["name"] for row in small_graph.nodes["Region"]}
    leads = [
        r["target_id"]
        for (t, _, to), rows in small_graph.relationships.items()
        if t == "LEADS" and to == "WorkPackage"
        for r in rows
    ]
    assert sorted(leads) == sorted(row["id"] for row in small_graph.nodes["WorkPackage"])
    codes = [row["code"] for row in small_graph.nodes["WorkPackage"]]
    assert codes == [f"WP{n}" for n in range(1, len(codes) + 1)]


def test_bulk_load_is_verified_and_counted(small_store: EmbeddedStore, small_graph: SeedGraph) -> None:
    counts = small_store.counts()
    assert counts.nodes == small_graph.node_counts()
    assert counts.relationships == small_graph.relationship_counts()


def test_services_answer_on_the_synthetic_graph(small_store: EmbeddedStore, small_graph: SeedGraph) -> None:
    cache = ReadModel(small_store)
    facts = entities.work_package_facts(cache)
    code = next(iter(facts.work_packages))
    members = [p["name"] for p in facts.participants[code]]
    overlap = overlap_service.overlap(cache, members[0], members[-1])
    assert code in overlap.shared_work_packages
    replication = replication_service.replication(cache, code, limit=5)
    assert sorted(replication.participants) == sorted(set(members), key=sorted(set(members)).index)
    assert replication.candidates and all(c.name not in members for c in replication.candidates)
    graph = traversal.neighbourhood(cache, members[0], 2)
    assert {n.kind for n in graph.nodes} >= {"Municipality", "Region", "WorkPackage", "Programme"}
    first = small_graph.relationships[("NEIGHBOURS", "Municipality", "Municipality")][0]
    paths = traversal.paths(cache, first["source_id"], first["target_id"])
    assert paths.length == 1


def test_bulk_load_of_the_seed_equals_the_ordinary_load(tmp_path: Path, seed_graph: SeedGraph, embedded_path: Path) -> None:
    bulk = EmbeddedStore(tmp_path / "bulk")
    bulk.bulk_replace_graph(seed_graph)
    ordinary = EmbeddedStore(embedded_path)
    try:
        for label in seed_graph.nodes:

            def nodes(store: EmbeddedStore, label: str = label) -> dict[str, dict]:
                rows = store.read("nodes_by_label", label=label)
                return {r["node"]["id"]: {k: v for k, v in r["node"].items() if k != "generation"} for r in rows}

            assert nodes(bulk) == nodes(ordinary), label
        edges = sorted(map(repr, all_edges(ordinary)))
        assert sorted(map(repr, all_edges(bulk))) == edges
        a, b = ReadModel(ordinary), ReadModel(bulk)
        assert (
            replication_service.replication(a, "T.9.1").model_dump() == replication_service.replication(b, "T.9.1").model_dump()
        )
        assert (
            entities.get_programme(a, "Klimaalliancen").model_dump() == entities.get_programme(b, "Klimaalliancen").model_dump()
        )
    finally:
        bulk.close()
        ordinary.close()


def test_values_a_csv_field_cannot_carry_are_still_loaded(tmp_path: Path) -> None:
    """Empty strings, newlines and list elements with commas or quotes go through MERGE instead."""
    graph = SeedGraph()
    awkward = {"description": "", "rounds": ["one, two", 'say "x"'], "main_efforts": ["line\nbreak"], "key": "a"}
    # typed values, as in the seed: LadybugDB types a parameter column that is null in every row as STRING
    awkward |= {"municipality_count": 2, "duration_years": 5, "start_date": "2023-04-01"}
    graph.add_node("Programme", {"id": "programme:a", "name": "A", "source": "test", **awkward})
    graph.add_node("Programme", {"id": "programme:b", "name": "B", "source": "test", "key": "b", "rounds": ["plain"]})
    graph.add_relationship("SUCCEEDS", ("Programme", "programme:a"), ("Programme", "programme:b"), "", detail="x\\y")
    store = EmbeddedStore(tmp_path / "awkward")
    try:
        store.bulk_replace_graph(graph)
        rows = {r["node"]["id"]: r["node"] for r in store.read("nodes_by_label", label="Programme")}
        assert rows["programme:a"]["description"] == ""
        assert rows["programme:a"]["rounds"] == ["one, two", 'say "x"']
        assert rows["programme:a"]["main_efforts"] == ["line\nbreak"]
        assert rows["programme:b"]["rounds"] == ["plain"]
        edges = store.read("outgoing", {"id": "programme:a"}, label="Programme")
        assert [(e["type"], e["source"], e["detail"]) for e in edges] == [("SUCCEEDS", "", "x\\y")]
    finally:
        store.close()


def test_sizes_are_checked() -> None:
    with pytest.raises(ValueError):
        synth_graph(SynthSizes(municipalities=10, regions=5, projects=1))
