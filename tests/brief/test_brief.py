"""The replication brief: its content against the services and the source documents, that it is
self-contained and printable, everything escaped, and the `lifeact brief` command and the
/views/brief route as a planner uses them."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import brief
from app.i18n import gettext
from app.main import create_app
from app.services import entities
from app.services import replication as replication_service
from app.services.errors import InvalidParameter, NotFound, ServiceError
from app.services.read_model import ReadModel
from app.settings import PROJECT_ROOT
from app.views.boundaries import BOUNDARY_CREDIT, projected_map
from app.views.pages import PARTICIPANT
from tests.brief.html_tree import Element, parse
from tests.conftest import SEED_DIR, embedded_settings
from tests.source_facts import LEADS, PARTNERS

T91_TITLE = "Tilpasningsløsninger til havvandsstigninger i en urban kontekst"
WP9_PARTICIPANTS = {"Lemvig", "Mariagerfjord", "Morsø", "Nyborg", "Randers", "Vejle", "Aarhus"}  # the Danish page's WP9 list
GENERATED = datetime(2025, 11, 3, 14, 5, tzinfo=timezone(timedelta(hours=1)))
TARGETS = ["T.9.1", "WP9", "wp5", "T.6.1", "drought", "theme:sea-level-rise", "Havvandsstigninger"]
HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "</style><script>alert(1)</script>",
    "javascript:alert(1)",
]


@pytest.fixture(scope="module")
def client(embedded_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(embedded_path))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def cache(client: TestClient) -> ReadModel:
    return client.app.state.model


@pytest.fixture(scope="module")
def html(cache: ReadModel) -> str:
    return brief.render_brief(cache, "T.9.1", generated_at=GENERATED)


@pytest.fixture(scope="module")
def page(html: str) -> Element:
    return parse(html)


def row_texts(table: Element) -> list[list[str]]:
    return [[" ".join(td.text().split()) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


# -- content ---------------------------------------------------------------------------------
def test_the_brief_names_the_task_and_its_work_package(page: Element, cache: ReadModel) -> None:
    task = entities.get_task(cache, "T.9.1")
    assert T91_TITLE in page.find("h1").text() and "T.9.1" in page.find("h1").text()
    target = page.find("section", id="maal")
    assert task.summary_da in target.text()  # the Danish brief gives the Danish description
    assert task.summary not in target.text()
    assert task.title_en in target.text()
    assert "WP9 Havvandsstigninger" in " ".join(target.text().split())
    wp = page.find("article", cls="work-package", data_code="WP9")
    assert "WP9: Havvandsstigninger" in wp.find("h2").text()
    assert entities.get_work_package(cache, "WP9").summary_da in wp.text()
    tasks = row_texts(wp.find("table", cls="tasks"))
    assert [row[0] for row in tasks] == ["T.9.1", "T.9.2"]
    assert "(målet)" in tasks[0][1]


def test_the_lead_and_the_partners_with_their_roles(page: Element) -> None:
    wp = page.find("article", cls="work-package", data_code="WP9")
    lead_name, _ = LEADS["WP9"]
    assert lead_name == "Region Syddanmark"
    lead = wp.find("tr", data_role="lead")
    assert lead.text().startswith(lead_name) and "leder" in lead.text()
    assert lead_name in wp.find("dd", cls="lead").text()
    for name, _kind, role in PARTNERS["WP9"]:  # Region Midtjylland "assisterer"
        row = wp.find("tr", data_role=role)
        assert name in row.text() and "assisterer" in row.text() and f"({role})" in row.text()
    assert len(wp.find("table", cls="parties").find("tbody").find_all("tr")) == 1 + len(PARTNERS["WP9"])


def test_all_participating_municipalities_are_listed(page: Element, cache: ReadModel) -> None:
    table = page.find("table", cls="participants")
    listed = {tr.attrs["data-name"] for tr in table.find_all("tr") if "data-name" in tr.attrs}
    assert listed == WP9_PARTICIPANTS == set(entities.get_task(cache, "T.9.1").municipalities)
    regions = {row[0]: row[1] for row in row_texts(table)}
    assert regions["Lemvig"] == "Region Midtjylland" and regions["Nyborg"] == "Region Syddanmark"
    wp_list = page.find("article", data_code="WP9").find("p", cls="municipalities").text()
    assert [n.strip() for n in wp_list.split(",")] == ["Lemvig", "Mariagerfjord", "Morsø", "Nyborg", "Randers", "Vejle", "Aarhus"]


def test_themes_of_the_task_and_the_work_package(page: Element, cache: ReadModel) -> None:
    chips = [" ".join(li.text().split()) for li in page.find("ul", cls="themes").find_all("li")]
    names = [span.text() for span in page.find("ul", cls="themes").find_all("span", cls="theme-name")]
    assert names == [t.name for t in entities.get_task(cache, "T.9.1").themes]
    assert "Havvandsstigninger" in chips[0] and "Sea-level rise" in chips[0]
    wp_themes = page.find("article", data_code="WP9").text()
    for theme in entities.get_work_package(cache, "WP9").themes:
        assert theme.name in wp_themes


def test_a_brief_describes_a_bounded_number_of_work_packages(cache: ReadModel, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme at EU scale has hundreds of work packages: the brief describes the first
    DESCRIBED_WORK_PACKAGES and names the others; participants and candidates stay whole."""
    answer = replication_service.replication(cache, "theme:capacity-building")
    assert answer.work_packages == ["WP4", "WP8", "WP11"]
    monkeypatch.setattr(replication_service, "DESCRIBED_WORK_PACKAGES", 1)
    page = parse(brief.render_brief(cache, "theme:capacity-building", generated_at=GENERATED))
    assert [a.attrs["data-code"] for a in page.find_all("article", cls="work-package")] == ["WP4"]
    more = " ".join(page.find("p", cls="more-work-packages").text().split())
    assert more == "Denne brief beskriver de første 1 af målets 3 arbejdspakker; de øvrige er WP8, WP11."
    assert "; og 2 mere: WP8, WP11" in " ".join(page.find("section", id="maal").text().split())
    assert "WP4, WP8, WP11" in page.find("section", id="kandidater").find("p").text()
    listed = {tr.attrs["data-name"] for tr in page.find("table", cls="participants").find_all("tr") if "data-name" in tr.attrs}
    assert listed == set(answer.participants)
    rows = page.find("table", cls="candidates").find("tbody").find_all("tr")
    assert [r.attrs["data-name"] for r in rows] == [c.name for c in answer.candidates[: brief.DEFAULT_LIMIT]]
    monkeypatch.undo()
    whole = parse(brief.render_brief(cache, "theme:capacity-building", generated_at=GENERATED))
    assert [a.attrs["data-code"] for a in whole.find_all("article", cls="work-package")] == ["WP4", "WP8", "WP11"]
    assert not whole.find_all("p", cls="more-work-packages")


