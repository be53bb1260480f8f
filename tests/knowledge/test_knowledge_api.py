"""Writing knowledge through the API (issue 12) on a store of its own: statuses, the audit trail,
If-Match, refused writes change nothing, the name index follows, and a load keeps written facts."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.graph.loader import load
from app.graph.store import LoadVerificationError
from app.main import create_app
from app.seed import SeedGraph
from app.services.tokens import TokenFile
from tests.conftest import SEED_DIR, embedded_settings
from tests.knowledge.conftest import auth

SOLUTION = {
    "name": "Klimaskovsaftaler med lodsejere",
    "summary": "Aftaler med private lodsejere om ny skov på udpegede arealer.",
    "status": "piloting",
    "started": "2024-03-01",
    "developed_by": ["Vejle"],
    "tasks": ["T.5.3"],
    "themes": ["afforestation"],
    "sources": [{"title": "Kommunens notat", "url": "https://example.dk/notat"}],
}


def stats(api: TestClient) -> dict:
    return api.get("/api/stats").json()


def test_reads_are_open_and_seeded_knowledge_is_there(api: TestClient) -> None:
    carl = api.get("/api/solutions/carl").json()
    assert carl["tasks"] == ["T.4.1"] and carl["status"] == "developing" and not carl["written"]
    assert {r["slug"] for r in carl["resources"]} == {"wp4-courses-and-masterclasses"}
    indicators = {i["slug"]: i for i in api.get("/api/indicators").json()["data"]}
    assert (
        indicators["carl"]["min"] == 1
        and indicators["carl"]["better"] == "higher"
        and "readiness" in indicators["carl"]["name_en"].lower()
    )
    hits = api.get("/api/search", params={"q": "living lab"}).json()["data"]
    assert any(h["kind"] == "Solution" and h["id"].endswith("living-labs") for h in hits), hits


def test_writes_need_a_valid_token(api: TestClient) -> None:
    before = stats(api)
    response = api.post("/api/solutions", json=SOLUTION)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["status"] == 401
    assert api.post("/api/solutions", json=SOLUTION, headers=auth("lifeact_wrong")).status_code == 401
    assert api.get("/api/changes").status_code == 401
    assert stats(api) == before


def test_create_read_patch_delete_with_audit_trail(api: TestClient, tokens: dict[str, str]) -> None:
    editor = auth(tokens["editor"])
    before = stats(api)
    created = api.post("/api/solutions", json=SOLUTION, headers=editor)
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["Location"] == "/api/solutions/klimaskovsaftaler-med-lodsejere"
    assert created.headers["ETag"] == '"1"' and body["version"] == 1
    assert body["developed_by"][0]["name"] == "Vejle" and body["tasks"] == ["T.5.3"] and body["themes"] == ["afforestation"]
    assert stats(api)["nodes"]["Solution"] == before["nodes"]["Solution"] + 1
    # resolves and searches like every other name, and shows in the graph
    assert api.get("/api/solutions/Klimaskovsaftaler med lodsejere").json()["id"] == body["id"]
    assert api.get("/api/solutions/klimaskovsaftaler").json()["id"] == body["id"]
    graph = api.get("/api/graph", params={"center": "Vejle", "depth": 1}).json()
    assert body["id"] in {n["id"] for n in graph["nodes"]}
    # duplicates, bad input
    assert api.post("/api/solutions", json=SOLUTION, headers=editor).status_code == 409
    assert (
        api.post("/api/solutions", json={**SOLUTION, "name": "KLIMASKOVSAFTALER med lodsejere"}, headers=editor).status_code
        == 409
    )
    assert api.post("/api/solutions", json={**SOLUTION, "name": "X y z", "status": "done"}, headers=editor).status_code == 422
    bad_link = {**SOLUTION, "name": "Andet", "sources": [{"title": "t", "url": "ftp://x"}]}
    assert api.post("/api/solutions", json=bad_link, headers=editor).status_code == 422
    unknown = api.post("/api/solutions", json={**SOLUTION, "name": "Tredje", "developed_by": ["Vejlee"]}, headers=editor)
    assert unknown.status_code == 404 and "Vejle" in unknown.json()["error"]["suggestions"]
    assert api.post("/api/solutions", json={**SOLUTION, "name": "Fjerde", "tasks": ["T.99.1"]}, headers=editor).status_code == 404
    # If-Match
    key = body["slug"]
    assert api.patch(f"/api/solutions/{key}", json={"status": "implemented"}, headers=editor).status_code == 428
    assert (
        api.patch(f"/api/solutions/{key}", json={"status": "implemented"}, headers={**editor, "If-Match": '"7"'}).status_code
        == 412
    )
    patched = api.patch(
        f"/api/solutions/{key}",
        json={"status": "implemented", "themes": ["afforestation", "biodiversity"]},
        headers={**editor, "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert (
        patched.json()["version"] == 2
        and patched.headers["ETag"] == '"2"'
        and patched.json()["themes"] == ["afforestation", "biodiversity"]
    )
    assert patched.json()["tasks"] == ["T.5.3"]
    # a second editor with the old version cannot overwrite it
    assert api.patch(f"/api/solutions/{key}", json={"status": "idea"}, headers={**editor, "If-Match": '"1"'}).status_code == 412
    # seeded solutions are changed in the seed, not here
    assert api.patch("/api/solutions/carl", json={"status": "idea"}, headers={**editor, "If-Match": '"1"'}).status_code == 409
    # adoptions
    adoption = api.post(
        f"/api/solutions/{key}/adoptions",
        json={"municipality": "Kolding", "status": "planning", "date": "2025-01-10", "note": "første skridt"},
        headers=editor,
    )
    assert adoption.status_code == 201, adoption.text
    later = api.post(
        f"/api/solutions/{key}/adoptions",
        json={"municipality": "kolding", "status": "adopted", "date": "2025-06-01"},
        headers=editor,
    )
    assert later.status_code == 201
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert (
        api.post(
            f"/api/solutions/{key}/adoptions",
            json={"municipality": "Kolding", "status": "adopted", "date": future},
            headers=editor,
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"/api/solutions/{key}/adoptions",
            json={"municipality": "Kolding", "status": "maybe", "date": "2025-01-01"},
            headers=editor,
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"/api/solutions/{key}/adoptions",
            json={"municipality": "Koldingg", "status": "adopted", "date": "2025-01-01"},
            headers=editor,
        ).status_code
        == 404
    )
    detail = api.get(f"/api/solutions/{key}").json()
    assert [a["status"] for a in detail["adoptions"]] == ["planning", "adopted"] and detail["current_adopters"] == ["Kolding"]
    # the audit trail, oldest first, with a cursor
    trail = api.get("/api/changes", headers=editor).json()
    assert [(c["action"], c["entity"].split(":")[0]) for c in trail["data"]] == [
        ("create", "solution"),
        ("update", "solution"),
        ("create", "adoption"),
        ("create", "adoption"),
    ]
    first = trail["data"][0]
    assert first["actor"] == "ed" and first["before"] is None and first["after"]["name"] == SOLUTION["name"]
    assert trail["data"][1]["before"]["status"] == "piloting" and trail["data"][1]["after"]["status"] == "implemented"
    page = api.get("/api/changes", params={"since": trail["data"][1]["id"], "limit": 1}, headers=editor).json()
    assert [c["id"] for c in page["data"]] == [trail["data"][2]["id"]] and page["next"] == trail["data"][2]["id"]
    # delete: refused while adoptions exist; another solution deletes
    assert api.delete(f"/api/solutions/{key}", headers={**editor, "If-Match": '"2"'}).status_code == 409
    other = api.post(
        "/api/solutions", json={**SOLUTION, "name": "Midlertidig løsning", "developed_by": []}, headers=editor
    ).json()
    assert api.delete(f"/api/solutions/{other['slug']}", headers=editor).status_code == 428
    assert api.delete(f"/api/solutions/{other['slug']}", headers={**editor, "If-Match": '"1"'}).status_code == 204
    missing = api.get(f"/api/solutions/{other['slug']}")
    assert missing.status_code == 404


def test_a_solution_with_observations_is_not_deleted(api: TestClient, tokens: dict[str, str]) -> None:
    editor = auth(tokens["editor"])
    created = api.post("/api/solutions", json={**SOLUTION, "name": "Målt løsning"}, headers=editor)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    source = {"title": "Måling af løsningen", "url": "https://example.dk/maaling"}
    observation = {"subject": "Målt løsning", "indicator": "carl", "value": 4, "date": "2025-03-01", "source": source}
    recorded = api.post("/api/observations", json=observation, headers=editor)
    assert recorded.status_code == 201, recorded.text
    refused = api.delete(f"/api/solutions/{slug}", headers={**editor, "If-Match": '"1"'})
    assert refused.status_code == 409 and "observations" in refused.json()["error"]["message"]
    assert api.get(f"/api/solutions/{slug}").json()["observations"][0]["id"] == recorded.json()["id"]


def test_a_load_keeps_written_facts_and_refuses_to_orphan_them(
    api: TestClient, store_path: Path, seed_graph: SeedGraph, tmp_path: Path
) -> None:
    store = api.app.state.model.store
    solutions_before = api.get("/api/solutions").json()["count"]
    version = store.version
    load(store, SEED_DIR)
    assert store.version != version
    assert api.get("/api/solutions").json()["count"] == solutions_before
    detail = api.get("/api/solutions/klimaskovsaftaler-med-lodsejere").json()
    assert detail["current_adopters"] == ["Kolding"] and detail["version"] == 2
    assert (
        len(api.get("/api/changes", headers=auth(TokenFile(store_path / "tokens.json").create("ed2", "editor"))).json()["data"])
        >= 4
    )
    import shutil

    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    text = (seed / "work_packages.yaml").read_text(encoding="utf-8")
    (seed / "work_packages.yaml").write_text(text.replace("code: T.5.3", "code: T.5.9"), encoding="utf-8")
    generation = store.generation
    with pytest.raises(LoadVerificationError, match=r"task:T\.5\.3"):
        load(store, seed)
    assert store.generation == generation


def test_repeated_failed_authentication_gets_429(api: TestClient, tokens: dict[str, str]) -> None:
    statuses = [api.post("/api/solutions", json=SOLUTION, headers=auth(f"lifeact_bad{n}")).status_code for n in range(8)]
    assert statuses[-1] == 429 and 401 in statuses
    assert api.post("/api/solutions", json=SOLUTION, headers=auth(tokens["editor"])).status_code == 429


def test_a_revoked_token_stops_at_once(store_path: Path) -> None:
    file = TokenFile(store_path / "tokens.json")
    token = file.create("short-lived", "editor")
    with TestClient(create_app(embedded_settings(store_path))) as client:
        assert client.get("/api/changes", headers=auth(token)).status_code == 200
        file.revoke("short-lived")
        assert client.get("/api/changes", headers=auth(token)).status_code == 401
    gc.unfreeze()


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_written_knowledge_is_exported_and_hostile_names_stay_text(store_path: Path, tokens: dict[str, str], fmt: str) -> None:
    """Written facts carry the generation 'written', not the load's: an export must take them, in every format."""
    with TestClient(create_app(embedded_settings(store_path))) as api:
        _export_and_look(api, tokens, fmt)
    gc.unfreeze()


