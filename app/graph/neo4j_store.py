"""The Neo4j store, for shared and large deployments.

The driver is created by the caller (one per process, see app.graph.factory) and
passed in. Reads are routed as reads, every call names the database, and a load is
one write transaction that merges the seed, prunes what an earlier load left,
verifies the counts and only then commits: readers see the old graph or the new one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import neo4j
from neo4j import Driver
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Relationship

from app.graph.budget import BudgetExceeded, current_budget
from app.graph.queries import Dialect
from app.graph.schema import LABELS, RELATIONSHIP_SHAPES, WRITTEN
from app.graph.store import (
    GraphCounts,
    GraphStore,
    LoadReport,
    LoadVerificationError,
    ReadOnlyQueryError,
    ReadOnlyQueryTimedOut,
    ReadOnlyQueryWrote,
    Row,
    StoreUnavailable,
    WriteFunction,
    WriteTx,
    diff_counts,
    record_change,
)
from app.graph.writer import (
    Execute,
    WrittenKnowledge,
    added_knowledge,
    count_written,
    counting,
    dangling_facts,
    read_written,
    write_graph,
    write_written,
)
from app.seed import SeedGraph
from app.steps import NO_STEPS, Steps


def _plain(value: Any) -> Any:
    if isinstance(value, Node | Relationship):
        return dict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _timed_out(exc: ClientError) -> bool:
    """Neo4j ended the transaction at its timeout (Neo.ClientError.Transaction.TransactionTimedOut…)."""
    code = exc.code or ""
    return "Timeout" in code or "TimedOut" in code


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
        self._version: str | None = None
        self._version_checked = float("-inf")

    def _run(self, text: str, params: Mapping[str, Any]) -> list[Row]:
        """One auto-commit read, retried on a lost connection only within `retry_seconds`.

        Not execute_query: its managed retries back off for up to ~3 s (1 s, then 2 s)
        on a dead database, and every API call must answer 503 within 3 s.
        """
        if time.monotonic() < self._down_until:
            raise StoreUnavailable(self._down_reason)
        budget = current_budget()
        timeout = self.timeout_seconds
        if budget is not None:
            budget.check()
            # The server ends the transaction at the deadline, so an abandoned request stops there.
            timeout = max(0.001, min(timeout, budget.remaining()))
        deadline = time.monotonic() + min(self.retry_seconds, timeout)
        delay = 0.05
        while True:
            try:
                with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    return _records(session.run(neo4j.Query(text, timeout=timeout), dict(params)))
            except (ServiceUnavailable, SessionExpired) as exc:
                if time.monotonic() + delay < deadline:
                    time.sleep(delay)
                    delay *= 2
                    continue
                self._down_reason = f"Neo4j at {self._address()} cannot be reached: {exc}"
                self._down_until = time.monotonic() + self.DOWN_COOLDOWN
                raise StoreUnavailable(self._down_reason) from exc
            except ClientError as exc:
                if budget is not None and _timed_out(exc):
                    raise BudgetExceeded(budget.seconds) from exc
                raise
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

    # Seconds the version is kept before the database is asked again: every request asks for it
    # (answers are cached under it), so without this each one cost a round trip. Another
    # instance's write shows within this; this instance's own writes and loads at once.
    VERSION_TTL = 0.5

    @property
    def version(self) -> str | None:
        """The generation and the write counter: moves with a load or a write by any process."""
        now = time.monotonic()
        if self._version is None or now - self._version_checked > self.VERSION_TTL:
            self._generation_checked = float("-inf")  # both parts as fresh as each other
            generation = self.generation
            rows = self.read("graph_state_writes", {"state": "state"})
            self._version = f"{generation}#{int(rows[0]['writes']) if rows else 0}"
            self._version_checked = now
        return self._version

    def _forget_version(self) -> None:
        self._version, self._version_checked = None, float("-inf")

    def write_transaction(self, fn: WriteFunction) -> Any:
        """One managed write transaction: the change, its record and the counter commit together."""

        def work(tx: neo4j.ManagedTransaction) -> Any:
            wtx = WriteTx(lambda text, params: _records(tx.run(text, dict(params))), self.queries)
            result, change = fn(wtx)
            record_change(wtx, change)
            return result

        try:
            with self.driver.session(database=self.database) as session:
                session.run(self.queries.text("graph_state_init"), state="state").consume()
                return session.execute_write(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j at {self._address()} cannot be reached: {exc}") from exc
        finally:
            self._forget_version()  # this instance's next answer is computed after its own write

    def replace_graph(
        self, graph: SeedGraph, batch_size: int = 1000, steps: Steps = NO_STEPS, extra: WrittenKnowledge | None = None
    ) -> LoadReport:
        return self._replace(
            graph,
            lambda execute, generation: write_graph(execute, self.queries, graph, generation, batch_size),
            "load",
            "write",
            steps,
            extra,
        )

    def bulk_replace_graph(self, graph: SeedGraph, steps: Steps = NO_STEPS) -> LoadReport:
        """With the bulk queries and large batches (app/graph/bulk.py)."""
        from app.graph.bulk import NEO4J_BULK_BATCH, write_neo4j

        return self._replace(
            graph,
            lambda execute, generation: write_neo4j(execute, self.queries, graph, generation, NEO4J_BULK_BATCH),
            "bulk load",
            "bulk load",
            steps,
        )

    def _replace(
        self,
        graph: SeedGraph,
        write: Callable[[Execute, str], int],
        what: str,
        step: str,
        steps: Steps,
        extra: WrittenKnowledge | None = None,
    ) -> LoadReport:
        """One write transaction: write, prune what an earlier load left, add what `extra` (an
        import) adds to the written knowledge, verify the counts, or roll back."""
        started = time.perf_counter()
        generation = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        expected = GraphCounts(graph.node_counts(), graph.relationship_counts())
        queries = self.queries

        def transaction(tx: neo4j.ManagedTransaction) -> tuple[int, GraphCounts]:
            live = read_written(lambda text, params: _records(tx.run(text, dict(params))), queries)
            added = added_knowledge(live, extra) if extra is not None else WrittenKnowledge()
            knowledge = live.plus(added)
            dangling = dangling_facts(knowledge, graph)
            if dangling:
                raise LoadVerificationError(
                    "the new seed would leave written facts pointing at nothing; nothing was loaded:\n  " + "\n  ".join(dangling)
                )
            steps.begin(step, total=graph.row_count())
            rows = write(counting(lambda text, params: tx.run(text, dict(params)).consume(), steps), generation)
            steps.begin("verify", total=rows)
            for rel in RELATIONSHIP_SHAPES:
                tx.run(
                    queries.relationship_template("prune_relationships", rel), generation=generation, written=WRITTEN
                ).consume()
            for label in LABELS:
                tx.run(queries.node_template("prune_nodes", label), generation=generation, written=WRITTEN).consume()
            if extra is not None:  # the live written knowledge stayed where it was; only the additions are new
                write_written(lambda text, params: tx.run(text, dict(params)).consume(), queries, added)
            written = count_written(lambda text, params: _records(tx.run(text, dict(params))), queries)
            want = GraphCounts(dict(expected.nodes), dict(expected.relationships))
            for label, count in knowledge.node_counts().items():
                want.nodes[label] = want.nodes.get(label, 0) + count
            for rel_type, count in knowledge.relationship_counts().items():
                want.relationships[rel_type] = want.relationships.get(rel_type, 0) + count
            problems = diff_counts(want, written)
            if problems:
                # Raising inside the transaction function rolls the whole load back.
                raise LoadVerificationError(
                    f"Neo4j does not hold what the {what} wrote; it was rolled back:\n  " + "\n  ".join(problems)
                )
            steps.advance(rows)
            return rows, written

        try:
            with self.driver.session(database=self.database) as session:
                for label in LABELS:  # schema changes cannot share a transaction with data
                    session.run(queries.node_template("create_id_constraint", label)).consume()
                rows, written = session.execute_write(transaction)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j at {self._address()} cannot be reached: {exc}") from exc
        except Neo4jError as exc:
            raise StoreUnavailable(f"Neo4j refused the {what}: {exc}") from exc
        self._generation, self._generation_checked = generation, time.monotonic()
        self._forget_version()
        return LoadReport(generation=generation, counts=written, seconds=time.perf_counter() - started, rows=rows)

    def run_read_only(
        self, query: str, params: Mapping[str, Any], *, timeout_seconds: float, row_limit: int, release: Callable[[], None]
    ) -> tuple[list[str], list[list[Any]], bool]:
        """A READ-mode session; EXPLAIN first, and refused unless the plan's query type is read-only."""
        try:
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                plan = session.run(neo4j.Query("EXPLAIN " + query, timeout=timeout_seconds), dict(params)).consume()
                if plan.query_type != "r":
                    raise ReadOnlyQueryWrote(f"the plan's query type is '{plan.query_type}'")
                result = session.run(neo4j.Query(query, timeout=timeout_seconds), dict(params))
                columns = list(result.keys())
                rows: list[list[Any]] = []
                truncated = False
                for record in result:
                    if len(rows) == row_limit:
                        truncated = True
                        break
                    rows.append(list(record.values()))
                result.consume()  # discards the rest on the server
                return columns, rows, truncated
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j cannot be reached: {exc}") from exc
        except ClientError as exc:
            code = exc.code or ""
            if _timed_out(exc):
                raise ReadOnlyQueryTimedOut(exc.message or code) from exc
            if "Forbidden" in code or "Security" in code or "AccessMode" in code:
                raise ReadOnlyQueryWrote(exc.message or code) from exc
            raise ReadOnlyQueryError(exc.message or code) from exc
        except Neo4jError as exc:
            raise ReadOnlyQueryError(str(exc)) from exc
        except DriverError as exc:
            raise StoreUnavailable(f"Neo4j did not answer: {exc}") from exc
        finally:
            release()

    def close(self) -> None:
        """The driver belongs to whoever created it; see app.graph.factory."""