@pytest.mark.parametrize("limit", [1, 3, 10, 25])
def test_candidates_in_the_services_order_with_their_reasons(cache: ReadModel, limit: int) -> None:
    page = parse(brief.render_brief(cache, "T.9.1", limit))
    expected = replication_service.replication(cache, "T.9.1", limit).candidates
    rows = page.find("table", cls="candidates").find("tbody").find_all("tr")
    assert [r.attrs["data-name"] for r in rows] == [c.name for c in expected]
    assert [r.attrs["data-rank"] for r in rows] == [str(i) for i in range(1, len(expected) + 1)]
    for row, candidate in zip(rows, expected, strict=True):
        cells = [" ".join(td.text().split()) for td in row.find_all("td")]
        assert cells[1:4] == [candidate.name, candidate.region, f"{candidate.score:g}".replace(".", ",")]
        reasons = row.find_all("li")
        assert [li.attrs["data-kind"] for li in reasons] == [r.kind for r in candidate.reasons]
        for li, reason in zip(reasons, candidate.reasons, strict=True):
            text = " ".join(li.text().split())
            assert reason.detail in text
            assert text.endswith(f"(+{reason.weight:g})".replace(".", ","))
            assert text.startswith(gettext(brief.REASON_LABELS[reason.kind]) + ":")


