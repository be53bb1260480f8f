"""The embedded store: LadybugDB files in one folder, switched atomically on reload.

Layout of LIFEACT_EMBEDDED_PATH:

    CURRENT                 name of the live generation (replaced atomically)
    gen-<time>-<id>.lbdb    one complete, verified LadybugDB database per load

A load builds a new generation beside the live one, verifies its counts against the
seed and only then points CURRENT at it. Readers keep the generation they started
with, so no reader ever sees a half-loaded graph, and a failed load changes nothing.
Serving processes open generations read-only, so a `lifeact load` in another process
can build the next one while they serve.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug

from app.graph.budget import Budget, BudgetExceeded, current_budget
from app.graph.queries import Dialect
from app.graph.schema import (
    INTERNAL_NODE_PROPERTIES,
    LABELS,
    NODE_PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_SHAPES,
    node_columns,
)
from app.graph.store import (
    GraphCounts,
    GraphStore,
    LoadReport,
    LoadVerificationError,
    ReadOnlyQueryError,
    ReadOnlyQueryTimedOut,
    ReadOnlyQueryWrote,
    Row,
    StoreMemoryExceeded,
    StoreUnavailable,
    WriteFunction,
    WriteTx,
    diff_counts,
    record_change,
)
from app.graph.writer import (
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

log = logging.getLogger("lifeact.store")

POINTER = "CURRENT"
KEEP_GENERATIONS = 3  # the live one and two before it, which slow readers may still hold
# 0 sizes the pool per generation (auto_pool_mb): LadybugDB's own default (most of the machine's
# memory) never evicts what queries leave behind, so the server grew with every query it compiled.
DEFAULT_BUFFER_POOL_MB = 0
# The automatic pool: what the largest query needs, measured with LadybugDB 0.22. Its shortest paths
# (path tracking over 21 relationship types) reserve 75 MB at seed scale, up to 150 MB between two
# municipalities of a synthetic grid with many shortest paths, and 190 MB at 100,000 municipalities
# (a 42 MB file); every other query a few MB. A reservation is not resident memory: the pool bounds
# the server's memory because what the kept statements pin stays in it.
AUTO_POOL_BASE_MB = 160
AUTO_POOL_PER_FILE_MB = 3
_POOL_FULL = "buffer pool is full"
_MISSING_TABLE = re.compile(r"Binder exception: Table \w+ does not exist")
# How long a query that found the pool full waits for the queries running beside it to end.
POOL_WAIT_SECONDS = 5.0
# Connections per opened generation. Each keeps its own compiled statements (see below), so every
# connection more holds the hot queries once more; two keep both cores of a small machine busy.
DEFAULT_CONNECTIONS = 2
# Compiled statements each connection keeps. LadybugDB's Python package caches every query text a
# connection has run, unbounded, and each cached plan holds its operators' working memory (up to
# 2.6 MB, taken from the buffer pool and never returned): a depth-2 neighbourhood runs some 40 texts
# (one per query and label), so the server grew by 120 MB on its first /api/graph and kept growing.
# Compiling a text again costs about 20 ms (it runs in 1-2 ms once compiled), so the most recently
# used are kept: enough for a neighbourhood, a replication, paths and search together (48 was not:
# a mix of neighbourhoods and replications recompiled all the time).
DEFAULT_STATEMENTS = 96
# Threads one query may use. The API runs many small queries side by side, so one thread each:
# LadybugDB's default (every core) gives each query per-thread working memory that the buffer
# pool keeps, and on a 2-core machine the threads only contend with each other.
QUERY_THREADS = 1


def ladybug_ddl() -> list[str]:
    """CREATE statements for the whole model, derived from app.graph.schema."""
    statements = []
    for label in LABELS:
        columns = ", ".join(f"{name} {kind}" for name, kind in node_columns(label).items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY(id))")
    rel_columns = ", ".join(f"{name} {kind}" for name, kind in RELATIONSHIP_PROPERTIES.items())
    by_type: dict[str, list[str]] = {}
    for s in RELATIONSHIP_SHAPES:
        by_type.setdefault(s.type, []).append(f"FROM {s.from_label} TO {s.to_label}")
    for rel_type, pairs in by_type.items():
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel_type}({', '.join(pairs)}, {rel_columns})")
    for label, properties in INTERNAL_NODE_PROPERTIES.items():
        columns = ", ".join(f"{name} {kind}" for name, kind in properties.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY(id))")
    return statements


def _plain(value: Any) -> Any:
    """LadybugDB hands nodes back as dicts with internal _ID/_LABEL keys, and an unlabelled
    node with every column of every table; keep what Neo4j would: the set properties."""
    if isinstance(value, dict) and "_LABEL" in value:
        return {k: v for k, v in value.items() if not k.startswith("_") and v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Generation:
    """One opened database file with a small pool of connections."""

    def __init__(
        self,
        path: Path,
        read_only: bool,
        pool_size: int,
        buffer_pool_mb: int = DEFAULT_BUFFER_POOL_MB,
        statements: int = DEFAULT_STATEMENTS,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.pool_mb = buffer_pool_mb or auto_pool_mb(path)
        self.database = ladybug.Database(
            str(path), read_only=read_only, buffer_pool_size=self.pool_mb * 1024 * 1024, max_num_threads=QUERY_THREADS
        )
        self._pool: queue.LifoQueue[ladybug.Connection] = queue.LifoQueue()
        self._connections: list[ladybug.Connection] = []
        self._created = 0
        self._pool_size = pool_size
        self._statements = statements
        self._lock = threading.Lock()
        self.users = 0
        self.retired = False

    @contextmanager
    def connection(self, budget: Budget | None = None) -> Iterator[ladybug.Connection]:
        """A pooled connection; under a budget, waiting for one (every one busy) counts against it."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            with self._lock:
                make_new = self._created < self._pool_size
                if make_new:
                    self._created += 1
            if make_new:
                conn = ladybug.Connection(self.database)
                with self._lock:
                    self._connections.append(conn)
            else:
                try:
                    conn = self._pool.get(timeout=budget.remaining() if budget else None)
                except queue.Empty:
                    raise BudgetExceeded(budget.seconds if budget else 0, "every connection to the store stayed busy") from None
        try:
            yield conn
        finally:
            keep_statements(conn, self._statements)
            self._pool.put(conn)

    def run(self, conn: ladybug.Connection, run: Callable[[], Any], wait: float = 0.0) -> Any:
        """`run()` on `conn`; when the buffer pool is full, again after every idle connection has
        let go of its compiled statements (their plans pin working memory in the pool), and once
        more after waiting up to `wait` seconds for the busy ones to let go too. So a fixed pool
        bounds the memory and costs recompiling, not a failed query."""
        started = time.perf_counter()
        for attempt in range(3):
            try:
                result = run()
            except RuntimeError as exc:
                if _POOL_FULL not in str(exc) or attempt == 2:
                    if attempt:
                        self._note_full_pool(attempt, started, "failed")
                    raise
            else:
                if attempt:
                    self._note_full_pool(attempt, started, "answered")
                return result
            self.drop_statements(wait if attempt else 0.0)
        raise AssertionError("unreachable")

    def _note_full_pool(self, retries: int, started: float, outcome: str) -> None:
        """A full pool costs recompiling, and at worst a wait for the busy connections: rare, and
        the likeliest cause of a slow answer, so the server says so (bench runs keep these lines)."""
        log.warning(
            "the %d MB buffer pool of %s was full: %s after %d %s and %.2f s",
            self.pool_mb,
            self.path.name,
            outcome,
            retries,
            "retry" if retries == 1 else "retries",
            time.perf_counter() - started,
        )

    def drop_statements(self, wait: float = 0.0) -> int:
        """Close the compiled statements of every connection (waiting up to `wait` seconds in all
        for a query running on one to end; those still busy keep theirs); how many were closed."""
        with self._lock:
            connections = list(self._connections)
        deadline = time.monotonic() + wait
        return sum(drop_statements(conn, max(0.0, deadline - time.monotonic())) for conn in connections)

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                break
        self.database.close()


