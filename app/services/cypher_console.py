"""The read-only Cypher console: power users' own queries, on either store, that cannot write.

Layers of defence, any one of which refuses a write:

1. a keyword check on the query with string literals, comments and quoted names removed
   (no clause that writes, loads files, changes settings or runs admin commands; only a
   short list of read-only procedures may be CALLed; one statement only);
2. the store itself: the embedded store's generations are opened read-only (LadybugDB refuses
   every write on them); Neo4j runs the query in a READ-mode session after an EXPLAIN whose
   plan must say the query type is read-only ("r").

Every query gets a timeout and a row limit (settings), and at most MAX_CONCURRENT run at once
per process, so the console cannot starve the API. The console is off unless
LIFEACT_CYPHER_CONSOLE=true.

User text is, by nature, the one Cypher here that is not a named block in cypher/.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.graph.store import GraphStore, ReadOnlyQueryError, ReadOnlyQueryTimedOut, ReadOnlyQueryWrote
from app.i18n import N_
from app.i18n import gettext as _
from app.services.errors import ServiceError
from app.services.text import shorten

SETTING = "LIFEACT_CYPHER_CONSOLE"
MAX_QUERY_CHARS = 10_000
MAX_CONCURRENT = 2
EXPECTED_READ = N_("one read-only query, e.g. MATCH (m:Municipality) RETURN m.name LIMIT 10")


class ConsoleDisabled(ServiceError):
    status = 404


class QueryRefused(ServiceError):
    status = 403


class QueryFailed(ServiceError):
    status = 422


class ConsoleBusy(ServiceError):
    status = 429


# Clauses and commands that write, read files or the network, change settings or administer.
WRITE_OR_ADMIN_WORDS = frozenset(
    {
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "FOREACH", "RENAME",
        "LOAD", "COPY", "ATTACH", "INSTALL", "UNINSTALL", "EXPORT", "IMPORT", "USE", "CHECKPOINT",
        "BEGIN", "COMMIT", "ROLLBACK", "GRANT", "REVOKE", "DENY", "TERMINATE", "SHOW", "INSERT",
    }
)  # fmt: skip
# Neo4j admin commands whose first word is also an ordinary name (`start`, `stop` …).
ADMIN_VERBS = frozenset({"START", "STOP", "ENABLE", "DISABLE", "RENAME", "DEALLOCATE", "REALLOCATE"})
ADMIN_OBJECTS = frozenset({"DATABASE", "DATABASES", "SERVER", "SERVERS", "USER", "ROLE", "ALIAS", "COMPOSITE"})

# Procedures (Neo4j) and table functions (LadybugDB) that only describe the graph.
READ_PROCEDURES = frozenset(
    {
        # Neo4j
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
        # LadybugDB
        "show_tables", "table_info", "show_connection", "db_version",
    }
)  # fmt: skip

# Namespaces that reach files, the network, the system database or background jobs, wherever named.
REFUSED_NAMESPACES = (
    "apoc.load", "apoc.import", "apoc.export", "apoc.periodic", "apoc.cypher", "apoc.do", "apoc.trigger",
    "apoc.systemdb", "apoc.create", "apoc.merge", "apoc.refactor", "apoc.atomic", "apoc.lock", "apoc.custom",
    "apoc.schema", "apoc.util.sleep", "apoc.log", "dbms.", "gds.",
)  # fmt: skip

_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_QUOTED_NAME = re.compile(r"`(?:[^`]|``)*`")
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[^\sA-Za-z_]")


def strip_literals(query: str) -> str:
    """The query with strings, comments and `quoted names` blanked out, so that keywords
    inside them neither refuse a harmless query nor hide a harmful one."""
    # One pass in source order: whichever starts first wins (a // inside a string is not a comment).
    pattern = re.compile(f"{_STRING.pattern}|{_COMMENT.pattern}|{_QUOTED_NAME.pattern}", re.DOTALL)
    return pattern.sub(lambda m: " ''" if m.group(0)[0] in "'\"" else " x " if m.group(0)[0] == "`" else " ", query)


@dataclass(frozen=True)
class Refusal:
    message: str
    expected: str = field(default_factory=lambda: _(EXPECTED_READ))  # in the language of the moment


def normalise(query: str) -> str:
    """Trimmed, with one trailing semicolon allowed (people type it out of habit)."""
    text = query.strip()
    return text[:-1].rstrip() if text.endswith(";") else text


def _refused_namespace(name: str) -> bool:
    lowered = name.lower()
    return any(lowered == ns.rstrip(".") or lowered.startswith(ns.rstrip(".") + ".") for ns in REFUSED_NAMESPACES)


def check_read_only(query: str) -> Refusal | None:
    """Why `query` may not run in the console, or None. Works on both dialects."""
    text = normalise(query)
    if not text:
        return Refusal(_("the query is empty"))
    if len(text) > MAX_QUERY_CHARS:
        return Refusal(
            _("the query is {count} characters long").format(count=len(text)),
            _("at most {count} characters").format(count=MAX_QUERY_CHARS),
        )
    if "\x00" in text:
        return Refusal(_("the query contains a NUL character"), _("plain Cypher text"))
    bare = strip_literals(text)
    if "`" in bare or "'" in bare.replace(" ''", "") or '"' in bare:
        return Refusal(_("the query has an unclosed string or quoted name"), _("balanced quotes"))
    tokens = _TOKEN.findall(bare)
    if ";" in tokens:
        return Refusal(_("the console runs one statement at a time"), _("one query without ';' between statements"))
    for position, token in enumerate(tokens):
        word = token.upper()
        previous = tokens[position - 1] if position else ""
        following = tokens[position + 1].upper() if position + 1 < len(tokens) else ""
        # A property (n.set), a label (:Set), a parameter ($set) or a map key ({set: 1}) is a name, not a clause.
        if previous in (".", ":", "$") or following in (":", "."):
            continue
        if position == 0 and word in ("EXPLAIN", "PROFILE"):
            return Refusal(
                _("{word} is not available in the console").format(word=word), _("the query without EXPLAIN or PROFILE")
            )
        if word in WRITE_OR_ADMIN_WORDS:
            return Refusal(_("the console only reads: {word} is not allowed").format(word=word))
        if word in ADMIN_VERBS and following in ADMIN_OBJECTS:
            return Refusal(_("the console only reads: {word} is not allowed").format(word=f"{word} {following}"))
        if word == "TRANSACTIONS" and previous.upper() == "IN":
            return Refusal(_("the console only reads: {word} is not allowed").format(word="CALL … IN TRANSACTIONS"))
        if _refused_namespace(token):
            return Refusal(
                _("the console does not run {name}").format(name=token),
                _("graph reads; file, network and admin procedures are off"),
            )
        if previous.upper() == "CALL" and token not in ("{", "(") and token.lower() not in READ_PROCEDURES:
            allowed = ", ".join(sorted(READ_PROCEDURES))
            return Refusal(
                _("the console does not CALL {name}").format(name=token),
                _("a subquery CALL {{ … }} or one of: {allowed}").format(allowed=allowed),
            )
    return None


# -- results as JSON -----------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Any value either driver returns, as plain JSON (nodes, relationships and paths included)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no NaN or Infinity
    if isinstance(value, dict):
        if "_NODES" in value:  # a LadybugDB path
            return {
                "path": {
                    "nodes": [jsonable(n) for n in value.get("_NODES", [])],
                    "relationships": [jsonable(r) for r in value.get("_RELS", [])],
                }
            }
        if "_LABEL" in value:  # a LadybugDB node or relationship
            properties = {k: jsonable(v) for k, v in value.items() if not k.startswith("_") and v is not None}
            key = "type" if "_SRC" in value else "labels"
            return {key: value["_LABEL"] if key == "type" else [value["_LABEL"]], "properties": properties}
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    try:
        from neo4j.graph import Node, Path, Relationship
    except ImportError:  # pragma: no cover - the driver is a dependency
        Node = Path = Relationship = ()  # type: ignore[assignment,misc]
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": {k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": {k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, Path):
        nodes, relationships = [jsonable(n) for n in value.nodes], [jsonable(r) for r in value.relationships]
        return {"path": {"nodes": nodes, "relationships": relationships}}
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal | UUID):
        return str(value)
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return str(value)


@dataclass
class ConsoleResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    elapsed_ms: float


# -- running ------------------------------------------------------------------------------------

_slots = threading.BoundedSemaphore(MAX_CONCURRENT)


def run_console_query(
    store: GraphStore,
    query: str,
    parameters: Mapping[str, Any] | None,
    *,
    enabled: bool,
    timeout_seconds: float,
    row_limit: int,
) -> ConsoleResult:
    if not enabled:
        raise console_disabled()
    query = normalise(query)
    refusal = check_read_only(query)
    if refusal is not None:
        raise QueryRefused(refusal.message, expected=refusal.expected)
    params = dict(parameters or {})
    if not _slots.acquire(blocking=False):
        raise ConsoleBusy(
            _("{count} console queries are already running").format(count=MAX_CONCURRENT), expected=_("try again in a moment")
        )
    started = time.perf_counter()
    try:  # the store gives the slot back when it is really done with the query, not at the deadline
        columns, rows, truncated = store.run_read_only(
            query, params, timeout_seconds=timeout_seconds, row_limit=row_limit, release=_slots.release
        )
    except ReadOnlyQueryTimedOut as exc:
        raise _timed_out(timeout_seconds) from exc
    except ReadOnlyQueryWrote as exc:
        raise QueryRefused(
            _("the console only reads: {reason}").format(reason=shorten(str(exc), 200)), expected=_(EXPECTED_READ)
        ) from exc
    except ReadOnlyQueryError as exc:
        raise _failed(exc) from exc
    return ConsoleResult(
        columns, [[jsonable(v) for v in row] for row in rows], truncated, round((time.perf_counter() - started) * 1000, 1)
    )


def _failed(exc: BaseException) -> QueryFailed:
    message = str(exc).replace("Connection exception: ", "").replace("Binder exception: ", "")
    return QueryFailed(_("the query failed: {reason}").format(reason=shorten(message, 300)), expected=_(EXPECTED_READ))


def _timed_out(timeout_seconds: float) -> QueryFailed:
    return QueryFailed(
        _("the query ran longer than {seconds} s and was stopped").format(seconds=f"{timeout_seconds:g}"),
        expected=_("a narrower MATCH or a LIMIT (the limit is LIFEACT_CYPHER_TIMEOUT)"),
    )


def console_disabled() -> ConsoleDisabled:
    return ConsoleDisabled(
        _("the Cypher console is off on this server"),
        expected=_("set {setting}=true to turn it on (it only ever reads)").format(setting=SETTING),
    )


def explain(query: str) -> str:
    """The query prefixed with EXPLAIN: planned, never run (the plan names the query type)."""
    return "EXPLAIN " + query
