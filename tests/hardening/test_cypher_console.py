"""The read-only Cypher console: off by default, reads only on both stores, a timeout and a row limit.

The embedded path runs for real. The Neo4j path cannot run here (no Docker daemon): its
refusal logic is tested through the shared keyword check and a stand-in driver that checks
the READ session, the EXPLAIN first and the plan's query type.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.i18n import use_language
from app.main import create_app
from app.services import cypher_console
from app.services.cypher_console import QueryFailed, QueryRefused, check_read_only, jsonable, run_console_query
from app.settings import Settings
from tests.conftest import embedded_settings
from tests.hardening.conftest import graph_snapshot


@pytest.fixture(scope="module")
def console(embedded_path: Path) -> Iterator[TestClient]:
    settings = embedded_settings(embedded_path, cypher_console=True, cypher_row_limit=25, cypher_timeout=1.0)
    with TestClient(create_app(settings)) as client:
        client.headers["Accept-Language"] = "en"  # the messages are checked in English here (Danish is the default)
        yield client


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Direct calls of the console service answer in English too."""
    with use_language("en"):
        yield


def run(client: TestClient, query: str, **parameters: Any) -> Any:
    return client.post("/api/cypher", json={"query": query, "parameters": parameters})


def test_off_by_default(embedded_client: TestClient) -> None:
    assert Settings.model_fields["cypher_console"].default is False
    for response in (embedded_client.post("/api/cypher", json={"query": "RETURN 1"}), embedded_client.get("/cypher")):
        assert response.status_code == 404
        assert "LIFEACT_CYPHER_CONSOLE" in response.json()["error"]["expected"]
    # Even a malformed body gets the same answer: the setting is checked first.
    assert embedded_client.post("/api/cypher", content=b"{").status_code == 404
    assert "/api/cypher" not in embedded_client.get("/openapi.json").json()["paths"]


def test_on_it_is_in_the_schema_and_serves_its_page(console: TestClient) -> None:
    assert "/api/cypher" in console.get("/openapi.json").json()["paths"]
    page = console.get("/cypher")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "At most 25 rows" in page.text
    # The page's script (a file) posts to the endpoint its data names, in the page's language.
    data = json.loads(re.search(r'<script type="application/json" id="console-data">(.*?)</script>', page.text).group(1))
    assert data["endpoint"] == "/api/cypher?lang=en"
    (script_url,) = re.findall(r'<script src="(/static/views/console\.js\?v=\w+)"', page.text)
    script = console.get(script_url).text
    assert "fetch(data.endpoint" in script and '"POST"' in script
    for text in (page.text, script):
        assert "innerHTML" not in text  # values are shown as text, never as markup


@pytest.mark.parametrize(
    ("asked", "language", "words", "other"),
    [
        ({}, "da", ["Cypher-konsol", "Kør (Ctrl+Enter)", "Højst 25 rækker", "kører …"], "/cypher?lang=en"),
        (
            {"params": {"lang": "en"}},
            "en",
            ["Cypher console", "Run (Ctrl+Enter)", "At most 25 rows", "running…"],
            "/cypher?lang=da",
        ),
        ({"headers": {"Accept-Language": "en-GB,en;q=0.9"}}, "en", ["Cypher console", "Run (Ctrl+Enter)"], "/cypher?lang=da"),
    ],
)
def test_the_page_is_in_one_language_with_a_switch_that_keeps_it(
    embedded_path: Path, asked: dict[str, Any], language: str, words: list[str], other: str
) -> None:
    """Danish by default, English on request; every word of the page and of its script's messages
    in that one language, and a link to the same console in the other."""
    settings = embedded_settings(embedded_path, cypher_console=True, cypher_row_limit=25)
    with TestClient(create_app(settings)) as client:
        page = client.get("/cypher", **asked)
    assert page.status_code == 200 and page.headers["content-language"] == language
    assert f'<html lang="{language}">' in page.text
    for word in words:
        assert word in page.text
    english_only = ["Cypher console", "Run (Ctrl+Enter)", "running…", "Read-only:"]
    danish_only = ["Cypher-konsol", "Kør (Ctrl+Enter)", "kører …", "Kun læsning:"]
    for word in english_only if language == "da" else danish_only:
        assert word not in page.text
    assert f'href="{other}"' in page.text  # the switch opens this same page in the other language
    data = json.loads(re.search(r'id="console-data">(.*?)</script>', page.text).group(1))
    assert data["endpoint"] == f"/api/cypher?lang={language}"