class EmbeddedStore(GraphStore):
    backend = "embedded"
    dialect: Dialect = "ladybug"

    def __init__(
        self,
        path: Path,
        pool_size: int = DEFAULT_CONNECTIONS,
        buffer_pool_mb: int = DEFAULT_BUFFER_POOL_MB,
        statements: int = DEFAULT_STATEMENTS,
    ) -> None:
        self.path = Path(path)
        self._pointer_file = os.fspath(self.path / POINTER)  # a str: joining paths cost more than the stat
        self._buffer_pool_mb = buffer_pool_mb
        self._statements = statements
        self.path.mkdir(parents=True, exist_ok=True)
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._live: _Generation | None = None
        self._pointer_stamp: tuple[int, int] | None = None
        self._write_lock = threading.RLock()  # one writer per process: writes and loads take turns
        self._writes: dict[str, int] = {}  # generation name -> its write counter
        self._closed = False
        self._refresh()

    # -- which generation is live -------------------------------------------------
    def _read_pointer(self) -> tuple[str | None, tuple[int, int] | None]:
        pointer = self.path / POINTER
        try:
            stat = pointer.stat()
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None, None
        return (name or None), (stat.st_ino, stat.st_mtime_ns)

    def _pointer_unchanged(self) -> bool:
        """CURRENT is replaced by a rename (a new inode), never rewritten in place, so its inode and
        mtime tell whether it moved: a stat, not a read (every query asks, 100 times a neighbourhood)."""
        try:
            stat = os.stat(self._pointer_file)
        except FileNotFoundError:
            return self._pointer_stamp is None and self._live is None
        return (stat.st_ino, stat.st_mtime_ns) == self._pointer_stamp and self._live is not None

    def _refresh(self) -> None:
        """Follow CURRENT if another process (or this one) switched generations."""
        if self._closed:  # a thread that outlived its server must not open the graph again
            raise StoreUnavailable(f"the embedded store at {self.path} is closed")
        if self._pointer_unchanged():
            return
        name, stamp = self._read_pointer()
        if stamp == self._pointer_stamp and (self._live is not None or name is None):
            return
        with self._lock:
            name, stamp = self._read_pointer()
            if stamp == self._pointer_stamp and (self._live is not None or name is None):
                return
            old = self._live
            if name is None:
                self._live = None
            elif old is None or old.path.name != name:
                target = self.path / name
                if not target.exists():
                    raise StoreUnavailable(f"{self.path / POINTER} names {name}, which does not exist")
                try:
                    self._live = _Generation(
                        target,
                        read_only=True,
                        pool_size=self._pool_size,
                        buffer_pool_mb=self._buffer_pool_mb,
                        statements=self._statements,
                    )
                except RuntimeError as exc:
                    raise StoreUnavailable(f"cannot open the embedded graph at {target}: {exc}") from exc
            self._pointer_stamp = stamp
            if old is not None and old is not self._live:
                old.retired = True
                if old.users == 0:
                    old.close()

    @contextmanager
    def _use(self) -> Iterator[_Generation | None]:
        self._refresh()
        with self._lock:
            generation = self._live
            if generation is not None:
                generation.users += 1
        try:
            yield generation
        finally:
            if generation is not None:
                with self._lock:
                    generation.users -= 1
                    if generation.retired and generation.users == 0:
                        generation.close()

    @property
    def generation(self) -> str | None:
        self._refresh()
        return self._live.path.name if self._live else None

    def is_empty(self) -> bool:
        return self.generation is None

    def cache_file(self, name: str) -> Path | None:
        generation = self.generation
        return self.path / f"{generation}.{name}" if generation else None

    @property
    def version(self) -> str | None:
        name = self.generation
        if name is None:
            return None
        writes = self._writes.get(name)
        if writes is None:
            try:
                rows = self.read("graph_state_writes", {"state": "state"})
            except StoreUnavailable as exc:  # only a generation written before the counter existed counts 0
                if not _MISSING_TABLE.search(str(exc)):
                    raise  # kept below, a wrong count would serve answers cached before later writes
                rows = []
            writes = int(rows[0]["writes"]) if rows else 0
            # Kept: only this process writes a generation (LadybugDB lets one process open it
            # read-write, and then no other), and write_transaction moves the count it keeps.
            self._writes[name] = writes
        return f"{name}#{writes}"

    # -- writes of knowledge --------------------------------------------------------
    def _writable(self) -> _Generation:
        """The live generation opened read-write (this process is then its single writer;
        readers in this process share the same Database)."""
        self._refresh()
        with self._lock:
            live = self._live
            if live is None:
                raise StoreUnavailable("the embedded store is empty: load the seed first")
            if not live.read_only:
                return live
            try:
                writable = _Generation(
                    live.path,
                    read_only=False,
                    pool_size=self._pool_size,
                    buffer_pool_mb=self._buffer_pool_mb,
                    statements=self._statements,
                )
            except RuntimeError as exc:
                raise StoreUnavailable(f"cannot open {live.path.name} for writing: {exc}") from exc
            self._live = writable
            live.retired = True
            if live.users == 0:
                live.close()
        with writable.connection() as conn:
            for statement in ladybug_ddl():  # tables added since this generation was built
                conn.execute(statement).close()
            conn.execute(self.queries.text("graph_state_init"), {"state": "state"}).close()
            rows = _rows(conn, self.queries.text("graph_state_writes"), {"state": "state"})
        self._writes[writable.path.name] = int(rows[0]["writes"]) if rows else 0
        return writable

    def write_transaction(self, fn: WriteFunction) -> Any:
        with self._write_lock:
            generation = self._writable()
            with generation.connection() as conn:

                def attempt() -> tuple[Any, int]:
                    conn.execute("BEGIN TRANSACTION").close()
                    try:
                        tx = WriteTx(lambda text, params: _rows(conn, text, params), self.queries)
                        result, change = fn(tx)
                        writes = record_change(tx, change)
                        conn.execute("COMMIT").close()
                        return result, writes
                    except BaseException:
                        with contextlib.suppress(Exception):
                            conn.execute("ROLLBACK").close()
                        raise

                try:  # a full pool rolls back: the write functions only touch `tx`, so they can run again
                    result, writes = generation.run(conn, attempt, POOL_WAIT_SECONDS)
                except RuntimeError as exc:  # LadybugDB's own failures (a full buffer pool …): 503, never 500
                    raise StoreUnavailable(f"the embedded store could not write; nothing was changed: {exc}") from exc
            self._writes[generation.path.name] = writes
            return result

    # -- reads ----------------------------------------------------------------------
    def _run(self, text: str, params: Mapping[str, Any]) -> list[Row]:
        with self._use() as generation:
            if generation is None:
                return _run_on_empty(text)
            budget = current_budget()
            if budget is not None:
                budget.check()
            with generation.connection(budget) as conn:
                try:
                    if budget is None:
                        return generation.run(conn, lambda: _rows(conn, text, params), POOL_WAIT_SECONDS)
                    with _bounded(conn, budget):
                        wait = min(POOL_WAIT_SECONDS, budget.remaining())
                        return generation.run(conn, lambda: _rows(conn, text, params), wait)
                except RuntimeError as exc:  # LadybugDB's own failures (memory, interrupts): a 503, never a 500
                    raise _unavailable(exc, generation) from exc

    def run_read_only(
        self, query: str, params: Mapping[str, Any], *, timeout_seconds: float, row_limit: int, release: Callable[[], None]
    ) -> tuple[list[str], list[list[Any]], bool]:
        """On a fresh connection to the live generation (opened read-only, so LadybugDB refuses any
        write), in a worker thread so that the caller gets its answer at the deadline even when
        LadybugDB is slow to notice its interrupt. Bounded as every API read is (`_bounded`)."""
        outcome: dict[str, Any] = {}
        budget = Budget(timeout_seconds)
        finished = threading.Event()

        def work() -> None:
            try:
                with self._use() as generation:  # pins the generation: a reload cannot close it under us
                    if generation is None:
                        outcome["value"] = ([], [], False)
                        return
                    conn = ladybug.Connection(generation.database)
                    try:
                        conn.set_max_threads_for_exec(1)
                        with _bounded(conn, budget):
                            result = conn.execute(query, dict(params))
                            if isinstance(result, list):  # several statements: refused earlier, but never trust that alone
                                for extra in result:
                                    extra.close()
                                raise ReadOnlyQueryError("the console runs one statement at a time")
                            try:
                                columns = list(result.get_column_names())
                                rows: list[list[Any]] = []
                                while result.has_next() and len(rows) <= row_limit:
                                    rows.append(list(result.get_next()))
                            finally:
                                result.close()
                    finally:
                        conn.close()
                outcome["value"] = (columns, rows[:row_limit], len(rows) > row_limit)
            except BaseException as exc:  # handed to the calling thread below
                outcome["error"] = exc
            finally:
                finished.set()
                release()

        worker = threading.Thread(target=work, name="cypher-console", daemon=True)
        try:
            worker.start()
        except BaseException:
            release()
            raise
        if not finished.wait(timeout_seconds + 0.5):
            budget.cancel(f"ran longer than {timeout_seconds:g} s")
            if not finished.wait(1.0):
                raise ReadOnlyQueryTimedOut(f"ran longer than {timeout_seconds:g} s")
        if "error" in outcome:
            exc = outcome["error"]
            if isinstance(exc, ReadOnlyQueryError | StoreUnavailable):
                raise exc
            if isinstance(exc, BudgetExceeded):
                raise ReadOnlyQueryTimedOut(f"ran longer than {timeout_seconds:g} s") from exc
            if "read-only" in str(exc):
                raise ReadOnlyQueryWrote("the store refused a write") from exc
            raise ReadOnlyQueryError(str(exc)) from exc
        return outcome["value"]

    @contextmanager
    def pinned(self) -> Iterator[Callable[[str, Mapping[str, Any]], list[Row]]]:
        """Runs texts on the generation live now until the block ends, whatever loads switch CURRENT meanwhile."""
        with self._use() as generation:

            def run(text: str, params: Mapping[str, Any]) -> list[Row]:
                if generation is None:
                    return _run_on_empty(text)
                with generation.connection() as conn:
                    try:
                        return generation.run(conn, lambda: _rows(conn, text, params), POOL_WAIT_SECONDS)
                    except RuntimeError as exc:
                        raise _unavailable(exc, generation) from exc

            yield run

    # -- writes ---------------------------------------------------------------------
    def replace_graph(
        self, graph: SeedGraph, batch_size: int = 1000, steps: Steps = NO_STEPS, extra: WrittenKnowledge | None = None
    ) -> LoadReport:
        def write(conn: ladybug.Connection, name: str) -> int:
            execute = counting(lambda text, params: conn.execute(text, dict(params)).close(), steps)
            return write_graph(execute, self.queries, graph, name, batch_size)

        return self._new_generation(graph, write, steps, "write", extra)

    def bulk_replace_graph(self, graph: SeedGraph, steps: Steps = NO_STEPS) -> LoadReport:
        """As replace_graph, but through COPY from CSV files (app/graph/bulk.py): for large graphs."""
        from app.graph.bulk import write_embedded_in_temp

        def write(conn: ladybug.Connection, name: str) -> int:
            return write_embedded_in_temp(
                lambda text, params: conn.execute(text, dict(params)).close(), self.queries, graph, name, steps
            )

        return self._new_generation(graph, write, steps, "bulk load")

    def _new_generation(
        self,
        graph: SeedGraph,
        write: Callable[[ladybug.Connection, str], int],
        steps: Steps,
        step: str,
        extra: WrittenKnowledge | None = None,
    ) -> LoadReport:
        """Build a new generation file beside the live one, carry the written knowledge of the live
        one (and what `extra`, an import, adds to it) into it, verify its counts, then switch
        CURRENT. Writes wait while this runs, so none lands in the generation being replaced."""
        with self._write_lock:
            knowledge = self._written_knowledge()
            if extra is not None:
                knowledge = knowledge.plus(added_knowledge(knowledge, extra))
            problems = dangling_facts(knowledge, graph)
            if problems:
                raise LoadVerificationError(
                    "the new seed would leave written facts pointing at nothing; nothing was loaded:\n  " + "\n  ".join(problems)
                )
            return self._build_generation(graph, write, knowledge, steps, step)

    def _written_knowledge(self) -> WrittenKnowledge:
        """What people wrote in the live generation. A read that fails (a buffer pool filled by the
        queries beside it, once waited out) stops the load: a new graph without them loses them."""
        with self._use() as generation:
            if generation is None:
                return WrittenKnowledge()
            with generation.connection() as conn:

                def run(text: str, params: Mapping[str, Any]) -> list[Row]:
                    try:
                        return generation.run(conn, lambda: _rows(conn, text, params), POOL_WAIT_SECONDS)
                    except RuntimeError as exc:
                        if _MISSING_TABLE.search(str(exc)):  # a table newer than this generation: nothing written in it
                            return []
                        raise StoreUnavailable(
                            f"could not read the written knowledge of {generation.path.name}, so nothing was loaded: {exc}"
                        ) from exc

                return read_written(run, self.queries)

    def _build_generation(
        self,
        graph: SeedGraph,
        write: Callable[[ladybug.Connection, str], int],
        knowledge: WrittenKnowledge,
        steps: Steps,
        step: str,
    ) -> LoadReport:
        started = time.perf_counter()
        name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.lbdb"
        target = self.path / name
        try:
            database = ladybug.Database(str(target))
            conn = ladybug.Connection(database)
            try:
                for statement in ladybug_ddl():
                    conn.execute(statement)
                steps.begin(step, total=graph.row_count())
                rows = write(conn, name)
                write_written(lambda text, params: conn.execute(text, dict(params)).close(), self.queries, knowledge)
                steps.begin("verify", total=rows)
                written = count_written(lambda text, params: _rows(conn, text, params), self.queries)
            finally:
                conn.close()
                database.close()
            expected = GraphCounts(graph.node_counts(), graph.relationship_counts())
            for label, count in knowledge.node_counts().items():
                expected.nodes[label] = expected.nodes.get(label, 0) + count
            for rel_type, count in knowledge.relationship_counts().items():
                expected.relationships[rel_type] = expected.relationships.get(rel_type, 0) + count
            expected.relationships = dict(sorted(expected.relationships.items()))
            problems = diff_counts(expected, written)
            if problems:
                raise LoadVerificationError(
                    "the embedded store did not keep what the loader wrote; the live graph is unchanged:\n  "
                    + "\n  ".join(problems)
                )
            steps.advance(rows)
            _atomic_write(self.path / POINTER, name)
        except BaseException:
            _remove_generation(target)
            raise
        self._refresh()
        self._prune_old(keep=name)
        return LoadReport(generation=name, counts=written, seconds=time.perf_counter() - started, rows=rows)

    def _prune_old(self, keep: str) -> None:
        generations = sorted(p for p in self.path.glob("gen-*.lbdb") if p.name != keep)
        for old in generations[: max(0, len(generations) - (KEEP_GENERATIONS - 1))]:
            if self._live is not None and old == self._live.path:
                continue
            _remove_generation(old)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._live is not None:
                self._live.retired = True
                if self._live.users == 0:
                    self._live.close()
                self._live = None
                self._pointer_stamp = None


