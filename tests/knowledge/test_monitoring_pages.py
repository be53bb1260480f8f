"""Monitoring pages (issue 13): an indicator on the map for a date, its charts per subject as
server-drawn SVG/PNG, a municipality's charts, and the forms that record an observation and add a
resource (an editor's session and its CSRF token, shown only to editors); what people type stays
text everywhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.knowledge.conftest import auth
from tests.views.signing_in import csrf_of, sign_in

HOSTILE = '<img src=x onerror=alert(1)> "><script>alert(2)</script>'
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _observe(
    api: TestClient, token: str, subject: str, indicator: str, value: float, date: str, title: str = "CARL-måling"
) -> None:
    body = {
        "subject": subject,
        "indicator": indicator,
        "value": value,
        "date": date,
        "source": {"title": title, "url": "https://example.org/carl"},
    }
    response = api.post("/api/observations", json=body, headers=auth(token))
    assert response.status_code == 201, response.text


def _fill(html: str, name: str) -> str | None:
    """The fill of a municipality's shape on the map."""
    match = re.search(rf'<path class="municipality" [^>]*fill="([^"]+)" data-code="\d+" data-name="{re.escape(name)}"', html)
    return match.group(1) if match else None


@pytest.fixture
def visitor(api: TestClient) -> Iterator[TestClient]:
    """The module's app with an empty cookie jar: nobody signed in."""
    api.cookies.clear()
    yield api
    api.cookies.clear()


@pytest.fixture
def editor_csrf(visitor: TestClient, tokens: dict[str, str]) -> str:
    """Signed in as the editor through /sign-in; the CSRF token the forms carry."""
    return sign_in(visitor, tokens["editor"], "/views/indicators/carl")


@pytest.fixture(scope="module")
def observed(api: TestClient, tokens: dict[str, str]) -> TestClient:
    _observe(api, tokens["editor"], "Samsø", "carl", 2, "2024-03-01")
    _observe(api, tokens["editor"], "Samsø", "carl", 7, "2025-06-01")
    _observe(api, tokens["editor"], "Middelfart", "carl", 4, "2025-01-15", title=HOSTILE)
    return api


def test_the_indicators_are_listed_with_links(api: TestClient) -> None:
    page = api.get("/views/indicators")
    assert page.status_code == 200
    for slug in ("carl", "new-forest", "biochar"):
        assert f'href="/views/indicators/{slug}"' in page.text


def test_the_choropleth_shows_the_latest_value_on_or_before_the_date(observed: TestClient) -> None:
    before = observed.get("/views/indicators/carl", params={"date": "2024-12-31"}).text
    after = observed.get("/views/indicators/carl", params={"date": "2025-12-31"}).text
    early = observed.get("/views/indicators/carl", params={"date": "2023-01-01"}).text
    assert _fill(early, "Samsø") == "#e3e3e3"  # nothing observed yet
    assert _fill(before, "Samsø") not in (None, "#e3e3e3")
    assert _fill(before, "Samsø") != _fill(after, "Samsø")  # level 2, then 7
    assert "Samsø: 2 level on 2024-03-01" in before and "Samsø: 7 level on 2025-06-01" in after
    assert _fill(before, "Middelfart") == "#e3e3e3" and _fill(after, "Middelfart") not in (None, "#e3e3e3")
    assert "Geodatastyrelsen" in after  # the boundaries' credit


