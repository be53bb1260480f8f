"""The solution and resource lists at any scale: a page of solutions costs a few store reads whatever
its size (its parts read for all of its solutions at once), and the resources come a page at a time."""

from __future__ import annotations

import re
import threading
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedStore
from tests.knowledge.conftest import auth

MUNICIPALITIES = ["Lemvig", "Vejle", "Kolding", "Ærø", "Høje-Taastrup"]


@pytest.fixture(scope="module")
def written(api: TestClient, tokens: dict[str, str]) -> list[str]:
    """Solutions of different developers, tasks and themes, with adoptions (some dropped again) and
    resources, so that reading many at once has something to keep apart."""
    editor = auth(tokens["editor"])
    slugs = []
    for n, municipality in enumerate(MUNICIPALITIES):
        body = {
            "name": f"Delt løsning {n} fra {municipality}",
            "summary": "Til prøve",
            "status": "piloting",
            "developed_by": [municipality],
            "tasks": ["T.5.1", "T.4.1"][: 1 + n % 2],
            "themes": ["pyrolysis-biochar"] if n % 2 else [],
        }
        created = api.post("/api/solutions", json=body, headers=editor)
        assert created.status_code == 201, created.text
        slug = created.json()["slug"]
        slugs.append(slug)
        for i, adopter in enumerate(MUNICIPALITIES[: n + 1]):
            event = {"municipality": adopter, "status": "adopted", "date": f"2024-0{1 + i}-01"}
            assert api.post(f"/api/solutions/{slug}/adoptions", json=event, headers=editor).status_code == 201
        if n % 2:  # the first adopter drops it again: no longer a current adopter
            event = {"municipality": MUNICIPALITIES[0], "status": "dropped", "date": "2025-01-01"}
            assert api.post(f"/api/solutions/{slug}/adoptions", json=event, headers=editor).status_code == 201
        resource = {"title": f"Vejledning {n} om {municipality}", "kind": "guide", "language": "da", "solutions": [slug]}
        resource |= {"tasks": ["T.5.1"]} if n % 2 else {}
        assert api.post("/api/resources", json=resource, headers=editor).status_code == 201
    return slugs


def _reads(api: TestClient, monkeypatch: pytest.MonkeyPatch, url: str) -> tuple[dict[str, Any], list[str]]:
    """The answer of `url`, uncached, and the named queries it asked the store (not those of the
    analyses that run in the background meanwhile)."""
    asked: list[str] = []
    read = EmbeddedStore.read

    def counting(self: EmbeddedStore, name: str, params: Any = None, **kwargs: Any) -> Any:
        if not threading.current_thread().name.startswith("analysis-"):
            asked.append(name)
        return read(self, name, params, **kwargs)

    model = api.app.state.model
    model.answers.clear()
    model.responses.clear()
    with monkeypatch.context() as patch:
        patch.setattr(EmbeddedStore, "read", counting)
        response = api.get(url)
    assert response.status_code == 200, response.text
    return response.json(), asked


def test_a_page_of_solutions_costs_the_same_few_reads_whatever_its_size(
    api: TestClient, written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    small, small_reads = _reads(api, monkeypatch, "/api/solutions?limit=1")
    whole, whole_reads = _reads(api, monkeypatch, "/api/solutions?limit=500")
    assert small["count"] == 1 and whole["count"] == whole["total"] >= len(written) + 6
    assert len(whole_reads) == len(small_reads) <= 10, whole_reads


def test_each_solution_of_a_page_is_the_solution_read_alone(api: TestClient, written: list[str]) -> None:
    """Read together, the solutions keep their own developers, tasks, adoptions and resources."""
    listed = {s["slug"]: s for s in api.get("/api/solutions", params={"limit": 500}).json()["data"]}
    for slug in listed:
        assert listed[slug] == api.get(f"/api/solutions/{slug}").json()
    one = listed[written[1]]
    assert [d["name"] for d in one["developed_by"]] == [MUNICIPALITIES[1]]
    assert one["tasks"] == ["T.4.1", "T.5.1"] and one["themes"] == ["pyrolysis-biochar"]
    assert [a["status"] for a in one["adoptions"]] == ["adopted", "adopted", "dropped"]
    assert one["current_adopters"] == [MUNICIPALITIES[1]]  # Lemvig dropped it
    assert [r["title"] for r in one["resources"]] == [f"Vejledning 1 om {MUNICIPALITIES[1]}"]
    assert len(listed[written[4]]["current_adopters"]) == 5


def _walk(api: TestClient, url: str) -> list[dict[str, Any]]:
    """Every item of a paged list, following its `Link: rel="next"` headers."""
    items: list[dict[str, Any]] = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == len(body["data"]) <= body["limit"]
        items += body["data"]
        link = response.headers.get("link")
        assert (link is None) == (body["next_cursor"] is None)
        url = re.fullmatch(r'<([^>]+)>; rel="next"', link).group(1) if link else ""
    return items


@pytest.mark.parametrize("query", ["", "&task=T.5.1", "&solution=delt-losning-3-fra-aero"])
def test_the_resources_come_a_page_at_a_time_each_once(api: TestClient, written: list[str], query: str) -> None:
    whole = api.get(f"/api/resources?limit=500{query}").json()
    assert whole["total"] == whole["count"] == len(whole["data"]) and whole["next_cursor"] is None
    walked = _walk(api, f"/api/resources?limit=2{query}")
    assert walked == whole["data"] and len({r["slug"] for r in walked}) == len(walked)
    assert [r["title"] for r in walked] == sorted(r["title"] for r in walked)


def test_the_resources_list_refuses_a_page_it_cannot_give(api: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 501}, {"cursor": "x"}):
        refused = api.get("/api/resources", params=params)
        assert refused.status_code == 422 and refused.json()["error"]["expected"]


def test_the_resources_page_shows_a_page_at_a_time(api: TestClient, written: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from app.views import resource_pages

    monkeypatch.setattr(resource_pages, "PAGE_SIZE", 1)
    every = [r["slug"] for r in api.get("/api/resources", params={"limit": 500, "task": "T.5.1"}).json()["data"]]
    assert len(every) > 1
    shown, url, pages = [], "/views/resources?task=T.5.1", 0
    while url:
        page = api.get(url)
        assert page.status_code == 200, page.text
        slugs = re.findall(r'<tr data-slug="([^"]+)">', page.text)
        assert len(slugs) == 1
        shown += slugs
        pages += 1
        following = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = unescape(following.group(1)) if following else ""
        assert not following or "task=T.5.1" in url  # the filters stay on every page
    assert shown == every and pages == len(every)
    past = api.get("/views/resources", params={"task": "T.5.1", "page": 999}).text
    assert re.findall(r'<tr data-slug="([^"]+)">', past) == every[-1:]  # past the end: the last page
    assert api.get("/views/resources", params={"page": 0}).status_code == 422