# Column types whose values come back as plain Python values (lists of them too): only the others
# (nodes, relationships, paths, structs …) go through _plain.
_PLAIN_TYPE = re.compile(
    r"(STRING|BOOL|DOUBLE|FLOAT|U?INT(8|16|32|64|128)?|SERIAL|DATE|TIMESTAMP\w*|INTERVAL|UUID|BLOB"
    r"|DECIMAL\(\d+, ?\d+\))(\[\d*\])*"
)


def _rows(conn: ladybug.Connection, text: str, params: Mapping[str, Any]) -> list[Row]:
    result = conn.execute(text, dict(params))
    try:
        columns = result.get_column_names()
        complex_columns = [not _PLAIN_TYPE.fullmatch(kind) for kind in result.get_column_data_types()]
        # QueryResult.get_all checks twice per row that the result is open (half the cost of reading
        # 10,000 rows): the rows come straight from the pybind result it wraps (tests/graph/test_rows.py).
        raw = result._query_result
        has_next, get_next = raw.hasNext, raw.getNext
        values = []
        while has_next():
            values.append(get_next())
        if not any(complex_columns):
            return [dict(zip(columns, row, strict=True)) for row in values]
        return [
            {c: _plain(v) if complex_ else v for c, v, complex_ in zip(columns, row, complex_columns, strict=True)}
            for row in values
        ]
    finally:
        result.close()
        _touch_statement(conn, text)


