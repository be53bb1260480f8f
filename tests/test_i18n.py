"""One language at a time: Danish by default, English with `?lang=en` or `Accept-Language: en`
(`lang` wins, `lang=da` too), in pages, tooltips, captions, the map, briefs, SVG, replication
reasons, overlap explanations and errors; a switch on every page keeps the permalink; the JSON
keys and error `code`s are the same in both languages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from app import i18n
from app.main import create_app
from app.services import overlap, replication
from app.services.read_model import ReadModel
from app.settings import PROJECT_ROOT
from tests.conftest import embedded_settings

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9,da;q=0.5"}
DANISH = {"Accept-Language": "da"}
PAGES = [
    "/",
    "/?q=Aalborg",
    "/views/graph?center=Sams%C3%B8&depth=2",
    "/views/overlap?a=Aalborg&b=Sams%C3%B8",
    "/views/replication?target=T.9.1&limit=3",
    "/views/work-packages/WP9",
    "/views/map?target=T.9.1",
    "/views/brief?target=T.9.1&limit=3",
    "/views/graph?center=Nowhere",  # an error page has the switch too
]


@pytest.fixture(scope="module")
def client(embedded_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(embedded_path))) as test_client:
        yield test_client


def graph_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert match, "no graph data in the page"
    return json.loads(match.group(1))


def switch_links(html: str) -> dict[str, str]:
    """hreflang -> href of the language switch's links."""
    return {lang: unescape(href) for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', html)}


# -- negotiation ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        (None, None, "da"),
        (None, "en", "en"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "de-DE,de;q=0.9,en;q=0.8,da;q=0.7", "en"),  # the first of ours by quality
        (None, "da;q=0.4,en;q=0.8", "en"),
        (None, "en;q=0,da", "da"),  # q=0 means "not this one"
        (None, "fr", "da"),
        (None, "*", "da"),
        ("en", "da", "en"),  # the parameter wins
        ("da", "en", "da"),
        ("EN", None, "en"),
        ("xx", "en", "en"),  # an unknown lang is not a choice (the API answers 422 for it)
    ],
)
def test_the_query_parameter_wins_then_accept_language_then_danish(query: str | None, header: str | None, expected: str) -> None:
    assert i18n.negotiate(query, header).code == expected


# -- pages ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_pages_are_danish_by_default_and_english_on_request(client: TestClient, path: str) -> None:
    danish = client.get(path)
    by_parameter = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    by_header = client.get(path, headers=ENGLISH)
    assert danish.headers["content-language"] == "da" and '<html lang="da">' in danish.text
    for english in (by_parameter, by_header):
        assert english.status_code == danish.status_code
        assert english.headers["content-language"] == "en" and '<html lang="en">' in english.text
        assert "accept-language" in english.headers["vary"].lower()
    # the parameter wins over the header, both ways
    assert client.get(path + ("&" if "?" in path else "?") + "lang=da", headers=ENGLISH).headers["content-language"] == "da"


@pytest.mark.parametrize("path", PAGES)
def test_the_switch_keeps_the_permalink(client: TestClient, path: str) -> None:
    """Same path and parameters, the other language; following it gives the page in that language."""
    asked = urlsplit(path)
    for lang, other in (("da", "en"), ("en", "da")):
        html = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}").text
        target = urlsplit(switch_links(html)[other])
        assert target.path == asked.path
        assert parse_qsl(target.query) == [*parse_qsl(asked.query), ("lang", other)]
        assert client.get(switch_links(html)[other]).headers["content-language"] == other