def test_the_top_candidate_and_its_reasons(page: Element) -> None:
    """Aalborg borders Mariagerfjord and already works with the participants elsewhere (from the seed)."""
    first = page.find("table", cls="candidates").find("tr", data_rank="1")
    assert first.attrs["data-name"] == "Aalborg"
    kinds = [li.attrs["data-kind"] for li in first.find_all("li")]
    assert "neighbour" in kinds and "co-participation" in kinds
    assert "grænser op til Mariagerfjord" in first.text()


def test_the_map_has_every_municipality_and_marks_participants_and_ranks(page: Element, cache: ReadModel) -> None:
    svg = page.find("section", id="kort").find("svg", cls="map")
    shapes = svg.find_all("path", cls="municipality")
    assert len(shapes) == 98
    assert {int(s.attrs["data-code"]) for s in shapes} == {s.code for s in projected_map().shapes}
    result = replication_service.replication(cache, "T.9.1", 100)
    by_name = {s.attrs["data-name"]: s for s in shapes}
    for name in WP9_PARTICIPANTS:
        assert by_name[name].attrs["fill"] == PARTICIPANT
        assert "deltager allerede" in by_name[name].find("title").text()
    labels = {t.text() for t in svg.find_all("text", cls="participant-label")}
    assert labels == WP9_PARTICIPANTS
    best = result.candidates[0]
    assert by_name[best.name].attrs["fill"] not in (PARTICIPANT, "#e3e3e3")
    assert f"replikationsscore {best.score:g}" in by_name[best.name].find("title").text()
    marks = sorted(int(g.attrs["data-rank"]) for g in svg.find_all("g", cls="rank-mark"))
    assert marks == list(range(1, brief.MAP_MARKS + 1))
    legend = svg.find("g", cls="map-legend").text()
    assert "deltager allerede" in legend and "ingen score" in legend
    assert BOUNDARY_CREDIT in svg.text()


def test_the_network_picture_is_inline_svg(page: Element, html: str) -> None:
    section = page.find("section", id="netvaerk")
    svg = section.find("svg", cls="network")
    assert "viewbox" in svg.attrs and "width" not in svg.attrs
    texts = " ".join(t.text() for t in svg.find_all("text"))
    assert "Replikation: T.9.1" in texts and "WP9: Havvandsstigninger" in texts and "Aalborg" in texts
    assert len(svg.find_all("use")) + len(svg.find_all("path")) > 20  # drawn nodes and edges
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html and "<metadata>" not in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids collide"
    assert all(i.startswith("net-") for i in re.findall(r"url\(#([^)]+)\)", html))


def test_provenance_of_every_fact(page: Element) -> None:
    rows = row_texts(page.find("table", cls="provenance"))
    facts = {row[0]: (row[1], row[2]) for row in rows}
    assert facts["Region Syddanmark leder WP9"] == ("LIFE ACT work packages", "WP9")
    assert facts["Region Midtjylland er partner i WP9 (assisterer)"] == ("LIFE ACT work packages", "WP9")
    assert facts["opgave T.9.1: titel, beskrivelse, arbejdspakke"] == ("LIFE ACT work packages", "WP9")
    for name in WP9_PARTICIPANTS:
        assert facts[f"{name} deltager i WP9"] == ("LIFE ACT work packages", "WP9")
    # the candidates' other work packages, which their reasons rest on
    assert facts["Aalborg deltager i WP10 (kandidat nr. 1)"] == ("LIFE ACT work packages", "WP10")
    assert ("Danish municipality reference data", "neighbours") in facts.values()
    assert ("Danish municipality reference data", "municipalities.csv") in facts.values()
    assert any(document.startswith("Geodatastyrelsen og Danske Kommuner") for document, _ in facts.values())
    assert all(document and document != "(ukendt)" for document, _ in facts.values())
    assert "LIFE ACT work packages" in page.find("section", id="kilder").text()


