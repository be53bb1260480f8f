"""The pages for planners over HTTP (issue 13): sign-in and its cookie, CSRF on every form, edit
controls only for editors, the forms writing through the API's checks, hostile names kept as text,
the spread map per date, and a conflicting edit that loses neither version."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.seed import SeedGraph
from app.services.tokens import TokenFile
from app.views.solutions import SPREAD_COLORS
from tests.conftest import embedded_settings, seeded_store
from tests.views.signing_in import csrf_of, sign_in

HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
RAW_MARKUP = ("<img src=x", "<script>alert(2)")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph) -> Path:
    return seeded_store(tmp_path_factory, seed_graph, "solution-pages")


@pytest.fixture(scope="module")
def tokens(store_path: Path) -> dict[str, str]:
    file = TokenFile(store_path / "tokens.json")
    return {"editor": file.create("planner", "editor"), "admin": file.create("keeper", "admin")}


@pytest.fixture(scope="module")
def app_client(store_path: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(store_path, auth_failure_limit=5, session_hours=2))) as client:
        yield client
    gc.unfreeze()


@pytest.fixture
def web(app_client: TestClient) -> Iterator[TestClient]:
    """The module's app with a fresh cookie jar and a fresh count of failed sign-ins."""
    app_client.cookies.clear()
    app_client.headers["Accept-Language"] = "en"  # the assertions read the English words
    app_client.app.state.authenticator = None  # built again on first use
    app_client.app.state.sessions = None
    yield app_client
    app_client.cookies.clear()


def solution_fields(name: str, **extra: str) -> dict[str, str]:
    return {
        "name": name,
        "summary": "Aftaler med lodsejere om ny skov.",
        "status": "piloting",
        "started": "2024-03-01",
        "developed_by": "Vejle",
        "tasks": "T.5.3",
        "themes": "afforestation",
        "sources": "Kommunens notat | https://example.dk/notat",
        **extra,
    }