# LadybugDB's Python package keeps a connection's compiled statements in this dict, keyed by
# (query text, parameter types), and offers no bound or eviction of its own. The version is pinned
# (requirements.lock) and tests/graph/test_statement_cache.py fails if the dict goes away.
_STATEMENT_CACHE = "_pybind_implicit_prepared_cache"
_STATEMENT_LOCK = "_prepared_cache_lock"


def _touch_statement(conn: ladybug.Connection, text: str) -> None:
    """Mark the statements of `text` most recently used (the dict keeps insertion order)."""
    cache, lock = getattr(conn, _STATEMENT_CACHE, None), getattr(conn, _STATEMENT_LOCK, None)
    if cache is None or lock is None:
        return
    with lock:
        for key in [key for key in cache if key[0] == text]:
            cache[key] = cache.pop(key)


def auto_pool_mb(path: Path) -> int:
    """The buffer pool for the database file at `path` when none is set (see AUTO_POOL_BASE_MB)."""
    try:
        file_mb = path.stat().st_size / (1024 * 1024)
    except OSError:
        file_mb = 0
    return AUTO_POOL_BASE_MB + int(AUTO_POOL_PER_FILE_MB * file_mb + 0.5)


def drop_statements(conn: ladybug.Connection, wait: float = 0.0) -> int:
    """Close every compiled statement of `conn`, unless a query runs on it (its lock is held while
    it runs) for longer than `wait` seconds; how many were closed."""
    lock = getattr(conn, _STATEMENT_LOCK, None)
    if lock is None or not (lock.acquire(timeout=wait) if wait > 0 else lock.acquire(blocking=False)):
        return 0
    try:
        cache = getattr(conn, _STATEMENT_CACHE, {})
        dropped = len(cache)
        keep_statements(conn, 0)
        return dropped
    finally:
        lock.release()


