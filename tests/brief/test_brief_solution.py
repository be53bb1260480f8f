"""A replication brief for a solution (issue 13): its spread (every adoption event, oldest
first, and who has it now), its candidates (neither its developers nor its adopters), its
resources and sources; everything typed into it stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import brief
from tests.brief.html_tree import Element, parse
from tests.brief.test_brief import lifeact
from tests.knowledge.conftest import api, auth, store_path, tokens  # noqa: F401 (fixtures)

HOSTILE = '<img src=x onerror=alert(1)> "><script>alert(2)</script>'


@pytest.fixture(scope="module")
def solution(api: TestClient, tokens: dict[str, str]) -> dict[str, str]:  # noqa: F811
    editor = auth(tokens["editor"])
    body = {
        "name": f"Skybrudsplan {HOSTILE}",
        "summary": f"En plan for skybrud. {HOSTILE}",
        "status": "piloting",
        "started": "2023-05-01",
        "developed_by": ["Samsø"],
        "tasks": ["T.9.1"],
        "sources": [{"title": f"Rapport {HOSTILE}", "url": "https://example.org/plan"}],
    }
    created = api.post("/api/solutions", json=body, headers=editor)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    for municipality, status, date in (("Middelfart", "adopted", "2025-02-01"), ("Aarhus", "considering", "2024-06-01")):
        event = {"municipality": municipality, "status": status, "date": date, "note": HOSTILE}
        assert api.post(f"/api/solutions/{slug}/adoptions", json=event, headers=editor).status_code == 201
    resource = {
        "title": f"Vejledning {HOSTILE}",
        "kind": "guide",
        "url": "https://example.org/guide",
        "language": "da",
        "solutions": [slug],
    }
    assert api.post("/api/resources", json=resource, headers=editor).status_code == 201
    return {"slug": slug, "name": created.json()["name"]}


@pytest.fixture(scope="module")
def page(api: TestClient, solution: dict[str, str]) -> tuple[str, Element]:  # noqa: F811
    response = api.get("/views/brief", params={"target": solution["slug"]})
    assert response.status_code == 200, response.text
    return response.text, parse(response.text)


def test_the_spread_is_a_timeline_oldest_first_with_who_has_it_now(page: tuple[str, Element]) -> None:
    html, tree = page
    rows = [e for e in tree.find("table", "adoptions").iter() if e.tag == "tr" and "data-status" in e.attrs]
    assert [(r.attrs["data-municipality"], r.attrs["data-status"]) for r in rows] == [
        ("Aarhus", "considering"),
        ("Middelfart", "adopted"),
    ]
    assert tree.find("dd", "developers").text() == "Samsø"
    assert tree.find("dd", "adopters").text() == "Aarhus, Middelfart"
    assert html.index('id="spredning"') < html.index('id="kandidater"')


def test_candidates_leave_out_developers_and_adopters(api: TestClient, solution: dict[str, str]) -> None:  # noqa: F811
    context = brief.brief_context(api.app.state.model, solution["slug"], 20)
    names = {c["name"] for c in context["candidates"]}
    assert names and not names & {"Samsø", "Middelfart", "Aarhus"}
    assert all(c["reasons"] for c in context["candidates"])


def test_its_resources_and_sources_are_listed_and_every_typed_text_stays_text(page: tuple[str, Element]) -> None:
    html, _ = page
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">Vejledning &lt;img src=x' in html
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">Rapport &lt;img src=x' in html
    assert "<img src=x" not in html and "<script>alert" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 5  # name, summary, notes, resource, source


def test_the_command_writes_a_solutions_brief(solution: dict[str, str], store_path: Path, tmp_path: Path) -> None:  # noqa: F811
    output = tmp_path / "brief.html"
    written = lifeact("brief", "--target", solution["slug"], "--output", str(output), store=store_path)
    assert written.returncode == 0, written.stderr
    tree = parse(output.read_text(encoding="utf-8"))
    rows = [e for e in tree.find("table", "adoptions").iter() if e.tag == "tr" and "data-status" in e.attrs]
    assert [r.attrs["data-municipality"] for r in rows] == ["Aarhus", "Middelfart"]
    assert "<img src=x" not in output.read_text(encoding="utf-8")
