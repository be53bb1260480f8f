"""Bulk loading of large graphs (`lifeact synth`, EU-scale deployments).

The ordinary loader writes batches of `UNWIND … MERGE`, which is right for the seed and
slow for a million rows. Here:

- LadybugDB: one CSV file per node table and per relationship shape, then `COPY` (the
  named queries `bulk_nodes` / `bulk_relationships`), into a new generation file beside the
  live one; counts verified; CURRENT switched atomically (see EmbeddedStore.bulk_replace_graph).
  A CSV field cannot carry everything: an empty string reads back as null, and a list
  element with a comma, bracket or quote is split or keeps its quotes. Rows holding such a
  value go through the ordinary single-MERGE batches after the COPY, so nothing is lost.
- Neo4j: large batches of one `UNWIND` each (`bulk_nodes` / `bulk_relationships`) in the one
  write transaction of the load, then the same pruning and count check as a normal load.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.graph.queries import QueryCatalog
from app.graph.schema import LABELS, RELATIONSHIP_PROPERTIES, node_columns, shape
from app.graph.store import GraphStore, LoadReport
from app.graph.writer import batches
from app.seed import SeedGraph
from app.steps import NO_STEPS, Steps

if TYPE_CHECKING:
    pass

Execute = Callable[[str, Mapping[str, Any]], Any]

NEO4J_BULK_BATCH = 10_000
# Characters a CSV field is not trusted with (LadybugDB's parallel CSV reader and quoting).
_UNSAFE_CHARACTERS = ("\n", "\r", "\\")
# A list element LadybugDB's `[a,b]` syntax keeps exactly: no separator, bracket or quote, not padded.
_UNSAFE_ELEMENT = re.compile(r"""[,\[\]{}"'\r\n\\]|^\s|\s$""")


def _unsafe_text(value: str) -> bool:
    return value == "" or any(c in value for c in _UNSAFE_CHARACTERS)


def _unsafe_rows(values: list[Any], kind: str) -> set[int]:
    """Positions whose value cannot survive a CSV round trip into LadybugDB (empty strings read
    back as null, lists whose elements hold separators or quotes)."""
    if kind == "STRING":
        present = [v for v in values if v is not None]
        joined = "\x00".join(present)
        if "" not in present and not any(c in joined for c in _UNSAFE_CHARACTERS):
            return set()  # the usual case, checked at C speed
        return {i for i, v in enumerate(values) if v is not None and _unsafe_text(v)}
    if kind.endswith("[]"):
        return {
            i
            for i, v in enumerate(values)
            if v is not None and any(not isinstance(e, str) or e == "" or _UNSAFE_ELEMENT.search(e) for e in v)
        }
    return set()


def _csv_column(values: list[Any], kind: str) -> list[Any]:
    """CSV fields of one column: the csv module writes None as an empty field (null), numbers
    exactly (repr) and booleans as True/False, which LadybugDB reads; lists need `[a,b]`."""
    if kind.endswith("[]"):
        return [None if v is None else "[" + ",".join(v) + "]" for v in values]
    return values


