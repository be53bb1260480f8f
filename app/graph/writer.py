"""Writes a SeedGraph through the named load queries, in batches, on either store."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from app.graph.queries import QueryCatalog
from app.graph.schema import LABELS, RelationshipShape, shape
from app.graph.store import GraphCounts
from app.seed import SeedGraph
from app.steps import Steps

Execute = Callable[[str, Mapping[str, Any]], Any]


def batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_graph(execute: Execute, queries: QueryCatalog, graph: SeedGraph, generation: str, batch_size: int) -> int:
    """Nodes first (one MERGE per batch), then relationships; returns the rows written."""
    written = 0
    for label in LABELS:
        text = queries.text(f"merge_{label.lower()}_nodes")
        for batch in batches(graph.nodes[label], batch_size):
            execute(text, {"rows": batch, "generation": generation})
            written += len(batch)
    for (rel_type, from_label, to_label), rows in graph.relationships.items():
        text = queries.relationship_template("merge_relationships", shape(rel_type, from_label, to_label))
        for batch in batches(rows, batch_size):
            execute(text, {"rows": batch, "generation": generation})
            written += len(batch)
    return written


def counting(execute: Execute, steps: Steps) -> Execute:
    """`execute` that advances `steps` by the rows of each batch it writes."""

    def run(text: str, params: Mapping[str, Any]) -> Any:
        result = execute(text, params)
        steps.advance(len(params.get("rows", ())))
        return result

    return run


def relationship_shapes(graph: SeedGraph) -> list[RelationshipShape]:
    return [shape(*key) for key in graph.relationships]


def count_written(run: Callable[[str, Mapping[str, Any]], list[dict[str, Any]]], queries: QueryCatalog) -> GraphCounts:
    """Counts per label (by label, not by the `kind` property) and per relationship type."""
    nodes = {label: int(run(queries.node_template("count_label", label), {})[0]["count"]) for label in LABELS}
    rels = {row["type"]: int(row["count"]) for row in run(queries.text("count_relationships"), {})}
    return GraphCounts(nodes=nodes, relationships=dict(sorted(rels.items())))
