"""The loader: idempotent, verified against the seed, and harmless when it fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import ladybug
import pytest
import yaml

from app.graph import loader
from app.graph.embedded import POINTER, EmbeddedStore
from app.graph.store import LoadVerificationError
from app.seed import SeedError, SeedGraph, load_seed
from tests.conftest import SEED_DIR, all_edges

# One page holding every municipality: the loader's rows read back through the app's own query.
EVERY_MUNICIPALITY = {
    "any_region": True,
    "region": "",
    "any_participation": True,
    "participating": False,
    "skip": 0,
    "limit": 1000,
}


def snapshot(store: EmbeddedStore) -> dict[str, list]:
    """Every node and relationship of the graph, without the load's generation stamp."""
    nodes = sorted(
        tuple(sorted((k, str(v)) for k, v in row["node"].items() if k != "generation"))
        for label in ("Region", "Municipality", "Programme", "Organisation", "WorkPackage", "Task", "Theme")
        for row in store.read("nodes_by_label", label=label)
    )
    edges = sorted((r["source"], r["type"], r["target"], r["role"] or "") for r in all_edges(store))
    return {"nodes": nodes, "edges": edges}


def test_loading_twice_leaves_the_same_graph(tmp_path: Path, seed_graph: SeedGraph) -> None:
    store = EmbeddedStore(tmp_path)
    first = store.replace_graph(seed_graph)
    before = snapshot(store)
    second = store.replace_graph(seed_graph)
    assert first.generation != second.generation
    assert snapshot(store) == before
    assert store.counts() == first.counts == second.counts
    store.close()


def test_ladybug_drops_rows_when_one_unwind_carries_several_merges(tmp_path: Path) -> None:
    """Pins the LadybugDB 0.22.0 defect the loader is built around (if a release fixes
    it this test fails, and the note in cypher/load.cypher can go)."""
    database = ladybug.Database(str(tmp_path / "defect.lbdb"))
    conn = ladybug.Connection(database)
    conn.execute("CREATE NODE TABLE Region(name STRING, PRIMARY KEY(name))")
    conn.execute("CREATE NODE TABLE Municipality(name STRING, PRIMARY KEY(name))")
    conn.execute("CREATE REL TABLE IN_REGION(FROM Municipality TO Region)")
    rows = [{"r": "A", "m": "x"}, {"r": "A", "m": "y"}, {"r": "B", "m": "z"}]
    conn.execute(
        "UNWIND $rows AS row MERGE (r:Region {name: row.r}) MERGE (m:Municipality {name: row.m}) MERGE (m)-[:IN_REGION]->(r)",
        {"rows": rows},
    )
    kept = conn.execute("MATCH (m:Municipality) RETURN count(m)").get_all()[0][0]
    conn.close()
    database.close()
    assert kept == 2, "LadybugDB kept every row: the chained-MERGE defect seems fixed"


def test_loader_keeps_rows_that_share_a_region(tmp_path: Path, seed_graph: SeedGraph) -> None:
    """The same shape as the defect: many municipalities per region, all kept."""
    store = EmbeddedStore(tmp_path)
    store.replace_graph(seed_graph)
    rows = store.read("municipality_page", EVERY_MUNICIPALITY)
    assert len(rows) == 98
    by_region: dict[str, int] = {}
    for edge in all_edges(store):
        if edge["type"] == "IN_REGION":
            by_region[edge["target"]] = by_region.get(edge["target"], 0) + 1
    assert sorted(by_region.values()) == [11, 17, 19, 22, 29]
    store.close()


def test_a_dropped_row_fails_loudly_and_the_live_graph_stays(tmp_path: Path, seed_graph: SeedGraph, monkeypatch) -> None:
    store = EmbeddedStore(tmp_path)
    good = store.replace_graph(seed_graph)
    before = snapshot(store)

    import app.graph.embedded as embedded_module

    real_write = embedded_module.write_graph

    def lossy_write(execute, queries, graph, generation, batch_size):
        def drop_one(text, params):
            rows = params["rows"]
            if "MERGE (n:Municipality" in text and len(rows) > 1:
                params = {**params, "rows": rows[1:]}  # what the defect does: one row silently gone
            return execute(text, params)

        return real_write(drop_one, queries, graph, generation, batch_size)

    monkeypatch.setattr(embedded_module, "write_graph", lossy_write)
    with pytest.raises(LoadVerificationError) as failure:
        store.replace_graph(seed_graph)
    assert "nodes Municipality: seed has 98, store has 97" in str(failure.value)
    assert (tmp_path / POINTER).read_text().strip() == good.generation
    assert snapshot(store) == before
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == [good.generation]
    store.close()