def _write_table(path: Path, header: list[str], columns: list[list[Any]], kinds: list[str]) -> list[int]:
    """Writes the rows that survive CSV; returns the positions of those that do not."""
    leftovers: set[int] = set()
    for values, kind in zip(columns, kinds, strict=True):
        leftovers |= _unsafe_rows(values, kind)
    rows = zip(*(_csv_column(values, kind) for values, kind in zip(columns, kinds, strict=True)), strict=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        if leftovers:
            writer.writerows(row for i, row in enumerate(rows) if i not in leftovers)
        else:
            writer.writerows(rows)
    return sorted(leftovers)


def _file_literal(path: Path) -> str:
    """COPY's file as a quoted literal; only ever a path that this module created."""
    text = str(path.resolve())
    if "'" in text or "\\" in text:
        raise ValueError(f"cannot bulk-load from {text!r}: the path holds a quote or backslash")
    return f"'{text}'"


def write_embedded(
    execute: Execute, queries: QueryCatalog, graph: SeedGraph, generation: str, folder: Path, steps: Steps = NO_STEPS
) -> int:
    """COPY every node table and relationship shape of `graph` into an open LadybugDB
    connection (empty tables); returns the rows written. CSV files go to `folder`."""
    written = 0
    for label in LABELS:
        rows = graph.nodes[label]
        if not rows:
            continue
        schema = node_columns(label)
        columns = [[generation] * len(rows) if c == "generation" else [row.get(c) for row in rows] for c in schema]
        path = folder / f"nodes-{label}.csv"
        leftovers = _write_table(path, list(schema), columns, list(schema.values()))
        if len(leftovers) < len(rows):
            execute(queries.node_template("bulk_nodes", label).replace("$file", _file_literal(path)), {})
        if leftovers:
            merge = queries.text(f"merge_{label.lower()}_nodes")
            complete = [{c: rows[i].get(c) for c in schema} for i in leftovers]  # the MERGE reads every column
            for batch in batches(complete, 1000):
                execute(merge, {"rows": batch, "generation": generation})
        written += len(rows)
        steps.advance(len(rows))
    for (rel_type, from_label, to_label), rows in graph.relationships.items():
        if not rows:
            continue
        rel = shape(rel_type, from_label, to_label)
        header = ["from", "to", *RELATIONSHIP_PROPERTIES]
        columns = [[r["source_id"] for r in rows], [r["target_id"] for r in rows]]
        columns += [[generation] * len(rows) if c == "generation" else [r.get(c) for r in rows] for c in RELATIONSHIP_PROPERTIES]
        path = folder / f"rels-{rel_type}-{from_label}-{to_label}.csv"
        leftovers = _write_table(path, header, columns, ["STRING"] * len(header))
        if len(leftovers) < len(rows):
            execute(queries.relationship_template("bulk_relationships", rel).replace("$file", _file_literal(path)), {})
        if leftovers:
            merge = queries.relationship_template("merge_relationships", rel)
            complete = [{"source_id": rows[i]["source_id"], "target_id": rows[i]["target_id"]} for i in leftovers]
            for row, i in zip(complete, leftovers, strict=True):
                row.update({c: rows[i].get(c) for c in RELATIONSHIP_PROPERTIES if c != "generation"})
            for batch in batches(complete, 1000):
                execute(merge, {"rows": batch, "generation": generation})
        written += len(rows)
        steps.advance(len(rows))
    return written


def write_embedded_in_temp(
    execute: Execute, queries: QueryCatalog, graph: SeedGraph, generation: str, steps: Steps = NO_STEPS
) -> int:
    with tempfile.TemporaryDirectory(prefix="lifeact-bulk-") as folder:
        return write_embedded(execute, queries, graph, generation, Path(folder), steps)


# -- Neo4j -------------------------------------------------------------------------------------
def write_neo4j(execute: Execute, queries: QueryCatalog, graph: SeedGraph, generation: str, batch_size: int) -> int:
    written = 0
    for label in LABELS:
        text = queries.node_template("bulk_nodes", label)
        for batch in batches(graph.nodes[label], batch_size):
            execute(text, {"rows": [{k: v for k, v in row.items() if v is not None} for row in batch], "generation": generation})
            written += len(batch)
    for (rel_type, from_label, to_label), rows in graph.relationships.items():
        text = queries.relationship_template("bulk_relationships", shape(rel_type, from_label, to_label))
        for batch in batches(rows, batch_size):
            execute(text, {"rows": batch, "generation": generation})
            written += len(batch)
    return written


def bulk_load(store: GraphStore, graph: SeedGraph, steps: Steps = NO_STEPS) -> LoadReport:
    """Replace the store's graph with `graph` through its bulk path, verified (steps "bulk load", "verify")."""
    return store.bulk_replace_graph(graph, steps)
