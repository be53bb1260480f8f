"""Writes a SeedGraph through the named load queries, in batches, on either store."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.graph.queries import QueryCatalog
from app.graph.schema import LABELS, RELATIONSHIP_SHAPES, WRITTEN, RelationshipShape, node_columns, shape
from app.graph.store import GraphCounts, LoadVerificationError
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


# -- written knowledge (issue 12): what a load carries from the old graph into the new one ------
@dataclass
class WrittenKnowledge:
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[RelationshipShape, list[dict[str, Any]]] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    writes: int = 0

    def node_counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in self.nodes.items()}

    def relationship_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rel, rows in self.relationships.items():
            counts[rel.type] = counts.get(rel.type, 0) + len(rows)
        return counts

    def plus(self, other: WrittenKnowledge) -> WrittenKnowledge:
        """Both together (`other` holds only what self lacks: see added_knowledge)."""
        nodes = {label: [*self.nodes.get(label, []), *other.nodes.get(label, [])] for label in {*self.nodes, *other.nodes}}
        rels = {
            rel: [*self.relationships.get(rel, []), *other.relationships.get(rel, [])]
            for rel in {*self.relationships, *other.relationships}
        }
        return WrittenKnowledge(nodes, rels, [*self.changes, *other.changes], max(self.writes, other.writes))


CHANGE_FIELDS: tuple[str, ...] = ("id", "seq", "at", "actor", "action", "entity", "before", "after")
RELATIONSHIP_FIELDS: tuple[str, ...] = ("source_id", "target_id", "role", "detail", "source")


def added_knowledge(live: WrittenKnowledge, incoming: WrittenKnowledge) -> WrittenKnowledge:
    """What `incoming` (an import) adds to the graph's written knowledge. A node, relationship or
    change record the graph holds already with the same values is skipped, so importing twice
    changes nothing; one it holds with other values stops the import (LoadVerificationError,
    naming each), because either side may be the one a person meant."""
    added = WrittenKnowledge(writes=max(live.writes, incoming.writes))
    conflicts: list[str] = []
    for label, rows in incoming.nodes.items():
        columns = node_columns(label)
        have = {row["id"]: {c: row.get(c) for c in columns} for row in live.nodes.get(label, [])}
        for row in rows:
            values = {c: row.get(c) for c in columns}
            if row["id"] not in have:
                added.nodes.setdefault(label, []).append(values)
            elif have[row["id"]] != values:
                differ = sorted(c for c in columns if have[row["id"]][c] != values[c])
                conflicts.append(f"{label} {row['id']} exists with other values ({', '.join(differ)})")
    for rel, rows in incoming.relationships.items():
        have_rels = {(r["source_id"], r["target_id"]): r for r in live.relationships.get(rel, [])}
        for row in rows:
            values = {f: row.get(f) for f in RELATIONSHIP_FIELDS}
            existing = have_rels.get((row["source_id"], row["target_id"]))
            if existing is None:
                added.relationships.setdefault(rel, []).append(values)
            elif {f: existing.get(f) for f in RELATIONSHIP_FIELDS} != values:
                conflicts.append(f"{row['source_id']} -[{rel.type}]-> {row['target_id']} exists with other values")
    have_changes = {int(c["seq"]): {f: c.get(f) for f in CHANGE_FIELDS} for c in live.changes}
    for change in incoming.changes:
        values = {f: change.get(f) for f in CHANGE_FIELDS}
        seq = int(change["seq"])
        if seq not in have_changes:
            added.changes.append(values)
            added.writes = max(added.writes, seq)
        elif have_changes[seq] != values:
            conflicts.append(f"change {seq} exists with other values (the audit trail differs)")
    if conflicts:
        raise LoadVerificationError(
            "the import differs from the written knowledge the graph holds; nothing was changed:\n  " + "\n  ".join(conflicts)
        )
    return added


def read_written(run: Callable[[str, Mapping[str, Any]], list[dict[str, Any]]], queries: QueryCatalog) -> WrittenKnowledge:
    """Every written node and relationship, the audit trail and the write counter."""
    knowledge = WrittenKnowledge()
    for label in LABELS:
        rows = [row["node"] for row in run(queries.node_template("written_nodes", label), {"written": WRITTEN})]
        if rows:
            knowledge.nodes[label] = rows
    for rel in RELATIONSHIP_SHAPES:
        rows = run(queries.relationship_template("written_relationships", rel), {"written": WRITTEN})
        if rows:
            knowledge.relationships[rel] = rows
    knowledge.changes = run(queries.text("changes_since"), {"since": -1, "limit": 10**12})
    state = run(queries.text("graph_state_writes"), {"state": "state"})
    knowledge.writes = int(state[0]["writes"]) if state else 0
    return knowledge


def dangling_facts(knowledge: WrittenKnowledge, graph: SeedGraph) -> list[str]:
    """Written relationships whose other end the new seed no longer has."""
    ids = {row["id"] for rows in graph.nodes.values() for row in rows}
    ids |= {row["id"] for rows in knowledge.nodes.values() for row in rows}
    problems = []
    for rel, rows in knowledge.relationships.items():
        for row in rows:
            for end in (row["source_id"], row["target_id"]):
                if end not in ids:
                    problems.append(f"{row['source_id']} -[{rel.type}]-> {row['target_id']}: {end} is not in the new seed")
    return problems


def write_written(execute: Execute, queries: QueryCatalog, knowledge: WrittenKnowledge) -> None:
    """Writes carried knowledge into a new graph, keeping generation 'written'."""
    for label, rows in knowledge.nodes.items():
        text = queries.text(f"merge_{label.lower()}_nodes")
        columns = node_columns(label)
        for row in rows:  # one row per statement: LadybugDB can drop rows of UNWIND + MERGE
            execute(text, {"rows": [{c: row.get(c) for c in columns}], "generation": WRITTEN})
    for rel, rows in knowledge.relationships.items():
        text = queries.relationship_template("merge_relationships", rel)
        for row in rows:
            execute(text, {"rows": [row], "generation": WRITTEN})
    for change in knowledge.changes:
        execute(queries.text("create_change"), {k: change.get(k) for k in CHANGE_FIELDS})
    execute(queries.text("graph_state_init"), {"state": "state"})
    execute(queries.text("graph_state_set"), {"state": "state", "writes": knowledge.writes})
