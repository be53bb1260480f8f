"""The whole graph as a file: GraphML, GEXF, node-link JSON, or a zip of two CSV files.

What every format holds (README "Exports"):

- every node: `id`, `kind` (its label), `name`, `provenance`, `property_provenance` where
  single properties come from elsewhere, and the properties of its label;
- every edge: its endpoints, `type`, and `role`, `detail`, `provenance` where the relationship has them.

Three decisions keep the formats readable by other programs:

- The stored property `source` (where a fact comes from) is exported as `provenance`, and
  `property_sources` (property -> provenance) as `property_provenance`: in node-link JSON,
  CSV and most graph tools `source` means an edge's start node. JSON keeps the mapping as
  an object; GraphML, GEXF and CSV hold it as JSON text.
- The internal `generation` property (which load wrote a node) is left off nodes and edges;
  the graph's generation is a graph attribute instead (GraphML, JSON), so one export names
  the load it came from.
- GraphML, GEXF and CSV hold no lists, so list properties (`pillars`, `rounds`, `main_efforts`)
  are joined with "; ". A property with different types on different labels (`code`: a number
  for municipalities, `WP5` for work packages) is written as text there, so each attribute has
  one type. JSON keeps lists and numbers as they are.

GraphML and GEXF also give each node a `label` (its name) and each edge a `label` (its type),
which Gephi shows on the canvas; in GEXF, whose own edge attribute `type` means directed or
undirected, the relationship type is the edge's `label` and its `kind` attribute.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import orjson
from rapidfuzz import process

from app import provenance
from app.graph.schema import LABELS, NODE_PROPERTIES
from app.graph.store import GraphStore
from app.services.errors import InvalidParameter, ServiceError
from app.services.index import GenerationCache
from app.services.text import natural_key, shorten

LIST_SEPARATOR = "; "
GRAPH_NAME = "LIFE ACT Knowledge Explorer"
EDGE_PROPERTIES = ("role", "detail", "provenance")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    filename: str
    description: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("graphml", "application/graphml+xml", "lifeact-graph.graphml", "GraphML (Gephi, yEd, Cytoscape, NetworkX)"),
        ExportFormat("gexf", "application/gexf+xml", "lifeact-graph.gexf", "GEXF 1.2 (Gephi)"),
        ExportFormat("json", "application/json", "lifeact-graph.json", "node-link JSON (NetworkX, D3)"),
        ExportFormat("csv", "application/zip", "lifeact-graph-csv.zip", "a zip of nodes.csv and edges.csv (Excel)"),
    )
}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)
EXPECTED_FORMAT = f"format is one of {', '.join(FORMAT_NAMES)}"


class OutputExists(ServiceError):
    status = 409


def export_format(name: str) -> ExportFormat:
    """The format called `name` (any case), or InvalidParameter listing the formats there are."""
    key = (name or "").strip().lower()
    if key in FORMATS:
        return FORMATS[key]
    close = [match for match, score, _ in process.extract(key, FORMAT_NAMES, limit=2) if score >= 50] if key else []
    raise InvalidParameter(
        f"'{shorten(name or '')}' is not an export format" if key else "no export format was given",
        expected=EXPECTED_FORMAT,
        suggestions=close,
    )


def format_for_path(path: Path) -> ExportFormat | None:
    """The format a file name asks for: .graphml, .gexf, .json, or .zip (the CSV zip)."""
    suffix = path.suffix.lower().lstrip(".")
    return FORMATS.get("csv" if suffix == "zip" else suffix)


# -- what is exported ------------------------------------------------------------------------
# Properties whose type differs between labels: one text attribute in the typed formats.
_TYPES_BY_NAME: dict[str, set[str]] = {}
for _columns in NODE_PROPERTIES.values():
    for _name, _kind in _columns.items():
        _TYPES_BY_NAME.setdefault(_name, set()).add(_kind)
MIXED_TYPE_PROPERTIES = frozenset(name for name, kinds in _TYPES_BY_NAME.items() if len(kinds) > 1)

# nodes.csv columns after id, kind and name: provenance, property_provenance, then each label's
# properties in schema order.
PROVENANCE_COLUMNS = ("provenance", "property_provenance")
NODE_PROPERTY_COLUMNS: tuple[str, ...] = (
    *PROVENANCE_COLUMNS,
    *dict.fromkeys(p for label in LABELS for p in NODE_PROPERTIES[label]),
)
NODE_COLUMNS: tuple[str, ...] = ("id", "kind", "name", *NODE_PROPERTY_COLUMNS)
EDGE_COLUMNS: tuple[str, ...] = ("source", "target", "type", *EDGE_PROPERTIES, "source_name", "target_name")


@dataclass(frozen=True)
class ExportGraph:
    """The graph as plain records, in a stable order: nodes by label then id, edges by type then ends."""

    generation: str | None
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]

    def node_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LABELS, 0)
        for node in self.nodes:
            counts[node["kind"]] += 1
        return counts

    def edge_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for edge in self.edges:
            counts[edge["type"]] = counts.get(edge["type"], 0) + 1
        return dict(sorted(counts.items()))


def _export_node(label: str, stored: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": stored["id"], "kind": label, "name": stored["name"]}
    if stored.get("source") is not None:
        node["provenance"] = stored["source"]
    if stored.get("property_sources"):
        node["property_provenance"] = provenance.decode(stored["property_sources"])
    for name in NODE_PROPERTIES[label]:
        if stored.get(name) is not None:
            node[name] = list(stored[name]) if isinstance(stored[name], (list, tuple)) else stored[name]
    return node


def collect(store: GraphStore) -> ExportGraph:
    nodes: list[dict[str, Any]] = []
    for label in LABELS:
        stored = [row["node"] for row in store.read("nodes_by_label", label=label)]
        nodes.extend(_export_node(label, p) for p in sorted(stored, key=lambda p: natural_key(p["id"])))
    edges = []
    for row in store.read("export_edges"):
        edge = {"source": row["source"], "target": row["target"], "type": row["type"]}
        edge.update({name: row[name] for name in EDGE_PROPERTIES if row.get(name) is not None})
        edges.append(edge)
    edges.sort(key=lambda e: (e["type"], natural_key(e["source"]), natural_key(e["target"])))
    return ExportGraph(generation=store.generation, nodes=nodes, edges=edges)


def export_graph(cache: GenerationCache) -> ExportGraph:
    return cache.get("export-graph", lambda: collect(cache.store))


# -- writers ---------------------------------------------------------------------------------
def _json_text(value: dict[str, Any]) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _flat(name: str, value: Any) -> Any:
    """One value as GraphML and GEXF can hold it: no lists or mappings, one type per attribute."""
    if isinstance(value, dict):
        return _json_text(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if name in MIXED_TYPE_PROPERTIES:
        return str(value)
    return value


def to_networkx(graph: ExportGraph, *, flat: bool = False) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by node id (two relationships may join the same two nodes).

    `flat` prepares values for GraphML and adds the `label`s graph tools display.
    """
    g = nx.MultiDiGraph(name=GRAPH_NAME)
    if graph.generation:
        g.graph["generation"] = graph.generation
    for node in graph.nodes:
        attributes = {k: v for k, v in node.items() if k != "id"}
        if flat:
            attributes = {k: _flat(k, v) for k, v in attributes.items()}
            attributes["label"] = node["name"]
        g.add_node(node["id"], **attributes)
    for number, edge in enumerate(graph.edges, start=1):
        attributes = {k: v for k, v in edge.items() if k not in ("source", "target")}
        if flat:
            attributes["label"] = edge["type"]
        g.add_edge(edge["source"], edge["target"], key=f"e{number}", **attributes)
    return g


