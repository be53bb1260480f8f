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

Every format is written as it is read (`ExportStream`), in constant memory whatever the graph's
size: nodes and relationships come from the store in pages of `PAGE_SIZE` (keyset pagination by
id, `cypher/export.cypher`), every element is written as soon as it is read, and the bytes go out
in chunks of about `CHUNK_SIZE`. GraphML's and GEXF's attribute declarations, which come first,
are derived from the schema (app/graph/schema.py), not from the data. Nodes come per label (in
schema order) by id; edges per type (alphabetically), then by source and target id.

The whole export comes from one generation of the graph: the embedded store holds the generation
the export started on until it ends (GraphStore.pinned), whatever loads happen meanwhile; on Neo4j
every row carries the generation of the load that wrote it, and a load that commits during an
export stops it with GraphChanged before its last bytes, so no reader takes a mixed file for whole.
"""

from __future__ import annotations

import csv
import heapq
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from rapidfuzz import process

from app import provenance
from app.graph.schema import LABELS, NODE_PROPERTIES, RELATIONSHIP_SHAPES, RELATIONSHIP_TYPES, WRITTEN, RelationshipShape
from app.graph.store import GraphStore, Row
from app.i18n import gettext
from app.services.errors import InvalidParameter, ServiceError
from app.services.read_model import ReadModel
from app.services.text import shorten

LIST_SEPARATOR = "; "
GRAPH_NAME = "LIFE ACT Knowledge Explorer"
EDGE_PROPERTIES = ("role", "detail", "provenance")
PAGE_SIZE = 10_000  # rows per read from the store: what bounds an export's memory
CHUNK_SIZE = 64 * 1024  # about this many bytes (characters) per chunk handed on


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


class OutputExists(ServiceError):
    status = 409


class GraphChanged(ServiceError):
    """A load replaced the graph while it was being exported (a store that cannot hold one generation)."""

    status = 409


def export_format(name: str) -> ExportFormat:
    """The format called `name` (any case), or InvalidParameter listing the formats there are."""
    key = (name or "").strip().lower()
    if key in FORMATS:
        return FORMATS[key]
    close = [match for match, score, _index in process.extract(key, FORMAT_NAMES, limit=2) if score >= 50] if key else []
    raise InvalidParameter(
        gettext("'{name}' is not an export format").format(name=shorten(name or ""))
        if key
        else gettext("no export format was given"),
        expected=gettext("format is one of {formats}").format(formats=", ".join(FORMAT_NAMES)),
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

# The node attributes of GraphML and GEXF with their type, from the schema: one type per attribute.
XML_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean", "STRING[]": "string"}
TYPED_NODE_COLUMNS: dict[str, str] = {"kind": "string", "name": "string", **dict.fromkeys(PROVENANCE_COLUMNS, "string")}
for _label in LABELS:
    for _name, _kind in NODE_PROPERTIES[_label].items():
        TYPED_NODE_COLUMNS.setdefault(_name, "string" if _name in MIXED_TYPE_PROPERTIES else XML_TYPES[_kind])
TYPED_EDGE_COLUMNS: dict[str, str] = {"kind": "string", **dict.fromkeys(EDGE_PROPERTIES, "string")}

# An edge as the writers take it: the record, and the names of its ends (for CSV).
NamedEdge = tuple[dict[str, Any], str, str]
Runner = Callable[[str, Mapping[str, Any]], list[Row]]


@dataclass(frozen=True)
class ExportGraph:
    """The graph as plain records, in export order: nodes by label then id, edges by type then ends."""

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

    def named_edges(self) -> Iterator[NamedEdge]:
        names = {node["id"]: node["name"] for node in self.nodes}
        for edge in self.edges:
            yield edge, names.get(edge["source"], ""), names.get(edge["target"], "")


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


class PagedReader:
    """The graph read in pages of `page_size` rows from one generation (`run` from GraphStore.pinned).

    `generation` is the generation of the graph when reading starts; a row of another generation,
    or another generation at the end, raises GraphChanged (a load committed in between)."""

    def __init__(self, store: GraphStore, run: Runner, page_size: int = PAGE_SIZE) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._queries = store.queries
        self._run = run
        self._page = page_size
        self.generation = self._loaded_generation()
        self.nodes_read = 0
        self.edges_read = 0

    def _loaded_generation(self) -> str | None:
        rows = self._run(self._queries.text("loaded_generation"), {})
        return rows[0]["generation"] if rows else None

    def _check(self, generation: str | None) -> None:
        """Every row from the load being exported, or written since through the API (kept across loads)."""
        if generation is not None and generation not in (self.generation, WRITTEN):
            raise GraphChanged(
                f"the graph was reloaded while it was being exported (generation {self.generation}, "
                f"now {generation}); the export is incomplete",
                expected="export again once the load has finished",
            )

    def totals(self) -> tuple[int, int]:
        """Nodes and relationships in the graph (the CSV zip decides on Zip64 from them)."""
        nodes = sum(int(row["count"]) for row in self._run(self._queries.text("count_nodes"), {}))
        edges = sum(int(row["count"]) for row in self._run(self._queries.text("count_relationships"), {}))
        return nodes, edges

    def nodes(self) -> Iterator[dict[str, Any]]:
        """Every node, per label in schema order, by id."""
        for label in LABELS:
            text = self._queries.node_template("export_nodes_page", label)
            after: str | None = ""
            while after is not None:
                rows = self._run(text, {"after": after, "page": self._page})
                after = rows[-1]["id"] if len(rows) == self._page else None  # a short page is the last
                for row in rows:
                    stored = row["node"]
                    self._check(stored.get("generation"))
                    self.nodes_read += 1
                    yield _export_node(label, stored)
                del rows  # one page at a time: let this one go before the next is read

    def edges(self) -> Iterator[NamedEdge]:
        """Every relationship, per type in alphabetical order, then by source and target id; at the
        end, the graph must still be the generation the reading started on."""
        for rel_type in sorted(RELATIONSHIP_TYPES):
            shapes = [self._shape_edges(rel) for rel in RELATIONSHIP_SHAPES if rel.type == rel_type]
            for edge in heapq.merge(*shapes, key=lambda e: (e[0]["source"], e[0]["target"])):
                self.edges_read += 1
                yield edge
        self._check(self._loaded_generation())

    def _shape_edges(self, rel: RelationshipShape) -> Iterator[NamedEdge]:
        # (type, source, target) is unique in the graph (the loader MERGEs on it), so the pair is a key.
        text = self._queries.relationship_template("export_edges_page", rel)
        after: tuple[str, str] | None = ("", "")
        while after is not None:
            rows = self._run(text, {"after_source": after[0], "after_target": after[1], "page": self._page})
            after = (rows[-1]["source"], rows[-1]["target"]) if len(rows) == self._page else None
            for row in rows:
                self._check(row["generation"])
                edge = {"source": row["source"], "target": row["target"], "type": rel.type}
                edge.update({name: row[name] for name in EDGE_PROPERTIES if row[name] is not None})
                yield edge, row["source_name"] or "", row["target_name"] or ""
            del rows


def collect(store: GraphStore, page_size: int = PAGE_SIZE) -> ExportGraph:
    """The whole graph in memory, in export order (for analysis in Python; the files are streamed)."""
    with store.pinned() as run:
        reader = PagedReader(store, run, page_size)
        nodes = list(reader.nodes())
        edges = [edge for edge, _, _ in reader.edges()]
    return ExportGraph(generation=reader.generation, nodes=nodes, edges=edges)


def export_graph(model: ReadModel) -> ExportGraph:
    return model.cached("export-graph", lambda: collect(model.store))


# -- writing in chunks ---------------------------------------------------------------------------
def _text_chunks(parts: Iterable[str]) -> Iterator[bytes]:
    """Pieces of text as UTF-8 chunks of about CHUNK_SIZE."""
    batch: list[str] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= CHUNK_SIZE:
            yield "".join(batch).encode("utf-8")
            batch.clear()
            size = 0
    if batch:
        yield "".join(batch).encode("utf-8")


def _byte_chunks(parts: Iterable[bytes]) -> Iterator[bytes]:
    batch: list[bytes] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= CHUNK_SIZE:
            yield b"".join(batch)
            batch.clear()
            size = 0
    if batch:
        yield b"".join(batch)


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attribute(value: str) -> str:
    """As ElementTree escapes an attribute value (line breaks and tabs kept as character references)."""
    value = _xml_text(value).replace('"', "&quot;")
    return value.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _json_text(value: dict[str, Any]) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _flat(value: Any) -> str:
    """One value as GraphML and GEXF hold it: no lists or mappings, one type per attribute, XML Schema booleans."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _json_text(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"

