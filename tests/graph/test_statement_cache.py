"""The embedded store keeps a bounded number of compiled statements per LadybugDB connection
(app/graph/embedded.py): LadybugDB's Python package caches every text a connection runs, and
each cached plan holds its working memory, so an unbounded cache grew the server without end."""

from __future__ import annotations

import logging
from pathlib import Path

import ladybug
import pytest

from app.graph import embedded
from app.graph.embedded import EmbeddedStore, keep_statements
from app.graph.schema import LABELS
from app.graph.store import StoreMemoryExceeded


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
        texts = [store.queries.render("step_out", label=label) for label in LABELS[:6]]
        for label in LABELS[:6]:
            store.read("step_out", {"ids": ["municipality:101"], "most": 50}, label=label)
            store.read("step_out", {"ids": ["municipality:101"], "most": 50}, label=LABELS[0])  # used again and again
        assert store._live is not None
        with store._live.connection() as conn:
            kept = [key[0] for key in getattr(conn, embedded._STATEMENT_CACHE)]
        assert len(kept) == 4
        assert texts[0] in kept and kept[-1] == texts[0]  # the hot text survives, most recent last
        assert texts[1] not in kept and texts[5] in kept
        rows = store.read("step_out", {"ids": ["municipality:101"], "most": 50}, label="Municipality")
        assert {"IN_REGION", "MEMBER_OF"} <= {row["type"] for row in rows}  # answers are unchanged by eviction
    finally:
        store.close()


def test_an_automatic_pool_grows_with_the_database_file(tmp_path: Path) -> None:
    small, large = tmp_path / "small.lbdb", tmp_path / "large.lbdb"
    small.write_bytes(b"\0" * (1024 * 1024))
    large.write_bytes(b"\0" * (40 * 1024 * 1024))
    assert embedded.auto_pool_mb(small) == embedded.AUTO_POOL_BASE_MB + embedded.AUTO_POOL_PER_FILE_MB
    assert embedded.auto_pool_mb(large) == embedded.AUTO_POOL_BASE_MB + 40 * embedded.AUTO_POOL_PER_FILE_MB
    assert embedded.auto_pool_mb(tmp_path / "missing.lbdb") == embedded.AUTO_POOL_BASE_MB


def test_the_store_opens_its_graph_with_the_automatic_pool_unless_one_is_set(embedded_path: Path) -> None:
    for setting in (0, 160):
        store = EmbeddedStore(embedded_path, buffer_pool_mb=setting)
        try:
            assert store._live is not None
            expected = setting or embedded.auto_pool_mb(store._live.path)
            assert store._live.pool_mb == expected
            with store._live.connection() as conn:
                limit = conn.execute("CALL bm_info() RETURN *").get_next()[0]
            assert limit == expected * 1024 * 1024
        finally:
            store.close()


def test_a_full_pool_makes_the_store_let_go_of_compiled_statements_not_fail(
    embedded_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Each kept plan pins working memory in the pool; a fixed pool fills, and the read that finds
    it full runs again once the idle connections have dropped their statements. The server says
    so: a full pool is the likeliest cause of a slow answer."""
    caplog.set_level(logging.WARNING, logger="lifeact.store")
    store = EmbeddedStore(embedded_path, pool_size=2, buffer_pool_mb=24, statements=1000)
    try:
        ids = ["municipality:101", "municipality:147", "workpackage:WP9"]
        expected = {}
        for label in LABELS:
            for name in ("step_out", "step_in"):
                expected[(label, name)] = store.read(name, {"ids": ids, "most": 50}, label=label)
        assert store._live is not None
        with store._live.connection() as conn:
            kept = len(getattr(conn, embedded._STATEMENT_CACHE))
        assert kept < 2 * len(LABELS), "the pool never filled: the test no longer tests the retry"
        for (label, name), rows in expected.items():  # and the answers are the same when compiled again
            assert store.read(name, {"ids": ids, "most": 50}, label=label) == rows
        notes = [r.getMessage() for r in caplog.records if r.name == "lifeact.store"]
        assert notes and all("24 MB buffer pool" in note and ": answered after 1 retry and " in note for note in notes)
    finally:
        store.close()


def test_a_query_that_cannot_fit_the_pool_is_refused_as_unavailable_not_a_crash(
    embedded_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="lifeact.store")
    store = EmbeddedStore(embedded_path, buffer_pool_mb=24)
    try:
        try:
            store.read(
                "shortest_paths",
                {"source": "municipality:741", "target": "municipality:630", "limit": 5},
                path=("Municipality", "Municipality", 6),
            )
        except StoreMemoryExceeded as exc:
            assert "24 MB buffer pool" in str(exc)
            notes = [r.getMessage() for r in caplog.records if r.name == "lifeact.store"]
            assert len(notes) == 1 and ": failed after 2 retries and " in notes[0]
        else:
            raise AssertionError("a 24 MB pool held the path tracking: the test no longer tests the refusal")
    finally:
        store.close()


def test_the_api_says_a_question_needs_more_memory_than_the_store_may_use(embedded_path: Path) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import embedded_settings

    with TestClient(create_app(embedded_settings(embedded_path, embedded_buffer_pool_mb=24))) as client:
        for language, words in (("en", "more working memory"), ("da", "mere arbejdshukommelse")):
            answer = client.get("/api/paths", params={"source": "Samsø", "target": "Vejle", "lang": language})
            assert answer.status_code == 503
            error = answer.json()["error"]
            assert error["code"] == "store_memory_exceeded" and words in error["message"]
            assert "LIFEACT_EMBEDDED_BUFFER_POOL_MB" in error["expected"]
        assert client.get("/api/municipalities/Samsø").status_code == 200  # small questions still answer
