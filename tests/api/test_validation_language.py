"""A 422 from FastAPI's validation speaks the request's language: the words are built from the
error's pydantic `type` and `ctx` through the catalogue (app/api/errors.py), never pydantic's
English `msg`, and the machine-readable `code` is the same in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import embedded_settings

# Words pydantic writes in its own messages; none may reach a reader in either language.
PYDANTIC_ENGLISH = ("Field required", "should", "Input ", "Value error", "Invalid JSON", "Extra inputs")

# (method, path, request arguments, Danish words, English words): one per kind of error we can meet.
CASES: list[tuple[str, str, dict[str, Any], list[str], list[str]]] = [
    ("get", "/api/overlap", {"params": {"a": "Aalborg"}}, ["b mangler", "b=… skal angives"], ["b is missing", "b=… is required"]),
    (
        "get",
        "/api/gaps",
        {"params": {"pillar": "heat"}},
        ["er ikke en af de tilladte værdier", "pillar: en af 'mitigation', 'adaptation'"],
        ["is not one of the allowed values", "pillar: one of 'mitigation', 'adaptation'"],
    ),
    (
        "get",
        "/api/export",
        {"params": {"format": "pdf"}},
        ["format: en af 'graphml', 'gexf', 'json', 'csv'"],
        ["format: one of 'graphml', 'gexf', 'json', 'csv'"],
    ),
    (
        "get",
        "/api/overlap",
        {"params": {"a": "Aalborg", "b": "x" * 201}},
        ["b: er for lang", "b: en længde på højst 200"],
        ["b: is too long", "b: a length of at most 200"],
    ),
    (
        "get",
        "/api/municipalities",
        {"params": {"limit": "many"}},
        ["limit='many' er ikke et helt tal", "limit fra 1 til 1000"],
        ["limit='many' is not a whole number", "limit from 1 to 1000"],
    ),
    (
        "get",
        "/api/paths",
        {"params": {"source": "Samsø", "target": "WP9", "max_hops": 0}},
        ["max_hops=0 er uden for"],
        ["max_hops=0 is out of range"],
    ),
    (
        "get",
        "/api/municipalities",
        {"params": {"participating": "maybe"}},
        ["forstås ikke", "sand eller falsk"],
        ["is not understood", "true or false"],
    ),
    (
        "get",
        "/api/graph",
        {"params": {"center": "Samsø", "kinds": "Town"}},
        ["kinds='Town' passer ikke", "kommasepareret"],
        ["kinds='Town' does not fit", "comma-separated"],
    ),
    ("post", "/api/cypher", {"content": b'{"query": '}, ["indholdet er ikke gyldig JSON"], ["the body is not valid JSON"]),
    (
        "post",
        "/api/cypher",
        {"json": {"query": ""}},
        ["query: er for kort", "query: en længde på mindst 1"],
        ["query: is too short", "query: a length of at least 1"],
    ),
    ("post", "/api/cypher", {"json": ["MATCH (n) RETURN n"]}, ["indholdet: er ikke et objekt"], ["the body: is not an object"]),
    (
        "post",
        "/api/cypher",
        {"json": {}},
        ["query mangler", "en værdi for query i indholdet"],
        ["query is missing", "a value for query in the body"],
    ),
]


@pytest.fixture(scope="module")
def client(embedded_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(embedded_path, cypher_console=True))) as test_client:
        yield test_client


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(("method", "path", "arguments", "danish", "english"), CASES)
def test_a_validation_error_is_in_the_requests_language(
    client: TestClient,
    language: str,
    method: str,
    path: str,
    arguments: dict[str, Any],
    danish: list[str],
    english: list[str],
) -> None:
    headers = {"Accept-Language": language, **({"Content-Type": "application/json"} if "content" in arguments else {})}
    response = client.request(method.upper(), path, headers=headers, **arguments)
    assert response.status_code == 422, response.text
    assert response.headers["content-language"] == language
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter" and error["status"] == 422
    said = f"{error['message']} | {error['expected']}"
    for words in danish if language == "da" else english:
        assert words in said, said
    for words in english if language == "da" else danish:
        assert words not in said, said
    assert not [word for word in PYDANTIC_ENGLISH if word in said], said