def test_scoring_rules_follow_the_services_weights(page: Element) -> None:
    rules = {tr.attrs["data-kind"]: " ".join(tr.text().split()) for tr in page.find("table", cls="rules").find_all("tr")[1:]}
    assert set(rules) == set(brief.REASON_LABELS)
    weight = {k: f"{v:g}".replace(".", ",") for k, v in replication_service.WEIGHTS.items()}
    assert f"højst {weight['neighbour_cap']}" in rules["neighbour"]
    assert f"{weight['theme']} pr. tema, højst {weight['theme_cap']}" in rules["theme"]
    assert f"{weight['co-participation']} pr. deltager" in rules["co-participation"]
    assert rules["lead-region"].endswith(weight["lead-region"]) and rules["pillar"].endswith(weight["pillar"])


def test_generation_date_credit_and_danish_labels(page: Element, html: str, cache: ReadModel) -> None:
    assert "Dannet 3. november 2025, kl. 14.05" in " ".join(page.find("p", cls="meta").text().split())
    assert cache.store.generation and cache.store.generation in page.find("p", cls="meta").text()
    assert cache.store.generation in page.find("footer").text()
    assert html.count(BOUNDARY_CREDIT) >= 2  # on the map and in the footer, as on the map page
    assert '<html lang="da">' in html
    for heading in ("Kandidater", "Kort", "Netværk", "Sådan beregnes scoren", "Kilder", "Leder og partnere"):
        assert heading in html


def test_the_credit_is_the_map_pages(client: TestClient, html: str) -> None:
    assert BOUNDARY_CREDIT in client.get("/views/map?target=T.9.1").text
    assert BOUNDARY_CREDIT.startswith("Kommunegrænser: Geodatastyrelsen og Danske Kommuner, FOT-datasæt (DAGI), 2014-02-13")


# -- self-contained and printable -----------------------------------------------------------
@pytest.mark.parametrize("target", TARGETS)
def test_self_contained_no_reference_leaves_the_file(cache: ReadModel, target: str) -> None:
    html = brief.render_brief(cache, target)
    assert "http://" not in html and "https://" not in html and "//" not in html, "a URL in the brief"
    assert not re.search(r"\s(src|srcset|action|poster|data)\s*=", html, re.I)
    assert not re.search(r'\shref\s*=\s*"(?!#)', html), "only in-page links"
    assert not re.search(r"url\((?!#)", html) and "@import" not in html
    assert "<script" not in html.lower() and "<link" not in html.lower() and "<iframe" not in html.lower()
    assert "/static" not in html and "/views/" not in html
    assert html.count('class="municipality"') == 98


def test_print_stylesheet(html: str) -> None:
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", style)
    printed = style[style.index("@media print") :]
    assert "nav.toc" in printed and "display: none" in printed
    assert "break-before: page" in printed and "break-inside: avoid" in printed
    assert "print-color-adjust: exact" in printed  # the map's colours survive printing
    assert "thead { display: table-header-group; }" in printed
    page = parse(html)
    assert {s.attrs["id"] for s in page.find_all("section", cls="new-page")} == {"kandidater", "kort", "netvaerk", "kilder"}


