"""Lists embedded in a record are cut at EMBEDDED_LIMIT with their count and the URL of the full,
paged list: an organisation's relations (one that leads every work package of a large graph has
thousands). At seed scale nothing is cut, so the limit is lowered here to see the cut."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedStore
from app.services import entities, read_model
from app.services.paging import PageRequest
from app.services.read_model import ReadModel


@pytest.fixture
def model(embedded_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReadModel]:
    monkeypatch.setattr(read_model, "BACKGROUND", {})  # no analysis runs on into the closing of the store
    store = EmbeddedStore(embedded_path)
    try:
        yield ReadModel(store)
    finally:
        store.close()


def busiest_organisation(client: TestClient) -> dict:
    organisations = client.get("/api/organisations", params={"limit": 500}).json()["data"]
    return max(organisations, key=lambda o: o["relation_count"])


def walk(client: TestClient, url: str, limit: int) -> list[dict]:
    found, params = [], {"limit": limit}
    while True:
        response = client.get(url, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == len(body["data"]) <= limit
        found += body["data"]
        if body["next_cursor"] is None:
            assert "link" not in response.headers
            return found
        assert f"cursor={body['next_cursor']}" in response.headers["link"]
        params = {"limit": limit, "cursor": body["next_cursor"]}


def test_an_organisations_relations_page_through_to_the_whole_list(embedded_client: TestClient) -> None:
    record = busiest_organisation(embedded_client)
    assert record["relation_count"] == len(record["relations"]) >= 2  # nothing cut at seed scale
    assert record["relations_url"] == f"/api/organisations/{record['key']}/relations"
    assert embedded_client.get(f"/api/organisations/{record['key']}").json()["relations"] == record["relations"]
    assert walk(embedded_client, record["relations_url"], 1) == record["relations"]
    past = embedded_client.get(record["relations_url"], params={"cursor": "1000"}).json()
    assert (past["data"], past["total"]) == ([], record["relation_count"])


def test_unknown_organisation_and_bad_limit_are_clear_errors(embedded_client: TestClient) -> None:
    missing = embedded_client.get("/api/organisations/no-such-organisation/relations")
    assert missing.status_code == 404 and missing.json()["error"]["expected"]
    too_many = embedded_client.get("/api/organisations/CONCITO/relations", params={"limit": 5000})
    assert too_many.status_code == 422 and "limit" in too_many.text


def test_an_organisations_relations_are_cut_at_the_limit_with_their_count(
    model: ReadModel, embedded_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = busiest_organisation(embedded_client)
    monkeypatch.setattr(entities, "EMBEDDED_LIMIT", 1)
    page = entities.list_organisations(model, PageRequest(500))
    cut = next(o for o in page.data if o.key == whole["key"])
    assert [r.model_dump(mode="json") for r in cut.relations] == whole["relations"][:1]
    assert cut.relation_count == whole["relation_count"] > 1
    assert all(len(o.relations) == min(1, o.relation_count) for o in page.data)
    single = entities.get_organisation(model, whole["key"])
    assert single.relations == cut.relations and single.relation_count == cut.relation_count
    rest = entities.organisation_relations(model, whole["key"], PageRequest(1, 1))
    assert [r.model_dump(mode="json") for r in rest.data] == whole["relations"][1:2]
