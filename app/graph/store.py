"""One interface over the embedded LadybugDB store and the Neo4j store.

Services only ever call `read(name, params)`: the store finds the named query for
its dialect, runs it with parameters and hands back plain dicts (nodes already
turned into property dicts), so nothing above this layer sees a driver type.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.graph.queries import Dialect, QueryCatalog, catalog
from app.graph.schema import LABELS, RelationshipShape
from app.steps import NO_STEPS, Steps

Row = dict[str, Any]


class StoreUnavailable(Exception):
    """The store cannot be reached or did not answer in time; the message says why."""


class StoreMemoryExceeded(StoreUnavailable):
    """A question needed more working memory than the store may use (the embedded buffer pool)."""


class LoadVerificationError(Exception):
    """What the loader wrote differs from the seed; the message holds the diff."""


class ReadOnlyQueryError(Exception):
    """A console query the store could not run; the message says why (the store's own words)."""


class ReadOnlyQueryTimedOut(ReadOnlyQueryError):
    """The query ran past its time limit and was stopped."""


class ReadOnlyQueryWrote(ReadOnlyQueryError):
    """The store refused the query because it would write."""


@dataclass
class ChangeRecord:
    """One entry of the audit trail; `before` and `after` are the entity as plain data (or None)."""

    actor: str
    action: str
    entity: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class WriteTx:
    """What a write function sees: named queries run inside one store transaction."""

    def __init__(self, run: Callable[[str, Mapping[str, Any]], list[Row]], queries: QueryCatalog) -> None:
        self._run = run
        self.queries = queries

    def run(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: RelationshipShape | None = None,
    ) -> list[Row]:
        return self._run(self.queries.render(name, label=label, rel=rel), params or {})


def record_change(tx: WriteTx, change: ChangeRecord) -> int:
    """Counts the write and adds its change record, inside the write's transaction; the change's id."""
    import datetime as dt
    import json

    rows = tx.run("graph_state_bump", {"state": "state"})
    if not rows:
        raise StoreUnavailable("the graph has no write counter (GraphState); reload the seed")
    seq = int(rows[0]["writes"])
    tx.run(
        "create_change",
        {
            "id": str(seq),
            "seq": seq,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "actor": change.actor,
            "action": change.action,
            "entity": change.entity,
            "before": json.dumps(change.before, ensure_ascii=False, sort_keys=True) if change.before is not None else None,
            "after": json.dumps(change.after, ensure_ascii=False, sort_keys=True) if change.after is not None else None,
        },
    )
    return seq


WriteFunction = Callable[[WriteTx], tuple[Any, ChangeRecord]]


@dataclass
class GraphCounts:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


@dataclass
class LoadReport:
    generation: str
    counts: GraphCounts
    seconds: float
    rows: int


def diff_counts(expected: GraphCounts, actual: GraphCounts) -> list[str]:
    """Human-readable lines for every label or type whose count differs."""
    lines = []
    for section, want, got in (
        ("nodes", expected.nodes, actual.nodes),
        ("relationships", expected.relationships, actual.relationships),
    ):
        for key in sorted(set(want) | set(got)):
            if want.get(key, 0) != got.get(key, 0):
                lines.append(f"{section} {key}: seed has {want.get(key, 0)}, store has {got.get(key, 0)}")
    return lines


class GraphStore(ABC):
    backend: str
    dialect: Dialect

    @property
    def queries(self) -> QueryCatalog:
        return catalog(self.dialect)

    @abstractmethod
    def _run(self, text: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read-only text and return rows with nodes as property dicts."""

    def read(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        label: str | None = None,
        rel: RelationshipShape | None = None,
        path: tuple[str, str, int] | None = None,
    ) -> list[Row]:
        return self._run(self.queries.render(name, label=label, rel=rel, path=path), params or {})

    @contextmanager
    def pinned(self) -> Iterator[Callable[[str, Mapping[str, Any]], list[Row]]]:
        """A runner of query texts that reads one generation of the graph for the whole block (a
        streamed export). Here the store itself; a load in between shows in the rows' `generation`."""
        yield self._run

    def ping(self) -> None:
        self.read("ping")

    def counts(self) -> GraphCounts:
        nodes = {row["label"]: int(row["count"]) for row in self.read("count_nodes") if row["label"]}
        rels = {row["type"]: int(row["count"]) for row in self.read("count_relationships")}
        return GraphCounts(
            nodes={label: nodes.get(label, 0) for label in LABELS},
            relationships=dict(sorted(rels.items())),
        )

    @abstractmethod
    def is_empty(self) -> bool: ...

    @property
    @abstractmethod
    def generation(self) -> str | None:
        """Names the graph currently served; changes with every successful load."""

    def cache_file(self, name: str) -> Path | None:
        """Where a process may keep a derived file for the current graph (the name index's
        snapshot), or None when the store has no place for one."""
        return None

    @property
    def version(self) -> str | None:
        """Moves with every change to the graph (a load, a write): answers are cached under it."""
        return self.generation

    @abstractmethod
    def write_transaction(self, fn: WriteFunction) -> Any:
        """Run `fn` in one write transaction together with its change record and the version
        counter; commit (durably) or change nothing. Returns what `fn` returned first."""

    @abstractmethod
    def replace_graph(self, graph: Any, batch_size: int = 1000, steps: Steps = NO_STEPS, extra: Any = None) -> LoadReport:
        """Make the store hold exactly `graph` plus the written knowledge, verified, or leave it as it
        was (steps "write", "verify"). `extra` (app.graph.writer.WrittenKnowledge, an import) adds
        written knowledge: what the graph holds already with the same values is skipped."""

    @abstractmethod
    def bulk_replace_graph(self, graph: Any, steps: Steps = NO_STEPS) -> LoadReport:
        """As replace_graph, through the store's fastest bulk path (large graphs)."""

    @abstractmethod
    def run_read_only(
        self, query: str, params: Mapping[str, Any], *, timeout_seconds: float, row_limit: int, release: Callable[[], None]
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Run a person's own query so that it cannot write: (columns, up to `row_limit` rows of
        raw values, whether more rows were left). Calls `release` once the store is really done
        with the query (which may be after this returns, when it had to be interrupted).
        Raises ReadOnlyQueryTimedOut, ReadOnlyQueryWrote or ReadOnlyQueryError."""

    @abstractmethod
    def close(self) -> None: ...
