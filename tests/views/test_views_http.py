"""The views over HTTP (no browser): status codes, permalinks, assets served by the app with long
cache headers, self-contained downloads, CSP frame-ancestors from the setting, HTML error pages,
escaping of every parameter, SVG/PNG, the map's boundary data, and rendering without HTTP."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.benchmark.views import synthetic_neighbourhood
from app.i18n import use_language
from app.main import create_app
from app.services import replication
from app.views.boundaries import BOUNDARY_CREDIT, BOUNDARY_FILE, projected_map
from app.views.graphs import BROWSER_LAYOUT_LIMIT, neighbourhood_graph, replication_graph
from app.views.render import render_neighbourhood_html
from tests.conftest import SEED_DIR, embedded_settings

FRAMERS = "'self' https://rapporter.example.dk"
VIEWS = [
    "/views/graph?center=LIFE+ACT&depth=3",
    "/views/graph?center=Kobenhavn&depth=1",
    "/views/graph?center=T.9.1&depth=2",
    "/views/graph?center=Sams%C3%B8&depth=2&expand=Klimaalliancen",
    "/views/overlap?a=Aalborg&b=Sams%C3%B8",
    "/views/overlap?a=Aalborg&b=Aalborg",
    "/views/replication?target=WP9",
    "/views/replication?target=T.9.1&limit=3",
    "/views/replication?target=drought",
    "/views/work-packages/WP9",
    "/views/work-packages/wp3",
    "/views/map",
    "/views/map?target=sea-level-rise",
    "/",
    "/?q=Aalborg",
]
GRAPH_VIEWS = [v for v in VIEWS if v.startswith("/views/") and "/map" not in v]
HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
]


@pytest.fixture(scope="module")
def views(embedded_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_settings(embedded_path, frame_ancestors=FRAMERS))) as client:
        yield client


def graph_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert match, "no graph data in the page"
    return json.loads(match.group(1))


def linked_assets(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("path", VIEWS)
def test_view_answers_html_with_csp_from_the_setting(views: TestClient, path: str) -> None:
    response = views.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert f"frame-ancestors {FRAMERS}" in csp
    assert "default-src 'self'" in csp
    assert "x-frame-options" not in response.headers  # framing is governed by the CSP alone


@pytest.mark.parametrize("path", VIEWS)
def test_every_script_and_style_comes_from_the_app_with_long_caching(views: TestClient, path: str) -> None:
    html = views.get(path).text
    assets = linked_assets(html)
    assert all(url.startswith("/static/") and "?v=" in url for url in assets), assets
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.split("<footer")[0].replace('href="http://www.w3.org', ""))
    for url in assets:
        asset = views.get(url)
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert b"cdn" not in asset.content[:2000].lower()


@pytest.mark.parametrize("path", GRAPH_VIEWS)
def test_graph_views_carry_nodes_edges_and_a_legend(views: TestClient, path: str) -> None:
    html = views.get(path).text
    data = graph_data(html)
    assert data["nodes"] and data["edges"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert all(n["facts"] and n["shape"] and n["color"] and n["size"] >= 10 for n in data["nodes"])
    assert data["center"] in ids
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    assert data["options"]["layout"]["improvedLayout"] is False
    assert "Signaturforklaring" in html and 'data-role="download"' in html and 'data-role="permalink"' in html
    for kind in data["kinds"].values():
        assert kind["label"] in html


def test_whole_project_is_one_view(views: TestClient, seed_graph) -> None:
    data = graph_data(views.get("/views/graph?center=LIFE+ACT&depth=3").text)
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {
        "Region",
        "Municipality",
        "Programme",
        "Organisation",
        "WorkPackage",
        "Task",
        "Theme",
        "Solution",
        "Resource",
    }
    assert sum(n["kind"] == "Municipality" for n in data["nodes"]) == 98
    names = {n["name"] for n in data["nodes"]}
    assert {"Høje-Taastrup", "Ærø", "Aabenraa", "København"} <= names  # Danish names as they are


def test_a_hub_is_one_group_node_that_unfolds(views: TestClient) -> None:
    html = views.get("/views/graph", params={"center": "Samsø", "depth": 2}).text
    data = graph_data(html)
    groups = {n["expand"]: n for n in data["nodes"] if n["kind"] == "Group"}
    assert set(groups) == {"klimaalliancen", "Region Midtjylland"}
    members = groups["klimaalliancen"]
    assert members["label"] == "98 kommuner" and ["antal", "98"] in members["facts"]
    assert members["name"] == "98 kommuner: medlem af Klimaalliancen"
    assert [e for e in data["edges"] if members["id"] in (e["from"], e["to"])] == [
        {"from": members["id"], "to": "programme:klimaalliancen", "type": "MEMBER_OF"}
    ]
    assert data["centerRef"] == "Samsø" and data["expand"] == []
    assert sum(n["kind"] == "Municipality" for n in data["nodes"]) < 98 and len(data["nodes"]) <= 70
    assert data["kinds"]["Group"]["label"] == "Samlet gruppe" and "klik for at folde ud" in html
    assert "samlet i 2 grupper (98 kommuner, 19 kommuner)" in html  # the caption
    # the parameter a click adds: every municipality, no group, and the permalink, SVG and PNG keep it
    html = views.get("/views/graph", params={"center": "Samsø", "depth": 2, "expand": "klimaalliancen"}).text
    data = graph_data(html)
    assert sum(n["kind"] == "Municipality" for n in data["nodes"]) == 98
    assert "klimaalliancen" not in {n.get("expand") for n in data["nodes"]} and data["expand"] == ["Klimaalliancen"]
    for link in ("/views/graph?", "/views/graph.svg?", "/views/graph.png?"):
        assert f'href="{link}center=Sams%C3%B8&amp;depth=2&amp;expand=Klimaalliancen' in html
    assert '<input type="hidden" name="expand" value="Klimaalliancen">' in html
    svg = views.get("/views/graph.svg", params={"center": "Samsø", "depth": 2}).text
    assert "98 kommuner" in svg
    wrong = views.get("/views/graph", params={"center": "Samsø", "depth": 2, "expand": "Klimaalliancen,Region Midtjyland"})
    assert wrong.status_code == 404
    assert 'href="/views/graph?center=Sams%C3%B8&amp;depth=2&amp;expand=Klimaalliancen%2CRegion+Midtjylland"' in wrong.text


def test_node_facts_say_where_they_come_from(views: TestClient) -> None:
    data = graph_data(views.get("/views/work-packages/WP9").text)
    wp = next(n for n in data["nodes"] if n["id"] == "workpackage:WP9")
    assert wp["source"].startswith("LIFE ACT work packages")
    assert ["type", "Arbejdspakke"] in wp["facts"]
    assert wp["ref"] == "WP9"
    themes = {n["name"] for n in data["nodes"] if n["kind"] == "Theme"}
    assert "Havvandsstigninger" in themes
    partner_edges = [e for e in data["edges"] if e["type"] == "PARTNER_IN"]
    assert [(e["from"], e["note"]) for e in partner_edges] == [("region:midtjylland", "assisterer")]
    assert data["edgeStyles"]["PARTNER_IN"]["label"] == "partner i"


def test_tooltips_give_each_property_its_own_provenance(views: TestClient) -> None:
    """A property whose provenance differs from the node's (an inferred pillar, a fact from general
    knowledge) gets its own line, which the page's script shows under "Kilde"."""
    data = graph_data(views.get("/views/graph?center=LIFE+ACT&depth=2").text)
    by_id = {n["id"]: n for n in data["nodes"]}
    wp5 = by_id["workpackage:WP5"]
    assert wp5["source"] == "LIFE ACT work packages, WP5"
    assert wp5["sources"] == [["søjler", "our reading of LIFE ACT work packages, WP5"]]
    assert by_id["workpackage:WP9"]["sources"] == []
    dk2020 = dict(by_id["programme:dk2020"]["sources"])
    assert dk2020["start"] == dk2020["runder"] == "DK2020 and Klimaalliancen, timeline"
    assert dk2020["beskrivelse"].startswith("DK2020 and Klimaalliancen, DK2020 fact sheet; ")
    assert "beskrivelse (engelsk)" not in dk2020  # one description, in the page's language, as in the facts
    assert not any(fact[0] == "property sources" for n in data["nodes"] for fact in n["facts"])  # not as raw JSON
    assert data["text"]["sourceFor"] == "Kilde for {name}"  # the script's words come with the data
    script = views.get("/static/views/graph.js").text
    assert 'say("sourceFor", { name: pair[0] })' in script


