"""Odd and hostile input on every endpoint: a clear 4xx JSON error (or a normal answer where the
input is legitimate), never a 5xx, never the whole input echoed, and the graph unchanged.

The endpoints and their parameters come from the app's own OpenAPI schema, so an endpoint
added later is covered without touching this file.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import PROJECT_ROOT
from tests.conftest import embedded_settings
from tests.hardening.conftest import graph_snapshot

HOSTILE: dict[str, str] = {
    "empty": "",
    "space": " ",
    "whitespace": " \t \u00a0 \u2003 ",
    "10kb": "x" * 10_240,
    "10kb-danish": "æøå" * 3_414,
    "nul": "Aarhus\x00",
    "control": "\x01\x02\x07\x1b[31m\x7f",
    "crlf": "Aarhus\r\nX-Injected: yes",
    "rtl-override": "\u202eAarhus\u202c",
    "a-ring-composed": "\u00c5rhus",
    "a-ring-combining": "A\u030arhus",
    "emoji": "😀",
    "emoji-flag": "🇩🇰 Ærø 🏝️",
    "zero-width": "Aa\u200brhus",
    "cypher-delete": "' WITH true AS t MATCH (s) DETACH DELETE s //",
    "cypher-double-quote": '" WITH true AS t MATCH (s) DETACH DELETE s //',
    "backtick-label": "Municipality`) DETACH DELETE n //",
    "backtick-break": "x`:Region {id: 'x'}) CREATE (y:`Region",
    "param-sigil": "$name",
    "path-traversal": "../../../../etc/passwd",
    "path-traversal-windows": "..\\..\\windows\\win.ini",
    "encoded-traversal": "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "zero": "0",
    "minus-one": "-1",
    "million": "1000000",
    "huge-int": "9" * 40,
    "star": "*",
    "open-range": "1..",
    "range": "1..1000000",
    "float": "1.5",
    "nan": "NaN",
    "percent": "%",
    "json": '{"$ne": null}',
    "html": "<script>alert(1)</script>",
    "sql": "1' OR '1'='1",
}

ECHO_LIMIT = 40  # an error may quote this much of the input, never more

SCHEMA = create_app(embedded_settings(PROJECT_ROOT / "data" / "not-opened")).openapi()


def _operations() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, operation["get"])
        for path, operation in SCHEMA["paths"].items()
        if "get" in operation and (path.startswith("/api/") or path == "/health")
    ]


def _cases() -> list[Any]:
    cases = []
    for path, operation in _operations():
        for parameter in operation.get("parameters", []):
            for name, value in HOSTILE.items():
                if parameter["in"] == "path" and value.strip() == "":
                    continue  # an empty path segment is another URL; covered in test_empty_path_segment
                cases.append(pytest.param(path, operation, parameter, value, id=f"{path}:{parameter['name']}:{name}"))
    return cases


VALID_VALUES = {
    "a": "Aarhus",
    "b": "Odense",
    "source": "Samsø",
    "target": "WP9",
    "center": "WP9",
    "q": "Aalborg",
    "name": "Region Midtjylland",
    "key": "Aarhus",
    "code": "WP5",
    "slug": "drought",
}


def _request(client: TestClient, path: str, operation: dict[str, Any], hostile: dict[str, Any], value: str) -> Any:
    url, params = path, {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter is hostile:
            chosen = value
        elif parameter.get("required"):
            chosen = VALID_VALUES.get(name, "Aarhus")
        else:
            continue
        if parameter["in"] == "path":
            url = url.replace("{" + name + "}", quote(chosen, safe=""))
        else:
            params[name] = chosen
    if path.startswith("/api/tasks/") and hostile["in"] != "path":
        url = url.replace("{code}", "T.9.1")
    return client.get(url, params=params)


def assert_clear_answer(response: Any, value: str) -> None:
    assert response.status_code < 500, response.text[:300]
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    body = response.json()
    text = response.text
    if response.status_code >= 400:
        error = body["error"]
        assert error["status"] == response.status_code
        assert error["message"].strip(), body
        assert (error.get("expected") or "").strip(), f"no 'expected' in {body}"
        if len(value) > ECHO_LIMIT:
            assert value not in text, "the error echoes the whole input"
    for forbidden in ("\x00", "\u202e", "Traceback", 'File "/'):
        assert forbidden not in text
    assert "X-Injected" not in str(response.headers)


@pytest.fixture(scope="module")
def snapshot_before(hardened_client: TestClient) -> dict[str, object]:
    return graph_snapshot(hardened_client.app.state.model.store)


@pytest.mark.parametrize(("path", "operation", "parameter", "value"), _cases())
def test_hostile_parameter(
    hardened_client: TestClient,
    snapshot_before: dict[str, object],
    path: str,
    operation: dict[str, Any],
    parameter: dict[str, Any],
    value: str,
) -> None:
    response = _request(hardened_client, path, operation, parameter, value)
    assert_clear_answer(response, value)


def test_the_suite_covers_the_relationship_and_entity_endpoints() -> None:
    covered = {path for path, _ in _operations()}
    for path in (
        "/api/overlap",
        "/api/overlaps",
        "/api/overlaps/matrix",
        "/api/replication",
        "/api/paths",
        "/api/graph",
        "/api/search",
        "/api/gaps",
        "/api/analytics/centrality",
        "/api/municipalities/{key}",
        "/api/regions/{name}",
        "/api/work-packages/{code}",
        "/api/tasks/{code}",
        "/api/themes/{slug}",
    ):
        assert path in covered
    assert len(_cases()) > 500


@pytest.mark.parametrize(
    ("path", "name", "bounds"),
    [
        ("/api/graph?center=WP9", "depth", "depth ≥ 1"),
        ("/api/paths?source=Samsø&target=WP9", "max_hops", "max_hops ≥ 1"),
        ("/api/replication?target=WP9", "limit", "limit ≥ 1"),
        ("/api/search?q=Aalborg", "limit", "limit ≥ 1"),
    ],
)
@pytest.mark.parametrize("value", ["0", "-1", "1000000", "*", "1..", "", "1.5", "9" * 40])
def test_depth_and_hop_values_say_what_fits(hardened_client: TestClient, path: str, name: str, bounds: str, value: str) -> None:
    response = hardened_client.get(f"{path}&{name}={quote(value)}")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert name in error["message"]
    if value in ("0", "-1", "1000000"):
        assert bounds.split(" ≥")[0] in error["expected"] and ("≥" in error["expected"] or "≤" in error["expected"])
    else:
        assert name in error["expected"]


COMPOSED, DECOMPOSED = "Århus", unicodedata.normalize("NFD", "Århus")


@pytest.mark.parametrize(
    "url",
    [
        "/api/municipalities/{}",
        "/api/overlap?a={}&b=Ærø",
        "/api/graph?center={}",
        "/api/paths?source={}&target=Samsø",
        "/api/search?q={}",
        "/api/replication?target=WP9&limit=3",
    ],
)
def test_a_ring_typed_two_ways_resolves_the_same(hardened_client: TestClient, url: str) -> None:
    assert COMPOSED != DECOMPOSED and len(DECOMPOSED) == len(COMPOSED) + 1
    composed = hardened_client.get(url.format(quote(COMPOSED)))
    decomposed = hardened_client.get(url.format(quote(DECOMPOSED)))
    assert composed.status_code == decomposed.status_code == 200, (composed.text[:200], decomposed.text[:200])
    body_a, body_b = composed.json(), decomposed.json()
    body_a.pop("elapsed_ms", None), body_b.pop("elapsed_ms", None)
    assert body_a == body_b
    if url.startswith("/api/municipalities"):
        assert body_a["code"] == 751


def test_the_combining_ring_also_matches_aa_and_the_plain_spelling(hardened_client: TestClient) -> None:
    for spelling in (DECOMPOSED, "Aarhus", "aarhus", "ÅRHUS", "\u202eÅrhus\u202c", " Århus\t"):
        response = hardened_client.get(f"/api/municipalities/{quote(spelling, safe='')}")
        assert response.status_code == 200, spelling
        assert response.json()["code"] == 751


@pytest.mark.parametrize(
    "raw_path",
    [
        "/api/municipalities/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/municipalities/%2e%2e%2f%2e%2e%2fapp%2fsettings.py",
        "/api/..%2F..%2Fetc%2Fpasswd",
        "/api/regions/..%5C..%5Cwin.ini",
        "/api/municipalities/%00",
        "/api/municipalities/%ZZ",
        "/static/..%2F..%2Fapp%2Fsettings.py",
        "/static/%2e%2e/%2e%2e/app/settings.py",
        "/views/..%2F..%2Fapp%2Fsettings.py",
    ],
)
def test_path_traversal_never_reaches_a_file(hardened_client: TestClient, raw_path: str) -> None:
    response = hardened_client.get(raw_path)
    assert 400 <= response.status_code < 500, response.text[:200]
    for secret in ("root:", "pydantic", "BaseSettings", "neo4j_password"):
        assert secret not in response.text


@pytest.mark.parametrize("path", ["/api/municipalities/", "/api/regions/", "/api/work-packages/", "/api/tasks/"])
def test_empty_path_segment(hardened_client: TestClient, path: str) -> None:
    response = hardened_client.get(path)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["error"]["expected"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/municipalities", "/api/municipalities/Aarhus", "/api/graph?center=WP9", "/health"])
def test_writing_methods_are_refused(hardened_client: TestClient, method: str, path: str) -> None:
    response = hardened_client.request(method.upper(), path, json={"name": "x"})
    assert response.status_code == 405
    assert response.json()["error"]["expected"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_console_queries_are_refused_or_fail_cleanly(hardened_client: TestClient, name: str) -> None:
    """The console is the one endpoint that takes Cypher: hostile text gets a 4xx, never a write."""
    response = hardened_client.post("/api/cypher", json={"query": HOSTILE[name]})
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400:
        assert response.json()["error"]["expected"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'{"query": null}',
        b'{"query": 5}',
        b'{"query": "RETURN 1", "parameters": []}',
        b'{"query": "RETURN 1", "parameters": {"x": {"y": {"z": [1, [2, [3]]]}}}}',
        b'{"query": "RETURN $x", "parameters": {"x": 99999999999999999999999999999}}',
        b'{"query": "RETURN \'\\u0000\'"}',
        b"\xff\xfe\x00",
    ],
)
def test_malformed_console_bodies(hardened_client: TestClient, body: bytes) -> None:
    response = hardened_client.post("/api/cypher", content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400:
        assert response.json()["error"]["expected"]


def test_nothing_in_the_graph_changed(hardened_client: TestClient, snapshot_before: dict[str, object]) -> None:
    """Runs after the hostile tests above (file order); the snapshot was taken before the first."""
    store = hardened_client.app.state.model.store
    assert graph_snapshot(store) == snapshot_before
    assert snapshot_before["nodes"]["Municipality"] == 98  # type: ignore[index]