def test_a_read_answers_with_columns_and_rows(console: TestClient) -> None:
    response = run(
        console,
        "MATCH (m:Municipality {name: $name})-[:IN_REGION]->(r:Region) RETURN m.code AS code, r.name AS region, m",
        name="Aarhus",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["code", "region", "m"] and body["backend"] == "embedded"
    assert body["rows"][0][:2] == [751, "Region Midtjylland"]
    assert body["rows"][0][2]["labels"] == ["Municipality"] and body["rows"][0][2]["properties"]["name"] == "Aarhus"
    assert body["truncated"] is False and body["row_count"] == 1


def test_paths_and_relationships_come_back_as_json(console: TestClient) -> None:
    body = run(console, "MATCH p = (:Municipality {name: 'Samsø'})-[r:IN_REGION]->(:Region) RETURN p, r").json()
    path, rel = body["rows"][0]
    assert [n["properties"]["name"] for n in path["path"]["nodes"]] == ["Samsø", "Region Midtjylland"]
    assert rel["type"] == "IN_REGION"


def test_the_row_limit_cuts_and_says_so(console: TestClient) -> None:
    body = run(console, "MATCH (m:Municipality) RETURN m.name").json()
    assert body["row_count"] == 25 and len(body["rows"]) == 25 and body["truncated"] is True and body["row_limit"] == 25


def test_a_long_query_is_stopped_at_the_timeout(console: TestClient) -> None:
    started = time.perf_counter()
    response = run(console, "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN sum(x * y)")
    elapsed = time.perf_counter() - started
    assert response.status_code == 422, response.text
    assert "longer than 1 s" in response.json()["error"]["message"]
    assert elapsed < 1.0 + 2.0  # the timeout plus the watchdog's grace


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (r:Region {id: 'region:x', name: 'X'})",
        "MATCH (m:Municipality) SET m.name = 'x'",
        "MATCH (m:Municipality) DETACH DELETE m",
        "MATCH (m) REMOVE m.name",
        "MERGE (t:Theme {id: 'theme:x'})",
        "MATCH (m:Municipality {name: 'Aarhus'}) WITH true AS t MATCH (s) DETACH DELETE s //",
        "COPY Region FROM '/etc/passwd'",
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "LOAD FROM '/etc/passwd' RETURN *",
        "ATTACH '/tmp/other.lbdb' AS other (dbtype lbug)",
        "INSTALL httpfs",
        "EXPORT DATABASE '/tmp/out'",
        "DROP TABLE Region",
        "ALTER TABLE Region ADD x INT64",
        "CALL threads = 64",
        "CALL apoc.load.json('http://example.org') YIELD value RETURN value",
        "RETURN apoc.load.jsonParams('http://x', {}, null)",
        "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
        "CALL dbms.security.createUser('x', 'y', false)",
        "CALL dbms.components()",
        "CALL db.createLabel('X')",
        "CALL db.index.fulltext.createNodeIndex('x', ['A'], ['b'])",
        "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
        "MATCH (n) CALL (n) { RETURN n.id AS id } IN TRANSACTIONS RETURN id",
        "SHOW USERS",
        "START DATABASE neo4j",
        "STOP DATABASE neo4j",
        "CREATE USER mallory SET PASSWORD 'x'",
        "GRANT ALL ON DATABASE * TO PUBLIC",
        "USE system SHOW DATABASES",
        "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
        "RETURN 1; RETURN 2",
        "EXPLAIN MATCH (n) RETURN n",
        "PROFILE MATCH (n) RETURN n",
        "FOREACH (x IN [1] | CREATE (:Theme {id: 'x'}))",
        "BEGIN TRANSACTION",
        "CHECKPOINT",
        "MATCH (n) WHERE n.name = 'x' /* */ CREATE (m)",
        "MATCH (n) RETURN n // '\nCREATE (x)",
        "RETURN 'unclosed",
        "MATCH (`n) RETURN 1",
        "",
        "   ",
    ],
)
def test_writes_files_and_admin_are_refused(console: TestClient, query: str) -> None:
    response = run(console, query)
    assert response.status_code in (403, 422), response.text
    assert response.json()["error"]["expected"]
    assert check_read_only(query) is not None or response.status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (m:Municipality) WHERE m.name = 'CREATE' RETURN m.name",
        "MATCH (m:Municipality) RETURN m.name AS `delete me`",
        'MATCH (n) WHERE n.source CONTAINS "LOAD CSV // DELETE" RETURN count(n)',
        "MATCH (n) // SET n.x = 1\nRETURN count(n)",
        "MATCH (n) /* DETACH DELETE n */ RETURN count(n)",
        "MATCH (start:Municipality)-[:NEIGHBOURS]-(stop) RETURN start.name, stop.name LIMIT 3",
        "MATCH (m:Municipality) RETURN {set: m.code, create: m.name} AS map LIMIT 2",
        "MATCH (w:WorkPackage) CALL { WITH w MATCH (w)-[:HAS_TASK]->(t) RETURN count(t) AS tasks } RETURN w.code, tasks",
        "CALL show_tables() RETURN *",
        "CALL db.labels()",
        "CALL db.schema.visualization()",
        "RETURN 1;",
        "MATCH (m:Municipality) RETURN m.name ORDER BY m.name LIMIT 3",
    ],
)
def test_reads_pass_the_check(query: str) -> None:
    assert check_read_only(query) is None, check_read_only(query)