def to_graphml(graph: ExportGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph, flat=True), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"
GEXF_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean", "STRING[]": "string"}


def _gexf_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _json_text(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _gexf_attributes(parent: ElementTree.Element, cls: str, columns: dict[str, str]) -> None:
    declarations = ElementTree.SubElement(parent, "attributes", {"class": cls, "mode": "static"})
    for name, kind in columns.items():
        ElementTree.SubElement(declarations, "attribute", {"id": name, "title": name, "type": kind})


def _gexf_values(parent: ElementTree.Element, record: dict[str, Any], columns: dict[str, str]) -> None:
    values = ElementTree.SubElement(parent, "attvalues")
    for name in columns:
        if record.get(name) is not None:
            ElementTree.SubElement(values, "attvalue", {"for": name, "value": _gexf_value(record[name])})


def to_gexf(graph: ExportGraph) -> bytes:
    """GEXF 1.2 as Gephi writes it. Written here rather than by networkx, which turns an edge's
    `type` into GEXF's directed/undirected flag and adds a `networkx_key` column to every edge."""
    node_columns = {"kind": "string", "name": "string", **dict.fromkeys(PROVENANCE_COLUMNS, "string")}
    for label in LABELS:
        for name, kind in NODE_PROPERTIES[label].items():
            node_columns.setdefault(name, "string" if name in MIXED_TYPE_PROPERTIES else GEXF_TYPES[kind])
    edge_columns = {"kind": "string", **dict.fromkeys(EDGE_PROPERTIES, "string")}
    root = ElementTree.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": "1.2"})
    meta = ElementTree.SubElement(root, "meta")
    ElementTree.SubElement(meta, "creator").text = GRAPH_NAME
    ElementTree.SubElement(meta, "description").text = f"generation {graph.generation}" if graph.generation else GRAPH_NAME
    element = ElementTree.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    _gexf_attributes(element, "node", node_columns)
    _gexf_attributes(element, "edge", edge_columns)
    nodes = ElementTree.SubElement(element, "nodes")
    for node in graph.nodes:
        _gexf_values(ElementTree.SubElement(nodes, "node", {"id": node["id"], "label": node["name"]}), node, node_columns)
    edges = ElementTree.SubElement(element, "edges")
    for number, edge in enumerate(graph.edges, start=1):
        attributes = {"id": f"e{number}", "source": edge["source"], "target": edge["target"], "label": edge["type"]}
        _gexf_values(ElementTree.SubElement(edges, "edge", attributes), {**edge, "kind": edge["type"]}, edge_columns)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def to_node_link_json(graph: ExportGraph) -> bytes:
    data = nx.node_link_data(to_networkx(graph), edges="edges")
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _json_text(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _csv_text(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="raise", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    # The byte-order mark makes Excel read the file as UTF-8, so æ, ø and å stay intact.
    return buffer.getvalue().encode("utf-8-sig")


def to_csv_zip(graph: ExportGraph) -> bytes:
    names = {node["id"]: node["name"] for node in graph.nodes}
    edges = [{**e, "source_name": names.get(e["source"], ""), "target_name": names.get(e["target"], "")} for e in graph.edges]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for filename, content in (
            ("nodes.csv", _csv_text(NODE_COLUMNS, graph.nodes)),
            ("edges.csv", _csv_text(EDGE_COLUMNS, edges)),
        ):
            # A fixed timestamp: the same graph gives the same bytes.
            info = zipfile.ZipInfo(filename, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


WRITERS = {"graphml": to_graphml, "gexf": to_gexf, "json": to_node_link_json, "csv": to_csv_zip}


def render(graph: ExportGraph, format_name: str) -> bytes:
    return WRITERS[export_format(format_name).name](graph)


def export_bytes(cache: GenerationCache, format_name: str) -> bytes:
    """The export in one format, built once per loaded graph (it only changes when a load does)."""
    fmt = export_format(format_name)
    return cache.get(("export", fmt.name), lambda: WRITERS[fmt.name](export_graph(cache)))


def save(data: bytes, output: Path, force: bool = False) -> Path:
    """Write `data` to `output`, creating its folder; an existing file is kept unless `force`.

    The bytes go to a temporary file beside the target first, so a reader never sees half a file.
    """
    output = Path(output).expanduser()
    if output.is_dir():
        raise InvalidParameter(f"{output} is a folder", expected="a file path for the export, e.g. exports/lifeact.graphml")
    if output.exists() and not force:
        raise OutputExists(f"{output} already exists; nothing was written", expected="another path, or --force to replace it")
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        if force:
            os.replace(temporary, output)
        else:
            os.link(temporary, output)  # fails if the file appeared meanwhile: still never overwrites
    except FileExistsError:
        raise OutputExists(
            f"{output} already exists; nothing was written", expected="another path, or --force to replace it"
        ) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return output