def test_each_subject_has_a_server_drawn_chart_with_its_unit_and_dates(observed: TestClient) -> None:
    page = observed.get("/views/indicators/carl").text
    charts = re.findall(r'<figure class="chart" data-subject="([^"]*)">\s*<svg', page)
    assert sorted(charts) == ["Middelfart", "Samsø"]
    svg = observed.get("/views/indicators/carl/chart.svg", params={"subject": "Samso"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert ">level</text>" in svg.text and ">Climate Action Readiness Level (CARL): Samsø</text>" in svg.text
    assert ">2025</text>" in svg.text  # a date on the time axis
    png = observed.get("/views/indicators/carl/chart.png", params={"subject": "Samsø"})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_a_subject_never_observed_gets_the_axes_alone(observed: TestClient) -> None:
    svg = observed.get("/views/indicators/carl/chart.svg", params={"subject": "Vejle"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert not list(root.iter("{http://www.w3.org/2000/svg}circle"))
    assert ">Climate Action Readiness Level (CARL): Vejle</text>" in svg.text


def test_a_municipality_page_shows_its_observations_as_charts(observed: TestClient) -> None:
    page = observed.get(f"/views/municipalities/{quote('Samsø')}")
    assert page.status_code == 200
    assert '<a href="/views/indicators/carl">Climate Action Readiness Level (CARL)</a>' in page.text
    assert page.text.count("<svg") == 1 and "2025-06-01" in page.text


def test_typed_text_stays_text_in_pages_and_pictures(observed: TestClient) -> None:
    for text in (observed.get("/views/indicators/carl").text, observed.get("/views/municipalities/Middelfart").text):
        assert "<img src=x" not in text and "<script>alert" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
    svg = observed.get("/views/indicators/carl/chart.svg", params={"subject": "Middelfart"}).text
    assert "<img" not in svg and "<script" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg


def test_the_form_records_an_observation_for_an_editor(observed: TestClient, editor_csrf: str) -> None:
    form = {
        "subject": "Aarhus",
        "value": "5",
        "date": "2025-02-02",
        "source_title": "Vurdering",
        "source_url": "https://example.org/a",
        "csrf_token": editor_csrf,
    }
    response = observed.post("/views/indicators/carl/observations", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/views/indicators/carl?date=2025-02-02"
    page = observed.get(response.headers["location"]).text
    assert "Aarhus: 5 level on 2025-02-02" in page
    assert len(observed.get("/api/observations", params={"subject": "Aarhus", "indicator": "carl"}).json()["data"]) == 1


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"value": "12"}, 422, "outside the range"),
        ({"source_url": "javascript:alert(1)"}, 422, "source.url"),
        ({"date": "2999-01-01"}, 422, "date"),
        ({"subject": "Atlantis"}, 404, "Atlantis"),
    ],
)
def test_a_refused_form_says_why_keeps_the_input_and_writes_nothing(
    observed: TestClient, editor_csrf: str, change: dict[str, str], status: int, words: str
) -> None:
    form = {
        "subject": "Odense",
        "value": "3",
        "date": "2025-03-03",
        "source_title": HOSTILE,
        "source_url": "https://example.org/o",
        "csrf_token": editor_csrf,
    } | change
    response = observed.post("/views/indicators/carl/observations", data=form, follow_redirects=False)
    assert response.status_code == status
    assert words in response.text and 'role="alert"' in response.text
    assert "Value error" not in response.text  # the validators' own words, as the API gives them
    assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text  # kept, as text
    assert csrf_of(response.text) == editor_csrf and 'value="Odense"' in response.text  # the form again, still signed in
    assert observed.get("/api/observations", params={"subject": "Odense", "indicator": "carl"}).json()["data"] == []


def test_bad_addresses_get_pages_not_500s(observed: TestClient) -> None:
    assert observed.get("/views/indicators/carl", params={"date": "yesterday"}).status_code == 422
    missing = observed.get("/views/indicators/carll")
    assert missing.status_code == 404
    suggested = re.findall(r'<li><a href="(/views/indicators/[^"?]+)', missing.text)
    assert suggested and observed.get(suggested[0].replace("&amp;", "&")).status_code == 200  # a suggestion leads to a page
    assert observed.get("/views/indicators/carl/chart.svg").status_code == 422
    assert (
        observed.post(
            "/views/indicators/carl/observations", content=b"{}", headers={"Content-Type": "application/json"}
        ).status_code
        == 422
    )


def test_the_resources_of_a_task_are_listed_and_the_form_adds_one(api: TestClient, editor_csrf: str) -> None:
    seeded = api.get("/api/resources", params={"task": "T.4.1"}).json()["data"]
    page = api.get("/views/resources", params={"task": "T.4.1"})
    assert page.status_code == 200
    assert sorted(re.findall(r'<tr data-slug="([^"]+)"', page.text)) == sorted(r["slug"] for r in seeded)
    form = {
        "title": f"Guide {HOSTILE}",
        "kind": "guide",
        "url": "https://example.org/g",
        "language": "da",
        "tasks": "T.4.1",
        "themes": "",
        "solutions": "",
        "csrf_token": editor_csrf,
    }
    added = api.post("/views/resources?task=T.4.1", data=form, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/views/resources?task=T.4.1"
    after = api.get(added.headers["location"]).text
    assert len(re.findall(r"<tr data-slug=", after)) == len(seeded) + 1
    assert '<a href="https://example.org/g" rel="noopener noreferrer">Guide &lt;img src=x onerror=alert(1)&gt;' in after
    assert "<img src=x" not in after and "<script>alert" not in after


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"url": "javascript:alert(1)"}, 422, "url"),
        ({"tasks": "T.99.9"}, 404, "T.99.9"),
        ({"language": "dansk"}, 422, "language"),
    ],
)
def test_a_refused_resource_changes_nothing(
    api: TestClient, editor_csrf: str, change: dict[str, str], status: int, words: str
) -> None:
    before = api.get("/api/resources").json()["count"]
    form = {
        "title": f"Værktøj {HOSTILE}",
        "kind": "tool",
        "url": "https://example.org/t",
        "language": "da",
        "tasks": "T.4.1",
        "csrf_token": editor_csrf,
    } | change
    response = api.post("/views/resources", data=form, follow_redirects=False)
    assert response.status_code == status and words in response.text
    assert "Værktøj &lt;img src=x" in response.text and "<img src=x" not in response.text  # the input kept, as text
    assert f'maxlength="2000" value="{form["url"]}"' in response.text and csrf_of(response.text) == editor_csrf
    assert api.get("/api/resources").json()["count"] == before
    assert api.get("/views/resources", params={"theme": "no-such-theme"}).status_code == 404