def keep_statements(conn: ladybug.Connection, limit: int) -> int:
    """Close all but the `limit` most recently used compiled statements of `conn`, which frees
    the working memory their plans hold; how many it keeps."""
    cache, lock = getattr(conn, _STATEMENT_CACHE, None), getattr(conn, _STATEMENT_LOCK, None)
    if cache is None or lock is None:
        return 0
    with lock:
        while len(cache) > limit:
            statement = cache.pop(next(iter(cache)))
            close = getattr(statement, "close", None)
            if callable(close):
                with contextlib.suppress(RuntimeError):
                    close()
        return len(cache)


@contextmanager
def _bounded(conn: ladybug.Connection, budget: Budget) -> Iterator[None]:
    """Runs the block's query within what is left of `budget`: the budget interrupts it at the
    deadline or when it is cancelled, and either becomes BudgetExceeded. (Not LadybugDB's query
    timeout: it made each expansion about 1 ms slower; see app.graph.budget.)"""
    budget.check()
    try:
        with budget.interruptible(conn.interrupt):
            yield
    except RuntimeError as exc:
        if budget.spent or "Interrupted" in str(exc):
            raise BudgetExceeded(budget.seconds, budget.cancelled_because or "") from exc
        raise


def _unavailable(exc: RuntimeError, generation: _Generation) -> StoreUnavailable:
    if _POOL_FULL in str(exc):
        return StoreMemoryExceeded(f"the question needs more than the {generation.pool_mb} MB buffer pool of the embedded store")
    return StoreUnavailable(f"the embedded store could not answer: {exc}")


def _run_on_empty(text: str) -> list[Row]:
    """An empty store answers ping and counts; anything else finds nothing."""
    if text.strip().startswith("RETURN 1"):
        return [{"ok": 1}]
    return []


def _atomic_write(path: Path, content: str) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(content, encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _remove_generation(path: Path) -> None:
    for candidate in (path, *(Path(f"{path}.{suffix}") for suffix in ("wal", "shadow", "names"))):
        if candidate.is_dir():
            shutil.rmtree(candidate, ignore_errors=True)
        else:
            candidate.unlink(missing_ok=True)


assert set(NODE_PROPERTIES) == set(LABELS)