def test_the_read_only_store_refuses_a_write_the_keyword_check_missed(
    embedded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the keyword check switched off, LadybugDB's read-only connection still refuses."""
    from app.graph.embedded import EmbeddedStore

    store = EmbeddedStore(embedded_path)
    before = graph_snapshot(store)
    monkeypatch.setattr(cypher_console, "check_read_only", lambda query: None)
    for query in (
        "CREATE (r:Region {id: 'region:x', name: 'X'})",
        "MATCH (m:Municipality) SET m.name = 'x'",
        "MATCH (n) DETACH DELETE n",
    ):
        with pytest.raises(QueryRefused, match="refused a write"):
            run_console_query(store, query, {}, enabled=True, timeout_seconds=2.0, row_limit=10)
    assert graph_snapshot(store) == before
    store.close()


def test_a_syntax_error_is_a_clear_422(console: TestClient) -> None:
    response = run(console, "MATC (n) RETURN n")
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("the query failed")


def test_too_many_at_once_is_429(console: TestClient) -> None:
    slots = cypher_console._slots
    taken = [slots.acquire(blocking=False) for _ in range(cypher_console.MAX_CONCURRENT)]
    try:
        response = run(console, "RETURN 1")
    finally:
        for ok in taken:
            if ok:
                slots.release()
    assert response.status_code == 429 and response.json()["error"]["expected"]
    assert run(console, "RETURN 1").status_code == 200


def test_values_json_cannot_carry() -> None:
    assert jsonable(float("nan")) == "nan" and jsonable(float("inf")) == "inf"
    assert jsonable(b"\x00\x01") == "AAE="
    assert jsonable({"_ID": {"offset": 0}, "_LABEL": "Theme", "name": "x", "slug": None}) == {
        "labels": ["Theme"],
        "properties": {"name": "x"},
    }


# -- the Neo4j path, with a stand-in driver --------------------------------------------------------


class _Summary:
    def __init__(self, query_type: str) -> None:
        self.query_type = query_type


class _Result:
    def __init__(self, keys: list[str], records: list[dict[str, Any]], query_type: str) -> None:
        self._keys, self._records, self._type = keys, records, query_type
        self.consumed = False

    def keys(self) -> list[str]:
        return self._keys

    def __iter__(self) -> Iterator[Any]:
        for record in self._records:
            yield type("Record", (), {"values": lambda self, r=record: list(r.values())})()

    def consume(self) -> _Summary:
        self.consumed = True
        return _Summary(self._type)


class _Session:
    def __init__(self, driver: FakeNeo4jDriver) -> None:
        self.driver = driver

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, query: Any, params: dict[str, Any]) -> _Result:
        self.driver.ran.append((query.text, query.timeout))
        return _Result(["n"], [{"n": i} for i in range(self.driver.rows)], self.driver.query_type)