def test_overlap_view_shows_both_and_what_they_share(views: TestClient, embedded_client: TestClient) -> None:
    overlap = embedded_client.get("/api/overlap", params={"a": "Aalborg", "b": "Samsø"}).json()
    data = graph_data(views.get("/views/overlap?a=Aalborg&b=Sams%C3%B8").text)
    codes = {n["ref"] for n in data["nodes"] if n["kind"] == "WorkPackage"}
    assert codes == set(overlap["shared_work_packages"] + overlap["only_a"] + overlap["only_b"])
    themes = {n["ref"] for n in data["nodes"] if n["kind"] == "Theme"}
    assert themes == {t["slug"] for t in overlap["shared_themes"]}


def test_replication_view_shows_candidates_with_scores(views: TestClient, embedded_client: TestClient) -> None:
    ranking = embedded_client.get("/api/replication", params={"target": "WP9", "limit": 5}).json()
    data = graph_data(views.get("/views/replication?target=WP9&limit=5").text)
    candidates = [e for e in data["edges"] if e["type"] == "CANDIDATE_FOR"]
    assert len(candidates) == 5
    names = {n["id"]: n for n in data["nodes"]}
    top = ranking["candidates"][0]
    node = next(n for n in names.values() if n["name"] == top["name"])
    assert ["replikationsscore", f"{top['score']:g} (nr. 1)"] in node["facts"]
    participants = {n["name"] for n in data["nodes"] if ["replikation", "deltager allerede"] in n["facts"]}
    assert participants == set(ranking["participants"])