PAGES_WITH_FORMS = [
    ("/views/indicators/carl", "/views/indicators/carl/observations"),
    ("/views/resources?task=T.4.1", "/views/resources?task=T.4.1"),
]


@pytest.mark.parametrize(("path", "action"), PAGES_WITH_FORMS)
def test_a_visitor_sees_no_form_only_a_sign_in_link(visitor: TestClient, path: str, action: str) -> None:
    for _ in ("no cookie", "a visitor's session"):
        page = visitor.get(path)
        assert page.status_code == 200
        assert 'method="post"' not in page.text and "csrf_token" not in page.text and 'name="subject"' not in page.text
        link = re.search(r'<a href="([^"]+)" data-role="sign-in-to-record">', page.text)
        assert link and link.group(1).replace("&amp;", "&") == f"/sign-in?next={quote(path, safe='')}"
        visitor.get("/sign-in")  # the second round with the cookie the sign-in form gives


@pytest.mark.parametrize(("path", "action"), PAGES_WITH_FORMS)
def test_an_editor_sees_the_form_with_the_sessions_csrf_token(
    visitor: TestClient, tokens: dict[str, str], path: str, action: str
) -> None:
    csrf = sign_in(visitor, tokens["editor"], path)
    page = visitor.get(path)
    assert f'<form method="post" action="{action}"' in page.text.replace("&amp;", "&") and csrf_of(page.text) == csrf
    assert "Signed in as ed" in page.text and 'data-role="sign-in-to-record"' not in page.text
    assert 'type="password"' not in page.text  # the token is typed once, on /sign-in, never in these forms
    assert page.headers["Cache-Control"] == "no-store"  # it carries the session's CSRF token


def _written(api: TestClient) -> tuple[int, int]:
    """How many observations of Vejle's CARL and how many resources there are."""
    vejle = api.get("/api/observations", params={"subject": "Vejle", "indicator": "carl"}).json()["data"]
    return len(vejle), api.get("/api/resources").json()["count"]


@pytest.mark.parametrize(("path", "action"), PAGES_WITH_FORMS)
@pytest.mark.parametrize("csrf", ["missing", "another session's", "forged"])
def test_a_form_without_its_sessions_csrf_token_is_refused_and_writes_nothing(
    visitor: TestClient, tokens: dict[str, str], path: str, action: str, csrf: str
) -> None:
    other = csrf_of(visitor.get("/sign-in").text)  # a visitor's session, before signing in
    visitor.cookies.clear()
    sign_in(visitor, tokens["editor"], path)
    fields = {
        "subject": "Vejle",
        "value": "4",
        "date": "2025-04-04",
        "source_title": "Måling",
        "source_url": "https://example.org/v",
        "title": "Vejledning",
        "kind": "guide",
        "language": "da",
        "tasks": "T.4.1",
    }
    fields |= {"missing": {}, "another session's": {"csrf_token": other}, "forged": {"csrf_token": "0" * 64}}[csrf]
    before = _written(visitor)
    response = visitor.post(action, data=fields, follow_redirects=False)
    assert response.status_code == 403 and "security token" in response.text
    assert _written(visitor) == before


@pytest.mark.parametrize(("path", "action"), PAGES_WITH_FORMS)
def test_a_form_from_someone_not_signed_in_is_refused(visitor: TestClient, path: str, action: str) -> None:
    csrf = csrf_of(visitor.get("/sign-in").text)  # a valid CSRF token of a session with nobody signed in
    fields = {"csrf_token": csrf, "subject": "Vejle", "value": "4", "date": "2025-04-04", "title": "Vejledning"}
    before = _written(visitor)
    response = visitor.post(action, data=fields, follow_redirects=False)
    assert response.status_code == 403 and "editor" in response.text
    visitor.cookies.clear()
    assert visitor.post(action, data=fields, follow_redirects=False).status_code == 403  # and without any session
    assert _written(visitor) == before


@pytest.mark.parametrize(
    ("center", "link"),
    [
        ("T.4.1", "/views/resources?task=T.4.1"),
        ("drought", "/views/resources?theme=drought"),
        ("living-labs", "/views/resources?solution=living-labs"),
        ("Samsø", "/views/municipalities/Sams%C3%B8"),
    ],
)
def test_a_nodes_network_links_to_its_resources_or_observations(api: TestClient, center: str, link: str) -> None:
    page = api.get("/views/graph", params={"center": center})
    assert page.status_code == 200
    found = re.findall(r'<a href="([^"]+)" data-role="(?:resources|observations)">', page.text)
    assert [href.replace("&amp;", "&") for href in found] == [link]
    assert api.get(link).status_code == 200
