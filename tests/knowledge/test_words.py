"""Written knowledge keeps its values in English (the API's contract), and a reader sees them as
words of the page's language: statuses, resource kinds, the provenance of what was written
through the API, and the holders a solution's replication names (issue 14)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from app.i18n import use_language
from app.services.knowledge import words
from tests.knowledge.conftest import auth

DANISH = {"developing": "under udvikling", "adopted": "taget i brug", "guide": "vejledning", "data-set": "datasæt"}


@pytest.mark.parametrize(("value", "danish"), DANISH.items())
def test_every_value_has_a_word_in_each_language(value: str, danish: str) -> None:
    lookup = words.status_word if value in words.STATUS_WORDS else words.resource_kind_word
    with use_language("da"):
        assert lookup(value) == danish
    with use_language("en"):
        assert lookup(value) == value.replace("-", " ")


def test_an_unknown_value_is_shown_as_it_is() -> None:
    with use_language("da"):
        assert words.status_word("something-new") == "something-new"
        assert words.provenance_text("LIFE ACT-ansøgningen, afsnit 3") == "LIFE ACT-ansøgningen, afsnit 3"
        assert words.provenance_text("written by Anna <b> through the API") == "skrevet af Anna <b> gennem API'et"


@pytest.mark.parametrize(("language", "status", "kind"), [("da", "under udvikling", "kursus"), ("en", "developing", "course")])
def test_a_solution_page_speaks_the_page_language(api: TestClient, language: str, status: str, kind: str) -> None:
    page = api.get("/views/solutions/carl", params={"lang": language}, headers={"Accept-Language": language})
    assert page.status_code == 200
    shown = re.search(r'<dd data-role="status">([^<]*)</dd>', page.text)
    assert shown and unescape(shown.group(1)) == status
    kinds = re.findall(r'<span class="kind">\(([^,)]+)', page.text)
    themes = re.findall(r'<a href="/views/graph\?center=[^"]+" data-slug="([^"]+)">([^<]+)</a>', page.text)
    names = {t["slug"]: t["name"] for t in api.get("/api/themes", params={"lang": language}).json()["data"]}
    assert themes and all(unescape(name) == names[slug] for slug, name in themes)  # a theme by its name, not its slug
    served = api.get("/api/resources", params={"solution": "carl"}).json()["data"]
    with use_language(language):
        expected = {words.resource_kind_word(r["kind"]) for r in served}
    assert served and set(kinds) == expected and kind in expected


def test_replication_names_a_holder_by_its_status_in_the_reader_language(api: TestClient, tokens: dict[str, str]) -> None:
    event = {"municipality": "Kolding", "status": "adopted", "date": "2025-06-01", "note": "vedtaget"}
    made = api.post("/api/solutions/carl/adoptions", json=event, headers=auth(tokens["editor"]))
    assert made.status_code == 201, made.text
    holders = {
        language: api.get("/api/replication", params={"target": "carl", "lang": language}).json()["holders"]
        for language in ("da", "en")
    }
    assert "Kolding (taget i brug siden 2025-06-01)" in holders["da"]
    assert "Kolding (adopted since 2025-06-01)" in holders["en"]
