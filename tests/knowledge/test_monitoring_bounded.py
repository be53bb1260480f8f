"""Monitoring bounded (issue 15): `GET /api/observations` comes a page at a time, a subject's
observations are read from its own id index with the same answers, and an indicator's page draws
the charts of one page of subjects and says how many there are."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services import monitoring
from app.services.knowledge import observations
from app.views.monitoring import CHARTS_PER_PAGE
from tests.knowledge.conftest import auth

# More subjects than one page of charts, each observed on one to three dates, two on the same day.
SUBJECTS = [
    "Aabenraa", "Aalborg", "Aarhus", "Allerød", "Assens", "Ballerup", "Billund", "Bornholm", "Brøndby", "Brønderslev",
    "Dragør", "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg", "Fredericia", "Frederiksberg", "Frederikshavn",
    "Furesø", "Faaborg-Midtfyn", "Gentofte", "Gladsaxe", "Samsø",
]  # fmt: skip
DATES = ["2023-03-01", "2024-03-01", "2025-03-01"]


@pytest.fixture(scope="module")
def many(api: TestClient, tokens: dict[str, str]) -> TestClient:
    for n, subject in enumerate(SUBJECTS):
        for date in DATES[: 1 + n % 3]:
            body = {
                "subject": subject,
                "indicator": "carl",
                "value": 1 + n % 9,
                "date": date,
                "source": {"title": f"Måling {n}", "url": "https://example.org/carl"},
            }
            assert api.post("/api/observations", json=body, headers=auth(tokens["editor"])).status_code == 201
    for subject, value in (("WP5", 3), ("WP5", 5)):  # one subject, one day, two values: the later one counts
        body = {
            "subject": subject,
            "indicator": "carl",
            "value": value,
            "date": "2024-06-30",
            "source": {"title": "WP5", "url": "https://example.org/wp5"},
        }
        assert api.post("/api/observations", json=body, headers=auth(tokens["editor"])).status_code == 201
    return api


def _walk(api: TestClient, url: str) -> list[dict[str, Any]]:
    """Every page, following `Link: rel="next"`; each page's total and count checked."""
    pages = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body)
        assert body["count"] == len(body["data"]) <= body["limit"]
        link = response.headers.get("link")
        assert (link is None) == (body["next_cursor"] is None)
        url = re.fullmatch(r'<([^>]+)>; rel="next"', link).group(1) if link else ""
    assert len({page["total"] for page in pages}) == 1
    return [item for page in pages for item in page["data"]]


@pytest.mark.parametrize(
    "query", ["", "&indicator=carl", "&subject=Aarhus", "&subject=WP5&indicator=carl", "&from=2024-01-01&to=2024-12-31"]
)
def test_observations_come_a_page_at_a_time_each_once_in_order(many: TestClient, query: str) -> None:
    whole = many.get(f"/api/observations?limit=1000{query}").json()
    assert whole["next_cursor"] is None and whole["total"] == whole["count"] > 0
    walked = _walk(many, f"/api/observations?limit=4{query}")
    assert walked == whole["data"]
    dates = [o["date"] for o in walked]
    assert dates == sorted(dates)  # oldest first


def test_the_first_page_keeps_the_lists_keys_and_a_limit_beyond_the_maximum_is_refused(many: TestClient) -> None:
    first = many.get("/api/observations?subject=Aarhus&indicator=carl&limit=1")
    body = first.json()
    assert body["subject"]["name"] == "Aarhus" and body["indicator"] == "carl"
    assert (body["count"], body["total"], body["limit"], body["next_cursor"]) == (1, 3, 1, "1")
    assert "cursor=1" in first.headers["link"] and "subject=Aarhus" in first.headers["link"]
    refused = many.get("/api/observations?limit=1001")
    assert refused.status_code == 422
    assert set(refused.json()["error"]) >= {"status", "message", "expected", "suggestions"}


def test_a_subjects_observations_read_from_its_index_are_those_the_general_query_finds(many: TestClient) -> None:
    model = many.app.state.model  # type: ignore[attr-defined]
    for key, kind in (("Aarhus", "Municipality"), ("WP5", "WorkPackage"), ("Samsø", "Municipality"), ("carl", "Solution")):
        ref = model.resolve(key, (kind,))
        general = observations.bodies(model.store.read("observations_of", observations.series_params(subject=ref.id)))
        assert observations.of_subject(model, ref.id) == general
        assert observations.series(model, key, None, None, None)["data"] == general


@pytest.mark.parametrize("day", [dt.date(2023, 6, 1), dt.date(2024, 6, 30), dt.date(2025, 12, 31)])
def test_the_latest_value_per_subject_is_the_last_one_on_or_before_the_date(many: TestClient, day: dt.date) -> None:
    model = many.app.state.model  # type: ignore[attr-defined]
    latest: dict[str, dict[str, Any]] = {}
    for row in observations.series(model, None, "carl", None, day)["data"]:
        latest[row["subject"]["id"]] = row
    answer = monitoring.indicator_on(model, "carl", day)
    assert answer["values"] == latest and latest
    assert answer["dates"] == sorted({o["date"] for o in observations.series(model, None, "carl", None, None)["data"]})
    some = sorted(latest)[:3]
    assert monitoring.indicator_on(model, "carl", day, some)["values"] == {k: latest[k] for k in some}


def test_the_indicator_page_draws_a_page_of_charts_and_says_how_many_there_are(many: TestClient) -> None:
    model = many.app.state.model  # type: ignore[attr-defined]
    every = [s["subject"]["name"] for s in monitoring.indicator_series(model, "carl")["series"]]
    assert len(every) == len(SUBJECTS) + 1 > CHARTS_PER_PAGE
    seen, url, pages = [], "/views/indicators/carl?date=2025-12-31", 0
    while url:
        page = many.get(url)
        assert page.status_code == 200
        charts = re.findall(r'<figure class="chart" data-subject="([^"]*)">\s*<svg', page.text)
        assert 0 < len(charts) <= CHARTS_PER_PAGE
        first = len(seen) + 1
        assert re.search(f"{first}–{len(seen) + len(charts)} (of|af) {len(every)}", page.text)
        assert ('rel="prev"' in page.text) == (pages > 0)
        seen += charts
        pages += 1
        following = re.search(r'<a href="([^"]+)" rel="next"', page.text)
        url = following.group(1).replace("&amp;", "&") if following else ""
        if url:
            assert "date=2025-12-31" in url
    assert seen == every  # every subject once, by name
    assert pages == -(-len(every) // CHARTS_PER_PAGE)