# -- targets and bad input -------------------------------------------------------------------
@pytest.mark.parametrize("target", TARGETS)
def test_every_kind_of_target(cache: ReadModel, target: str) -> None:
    result = replication_service.replication(cache, target, 10)
    page = parse(brief.render_brief(cache, target))
    assert page.find("body").attrs["data-target"] == result.target.id
    assert [a.attrs["data-code"] for a in page.find_all("article", cls="work-package")] == result.work_packages
    rows = page.find("table", cls="candidates").find("tbody").find_all("tr", data_rank="1")
    assert [r.attrs["data-name"] for r in rows] == [c.name for c in result.candidates[:1]]
    listed = {tr.attrs["data-name"] for tr in page.find("table", cls="participants").find_all("tr") if "data-name" in tr.attrs}
    assert listed == set(result.participants)


def test_a_theme_brief_names_the_theme(cache: ReadModel) -> None:
    page = parse(brief.render_brief(cache, "drought"))
    assert "Hvor kan temaet Tørke spredes?" in " ".join(page.find("h1").text().split())
    facts = [row[0] for row in row_texts(page.find("table", cls="provenance"))]
    assert "temaet Tørke" in facts and any(f.endswith("handler om Tørke") for f in facts)


def test_a_work_package_brief_gives_inferred_facts_their_own_provenance(cache: ReadModel) -> None:
    """WP5's pillar is our reading of its section; its theme tags are too; the rest is stated."""
    page = parse(brief.render_brief(cache, "WP5"))
    rows = row_texts(page.find("table", cls="provenance"))
    facts = {row[0]: (row[1], row[2]) for row in rows}
    assert facts["WP5: titel, resumé, kategori, opgaver"] == ("LIFE ACT work packages", "WP5")
    assert facts["WP5: søjler"] == ("our reading of LIFE ACT work packages", "WP5")
    assert facts["T.5.2 handler om Bæredygtigt landbrug"] == ("our reading of LIFE ACT work packages", "WP5")
    documents = page.find("section", id="kilder").text()
    assert "LIFE ACT work packages" in documents and "our reading of" not in documents.split("Dokumenter:")[-1]


def test_a_provenance_of_several_claims_gets_a_row_each() -> None:
    rows = brief.source_rows("DK2020", "DK2020 and Klimaalliancen, DK2020 fact sheet; DK2020 and Klimaalliancen, timeline")
    assert [(r["document"], r["section"]) for r in rows] == [
        ("DK2020 and Klimaalliancen", "DK2020 fact sheet"),
        ("DK2020 and Klimaalliancen", "timeline"),
    ]
    general = brief.source_rows("x", "general knowledge, not in the source documents")
    assert [(r["document"], r["section"]) for r in general] == [("general knowledge, not in the source documents", "")]


@pytest.mark.parametrize(("target", "error"), [("Atlantis", NotFound), ("", InvalidParameter), ("x" * 300, InvalidParameter)])
def test_unknown_targets_raise_the_services_errors(cache: ReadModel, target: str, error: type[ServiceError]) -> None:
    with pytest.raises(error) as caught:
        brief.render_brief(cache, target)
    assert type(caught.value) is error and caught.value.expected


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_limit_out_of_range(cache: ReadModel, limit: int) -> None:
    with pytest.raises(InvalidParameter, match="limit"):
        brief.render_brief(cache, "T.9.1", limit)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_everything_is_escaped(cache: ReadModel, hostile: str) -> None:
    """Facts come from the seed, but the page must hold whatever a fact says as text."""
    context = brief.brief_context(cache, "T.9.1", generated_at=GENERATED)
    context["subject"] = {**context["subject"], "summary": hostile, "title": hostile, "heading": hostile}
    context["candidates"][0] = {**context["candidates"][0], "name": hostile, "region": hostile}
    context["candidates"][0]["reasons"] = [{**context["candidates"][0]["reasons"][0], "detail": hostile}]
    context["provenance"] = [{"fact": hostile, "document": hostile, "section": hostile}]
    context["work_packages"][0] = {**context["work_packages"][0], "summary": hostile, "participants": [{"name": hostile}]}
    html = brief.ENVIRONMENT.get_template("brief.html").render(**context)
    if "<" in hostile or '"' in hostile:
        assert hostile not in html
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html
    page = parse(html)
    assert hostile in page.find("h1").text() and hostile in page.find("table", cls="candidates").text()