def test_graph_view_words_follow_the_language(client: TestClient) -> None:
    danish = client.get("/views/graph?center=Sams%C3%B8&depth=2").text
    english = client.get("/views/graph?center=Sams%C3%B8&depth=2&lang=en").text
    assert "Signaturforklaring" in danish and "Legend" not in danish
    assert "Legend" in english and "Signaturforklaring" not in english
    da, en = graph_data(danish), graph_data(english)
    assert da["text"]["noMatch"] == "Ingen knude i visningen matcher." and en["text"]["noMatch"] == "No node in the view matches."
    assert set(da["text"]) == set(en["text"])  # the script gets every word it writes, in both languages
    assert da["kinds"]["Municipality"]["label"] == "Kommune" and en["kinds"]["Municipality"]["label"] == "Municipality"
    assert da["edgeStyles"]["NEIGHBOURS"]["label"] == "grænser op til" and en["edgeStyles"]["NEIGHBOURS"]["label"] == "borders"
    assert "Alt inden for 2 skridt fra Samsø" in unescape(danish) and "Everything within 2 steps of Samsø" in unescape(english)

    # names stay as the sources write them, and the nodes are the same
    def names(data: dict[str, Any]) -> set[str]:
        return {n["name"] for n in data["nodes"] if n["kind"] != "Group"}

    assert names(da) == names(en) and "Samsø" in names(en)
    # a collapsed group is named in words: those follow the language
    assert "98 kommuner: medlem af Klimaalliancen" in {n["name"] for n in da["nodes"]}
    assert "98 municipalities: member of Klimaalliancen" in {n["name"] for n in en["nodes"]}
    # links the script builds keep the chosen language
    assert en["lang"] == "en" and da["lang"] == ""


def test_descriptions_follow_the_language(client: TestClient, embedded_path: Path) -> None:
    """A work package's tooltip holds its summary in the page's language, once."""
    wp9 = client.get("/api/work-packages/WP9").json()

    def facts(lang: str) -> dict[str, str]:
        data = graph_data(client.get(f"/views/graph?center=WP9&depth=1&lang={lang}").text)
        node = next(n for n in data["nodes"] if n["id"] == "workpackage:WP9")
        return dict(node["facts"])

    da, en = facts("da"), facts("en")
    assert da["resumé"] == wp9["summary_da"] and en["summary"] == wp9["summary"]
    assert wp9["summary"] not in da.values() and wp9["summary_da"] not in en.values()
    assert da["titel"] == wp9["title_da"] and en["title"] == wp9["title_en"]


def test_every_described_kind_has_both_languages(seed_graph: Any) -> None:
    """Work packages, tasks, programmes, organisations and knowledge say what they are in Danish and English."""
    pairs = {
        "WorkPackage": ("summary", "summary_da"),
        "Task": ("summary", "summary_da"),
        "Programme": ("description", "description_da"),
        "Organisation": ("description", "description_da"),
        "Solution": ("summary", "summary_en"),
        "Resource": ("summary", "summary_en"),
        "Theme": ("name_da", "name_en"),
    }
    for label, fields in pairs.items():
        rows = seed_graph.nodes[label]
        assert rows, f"the seed has no {label}"
        for row in rows:
            for field in fields:
                assert len(str(row.get(field) or "").strip()) >= 3, f"{row['id']} has no {field}"


def test_map_and_images_follow_the_language(client: TestClient) -> None:
    danish = client.get("/views/map").text
    english = client.get("/views/map?lang=en").text
    assert "Kort: deltagelse i LIFE ACT" in danish and "Map: participation in LIFE ACT" in english
    assert "Kommunegrænser:" in danish and "Municipal boundaries:" in english
    svg_da = client.get("/views/graph.svg?center=Sams%C3%B8").text
    svg_en = client.get("/views/graph.svg?center=Sams%C3%B8", headers=ENGLISH).text
    assert "Signaturforklaring" in svg_da and "Legend" in svg_en and "Signaturforklaring" not in svg_en
    assert "Everything within 1 steps of Samsø" in unescape(svg_en)


def test_links_in_a_chosen_language_keep_it(client: TestClient) -> None:
    english = client.get("/?lang=en").text
    view_links = [unescape(h) for h in re.findall(r'href="(/views/[^"]+)"', english)]
    assert view_links and all("lang=en" in link for link in view_links)
    assert 'name="lang" value="en"' in english  # the search form too
    # without a choice, links stay as they were (Danish is the default)
    assert "lang=" not in "".join(re.findall(r'href="(/views/[^"]+)"', client.get("/").text))


