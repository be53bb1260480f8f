"""The Neo4j store, for shared and large deployments.

The driver is created by the caller (one per process, see app.graph.factory) and
passed in. Reads are routed as reads, every call names the database, and a load is
one write transaction that merges the seed, prunes what an earlier load left,
verifies the counts and only then commits: readers see the old graph or the new one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

import neo4j
from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Relationship

from app.graph.queries import Dialect
from app.graph.schema import LABELS, RELATIONSHIP_SHAPES
from app.graph.store import GraphCounts, GraphStore, LoadReport, LoadVerificationError, Row, StoreUnavailable, diff_counts
from app.graph.writer import count_written, counting, write_graph
from app.seed import SeedGraph
from app.steps import NO_STEPS, Steps


def _plain(value: Any) -> Any:
    if isinstance(value, Node | Relationship):
        return dict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _records(result: neo4j.Result) -> list[Row]:
    return [{key: _plain(value) for key, value in record.items()} for record in result]


class Neo4jStore(GraphStore):
    backend = "neo4j"
    dialect: Dialect = "neo4j"

    # After a failed connection, reads fail at once for this long instead of each waiting out the
    # connection timeout again; then the next read tries the database afresh (self-recovery).
    DOWN_COOLDOWN = 1.0

    def __init__(self, driver: Driver, database: str, timeout_seconds: float = 10.0, retry_seconds: float = 1.0) -> None:
        self.driver = driver
        self.database = database
        self.timeout_seconds = timeout_seconds
        self.retry_seconds = retry_seconds
        self._generation: str | None = None
        self._generation_checked = float("-inf")
        self._down_until = float("-inf")
        self._down_reason = ""

    def _run(self, text: str, params: Mapping[str, Any]) -> list[Row]:
        """One auto-commit read, retried on a lost connection only within `retry_seconds`.

        Not execute_query: its managed retries back off for up to ~3 s (1 s, then 2 s)
        on a dead database, and every API call must answer 503 within 3 s.
        """
        if time.monotonic() < self._down_until:
            raise StoreUnavailable(self._down_reason)
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.05
        while True:
            try:
                with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    return _records(session.run(neo4j.Query(text, timeout=self.timeout_seconds), dict(params)))
            except (ServiceUnavailable, SessionExpired) as exc:
                if time.monotonic() + delay < deadline:
                    time.sleep(delay)
                    delay *= 2
                    continue
                self._down_reason = f"Neo4j at {self._address()} cannot be reached: {exc}"
                self._down_until = time.monotonic() + self.DOWN_COOLDOWN
                raise StoreUnavailable(self._down_reason) from exc
            except DriverError as exc:
                raise StoreUnavailable(f"Neo4j at {self._address()} did not answer: {exc}") from exc

    def _address(self) -> str:
        return getattr(self.driver, "_lifeact_uri", "the configured URI")

    GENERATION_TTL = 1.0  # seconds; another process's load shows within this

    @property
    def generation(self) -> str | None:
        now = time.monotonic()
        if now - self._generation_checked > self.GENERATION_TTL:
            rows = self.read("loaded_generation")
            self._generation = rows[0]["generation"] if rows else None
            self._generation_checked = now
        return self._generation

    def is_empty(self) -> bool:
        return not self.read("loaded_generation")

    def replace_graph(self, graph: SeedGraph, batch_size: int = 1000, steps: Steps = NO_STEPS) -> LoadReport:
        started = time.perf_counter()
        generation = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        expected = GraphCounts(graph.node_counts(), graph.relationship_counts())
        try:
            with self.driver.session(database=self.database) as session:
                for label in LABELS:  # schema changes cannot share a transaction with data
                    session.run(self.queries.node_template("create_id_constraint", label)).consume()
                rows, written = session.execute_write(self._load_transaction, graph, generation, expected, batch_size, steps)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j at {self._address()} cannot be reached: {exc}") from exc
        except Neo4jError as exc:
            raise StoreUnavailable(f"Neo4j refused the load: {exc}") from exc
        self._generation, self._generation_checked = generation, time.monotonic()
        return LoadReport(generation=generation, counts=written, seconds=time.perf_counter() - started, rows=rows)

    def _load_transaction(
        self,
        tx: neo4j.ManagedTransaction,
        graph: SeedGraph,
        generation: str,
        expected: GraphCounts,
        batch_size: int,
        steps: Steps,
    ) -> tuple[int, GraphCounts]:
        steps.begin("write", total=graph.row_count())
        execute = counting(lambda text, params: tx.run(text, dict(params)).consume(), steps)
        rows = write_graph(execute, self.queries, graph, generation, batch_size)
        steps.begin("verify", total=rows)
        for rel in RELATIONSHIP_SHAPES:
            tx.run(self.queries.relationship_template("prune_relationships", rel), generation=generation).consume()
        for label in LABELS:
            tx.run(self.queries.node_template("prune_nodes", label), generation=generation).consume()
        written = count_written(lambda text, params: _records(tx.run(text, dict(params))), self.queries)
        problems = diff_counts(expected, written)
        if problems:
            # Raising inside the transaction function rolls the whole load back.
            raise LoadVerificationError(
                "Neo4j does not hold what the loader wrote; the load was rolled back:\n  " + "\n  ".join(problems)
            )
        steps.advance(rows)
        return rows, written

    def close(self) -> None:
        """The driver belongs to whoever created it; see app.graph.factory."""