def test_the_map_escapes_names(monkeypatch: pytest.MonkeyPatch, cache: ReadModel) -> None:
    from app.views import pages

    real = pages.map_context

    def hostile_context(cache: ReadModel, target: str | None, base: str = "") -> dict:
        context = real(cache, target, base)
        context["shapes"] = [{**s, "name": HOSTILE[0], "title": HOSTILE[1]} for s in context["shapes"]]
        context["legend"] = [(c, HOSTILE[2]) for c, _ in context["legend"]]
        return context

    monkeypatch.setattr(pages, "map_context", hostile_context)
    svg = str(brief.replication_map(cache, "T.9.1").svg)
    assert "<script" not in svg and "<img" not in svg and 'onerror=alert(1)">' not in svg
    assert svg.count('class="municipality"') == 98


def test_standalone_map_svg_is_an_svg_document(cache: ReadModel) -> None:
    import xml.etree.ElementTree as ET

    figure = brief.replication_map(cache, "WP9")
    root = ET.fromstring(figure.standalone_svg())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) == 98
    assert figure.title.startswith("Kort: hvor kan WP9")


def test_label_points_fall_inside_their_municipality() -> None:
    """The rank marks sit on their municipality: the centroid of its largest ring lies in its bounding box."""
    for shape in projected_map().shapes:
        x, y = brief._label_point(shape.path)
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys), shape.name


def test_split_source() -> None:
    assert brief.split_source("LIFE ACT work packages, WP9") == ("LIFE ACT work packages", "WP9")
    assert brief.split_source("Danish municipality reference data, municipalities.csv") == (
        "Danish municipality reference data",
        "municipalities.csv",
    )
    assert brief.split_source("controlled vocabulary (seed/themes.yaml)") == ("controlled vocabulary (seed/themes.yaml)", "")
    assert brief.split_source("") == ("(ukendt)", "")