# GraphML keys: d0 and d1 for the graph, then the node attributes and `label`, then the edges'.
_GRAPHML_GRAPH_KEYS = {"name": "d0", "generation": "d1"}
_GRAPHML_NODE_COLUMNS = {**TYPED_NODE_COLUMNS, "label": "string"}
_GRAPHML_NODE_KEYS = {name: f"d{number}" for number, name in enumerate(_GRAPHML_NODE_COLUMNS, start=len(_GRAPHML_GRAPH_KEYS))}
_GRAPHML_EDGE_COLUMNS = {"type": "string", **dict.fromkeys(EDGE_PROPERTIES, "string"), "label": "string"}
_GRAPHML_EDGE_KEYS = {
    name: f"d{number}"
    for number, name in enumerate(_GRAPHML_EDGE_COLUMNS, start=len(_GRAPHML_GRAPH_KEYS) + len(_GRAPHML_NODE_KEYS))
}


def _graphml_header() -> str:
    lines = [
        XML_DECLARATION,
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    for element, keys, columns in (
        ("graph", _GRAPHML_GRAPH_KEYS, dict.fromkeys(_GRAPHML_GRAPH_KEYS, "string")),
        ("node", _GRAPHML_NODE_KEYS, _GRAPHML_NODE_COLUMNS),
        ("edge", _GRAPHML_EDGE_KEYS, _GRAPHML_EDGE_COLUMNS),
    ):
        for name, key in keys.items():
            lines.append(f'  <key id="{key}" for="{element}" attr.name="{name}" attr.type="{columns[name]}" />\n')
    lines.append('  <graph edgedefault="directed">\n')
    return "".join(lines)


def _graphml_body(generation: str | None, nodes: Iterable[dict[str, Any]], edges: Iterable[NamedEdge]) -> Iterator[str]:
    keys = _GRAPHML_NODE_KEYS
    for node in nodes:
        parts = [f'    <node id="{_xml_attribute(node["id"])}">\n']
        for name, value in node.items():
            if name != "id":
                parts.append(f'      <data key="{keys[name]}">{_xml_text(_flat(value))}</data>\n')
        parts.append(f'      <data key="{keys["label"]}">{_xml_text(node["name"])}</data>\n    </node>\n')
        yield "".join(parts)
    keys = _GRAPHML_EDGE_KEYS
    for number, (edge, _, _) in enumerate(edges, start=1):
        source, target, rel_type = _xml_attribute(edge["source"]), _xml_attribute(edge["target"]), _xml_text(edge["type"])
        parts = [
            f'    <edge source="{source}" target="{target}" id="e{number}">\n',
            f'      <data key="{keys["type"]}">{rel_type}</data>\n',
        ]
        for name in EDGE_PROPERTIES:
            if name in edge:
                parts.append(f'      <data key="{keys[name]}">{_xml_text(edge[name])}</data>\n')
        parts.append(f'      <data key="{keys["label"]}">{rel_type}</data>\n    </edge>\n')
        yield "".join(parts)
    yield f'    <data key="{_GRAPHML_GRAPH_KEYS["name"]}">{_xml_text(GRAPH_NAME)}</data>\n'
    if generation:
        yield f'    <data key="{_GRAPHML_GRAPH_KEYS["generation"]}">{_xml_text(generation)}</data>\n'
    yield "  </graph>\n</graphml>\n"


def write_graphml(generation: str | None, nodes: Iterable[dict[str, Any]], edges: Iterable[NamedEdge]) -> Iterator[bytes]:
    """GraphML as NetworkX writes it (keys `d0`…, one typed key per attribute; a directed multigraph
    whose edge ids are e1, e2, …), with the graph's name and generation as graph data."""
    yield _graphml_header().encode("utf-8")
    yield from _text_chunks(_graphml_body(generation, nodes, edges))


GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"


def _gexf_header(generation: str | None) -> str:
    description = f"generation {generation}" if generation else GRAPH_NAME
    lines = [
        XML_DECLARATION,
        f'<gexf xmlns="{GEXF_NAMESPACE}" version="1.2">\n',
        "  <meta>\n",
        f"    <creator>{_xml_text(GRAPH_NAME)}</creator>\n",
        f"    <description>{_xml_text(description)}</description>\n",
        "  </meta>\n",
        '  <graph defaultedgetype="directed" mode="static">\n',
    ]
    for cls, columns in (("node", TYPED_NODE_COLUMNS), ("edge", TYPED_EDGE_COLUMNS)):
        lines.append(f'    <attributes class="{cls}" mode="static">\n')
        lines.extend(f'      <attribute id="{name}" title="{name}" type="{kind}" />\n' for name, kind in columns.items())
        lines.append("    </attributes>\n")
    return "".join(lines)


def _gexf_values(record: dict[str, Any], columns: Iterable[str]) -> str:
    values = "".join(
        f'          <attvalue for="{name}" value="{_xml_attribute(_flat(record[name]))}" />\n'
        for name in columns
        if record.get(name) is not None
    )
    return f"        <attvalues>\n{values}        </attvalues>\n"


def _gexf_body(nodes: Iterable[dict[str, Any]], edges: Iterable[NamedEdge]) -> Iterator[str]:
    yield "    <nodes>\n"
    for node in nodes:
        yield (
            f'      <node id="{_xml_attribute(node["id"])}" label="{_xml_attribute(node["name"])}">\n'
            f"{_gexf_values(node, TYPED_NODE_COLUMNS)}      </node>\n"
        )
    yield "    </nodes>\n    <edges>\n"
    for number, (edge, _, _) in enumerate(edges, start=1):
        rel_type = _xml_attribute(edge["type"])
        yield (
            f'      <edge id="e{number}" source="{_xml_attribute(edge["source"])}" target="{_xml_attribute(edge["target"])}"'
            f' label="{rel_type}">\n{_gexf_values({**edge, "kind": edge["type"]}, TYPED_EDGE_COLUMNS)}      </edge>\n'
        )
    yield "    </edges>\n  </graph>\n</gexf>\n"


def write_gexf(generation: str | None, nodes: Iterable[dict[str, Any]], edges: Iterable[NamedEdge]) -> Iterator[bytes]:
    """GEXF 1.2 as Gephi writes it. Written here rather than by networkx, which turns an edge's
    `type` into GEXF's directed/undirected flag and adds a `networkx_key` column to every edge."""
    yield _gexf_header(generation).encode("utf-8")
    yield from _text_chunks(_gexf_body(nodes, edges))


def _json_items(items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The items of a JSON array two levels deep, as orjson indents a whole document; then `]`."""
    first = True
    for item in items:
        text = orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
        yield (b"\n    " if first else b",\n    ") + text
        first = False
    yield b"]" if first else b"\n  ]"


def write_node_link_json(generation: str | None, nodes: Iterable[dict[str, Any]], edges: Iterable[NamedEdge]) -> Iterator[bytes]:
    """NetworkX node-link data (`node_link_data(g, edges="edges")` of the directed multigraph),
    indented as orjson indents it: each node and edge is serialised on its own."""
    graph = {"name": GRAPH_NAME, **({"generation": generation} if generation else {})}
    head = orjson.dumps({"directed": True, "multigraph": True, "graph": graph}, option=orjson.OPT_INDENT_2)
    yield head[: head.rindex(b"\n}")] + b',\n  "nodes": ['

    def node_items() -> Iterator[dict[str, Any]]:
        for node in nodes:
            item = {k: v for k, v in node.items() if k != "id"}
            item["id"] = node["id"]
            yield item

    def edge_items() -> Iterator[dict[str, Any]]:
        for number, (edge, _, _) in enumerate(edges, start=1):
            item = {k: v for k, v in edge.items() if k not in ("source", "target")}
            item.update(source=edge["source"], target=edge["target"], key=f"e{number}")
            yield item

    def parts() -> Iterator[bytes]:
        yield from _json_items(node_items())
        yield b',\n  "edges": ['
        yield from _json_items(edge_items())
        yield b"\n}\n"

    yield from _byte_chunks(parts())


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


class _Pipe:
    """A write-only file that cannot seek, for zipfile: what it is given is taken away in chunks.
    (zipfile then writes each entry's sizes in a data descriptor after its data.)"""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # a fixed timestamp: the same graph gives the same bytes
ZIP64_ROWS = 1_000_000  # an entry of more rows is written as Zip64 (2 GiB would need over 2 KB a row below it)


def _csv_text(columns: Iterable[str], rows: Iterable[list[str]]) -> Iterator[str]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    # The byte-order mark makes Excel read the file as UTF-8, so æ, ø and å stay intact.
    buffer.write("\ufeff")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK_SIZE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv_zip(
    generation: str | None,
    nodes: Iterable[dict[str, Any]],
    edges: Iterable[NamedEdge],
    rows: tuple[int, int] = (0, 0),
) -> Iterator[bytes]:
    """A zip of nodes.csv and edges.csv (comma-separated, UTF-8 with a byte-order mark), deflated
    as it is written. `rows` (nodes, edges) decides whether an entry needs Zip64."""
    node_rows = ([_cell(node.get(column)) for column in NODE_COLUMNS] for node in nodes)
    edge_rows = (
        [edge["source"], edge["target"], edge["type"], *(_cell(edge.get(p)) for p in EDGE_PROPERTIES), source_name, target_name]
        for edge, source_name, target_name in edges
    )
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for filename, columns, records, count in (
            ("nodes.csv", NODE_COLUMNS, node_rows, rows[0]),
            ("edges.csv", EDGE_COLUMNS, edge_rows, rows[1]),
        ):
            info = zipfile.ZipInfo(filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=count > ZIP64_ROWS) as entry:
                yield pipe.take()  # the entry's local header: the first bytes go out at once
                for text in _csv_text(columns, records):
                    entry.write(text.encode("utf-8"))
                    if pipe.size >= CHUNK_SIZE:
                        yield pipe.take()
    yield pipe.take()  # the end of edges.csv and the central directory


WRITERS: dict[str, Callable[..., Iterator[bytes]]] = {
    "graphml": write_graphml,
    "gexf": write_gexf,
    "json": write_node_link_json,
    "csv": write_csv_zip,
}


class ExportStream:
    """One export, written as it is read: iterate for its bytes, in chunks of about CHUNK_SIZE.

    Reads from one generation of the graph (GraphStore.pinned), a page at a time, so memory stays
    flat whatever the graph's size. The first chunk (the file's header) comes once the store has
    named its generation, so a store that cannot answer fails before anything is sent; then
    `generation` is set. `nodes`, `edges` and `bytes` count what has been written so far."""

    def __init__(self, store: GraphStore, format_name: str, page_size: int = PAGE_SIZE) -> None:
        self.format = export_format(format_name)
        self.generation: str | None = None
        self.bytes = 0
        self._reader: PagedReader | None = None
        self._chunks = self._write(store, page_size)

    @property
    def nodes(self) -> int:
        return self._reader.nodes_read if self._reader else 0

    @property
    def edges(self) -> int:
        return self._reader.edges_read if self._reader else 0

    def __iter__(self) -> ExportStream:
        return self

    def __next__(self) -> bytes:
        chunk = next(self._chunks)
        self.bytes += len(chunk)
        return chunk

    def close(self) -> None:
        """Stop early: releases the generation held (also done when the stream is dropped)."""
        self._chunks.close()

    def _write(self, store: GraphStore, page_size: int) -> Iterator[bytes]:
        with store.pinned() as run:
            reader = self._reader = PagedReader(store, run, page_size)
            self.generation = reader.generation
            write = WRITERS[self.format.name]
            if self.format.name == "csv":
                yield from write(reader.generation, reader.nodes(), reader.edges(), rows=reader.totals())
            else:
                yield from write(reader.generation, reader.nodes(), reader.edges())


def render(graph: ExportGraph, format_name: str) -> bytes:
    """An in-memory graph (`collect`) in one format: the same bytes as its ExportStream."""
    fmt = export_format(format_name)
    if fmt.name == "csv":
        return b"".join(
            write_csv_zip(graph.generation, graph.nodes, graph.named_edges(), rows=(len(graph.nodes), len(graph.edges)))
        )
    return b"".join(WRITERS[fmt.name](graph.generation, graph.nodes, graph.named_edges()))


def export_bytes(model: ReadModel, format_name: str) -> bytes:
    """The export in one format as bytes, kept per graph version (for Python callers; the API and
    the command stream instead)."""
    fmt = export_format(format_name)
    return model.cached(("export", fmt.name), lambda: b"".join(ExportStream(model.store, fmt.name)))


def save(data: bytes | Iterable[bytes], output: Path, force: bool = False) -> Path:
    """Write `data` (bytes, or chunks such as an ExportStream) to `output`, creating its folder;
    an existing file is kept unless `force`.

    The bytes go to a temporary file beside the target first, which takes the target's name only
    once complete, so a reader never sees half a file; if writing fails, nothing is left behind.
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
            for chunk in (data,) if isinstance(data, bytes) else data:
                file.write(chunk)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is meant to be shared
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