def _export_and_look(api: TestClient, tokens: dict[str, str], fmt: str) -> None:
    if api.get("/api/solutions/" + HOSTILE).status_code == 404:
        body = {**SOLUTION, "name": HOSTILE, "summary": '"><script>alert(1)</script>'}
        assert api.post("/api/solutions", json=body, headers=auth(tokens["editor"])).status_code == 201
    response = api.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    from tests.exports.test_exports import READERS

    graph = READERS[fmt](response.content)
    written = [n for n in graph.nodes.values() if n.get("name") == HOSTILE]
    assert len(written) == 1 and written[0]["kind"] == "Solution"
    if fmt in ("graphml", "gexf"):
        assert b"<img" not in response.content and b"&lt;img" in response.content
    page = api.get("/views/graph", params={"center": HOSTILE, "depth": 1}).text
    assert "<img src=x" not in page


def test_changes_and_solutions_page_with_link_next(store_path: Path) -> None:
    # its own client: an earlier test locks the module's client out (429)
    editor = auth(TokenFile(store_path / "tokens.json").create("pager", "editor"))
    with TestClient(create_app(embedded_settings(store_path))) as api:
        _walk_solutions_and_changes(api, editor)
    gc.unfreeze()


def _walk_solutions_and_changes(api: TestClient, editor: dict[str, str]) -> None:
    before = api.get("/api/solutions?limit=1").json()
    for name in ("Sidevis løsning", "Sidevis løsning to"):
        created = api.post("/api/solutions", json={**SOLUTION, "name": name, "developed_by": []}, headers=editor)
        assert created.status_code == 201, created.text
    after = api.get("/api/solutions?limit=1").json()
    assert after["total"] == before["total"] + 2  # the counted total follows the writes
    names, url = [], "/api/solutions?limit=2"
    while url:
        response = api.get(url)
        names += [s["name"] for s in response.json()["data"]]
        url = response.headers.get("link", "").removeprefix("<").removesuffix('>; rel="next"')
    assert len(names) == len(set(names)) == after["total"] and "Sidevis løsning" in names
    trail = api.get("/api/changes", params={"limit": 1000}, headers=editor).json()
    ids, url = [], "/api/changes?limit=1"
    while url:
        response = api.get(url, headers=editor)
        ids += [c["id"] for c in response.json()["data"]]
        url = response.headers.get("link", "").removeprefix("<").removesuffix('>; rel="next"')
    assert ids == [c["id"] for c in trail["data"]] and len(ids) >= 2