def test_replication_view_draws_a_bounded_number_of_work_packages(
    embedded_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A theme at EU scale has hundreds of work packages and thousands of participants: the view
    draws the first DESCRIBED_WORK_PACKAGES with their participants, and one group for the rest."""
    model = embedded_client.app.state.model
    ranking = embedded_client.get("/api/replication", params={"target": "theme:capacity-building", "limit": 5}).json()
    assert ranking["work_packages"] == ["WP4", "WP8", "WP11"]
    wp4 = set(embedded_client.get("/api/work-packages/WP4").json()["municipalities"])
    monkeypatch.setattr(replication, "DESCRIBED_WORK_PACKAGES", 1)
    with use_language("en"):
        graph = replication_graph(model, "theme:capacity-building", 5)
    assert {n["ref"] for n in graph.nodes if n["kind"] == "WorkPackage"} == {"WP4"}
    assert {n["name"] for n in graph.nodes if ["replication", "already takes part"] in n["facts"]} == wp4
    (group,) = [n for n in graph.nodes if n["kind"] == "Group"]
    assert group["name"] == "2 more work packages" and group["ref"] == "capacity-building"
    assert ["work packages", "WP8, WP11"] in group["facts"]
    assert ["participants not drawn", str(len(ranking["participants"]) - len(wp4))] in group["facts"]
    assert {"from": group["id"], "to": "theme:capacity-building", "type": "ADDRESSES"} in graph.edges
    assert f"the {len(wp4)} participants in WP4, the first 1 of its 3 work packages" in graph.caption
    assert len([e for e in graph.edges if e["type"] == "CANDIDATE_FOR"]) == 5
    monkeypatch.undo()
    whole = replication_graph(model, "theme:capacity-building", 5)
    assert {n["ref"] for n in whole.nodes if n["kind"] == "WorkPackage"} == {"WP4", "WP8", "WP11"}
    assert not [n for n in whole.nodes if n["kind"] == "Group"]


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/views/graph?center=Aalbrog", 404, "Aalborg"),
        ("/views/graph?center=Aalborg&depth=7", 422, "depth from 1 to 3"),
        ("/views/graph?center=Aalborg&depth=two", 422, "depth from 1 to 3"),
        ("/views/graph?depth=1", 422, "center"),
        ("/views/graph.svg?center=Aalborg&depth=0", 422, "depth from 1 to 3"),
        ("/views/graph.png?center=Nowhere+at+all", 404, "no node called"),
        ("/views/overlap?a=Aalborg&b=Samsoe2", 404, "Samsø"),
        ("/views/overlap?a=Aalborg", 422, "b="),
        ("/views/overlap?a=Aalborg&b=Region+Nordjylland", 404, "municipality"),
        ("/views/replication?target=WP99", 404, "WP9"),
        ("/views/replication?target=WP9&limit=0", 422, "limit from 1 to 100"),
        ("/views/work-packages/WP12", 404, "work package"),
        ("/views/map?target=nothing-like-it", 404, "work package, task, theme or solution"),
        ("/views/graph?center=Aalborg&download=maybe", 422, "download=1"),
        ("/views/no-such-view", 404, "no view called"),
    ],
)
def test_errors_are_friendly_html_pages(views: TestClient, path: str, status: int, text: str) -> None:
    response = views.get(path, headers={"Accept-Language": "en"})  # the words above are the English ones
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert text in response.text
    assert 'href="/"' in response.text  # a way back


def test_404_suggestions_link_to_the_same_view(views: TestClient) -> None:
    html = views.get("/views/overlap?a=Aalborg&b=Samsoe2").text
    assert 'href="/views/overlap?a=Aalborg&amp;b=Sams%C3%B8"' in html
    html = views.get("/views/work-packages/WP99").text
    assert 'href="/views/work-packages/WP9"' in html


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "template",
    [
        "/views/graph?center={}",
        "/views/graph?center=Aalborg&depth={}",
        "/views/graph?center=Aalborg&download={}",
        "/views/graph?center=Aalborg&depth=2&expand={}",
        "/views/graph.svg?center=Aalborg&expand={}",
        "/views/overlap?a=Aalborg&b={}",
        "/views/replication?target={}",
        "/views/replication?target=WP9&limit={}",
        "/views/work-packages/{}",
        "/views/map?target={}",
        "/views/{}",
        "/?q={}",
    ],
)
def test_no_parameter_is_reflected_unescaped(views: TestClient, template: str, value: str) -> None:
    response = views.get(template.format(quote(value, safe="")))
    assert response.status_code in (200, 404, 422)
    body = response.text
    for dangerous in ("<script>alert", "<img src=x", "' onmouseover='", '"><img'):  # markup, not text
        assert dangerous not in body
    assert 'href="javascript:' not in body


def test_a_name_in_a_permalink_is_escaped_in_attributes_and_script_data(views: TestClient) -> None:
    html = views.get("/views/graph", params={"center": "Samsø", "depth": 2}).text
    assert 'href="/views/graph?center=Sams%C3%B8&amp;depth=2"' in html
    assert 'href="/views/graph?center=Sams%C3%B8&amp;depth=2&amp;download=1"' in html
    script_data = html.split('id="graph-data">')[1].split("</script>")[0]
    assert "<" not in script_data and ">" not in script_data  # JSON with \\u003c: cannot close the script


@pytest.mark.parametrize(
    "path",
    ["/views/graph?center=Sams%C3%B8&depth=2&download=1", "/views/replication?target=WP9&download=1", "/views/map?download=1"],
)
def test_download_is_one_self_contained_file(views: TestClient, path: str) -> None:
    response = views.get(path)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and re.search(r'filename="lifeact-[a-z0-9-]+\.html"', disposition)
    html = response.text
    assert linked_assets(html) == []  # nothing to fetch: every script and style is in the file
    assert "<style>" in html
    if "/views/map" not in path:
        assert "vis-network" in html and "window.lifeact" in html
        assert len(html) > 400_000
        data = graph_data(html)
        assert data["recenter"].startswith("http://testserver/views/graph")  # links lead back to the server
    else:
        assert BOUNDARY_CREDIT in html


def test_served_pages_do_not_inline_vis_network(views: TestClient) -> None:
    html = views.get("/views/graph?center=LIFE+ACT&depth=1").text
    assert len(html) < 100_000
    assert "/static/vendor/vis-network-9.1.2/vis-network.min.js?v=" in html


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_static_images_for_reports(views: TestClient, fmt: str) -> None:
    response = views.get(f"/views/graph.{fmt}", params={"center": "WP9", "depth": 1})
    assert response.status_code == 200
    assert response.headers["content-type"] == ("image/svg+xml" if fmt == "svg" else "image/png")
    if fmt == "png":
        assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(response.content[16:20], "big"), int.from_bytes(response.content[20:24], "big")
        assert width >= 1200 and height >= 900
    else:
        root = ET.fromstring(response.content)
        assert root.tag.endswith("svg")
        text = response.text
        assert "WP9: Havvandsstigninger" in text  # the title
        assert "Signaturforklaring" in text and "Arbejdspakke" in text and "Kommune" in text  # the legend
        assert "Kilde: LIFE ACT Knowledge Explorer" in text  # the caption
        assert not re.search(r'href="(https?:)?//', text)  # nothing to fetch (the http:// left are XML namespaces)


def test_map_has_every_municipality_linked_to_the_graph(views: TestClient) -> None:
    html = views.get("/views/map").text
    codes = re.findall(r'data-code="(\d+)"', html)
    assert len(codes) == len(set(codes)) == 98
    assert 'href="/views/graph?center=H%C3%B8je-Taastrup&amp;depth=1"' in html
    assert BOUNDARY_CREDIT in html


def test_map_colours_participants_and_candidates(views: TestClient, embedded_client: TestClient) -> None:
    ranking = embedded_client.get("/api/replication", params={"target": "WP9", "limit": 100}).json()
    html = views.get("/views/map?target=WP9").text
    by_name = {name: fill for fill, name in re.findall(r'fill="(#[0-9a-f]{6})" data-code="\d+" data-name="([^"]+)"', html)}
    participants = {by_name[name] for name in ranking["participants"]}
    assert len(participants) == 1  # one colour for everyone already taking part
    best, worst = ranking["candidates"][0]["name"], ranking["candidates"][-1]["name"]
    assert by_name[best] != by_name[worst]
    assert participants.isdisjoint({by_name[best], by_name[worst]})


def test_boundary_copy_keeps_every_municipality() -> None:
    with (SEED_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        seed_codes = {int(row["code"]) for row in csv.DictReader(handle)}
    data = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    assert {int(f["properties"]["KOMKODE"]) for f in data["features"]} == seed_codes
    assert "Geodatastyrelsen og Danske Kommuner" in data["attribution"]
    assert {s.code for s in projected_map().shapes} == seed_codes


def test_home_has_search_and_entry_points(views: TestClient) -> None:
    html = views.get("/").text
    assert 'id="q"' in html and 'action="/"' in html
    for link in ('href="/views/map"', 'href="/views/work-packages/WP9"', "/views/overlap?a=", "/views/replication?target=WP9"):
        assert link in html
    html = views.get("/?q=Kobenhavn").text
    assert 'href="/views/graph?center=K%C3%B8benhavn&amp;depth=1"' in html


def test_render_without_http_and_large_graphs_get_positions() -> None:
    small = render_neighbourhood_html(synthetic_neighbourhood(50))
    assert graph_data(small)["options"]["physics"]["enabled"] is True
    big_hood = synthetic_neighbourhood(BROWSER_LAYOUT_LIMIT + 500)
    big = graph_data(render_neighbourhood_html(big_hood))
    assert len(big["nodes"]) == BROWSER_LAYOUT_LIMIT + 500
    assert big["options"]["physics"] == {"enabled": False}
    assert all("x" in n and "y" in n for n in big["nodes"])
    assert len({(n["x"], n["y"]) for n in big["nodes"]}) == len(big["nodes"])  # nobody on top of anybody
    graph = neighbourhood_graph(big_hood)
    assert graph.positioned and graph.nodes[0]["x"] == 0.0