# -- the route -------------------------------------------------------------------------------
def test_route_serves_the_brief(client: TestClient) -> None:
    response = client.get("/views/brief", params={"target": "T.9.1"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors" in response.headers["content-security-policy"]
    assert "content-disposition" not in response.headers
    page = parse(response.text)
    assert T91_TITLE in page.find("h1").text()
    assert len(page.find("table", cls="candidates").find("tbody").find_all("tr")) == 10
    assert "https://" not in response.text and "http://" not in response.text


def test_route_download_is_an_attachment(client: TestClient) -> None:
    response = client.get("/views/brief", params={"target": "T.9.1", "download": "1", "limit": "3"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="lifeact-brief-t.9.1.html"'
    assert len(parse(response.text).find("table", cls="candidates").find("tbody").find_all("tr")) == 3


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ({"target": "Atlantis"}, 404, "no work package, task, theme or solution called"),
        ({"target": "T.99.9"}, 404, "no work package, task, theme or solution called"),
        ({}, 422, "target is missing"),
        ({"target": "  "}, 422, "target is missing"),
        ({"target": "T.9.1", "limit": "0"}, 422, "limit=0 is out of range"),
        ({"target": "T.9.1", "limit": "ti"}, 422, "is not a whole number"),
        ({"target": "T.9.1", "download": "måske"}, 422, "is not understood"),
        ({"target": "x" * 201}, 422, ""),
    ],
)
def test_route_errors_are_html_pages(client: TestClient, query: dict[str, str], status: int, words: str) -> None:
    response = client.get("/views/brief", params={**query, "lang": "en"})  # the words are the English ones
    assert response.status_code == status
    if status == 422 and not words:  # FastAPI's own validation (max_length) answers as the API does
        return
    assert response.headers["content-type"].startswith("text/html")
    assert words in response.text
    assert f'data-status="{status}"' in response.text


def test_route_suggestions_link_to_briefs(client: TestClient) -> None:
    response = client.get("/views/brief", params={"target": "T.9.9"})
    assert response.status_code == 404
    suggestions = re.search(r'<ul class="suggestions">(.*?)</ul>', response.text, re.S)
    assert suggestions, "no suggestions on the page"
    links = re.findall(r'<a href="(/views/brief\?[^"]+)"', suggestions.group(1))
    assert links and all("target=" in link for link in links)
    followed = client.get(links[0].replace("&amp;", "&"))
    assert followed.status_code == 200


@pytest.mark.parametrize("hostile", HOSTILE)
def test_route_escapes_the_target(client: TestClient, hostile: str) -> None:
    response = client.get("/views/brief", params={"target": hostile})
    assert response.status_code in (404, 422)
    if "<" in hostile or '"' in hostile:
        assert hostile not in response.text
    assert "<script>alert" not in response.text and 'href="javascript' not in response.text


def test_the_route_is_above_the_catch_all(client: TestClient) -> None:
    assert client.get("/views/brief?target=WP9").status_code == 200
    assert client.get("/views/briefs").status_code == 404


# -- the command -----------------------------------------------------------------------------
def lifeact(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {"LIFEACT_EMBEDDED_PATH": str(store), "LIFEACT_SEED_PATH": str(SEED_DIR), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_command_writes_refuses_to_overwrite_and_forces(embedded_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "briefs" / "nested" / "brief.html"
    written = lifeact("brief", "--target", "T.9.1", "--output", str(output), store=embedded_path)
    assert written.returncode == 0, written.stderr
    assert str(output) in written.stdout
    text = output.read_text(encoding="utf-8")
    assert T91_TITLE in text and text.count('class="municipality"') == 98 and "https://" not in text

    output.write_text("kept", encoding="utf-8")
    refused = lifeact("brief", "--target", "T.9.1", "--output", str(output), store=embedded_path)
    assert refused.returncode == 5
    assert "findes allerede" in refused.stderr and "--force" in refused.stderr  # Danish, the default
    assert output.read_text(encoding="utf-8") == "kept"

    forced = lifeact("brief", "--target", "WP9", "--output", str(output), "--force", "--limit", "3", store=embedded_path)
    assert forced.returncode == 0, forced.stderr
    page = parse(output.read_text(encoding="utf-8"))
    assert page.find("body").attrs["data-target"] == "workpackage:WP9"
    assert len(page.find("table", cls="candidates").find("tbody").find_all("tr")) == 3
    assert [p.name for p in output.parent.iterdir()] == ["brief.html"], "no temporary file left behind"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--target", "T.99.1"],
            ["no work package, task, theme or solution called 'T.99.1'", "did you mean", "T.9.1", "Nothing was written"],
        ),
        (["--target", "Atlantis"], ["no work package, task, theme or solution called 'Atlantis'"]),
        (["--target", "T.9.1", "--limit", "0"], ["--limit 0 is out of range"]),
    ],
)
def test_command_errors_exit_2_and_write_nothing(embedded_path: Path, tmp_path: Path, args: list[str], words: list[str]) -> None:
    output = tmp_path / "out" / "brief.html"
    result = lifeact("brief", *args, "--lang", "en", "--output", str(output), store=embedded_path)
    assert result.returncode == 2
    for word in words:
        assert word in result.stderr
    assert not output.exists() and not output.parent.exists()


def test_command_help_and_folder_output(embedded_path: Path, tmp_path: Path) -> None:
    helped = lifeact("brief", "--help", store=embedded_path)
    assert helped.returncode == 0 and "--target" in helped.stdout and "--force" in helped.stdout
    folder = lifeact("brief", "--target", "T.9.1", "--output", str(tmp_path), store=embedded_path)
    assert folder.returncode == 2 and "er en mappe" in folder.stderr