def broken_copy(tmp_path: Path, file_name: str, mutate) -> Path:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    path = seed / file_name
    if file_name.endswith(".yaml") and not isinstance(mutate, AsText):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        mutate(document)
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    return seed


class AsText:
    """Marks a mutation that works on the file's text rather than its parsed YAML."""

    def __init__(self, change) -> None:
        self.change = change

    def __call__(self, text: str) -> str:
        return self.change(text)


def _set(path: list, value):
    def mutate(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


BROKEN_SEEDS = [
    (
        "work_packages.yaml",
        _set(["work_packages", 3, "municipalities", 0], "Frederiksund"),
        ["work_packages.yaml", "WP4", "municipalities", "Frederiksund"],
    ),
    ("work_packages.yaml", _set(["work_packages", 4, "category"], "place based"), ["work_packages.yaml", "WP5", "category"]),
    (
        "work_packages.yaml",
        _set(["work_packages", 5, "partners", 0, "role"], "helps"),
        ["work_packages.yaml", "WP6", "partners.0.role"],
    ),
    (
        "work_packages.yaml",
        _set(["work_packages", 8, "tasks", 0, "themes", 0], "sealevel"),
        ["work_packages.yaml", "WP9", "T.9.1", "themes", "sealevel"],
    ),
    (
        "work_packages.yaml",
        _set(["work_packages", 6, "lead"], "Region Nordjyland"),
        ["work_packages.yaml", "WP7", "lead", "Region Nordjyland"],
    ),
    ("themes.yaml", _set(["themes", 0, "pillar"], "both"), ["themes.yaml", "pyrolysis-biochar", "pillar"]),
    ("organisations.yaml", _set(["organisations", 1, "key"], "cdeu"), ["organisations.yaml", "key", "duplicate"]),
    (
        "municipalities.csv",
        lambda text: text.replace(
            "101,København,Københavns Kommune,Region Hovedstaden,55.67",
            "101,København,Københavns Kommune,Region Hovedstaden,nord",
        ),
        ["municipalities.csv", "101", "seat_lat"],
    ),
    (
        "municipalities.csv",
        lambda text: text.replace(
            "147,Frederiksberg,Frederiksberg Kommune,Region Hovedstaden,55.68,12.53,false,101",
            "147,Frederiksberg,Frederiksberg Kommune,Region Hovedstaden,55.68,12.53,false,",
        ),
        ["municipalities.csv", "101", "neighbours", "147"],
    ),
    ("regions.yaml", AsText(lambda text: text + "\n  - [unclosed\n"), ["regions.yaml", "YAML"]),
]


@pytest.mark.parametrize(("file_name", "mutate", "mentions"), BROKEN_SEEDS)
def test_a_broken_seed_names_file_record_and_field_and_loads_nothing(
    tmp_path: Path, seed_graph: SeedGraph, file_name: str, mutate, mentions: list[str]
) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    good = store.replace_graph(seed_graph)
    before = snapshot(store)
    seed = broken_copy(tmp_path, file_name, mutate)
    with pytest.raises(SeedError) as failure:
        loader.load(store, seed)
    for word in mentions:
        assert word in str(failure.value), f"{word!r} missing from: {failure.value}"
    assert store.generation == good.generation
    assert snapshot(store) == before
    store.close()


def test_a_missing_seed_file_is_named(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    (seed / "themes.yaml").unlink()
    with pytest.raises(SeedError, match=r"themes\.yaml: file is missing"):
        load_seed(seed)


def test_readers_of_an_old_generation_finish_after_a_reload(tmp_path: Path, seed_graph: SeedGraph) -> None:
    """A second store object (another process, in effect) follows CURRENT after a load."""
    writer = EmbeddedStore(tmp_path)
    writer.replace_graph(seed_graph)
    reader = EmbeddedStore(tmp_path)
    first = reader.generation
    assert len(reader.read("municipality_page", EVERY_MUNICIPALITY)) == 98
    second = writer.replace_graph(seed_graph).generation
    assert reader.generation == second != first
    assert len(reader.read("municipality_page", EVERY_MUNICIPALITY)) == 98
    reader.close()
    writer.close()