def test_brief_in_both_languages(client: TestClient) -> None:
    danish = client.get("/views/brief?target=T.9.1&limit=3").text
    english = client.get("/views/brief?target=T.9.1&limit=3&lang=en").text
    assert "Hvor kan opgaven T.9.1" in danish and "Sådan beregnes scoren" in danish
    assert "Where could the task T.9.1" in english and "How the score is computed" in english
    assert "Sådan beregnes scoren" not in english and "grænser op til" not in english


def test_cli_brief_takes_a_language(tmp_path: Path, embedded_path: Path) -> None:
    env = {"LIFEACT_EMBEDDED_PATH": str(embedded_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)}
    written = {}
    for lang in ("da", "en"):
        output = tmp_path / f"brief-{lang}.html"
        command = [sys.executable, "-m", "app.cli", "brief", "--target", "WP9", "--limit", "2", "--lang", lang, "-o", str(output)]
        subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
        written[lang] = output.read_text(encoding="utf-8")
    assert '<html lang="da">' in written["da"] and "Hvor kan arbejdspakken WP9" in written["da"]
    assert '<html lang="en">' in written["en"] and "Where could the work package WP9" in written["en"]
    refused = subprocess.run(
        [sys.executable, "-m", "app.cli", "brief", "--target", "WP9", "--lang", "de", "-o", str(tmp_path / "x.html")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert refused.returncode == 2 and "--lang" in refused.stderr


# -- services ------------------------------------------------------------------------------------
def test_replication_reasons_and_overlap_explanations_follow_the_language(client: TestClient) -> None:
    model: ReadModel = client.app.state.model  # type: ignore[attr-defined]
    with i18n.use_language("da"):
        da = replication.replication(model, "T.9.1", 20)
        da_overlap = overlap.overlap(model, "Aalborg", "Samsø").explanation
    with i18n.use_language("en"):
        en = replication.replication(model, "T.9.1", 20)
        en_overlap = overlap.overlap(model, "Aalborg", "Samsø").explanation
    assert [c.name for c in da.candidates] == [c.name for c in en.candidates]  # the same answer, in other words
    da_details = [r.detail for c in da.candidates for r in c.reasons]
    en_details = [r.detail for c in en.candidates for r in c.reasons]
    assert any(d.startswith("grænser op til ") for d in da_details) and not any(d.startswith("borders ") for d in da_details)
    assert any(d.startswith("borders ") for d in en_details) and not any(d.startswith("grænser") for d in en_details)
    assert "deltager begge i" in da_overlap and "both take part in" in en_overlap


def test_api_reasons_follow_the_request(client: TestClient) -> None:
    danish = client.get("/api/replication?target=T.9.1&limit=5").json()
    english = client.get("/api/replication?target=T.9.1&limit=5", headers=ENGLISH).json()
    assert danish.keys() == english.keys()
    assert [c["name"] for c in danish["candidates"]] == [c["name"] for c in english["candidates"]]
    kinds = [[r["kind"] for r in c["reasons"]] for c in danish["candidates"]]
    assert kinds == [[r["kind"] for r in c["reasons"]] for c in english["candidates"]]  # kinds are codes, not words
    assert danish["candidates"][0]["reasons"] != english["candidates"][0]["reasons"]
    assert "deltager" in client.get("/api/overlap?a=Aalborg&b=Sams%C3%B8").json()["explanation"]
    assert "take part" in client.get("/api/overlap?a=Aalborg&b=Sams%C3%B8&lang=en").json()["explanation"]


# -- errors --------------------------------------------------------------------------------------
ERRORS = [
    ("/api/municipalities/Xyzzy", 404, "not_found"),
    ("/api/paths?source=Aalborg&target=Sams%C3%B8&max_hops=99", 422, "invalid_parameter"),
    ("/api/search?q=%21%21", 422, "invalid_parameter"),
    ("/api/nothing-here", 404, "not_found"),
    ("/api/replication?target=T.9.1&limit=0", 422, "invalid_parameter"),
    ("/api/gaps?pillar=nonsense", 422, "invalid_parameter"),
]


@pytest.mark.parametrize(("path", "status", "code"), ERRORS)
def test_api_errors_keep_their_code_and_keys_and_translate_the_message(
    client: TestClient, path: str, status: int, code: str
) -> None:
    danish = client.get(path)
    english = client.get(path, headers=ENGLISH)
    by_parameter = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert danish.status_code == english.status_code == by_parameter.status_code == status
    da, en = danish.json()["error"], english.json()["error"]
    assert da.keys() == en.keys() == {"status", "code", "message", "expected", "suggestions"}
    assert da["code"] == en["code"] == code
    assert da["message"] != en["message"], "the message is in the request's language"
    assert en == by_parameter.json()["error"]
    assert da["suggestions"] == en["suggestions"]  # names, not words


def test_error_words_in_each_language(client: TestClient) -> None:
    da = client.get("/api/municipalities/Xyzzy").json()["error"]
    en = client.get("/api/municipalities/Xyzzy?lang=en").json()["error"]
    assert da["message"] == "ukendt kommune: 'Xyzzy'" and en["message"] == "no municipality called 'Xyzzy'"
    page_da = client.get("/views/graph?center=Aalborgx")
    page_en = client.get("/views/graph?center=Aalborgx", headers=ENGLISH)
    assert page_da.status_code == page_en.status_code == 404
    assert "Ikke fundet" in page_da.text and "Mente du" in page_da.text
    assert "Not found" in page_en.text and "Did you mean" in page_en.text and "no node called" in page_en.text


def test_an_unknown_language_is_refused_with_the_choices(client: TestClient) -> None:
    answer = client.get("/api/stats?lang=de")
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_parameter" and "'da'" in error["expected"] and "'en'" in error["expected"]


def test_a_too_large_body_is_refused_in_the_language_of_the_request(embedded_path: Path) -> None:
    with TestClient(create_app(embedded_settings(embedded_path, max_request_bytes=1024))) as small:
        body = b"x" * 5000
        da = small.post("/api/solutions", content=body, headers={"Content-Type": "application/json"})
        en = small.post("/api/solutions", content=body, headers={"Content-Type": "application/json", **ENGLISH})
    assert da.status_code == en.status_code == 413
    assert da.json()["error"]["code"] == en.json()["error"]["code"] == "request_too_large"
    assert "for stort" in da.json()["error"]["message"] and "too large" in en.json()["error"]["message"]


def test_the_language_parameter_is_declared_once_as_an_enum(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "delete"):
                continue
            langs = [p for p in operation.get("parameters", []) if p["name"] == "lang"]
            assert len(langs) == 1, f"{method.upper()} {path} declares lang {len(langs)} times"
            declared = json.dumps(langs[0]["schema"])
            assert '"da"' in declared and '"en"' in declared


def test_cached_answers_are_kept_per_language(client: TestClient) -> None:
    """The answer cache must not hand a Danish answer to an English request (or back)."""
    for _ in range(2):
        assert "deltager" in client.get("/api/overlap?a=Vejle&b=Aarhus").json()["explanation"]
        assert "take part" in client.get("/api/overlap?a=Vejle&b=Aarhus", headers=ENGLISH).json()["explanation"]
        assert "deltager" in client.get("/api/overlap?a=Vejle&b=Aarhus", headers=DANISH).json()["explanation"]


def test_a_server_compiles_every_catalogue_after_it_starts_without_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first visitor does not pay for compiling a catalogue (0.1 s each)."""
    import app.main

    monkeypatch.setattr(app.main, "BACKGROUND_START_DELAY_SECONDS", 0.05)
    i18n.translations.cache_clear()
    with TestClient(create_app(embedded_settings(tmp_path))):
        deadline = time.monotonic() + 20
        while i18n.translations.cache_info().currsize < len(i18n.LANGUAGES):
            assert time.monotonic() < deadline, "the catalogues were not compiled"
            time.sleep(0.02)