class FakeNeo4jDriver:
    def __init__(self, query_type: str, rows: int = 3) -> None:
        self.query_type, self.rows = query_type, rows
        self.ran: list[tuple[str, float]] = []
        self.session_kwargs: list[dict[str, Any]] = []

    def session(self, **kwargs: Any) -> _Session:
        self.session_kwargs.append(kwargs)
        return _Session(self)


def neo4j_store(driver: FakeNeo4jDriver) -> Any:
    from app.graph.neo4j_store import Neo4jStore

    return Neo4jStore(driver, "neo4j", timeout_seconds=5.0)  # type: ignore[arg-type]


def test_neo4j_runs_in_a_read_session_after_an_explain() -> None:
    driver = FakeNeo4jDriver("r", rows=7)
    result = run_console_query(neo4j_store(driver), "MATCH (n) RETURN n", {}, enabled=True, timeout_seconds=2.5, row_limit=5)
    assert driver.session_kwargs == [{"database": "neo4j", "default_access_mode": "READ"}]
    assert driver.ran == [("EXPLAIN MATCH (n) RETURN n", 2.5), ("MATCH (n) RETURN n", 2.5)]
    assert result.rows == [[0], [1], [2], [3], [4]] and result.truncated


@pytest.mark.parametrize("query_type", ["rw", "w", "s"])
def test_neo4j_refuses_unless_the_plan_is_read_only(query_type: str) -> None:
    """A write the keyword check cannot see (say, inside a procedure) is caught by the plan's type."""
    driver = FakeNeo4jDriver(query_type)
    with pytest.raises(QueryRefused, match=f"query type is '{query_type}'"):
        run_console_query(neo4j_store(driver), "MATCH (n) RETURN n", {}, enabled=True, timeout_seconds=1.0, row_limit=5)
    assert [text for text, _ in driver.ran] == ["EXPLAIN MATCH (n) RETURN n"]  # never run for real


def test_neo4j_errors_become_clear_answers() -> None:
    from neo4j.exceptions import ClientError, Neo4jError

    class Failing(FakeNeo4jDriver):
        def __init__(self, code: str) -> None:
            super().__init__("r")
            self.code = code

        def session(self, **kwargs: Any) -> Any:
            error = Neo4jError._hydrate_neo4j(code=self.code, message="boom")
            assert isinstance(error, ClientError)
            raise error

    with pytest.raises(QueryFailed, match="longer than"):
        run_console_query(
            neo4j_store(Failing("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")),
            "MATCH (n) RETURN n",
            {},
            enabled=True,
            timeout_seconds=1.0,
            row_limit=5,
        )
    with pytest.raises(QueryRefused):
        run_console_query(
            neo4j_store(Failing("Neo.ClientError.Security.Forbidden")),
            "MATCH (n) RETURN n",
            {},
            enabled=True,
            timeout_seconds=1.0,
            row_limit=5,
        )
    with pytest.raises(QueryFailed, match="the query failed"):
        run_console_query(
            neo4j_store(Failing("Neo.ClientError.Statement.SyntaxError")),
            "MATCH (n) RETURN n",
            {},
            enabled=True,
            timeout_seconds=1.0,
            row_limit=5,
        )
