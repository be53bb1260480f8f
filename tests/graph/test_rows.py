"""The embedded store reads a result's rows straight from LadybugDB's pybind result and converts
only the columns that need it (app/graph/embedded.py `_rows`): the rows must be exactly those of
the package's own QueryResult.get_all with every value made plain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ladybug
import pytest

from app.graph import embedded
from app.graph.embedded import EmbeddedStore

QUERIES = {
    "primitives": "MATCH (m:Municipality) RETURN m.id AS id, m.code AS code, m.name AS name ORDER BY code LIMIT 5",
    "node": "MATCH (m:Municipality) RETURN m ORDER BY m.code LIMIT 3",
    "unlabelled node": "MATCH (m:Municipality {code: 101})-[]->(x) RETURN x ORDER BY x.id LIMIT 4",
    "relationship": "MATCH (:Municipality {code: 101})-[r]->() RETURN r, label(r) AS type ORDER BY type LIMIT 4",
    "list of strings": (
        "MATCH (m:Municipality)-[:PARTICIPATES_IN]->(w) RETURN m.id AS id, collect(w.code) AS codes ORDER BY id LIMIT 5"
    ),
    "list of nodes": "MATCH (m:Municipality {code: 101})-[:PARTICIPATES_IN]->(w) RETURN collect(w) AS packages",
    "nulls after optional match": (
        "MATCH (m:Municipality) OPTIONAL MATCH (m)-[:LEADS]->(w:WorkPackage) "
        "RETURN m.code AS code, w AS led, w.code AS led_code ORDER BY code LIMIT 6"
    ),
    "numbers and booleans": "RETURN 1.5 AS x, 2 AS n, true AS yes, [1, 2] AS ns, null AS nothing",
    "no rows": "MATCH (m:Municipality {code: -1}) RETURN m, m.id AS id",
}


def reference(conn: ladybug.Connection, text: str) -> list[dict[str, Any]]:
    result = conn.execute(text)
    columns = result.get_column_names()
    return [{c: embedded._plain(v) for c, v in zip(columns, row, strict=True)} for row in result.get_all()]


@pytest.mark.parametrize("text", list(QUERIES.values()), ids=list(QUERIES))
def test_rows_are_those_of_the_package_made_plain(embedded_path: Path, text: str) -> None:
    store = EmbeddedStore(embedded_path, pool_size=1)
    try:
        with store._use() as generation:
            assert generation is not None
            with generation.connection() as conn:
                expected = reference(conn, text)
                assert embedded._rows(conn, text, {}) == expected
        if text != QUERIES["no rows"]:
            assert expected, "the query should find rows in the seed"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("kind", "plain"),
    [
        ("STRING", True),
        ("INT64", True),
        ("DOUBLE", True),
        ("STRING[]", True),
        ("INT64[][]", True),
        ("BOOL", True),
        ("NODE", False),
        ("REL", False),
        ("NODE[]", False),
        ("RECURSIVE_REL", False),
        ("ANY", False),
        ("STRUCT(a STRING)", False),
        ("MAP(STRING, INT64)", False),
    ],
)
def test_only_plain_column_types_skip_the_conversion(kind: str, plain: bool) -> None:
    assert bool(embedded._PLAIN_TYPE.fullmatch(kind)) is plain