def create(web: TestClient, csrf: str, name: str, **extra: str) -> str:
    response = web.post("/views/solutions", data={"csrf_token": csrf, **solution_fields(name, **extra)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def cookie_header(response) -> str:
    return response.headers["set-cookie"]


def test_reading_needs_no_sign_in_and_shows_no_edit_controls(web: TestClient) -> None:
    assert 'href="/views/solutions"' in web.get("/").text  # found from the home page
    listing = web.get("/views/solutions")
    assert listing.status_code == 200 and "Living labs" in unescape(listing.text)
    assert 'action="/views/solutions"' in listing.text and 'method="post"' not in listing.text
    carl = web.get("/views/solutions/carl")
    assert carl.status_code == 200 and 'id="spread-map"' in carl.text
    assert "Geodatastyrelsen og Danske Kommuner" in carl.text  # the boundaries' credit, on every map
    assert "/adoptions" not in carl.text and "/edit" not in carl.text and "csrf_token" not in carl.text
    assert carl.headers["Cache-Control"] == "no-store"
    assert "script-src 'self';" in carl.headers["Content-Security-Policy"]  # no in-line script allowed


def test_sign_in_sets_a_strict_http_only_cookie_with_the_configured_lifetime(web: TestClient, tokens: dict[str, str]) -> None:
    form = web.get("/sign-in")
    response = web.post("/sign-in", data={"csrf_token": csrf_of(form.text), "token": tokens["editor"]}, follow_redirects=False)
    flags = cookie_header(response)
    assert response.status_code == 303
    assert "HttpOnly" in flags and "SameSite=strict" in flags and "Max-Age=7200" in flags and "Secure" not in flags
    page = web.get("/views/solutions").text
    assert "Signed in as planner" in page and 'method="post" action="/views/solutions"' in page
    assert tokens["editor"] not in flags  # the cookie names the token by its hash only


def test_the_cookie_is_secure_over_https_and_behind_a_trusted_proxy_only(web: TestClient, tokens: dict[str, str]) -> None:
    assert "Secure" in cookie_header(web.get("https://testserver/sign-in"))
    web.cookies.clear()
    assert "Secure" not in cookie_header(web.get("/sign-in", headers={"X-Forwarded-Proto": "https"}))
    settings = web.app.state.settings
    web.app.state.settings = settings.model_copy(update={"trust_proxy_headers": True})
    try:
        web.cookies.clear()
        assert "Secure" in cookie_header(web.get("/sign-in", headers={"X-Forwarded-Proto": "https"}))
    finally:
        web.app.state.settings = settings


def test_a_bad_token_shows_the_form_again_and_repeated_failures_are_limited(web: TestClient) -> None:
    csrf = csrf_of(web.get("/sign-in").text)
    statuses = []
    for _ in range(6):
        response = web.post("/sign-in", data={"csrf_token": csrf, "token": "lifeact_wrong"})
        statuses.append(response.status_code)
        assert 'data-role="sign-in-error"' in response.text and 'name="token"' in response.text
        assert "set-cookie" not in response.headers  # no session for a wrong token
    assert statuses == [401] * 5 + [429]


def test_forms_without_this_sessions_csrf_token_are_refused(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = sign_in(web, tokens["editor"])
    before = web.get("/api/solutions").json()["count"]
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf[:-2] + "00"}):
        response = web.post("/views/solutions", data={**data, **solution_fields("Uden gyldig formular")})
        assert response.status_code == 403 and "security token" in response.text
        assert web.post("/views/solutions/carl/adoptions", data={**data, "municipality": "Aarhus"}).status_code == 403
        assert web.post("/sign-out", data=data).status_code == 403
    # another session's token is no good either
    other = TestClient(web.app)
    other_csrf = csrf_of(other.get("/sign-in").text)
    assert web.post("/views/solutions", data={"csrf_token": other_csrf, **solution_fields("Fremmed")}).status_code == 403
    assert web.get("/api/solutions").json()["count"] == before
    assert web.post("/sign-in", data={"token": tokens["editor"]}).status_code == 403


def test_a_visitor_with_a_valid_csrf_token_still_cannot_write(web: TestClient) -> None:
    csrf = csrf_of(web.get("/sign-in").text)
    response = web.post("/views/solutions", data={"csrf_token": csrf, **solution_fields("Besøgendes løsning")})
    assert response.status_code == 403 and "editor" in response.text


def test_revoking_the_token_ends_its_sessions_at_once(web: TestClient, store_path: Path) -> None:
    file = TokenFile(store_path / "tokens.json")
    token = file.create("brief-visit", "editor")
    csrf = sign_in(web, token)
    file.revoke("brief-visit")
    page = web.get("/views/solutions").text
    assert "Signed in as" not in page and 'method="post" action="/views/solutions"' not in page
    assert web.post("/views/solutions", data={"csrf_token": csrf, **solution_fields("Efter tilbagekaldelse")}).status_code == 403


def test_sign_out_ends_the_session_even_for_a_copied_cookie(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = sign_in(web, tokens["editor"])
    copied = web.cookies.get("lifeact_session")
    response = web.post("/sign-out", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303 and 'lifeact_session=""' in cookie_header(response)
    web.cookies.set("lifeact_session", copied)
    assert "Signed in as" not in web.get("/views/solutions").text


def test_next_after_sign_in_stays_on_this_site(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = csrf_of(web.get("/sign-in").text)
    response = web.post(
        "/sign-in", data={"csrf_token": csrf, "token": tokens["editor"], "next": "//evil.example/x"}, follow_redirects=False
    )
    assert response.headers["location"] == "/views/solutions"


def test_hostile_names_stay_text_and_javascript_links_are_refused(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = sign_in(web, tokens["editor"])
    refused = web.post(
        "/views/solutions",
        data={"csrf_token": csrf, **solution_fields("Farlig kilde", sources="Klik | javascript:alert(1)")},
    )
    assert refused.status_code == 422 and "http:// or https://" in refused.text
    assert 'value="Farlig kilde"' in refused.text and "javascript:alert(1)</textarea>" in refused.text  # input kept
    assert web.get("/api/solutions/Farlig kilde").status_code == 404

    location = create(web, csrf, HOSTILE)
    written = web.post(
        f"{location}/adoptions",
        data={"csrf_token": csrf, "municipality": "Aarhus", "status": "considering", "date": "2024-05-01", "note": HOSTILE},
        follow_redirects=False,
    )
    assert written.status_code == 303
    for page in (web.get(location).text, web.get("/views/solutions").text):
        assert not any(raw in page for raw in RAW_MARKUP)
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    solution_page = web.get(location).text
    assert "<title>&lt;img" in solution_page and 'aria-label="Spread of &lt;img' in solution_page
    spread = re.search(r'<script type="application/json" id="spread-data">(.*?)</script>', solution_page, re.S)
    assert spread and "<" not in spread.group(1)


def test_adoptions_on_two_dates_colour_the_map_as_of_each(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = sign_in(web, tokens["editor"])
    location = create(web, csrf, "Fælles skovrejsning")
    aarhus = 751
    for status, date in (("considering", "2024-02-01"), ("adopted", "2025-03-01")):
        data = {"csrf_token": csrf, "municipality": "Århus", "status": status, "date": date}
        assert web.post(f"{location}/adoptions", data=data, follow_redirects=False).status_code == 303

    def fill_of(code: int, query: str) -> str:
        page = web.get(location + query).text
        return re.search(rf'fill="(#[0-9A-Fa-f]{{6}})" data-code="{code}"', page).group(1)

    assert fill_of(aarhus, "?as_of=2024-06-01") == SPREAD_COLORS["considering"]
    assert fill_of(aarhus, "?as_of=2025-03-01") == SPREAD_COLORS["adopted"]
    assert fill_of(aarhus, "") == SPREAD_COLORS["adopted"]  # the latest date by default
    assert fill_of(630, "") == SPREAD_COLORS["developed"]  # Vejle developed it
    timeline = web.get(location).text
    assert timeline.index("2024-02-01") < timeline.index("2025-03-01")
    assert web.get(location + "?as_of=someday").status_code == 422
    future = {"csrf_token": csrf, "municipality": "Aarhus", "status": "adopted", "date": "2999-01-01"}
    refused = web.post(f"{location}/adoptions", data=future)
    assert refused.status_code == 422 and "future" in refused.text and 'value="2999-01-01"' in refused.text
    unknown = web.post(f"{location}/adoptions", data={**future, "municipality": "Aarhuss", "date": "2024-01-01"})
    assert unknown.status_code == 404 and "Aarhus" in unknown.text


def test_candidates_leave_out_developers_and_adopters(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = sign_in(web, tokens["editor"])
    location = create(web, csrf, "Skovrejsning med naboer")
    data = {"csrf_token": csrf, "municipality": "Horsens", "status": "adopted", "date": "2024-02-01"}
    assert web.post(f"{location}/adoptions", data=data, follow_redirects=False).status_code == 303
    page = web.get(location).text
    section = page[page.index('data-role="candidates"') :]
    names = re.findall(r"<li><strong>([^<]+)</strong>", section)
    assert names and "Vejle" not in names and "Horsens" not in names
    assert "borders Horsens (adopted since 2024-02-01)" in section  # a neighbour gets the adopter's evidence


def test_a_conflicting_edit_shows_who_changed_what_and_keeps_both_versions(web: TestClient, tokens: dict[str, str]) -> None:
    csrf = sign_in(web, tokens["editor"])
    location = create(web, csrf, "Planlægning af klimaskov")
    page = web.get(location).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    slug = location.rsplit("/", 1)[1]
    # someone else saves in between, through the API
    current = web.get(f"/api/solutions/{slug}")
    saved = web.patch(
        f"/api/solutions/{slug}",
        json={"summary": "Deres nye resumé", "status": "implemented"},
        headers={"Authorization": f"Bearer {tokens['admin']}", "If-Match": current.headers["ETag"]},
    )
    assert saved.status_code == 200
    mine = solution_fields("Planlægning af klimaskov", summary="Mit resumé, som ikke må gå tabt")
    conflict = web.post(f"{location}/edit", data={"csrf_token": csrf, "version": version, **mine})
    assert conflict.status_code == 409
    text = unescape(conflict.text)
    assert 'data-role="conflict"' in text and "keeper" in text  # who saved in between
    assert "status: “piloting” → “implemented”" in text
    assert "Mit resumé, som ikke må gå tabt</textarea>" in text  # the unsaved input, in the form
    saved_version = text[text.index('data-role="saved-version"') :]
    assert "Deres nye resumé" in saved_version
    assert re.search(r'name="version" value="(\d+)"', conflict.text).group(1) == str(saved.json()["version"])
    assert web.get(f"/api/solutions/{slug}").json()["summary"] == "Deres nye resumé"  # nothing overwritten
    # saving again over the current version is a choice the editor makes
    again = web.post(
        f"{location}/edit",
        data={"csrf_token": csrf, "version": str(saved.json()["version"]), **mine},
        follow_redirects=False,
    )
    assert again.status_code == 303 and web.get(f"/api/solutions/{slug}").json()["summary"] == mine["summary"]
    current_version = str(web.get(f"/api/solutions/{slug}").json()["version"])
    bad_link = {**mine, "sources": "Klik | javascript:alert(1)"}
    refused = web.post(f"{location}/edit", data={"csrf_token": csrf, "version": current_version, **bad_link})
    assert refused.status_code == 422 and "http:// or https://" in refused.text
    assert "javascript:alert(1)</textarea>" in refused.text  # the input is kept
    assert web.get(f"/api/solutions/{slug}").json()["version"] == int(current_version)  # nothing written
    no_version = web.post(f"{location}/edit", data={"csrf_token": csrf, "version": "x", **mine})
    assert no_version.status_code == 422 and "version" in no_version.text


def test_seeded_solutions_offer_adoptions_but_not_edits(web: TestClient, tokens: dict[str, str]) -> None:
    sign_in(web, tokens["editor"])
    page = web.get("/views/solutions/carl").text
    assert "/views/solutions/carl/adoptions" in page and "/views/solutions/carl/edit" not in page


def test_filters_and_pages(web: TestClient, tokens: dict[str, str]) -> None:
    everything = web.get("/views/solutions").text
    total = int(re.search(r'data-role="count">(\d+)', everything).group(1))
    by_task = web.get("/views/solutions", params={"task": "t.4.1"}).text
    assert "CARL" in unescape(by_task) and int(re.search(r'data-role="count">(\d+)', by_task).group(1)) < total
    by_status = web.get("/views/solutions", params={"status": "idea"}).text
    assert all(status == "idea" for status in re.findall(r"</a></td><td>(\w+)</td>", by_status))
    assert web.get("/views/solutions", params={"status": "finished"}).status_code == 422
    unknown = web.get("/views/solutions", params={"theme": "afforestaton", "status": "piloting"})
    assert unknown.status_code == 404 and 'href="/views/solutions?theme=Skovrejsning&amp;status=piloting"' in unknown.text
    by_region = web.get("/views/solutions", params={"region": "Syddanmark"})
    assert by_region.status_code == 200
    assert web.get("/views/solutions", params={"page": "0"}).status_code == 422
    assert web.get("/views/solutions/no-such-solution").status_code == 404


def test_the_list_counts_every_solution_and_reads_only_its_pages_bodies(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.graph.embedded import EmbeddedStore
    from app.views import solutions as pages

    total = web.get("/api/solutions").json()["total"]
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)  # a page smaller than the list: the count is of them all
    asked: list[dict] = []
    read = EmbeddedStore.read

    def counting(self, name, params=None, **kwargs):
        if name == "developers_of_solutions":
            asked.append(params)
        return read(self, name, params, **kwargs)

    monkeypatch.setattr(EmbeddedStore, "read", counting)
    web.app.state.model.answers.clear()
    web.app.state.model.responses.clear()
    listing = web.get("/views/solutions").text
    assert int(re.search(r'data-role="count">(\d+)', listing).group(1)) == total > 2
    assert [len(params["ids"]) for params in asked] == [2]  # the bodies of the page's two solutions alone
