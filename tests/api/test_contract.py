"""The schema says what the API accepts and answers (app.api.params, app.api.contract), and the
server keeps to it: the cases schemathesis found, pinned down one by one."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.schema import LABELS


@pytest.fixture(scope="module")
def schema(embedded_client: TestClient) -> dict[str, Any]:
    return embedded_client.get("/openapi.json").json()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, items in schema["paths"].items()
        for method, operation in items.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_documents_its_errors_with_their_media_type(schema: dict[str, Any]) -> None:
    for method, path, operation in _operations(schema):
        responses = operation["responses"]
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413"} <= set(responses), (method, path)
        for status in ("404", "422", "503"):
            if status in responses and path.startswith("/views/"):
                assert set(responses[status]["content"]) == {"text/html"}, (method, path, status)
            elif status in responses and "content" in responses[status]:
                assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert set(schema["paths"]["/views/graph.svg"]["get"]["responses"]["200"]["content"]) == {"image/svg+xml"}
    assert set(schema["paths"]["/views/graph.png"]["get"]["responses"]["200"]["content"]) == {"image/png"}
    assert set(schema["paths"]["/views/graph"]["get"]["responses"]["200"]["content"]) == {"text/html"}


def test_writes_declare_the_bearer_scheme_a_required_if_match_and_links(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for method in ("patch", "delete"):
        operation = schema["paths"]["/api/solutions/{key}"][method]
        assert operation["security"] == [{"HTTPBearer": []}]
        (if_match,) = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert if_match["required"] is True and if_match["schema"]["type"] == "string"
    links = schema["paths"]["/api/solutions"]["post"]["responses"]["201"]["links"]
    targets = {link["operationId"]: link["parameters"] for link in links.values()}
    patch = next(values for name, values in targets.items() if name.startswith("update_solution"))
    assert patch == {"path.key": "$response.body#/id", "header.If-Match": "$response.header.ETag"}


def test_a_create_links_by_the_field_its_paths_name(embedded_client: TestClient, schema: dict[str, Any]) -> None:
    """An indicator is found by its slug (it has no `id`): the links from its create say so, and the
    field they name is in what a create answers."""
    links = schema["paths"]["/api/indicators"]["post"]["responses"]["201"]["links"]
    assert {value for link in links.values() for value in link["parameters"].values()} == {"$response.body#/slug"}
    assert {name for link in links.values() for name in link["parameters"]} == {"path.slug"}
    for collection in ("/api/solutions", "/api/resources", "/api/observations"):
        values = [link["parameters"] for link in schema["paths"][collection]["post"]["responses"]["201"]["links"].values()]
        assert all(next(iter(v.values())) == "$response.body#/id" for v in values), collection


def test_fixed_value_parameters_are_enums_and_patterns(schema: dict[str, Any]) -> None:
    def parameter(path: str, name: str) -> dict[str, Any]:
        return next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)

    pillar = parameter("/api/gaps", "pillar")["schema"]["anyOf"][0]
    assert pillar["enum"] == ["mitigation", "adaptation"]
    assert parameter("/api/export", "format")["schema"]["enum"] == ["graphml", "gexf", "json", "csv"]
    kinds = parameter("/api/graph", "kinds")["schema"]["anyOf"][0]["pattern"]
    assert all(label in kinds for label in LABELS)
    assert parameter("/api/graph", "center")["schema"]["pattern"]
    depth = parameter("/views/graph", "depth")["schema"]
    assert (depth["type"], depth["minimum"], depth["maximum"]) == ("integer", 1, 3)
    assert parameter("/views/graph", "download")["schema"]["type"] == "boolean"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/search?q=%21%21", "letter or digit"),  # only punctuation: refused by the pattern
        ("/api/tasks/%0A", "letter or digit"),
        ("/api/graph?center=Samsø&kinds=municipality", "Region, Municipality"),
        ("/api/gaps?pillar=Mitigation", "one of 'mitigation', 'adaptation'"),
        ("/api/changes?since=99999999999999999999999", "since"),
    ],
)
def test_what_the_schema_refuses_is_a_422_that_says_what_fits(embedded_client: TestClient, url: str, expected: str) -> None:
    response = embedded_client.get(url, headers={"Accept-Language": "en"})  # the words checked are English
    assert response.status_code in (401, 422), response.text
    if response.status_code == 422:
        assert expected in response.json()["error"]["expected"], response.json()


def test_what_the_schema_accepts_is_looked_up(embedded_client: TestClient) -> None:
    # a letter the name index folds to nothing is a name nobody has: found nothing, not a 422
    response = embedded_client.get("/api/search", params={"q": "þ"})
    assert response.status_code == 200 and response.json()["count"] == 0
    assert embedded_client.get("/api/graph", params={"center": "Samsø", "kinds": "Municipality,Region"}).status_code == 200
    assert embedded_client.get("/api/gaps", params={"pillar": "adaptation"}).status_code == 200
