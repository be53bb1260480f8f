"""The embedded store keeps a bounded number of compiled statements per LadybugDB connection
(app/graph/embedded.py): LadybugDB's Python package caches every text a connection runs, and
each cached plan holds its working memory, so an unbounded cache grew the server without end."""

from __future__ import annotations

from pathlib import Path

import ladybug

from app.graph import embedded
from app.graph.embedded import EmbeddedStore, keep_statements
from app.graph.schema import LABELS


def test_ladybug_still_keeps_its_statements_where_the_store_bounds_them(tmp_path: Path) -> None:
    """If an upgrade of LadybugDB moves its cache, the bound silently stops working: fail here instead."""
    database = ladybug.Database(str(tmp_path / "db.lbdb"))
    conn = ladybug.Connection(database)
    try:
        conn.execute("RETURN $x AS x", {"x": 1}).close()
        cache = getattr(conn, embedded._STATEMENT_CACHE)
        assert isinstance(cache, dict) and [key[0] for key in cache] == ["RETURN $x AS x"]
        assert hasattr(conn, embedded._STATEMENT_LOCK)
        conn.execute("RETURN $y AS y", {"y": 1}).close()
        assert keep_statements(conn, 1) == 1 and [key[0] for key in cache] == ["RETURN $y AS y"]
        assert conn.execute("RETURN $x AS x", {"x": 2}).get_all() == [[2]]  # an evicted text compiles again
    finally:
        conn.close()
        database.close()


def test_each_connection_keeps_at_most_its_bound_and_the_most_recently_used(embedded_path: Path) -> None:
    store = EmbeddedStore(embedded_path, pool_size=1, statements=4)
    try:
        texts = [store.queries.render("expand_out", label=label) for label in LABELS[:6]]
        for label in LABELS[:6]:
            store.read("expand_out", {"ids": ["municipality:101"]}, label=label)
            store.read("expand_out", {"ids": ["municipality:101"]}, label=LABELS[0])  # used again and again
        assert store._live is not None
        with store._live.connection() as conn:
            kept = [key[0] for key in getattr(conn, embedded._STATEMENT_CACHE)]
        assert len(kept) == 4
        assert texts[0] in kept and kept[-1] == texts[0]  # the hot text survives, most recent last
        assert texts[1] not in kept and texts[5] in kept
        rows = store.read("expand_out", {"ids": ["municipality:101"]}, label="Municipality")
        assert {"IN_REGION", "MEMBER_OF"} <= {row["type"] for row in rows}  # answers are unchanged by eviction
    finally:
        store.close()
