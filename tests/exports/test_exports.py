"""Graph exports, read back the way a third-party reader would: GraphML and GEXF through
NetworkX's readers and through graphology's parsers (what Gephi Lite and sigma.js read them
with), JSON as node-link data, the CSV zip with the csv module (as Excel sees it)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app import cli
from app.graph.embedded import EmbeddedStore
from app.seed import SeedGraph
from app.services import entities, exports
from app.services.errors import InvalidParameter
from app.services.read_model import ReadModel
from app.settings import PROJECT_ROOT, get_settings
from tests.conftest import all_edges

FORMATS = list(exports.FORMAT_NAMES)
DANISH_NAMES = ("Ærø", "Høje-Taastrup", "København", "Brønderslev", "Aabenraa")


@dataclass
class ReadBack:
    """An export as a reader sees it: nodes by id, edges as (source, type, target, properties)."""

    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, str, str, dict[str, Any]]]
    generation: str | None

    def node_counts(self) -> Counter[str]:
        return Counter(node["kind"] for node in self.nodes.values())

    def edge_counts(self) -> Counter[str]:
        return Counter(edge_type for _, edge_type, _, _ in self.edges)


def read_graphml(data: bytes) -> ReadBack:
    g = nx.read_graphml(io.BytesIO(data))
    assert isinstance(g, nx.MultiDiGraph)
    edges = [(u, d["type"], v, d) for u, v, d in g.edges(data=True)]
    return ReadBack(dict(g.nodes(data=True)), edges, g.graph.get("generation"))


def read_gexf(data: bytes) -> ReadBack:
    g = nx.read_gexf(io.BytesIO(data))
    assert g.is_directed() and g.is_multigraph()
    for u, v, d in g.edges(data=True):
        assert d["label"] == d["kind"], (u, v, d)  # GEXF: the type is the edge's label and its `kind`
    edges = [(u, d["kind"], v, d) for u, v, d in g.edges(data=True)]
    return ReadBack(dict(g.nodes(data=True)), edges, None)


def read_json(data: bytes) -> ReadBack:
    document = json.loads(data.decode("utf-8"))
    assert document["directed"] is True and document["multigraph"] is True
    g = nx.node_link_graph(document, edges="edges")  # NetworkX reads it back as well
    assert g.number_of_nodes() == len(document["nodes"]) and g.number_of_edges() == len(document["edges"])
    nodes = {node["id"]: node for node in document["nodes"]}
    edges = [(e["source"], e["type"], e["target"], e) for e in document["edges"]]
    return ReadBack(nodes, edges, document["graph"].get("generation"))


def read_csv_zip(data: bytes) -> ReadBack:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        raw = {name: archive.read(name) for name in archive.namelist()}
    for name, content in raw.items():
        assert content.startswith(b"\xef\xbb\xbf"), f"{name} lacks the UTF-8 byte-order mark Excel needs"
    node_rows = list(csv.DictReader(io.StringIO(raw["nodes.csv"].decode("utf-8-sig"), newline="")))
    edge_rows = list(csv.DictReader(io.StringIO(raw["edges.csv"].decode("utf-8-sig"), newline="")))
    assert list(node_rows[0])[:4] == ["id", "kind", "name", "provenance"]
    assert list(edge_rows[0])[:3] == ["source", "target", "type"]
    nodes = {row["id"]: {k: v for k, v in row.items() if v != ""} for row in node_rows}
    edges = [(row["source"], row["type"], row["target"], {k: v for k, v in row.items() if v != ""}) for row in edge_rows]
    return ReadBack(nodes, edges, None)


READERS = {"graphml": read_graphml, "gexf": read_gexf, "json": read_json, "csv": read_csv_zip}
GRAPHOLOGY_READER = PROJECT_ROOT / "tools" / "graph-readers" / "read.mjs"


def read_with_graphology(data: bytes, fmt: str, folder: Path) -> ReadBack:
    """The file as graphology-gexf / graphology-graphml parse it, in Node (installed by `make setup`)."""
    if not (GRAPHOLOGY_READER.parent / "node_modules").is_dir():
        pytest.fail("tools/graph-readers has no node_modules: run `make setup` (npm ci --prefix tools/graph-readers)")
    file = folder / f"lifeact.{fmt}"
    file.write_bytes(data)
    result = subprocess.run(["node", str(GRAPHOLOGY_READER), str(file)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    graph = json.loads(result.stdout)
    assert (graph["type"], graph["multi"]) == ("directed", True)
    type_attribute = "kind" if fmt == "gexf" else "type"
    edges = [(e["source"], e["attributes"][type_attribute], e["target"], e["attributes"]) for e in graph["edges"]]
    return ReadBack(graph["nodes"], edges, None)


def download(client: TestClient, fmt: str) -> bytes:
    response = client.get("/api/export", params={"format": fmt})
    assert response.status_code == 200, response.text
    return response.content


@pytest.fixture(scope="module")
def stored_edges(embedded_client: TestClient) -> Counter[tuple[str, str, str]]:
    store = embedded_client.app.state.model.store
    return Counter((row["source"], row["type"], row["target"]) for row in all_edges(store))


# -- every format against the store ------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_counts_per_kind_and_type_match_the_store(client: TestClient, fmt: str) -> None:
    stats = client.get("/api/stats").json()
    graph = READERS[fmt](download(client, fmt))
    assert dict(graph.node_counts()) == {label: n for label, n in stats["nodes"].items() if n}
    assert dict(graph.edge_counts()) == stats["relationships"]
    assert len(graph.nodes) == sum(stats["nodes"].values()) == 199
    assert len(graph.edges) == sum(stats["relationships"].values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_edge_of_the_store_is_exported_once(embedded_client: TestClient, stored_edges: Counter, fmt: str) -> None:
    graph = READERS[fmt](download(embedded_client, fmt))
    assert Counter((s, t, d) for s, t, d, _ in graph.edges) == stored_edges
    # Aarhus both leads and takes part in WP6: two relationships between the same two nodes survive.
    assert {t for s, t, d, _ in graph.edges if (s, d) == ("municipality:751", "workpackage:WP6")} == {"LEADS", "PARTICIPATES_IN"}
    assert all(s in graph.nodes and d in graph.nodes for s, _, d, _ in graph.edges)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_node_has_id_kind_name_and_provenance_and_no_internal_properties(embedded_client: TestClient, fmt: str) -> None:
    graph = READERS[fmt](download(embedded_client, fmt))
    for node_id, node in graph.nodes.items():
        assert node_id.split(":")[0] == node["kind"].lower()
        assert node["name"] and node["provenance"], node_id
        assert "generation" not in node and "source" not in node, node_id
    for _, _, _, properties in graph.edges:
        assert properties.get("provenance"), properties
        assert "generation" not in properties


@pytest.mark.parametrize("fmt", FORMATS)
def test_per_property_provenance_is_exported(embedded_client: TestClient, seed_graph: SeedGraph, fmt: str) -> None:
    """`property_sources` goes out as `property_provenance`: an object in JSON, JSON text elsewhere."""
    graph = READERS[fmt](download(embedded_client, fmt))
    seeded = {row["id"]: row.get("property_sources") for rows in seed_graph.nodes.values() for row in rows}
    for node_id, stored in seeded.items():
        exported = graph.nodes[node_id].get("property_provenance")
        expected = json.loads(stored) if stored else None
        assert (exported if fmt == "json" or exported is None else json.loads(exported)) == expected, node_id
    wp5 = graph.nodes["workpackage:WP5"]
    assert wp5["provenance"] == "LIFE ACT work packages, WP5"
    assert "our reading of LIFE ACT work packages, WP5" in str(wp5["property_provenance"])
    assert graph.nodes["workpackage:WP5"]["summary_da"] and graph.nodes["programme:dk2020"]["description_da"]
    assert "general knowledge, not in the source documents" in str(graph.nodes["organisation:c40"]["property_provenance"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_danish_names_survive(embedded_client: TestClient, fmt: str) -> None:
    graph = READERS[fmt](download(embedded_client, fmt))
    names = {node["name"] for node in graph.nodes.values()}
    for name in DANISH_NAMES:
        assert name in names, f"{name} is missing or garbled in the {fmt} export"
    assert graph.nodes["municipality:101"]["official_name"] == "Københavns Kommune"


@pytest.mark.parametrize(
    ("fmt", "code", "island"),
    [("graphml", "492", True), ("gexf", "492", True), ("json", 492, True), ("csv", "492", "true")],
)
def test_property_types_per_format(embedded_client: TestClient, fmt: str, code: object, island: object) -> None:
    """Typed formats hold one type per attribute (so `code` is text) and no lists; JSON keeps both."""
    graph = READERS[fmt](download(embedded_client, fmt))
    aero = graph.nodes["municipality:492"]
    assert (aero["name"], aero["code"], aero["island"]) == ("Ærø", code, island)
    # A work package with both pillars: a list of two in JSON, "; "-joined elsewhere.
    both = next(wp for wp in entities.list_work_packages(embedded_client.app.state.model).data if len(wp.pillars) == 2)
    stored = list(both.pillars)
    exported = graph.nodes[f"workpackage:{both.code}"]
    assert exported["code"] == both.code
    assert exported["pillars"] == (stored if fmt == "json" else exports.LIST_SEPARATOR.join(stored))
    wp5 = graph.nodes["workpackage:WP5"]
    if fmt in ("graphml", "gexf", "json"):
        assert isinstance(aero["seat_lat"], float) and isinstance(wp5["number"], int)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_relationship_properties_match_the_seed(embedded_client: TestClient, seed_graph: SeedGraph, fmt: str) -> None:
    """Role, detail and provenance of every relationship, compared with what the seed says."""
    graph = READERS[fmt](download(embedded_client, fmt))
    exported = Counter((s, t, d, p.get("role"), p.get("detail"), p.get("provenance")) for s, t, d, p in graph.edges)
    seeded = Counter(
        (row["source_id"], rel_type, row["target_id"], row["role"], row["detail"], row["source"])
        for (rel_type, _, _), rows in seed_graph.relationships.items()
        for row in rows
    )
    assert exported == seeded
    assert any(p.get("role") == "co-lead" for *_, p in graph.edges)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_gephi_lites_parser_reads_the_whole_graph(
    embedded_client: TestClient, stored_edges: Counter, fmt: str, tmp_path: Path
) -> None:
    graph = read_with_graphology(download(embedded_client, fmt), fmt, tmp_path)
    stats = embedded_client.get("/api/stats").json()
    assert dict(graph.node_counts()) == {label: n for label, n in stats["nodes"].items() if n}
    assert dict(graph.edge_counts()) == stats["relationships"]
    assert Counter((s, t, d) for s, t, d, _ in graph.edges) == stored_edges
    names = {node["name"] for node in graph.nodes.values()}
    assert set(DANISH_NAMES) <= names
    assert all(node["label"] == node["name"] and node.get("provenance") for node in graph.nodes.values())
    assert graph.nodes["municipality:101"]["official_name"] == "Københavns Kommune"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_tools_get_labels(embedded_client: TestClient, fmt: str) -> None:
    graph = READERS[fmt](download(embedded_client, fmt))
    assert all(node["label"] == node["name"] for node in graph.nodes.values())
    assert all(p["label"] == t for _, t, _, p in graph.edges)


def test_graphml_and_json_name_the_generation(embedded_client: TestClient) -> None:
    generation = embedded_client.get("/health").json()["generation"]
    assert read_graphml(download(embedded_client, "graphml")).generation == generation
    assert read_json(download(embedded_client, "json")).generation == generation


def test_csv_edges_carry_end_names_for_spreadsheets(embedded_client: TestClient) -> None:
    graph = read_csv_zip(download(embedded_client, "csv"))
    row = next(p for s, t, d, p in graph.edges if (s, t) == ("municipality:492", "IN_REGION"))
    assert (row["source_name"], row["target_name"]) == ("Ærø", "Region Syddanmark")


# -- the HTTP surface --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "media_type", "filename"),
    [
        ("graphml", "application/graphml+xml", "lifeact-graph.graphml"),
        ("gexf", "application/gexf+xml", "lifeact-graph.gexf"),
        ("json", "application/json", "lifeact-graph.json"),
        ("csv", "application/zip", "lifeact-graph-csv.zip"),
    ],
)
def test_download_headers(client: TestClient, fmt: str, media_type: str, filename: str) -> None:
    response = client.get(f"/api/export?format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    etag = response.headers["etag"]
    again = client.get(f"/api/export?format={fmt}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("bad", ["xml", "GRAPHML", "", "csv;json", "gexf ", "../../etc/passwd", "ø" * 300])
def test_a_bad_format_is_a_422_listing_the_formats(client: TestClient, bad: str) -> None:
    response = client.get("/api/export", params={"format": bad})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422 and "format" in error["message"]
    for name in FORMATS:
        assert name in error["expected"], error


def test_a_missing_format_is_a_422(client: TestClient) -> None:
    response = client.get("/api/export")
    assert response.status_code == 422 and "format" in response.json()["error"]["message"]


def test_the_export_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/export"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {f.media_type for f in exports.FORMATS.values()}
    parameter = next(p for p in operation["parameters"] if p["name"] == "format")
    assert parameter["required"] is True and set(parameter["schema"]["enum"]) == set(FORMATS)


# -- the service ---------------------------------------------------------------------------------
def test_exports_are_built_once_per_loaded_graph(embedded_path: Path) -> None:
    store = EmbeddedStore(embedded_path)
    try:
        model = ReadModel(store)
        first = exports.export_bytes(model, "graphml")
        assert exports.export_bytes(model, "GraphML") is first
        assert exports.export_bytes(model, "gexf") is not first
    finally:
        store.close()


def test_the_same_graph_gives_the_same_bytes(embedded_path: Path) -> None:
    store = EmbeddedStore(embedded_path)
    try:
        graph = exports.collect(store)
        for fmt in ("graphml", "json", "csv"):
            assert exports.render(graph, fmt) == exports.render(exports.collect(store), fmt), fmt
    finally:
        store.close()


@pytest.mark.parametrize(("given", "suggested"), [("grapml", "graphml"), ("jsn", "json"), ("gefx", "gexf")])
def test_the_service_suggests_a_close_format(given: str, suggested: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        exports.export_format(given)
    assert suggested in caught.value.suggestions and "graphml, gexf, json, csv" in (caught.value.expected or "")


def test_save_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "graph.json"
    assert exports.save(b"first", target) == target
    with pytest.raises(exports.OutputExists):
        exports.save(b"second", target)
    assert target.read_bytes() == b"first"
    exports.save(b"third", target, force=True)
    assert target.read_bytes() == b"third"
    with pytest.raises(InvalidParameter):
        exports.save(b"x", tmp_path)
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.json"]  # no temporary files left behind


# -- the command ------------------------------------------------------------------------------------
@pytest.fixture
def lifeact_env(embedded_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LIFEACT_EMBEDDED_PATH", str(embedded_path))
    monkeypatch.setenv("LIFEACT_LANGUAGE", "en")  # the tests read the command's English lines
    get_settings.cache_clear()
    yield cli.main
    get_settings.cache_clear()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_writes_each_format(lifeact_env: Any, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "new" / "folder" / f"graph.{fmt}"
    assert lifeact_env(["export", "--format", fmt, "--output", str(output)]) == 0
    graph = READERS[fmt](output.read_bytes())
    assert len(graph.nodes) == 199 and graph.node_counts()["Municipality"] == 98
    assert "199 nodes" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "fmt"), [("g.graphml", "graphml"), ("g.GEXF", "gexf"), ("g.json", "json"), ("g.zip", "csv")])
def test_the_command_takes_the_format_from_the_file_name(lifeact_env: Any, tmp_path: Path, name: str, fmt: str) -> None:
    assert lifeact_env(["export", "--output", str(tmp_path / name)]) == 0
    READERS[fmt]((tmp_path / name).read_bytes())


def test_the_command_refuses_to_overwrite(lifeact_env: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "graph.graphml"
    output.write_text("keep me", encoding="utf-8")
    assert lifeact_env(["export", "--format", "graphml", "--output", str(output)]) != 0
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert output.read_text(encoding="utf-8") == "keep me"
    assert lifeact_env(["export", "--format", "graphml", "--output", str(output), "--force"]) == 0
    assert read_graphml(output.read_bytes()).node_counts()["Region"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "graph.txt"], "cannot tell the format"),
        (["--output", ".", "--format", "json"], "is a folder"),
        (["--output", ".", "--format", "json", "--force"], "is a folder"),
    ],
)
def test_the_command_explains_bad_arguments(
    lifeact_env: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert lifeact_env(["export", *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_command_rejects_an_unknown_format(lifeact_env: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        lifeact_env(["export", "--format", "xml", "--output", str(tmp_path / "g.xml")])
    assert exited.value.code == 2 and "graphml" in capsys.readouterr().err
