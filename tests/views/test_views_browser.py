"""Every view in Debian's chromium: a drawn network, no request leaving the machine, no script
error; the downloaded file renders from disk with the network cut; the views embed in a report;
and the path a new user takes, from the home page to an offline copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.views.chromium import VIEW_READY as READY
from tests.conftest import embedded_settings
from tests.views.browser import PageLog, report_site, serve, watch

pytestmark = pytest.mark.browser

NETWORK_VIEWS = [
    "/views/graph?center=LIFE+ACT&depth=3",
    "/views/graph?center=Sams%C3%B8&depth=1",
    "/views/graph?center=drought&depth=2",
    "/views/overlap?a=Aalborg&b=Sams%C3%B8",
    "/views/replication?target=WP9",
    "/views/replication?target=sea-level-rise&limit=25",
    "/views/work-packages/WP9",
    "/views/work-packages/WP1",
]
MAP_VIEWS = ["/views/map", "/views/map?target=WP9"]


REPORT_PAGES: dict[str, str] = {}  # what the stand-in report sites serve, filled in by the tests


@pytest.fixture(scope="module")
def report_origins() -> Iterator[tuple[str, str]]:
    """Two report sites on their own loopback origins: the setting lets the first frame the views."""
    with report_site(REPORT_PAGES) as allowed, report_site(REPORT_PAGES) as other:
        yield allowed, other


@pytest.fixture(scope="module")
def origin(embedded_path: Path, report_origins: tuple[str, str]) -> Iterator[str]:
    settings = embedded_settings(embedded_path, frame_ancestors=f"'self' {report_origins[0]}")
    with serve(settings) as url:
        yield url


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="da-DK")
    yield ctx
    ctx.close()


def open_page(context: Any, *origins: str) -> tuple[Any, PageLog]:
    page = context.new_page()
    log = PageLog()
    watch(page, log, *origins)
    return page, log


def network_state(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const state = window.lifeact;
            const positions = state.network.getPositions();
            const canvas = document.querySelector('#network canvas');
            return {
                nodes: state.nodes.length,
                shown: state.network.body.data.nodes.length,
                edges: state.edges.length,
                positioned: Object.keys(positions).length,
                expected: JSON.parse(document.getElementById('graph-data').textContent).nodes.length,
                canvas: canvas ? [canvas.width, canvas.height] : null,
                layoutMs: state.layoutMs,
            };
        }"""
    )


def assert_drawn(page: Any) -> dict[str, Any]:
    page.wait_for_function(READY, timeout=20_000)
    state = network_state(page)
    assert state["nodes"] > 0 and state["nodes"] == state["expected"] == state["shown"], state
    assert state["positioned"] == state["nodes"], state
    assert state["canvas"] and state["canvas"][0] > 100 and state["canvas"][1] > 100, state
    return state


def assert_clean(log: PageLog, origin: str) -> None:
    assert log.requests, "the page made no request at all"
    assert log.foreign(origin) == [], f"requests left the machine: {log.foreign(origin)}"
    assert log.errors == [], log.errors


@pytest.mark.parametrize("path", NETWORK_VIEWS)
def test_network_view_draws_locally_without_errors(context: Any, origin: str, path: str) -> None:
    page, log = open_page(context, origin)
    response = page.goto(origin + path)
    assert response.status == 200
    assert_drawn(page)
    assert_clean(log, origin)
    assert any("/static/vendor/vis-network" in url for url in log.requests)  # served by the app, not in-lined


@pytest.mark.parametrize("path", MAP_VIEWS)
def test_map_draws_every_municipality(context: Any, origin: str, path: str) -> None:
    page, log = open_page(context, origin)
    assert page.goto(origin + path).status == 200
    shapes = page.eval_on_selector_all(
        "svg#map path.municipality",
        "paths => paths.map(p => [p.dataset.code, p.getBBox().width > 0, p.closest('a').getAttribute('href')])",
    )
    assert len({code for code, _, _ in shapes}) == 98
    assert all(drawn for _, drawn, _ in shapes)
    assert all(href.startswith("/views/graph?center=") for _, _, href in shapes)
    assert "Geodatastyrelsen og Danske Kommuner" in page.inner_text("footer")
    assert_clean(log, origin)


def test_map_links_into_the_graph(context: Any, origin: str) -> None:
    page, log = open_page(context, origin)
    page.goto(origin + "/views/map")
    page.click("svg#map path.municipality[data-code='657']")  # Herning: inland, so its middle is land
    page.wait_for_url("**/views/graph?center=Herning*")
    assert_drawn(page)
    assert page.evaluate("window.lifeact.nodes.get('municipality:657').name") == "Herning"
    assert_clean(log, origin)


def test_click_search_filter_and_highlight(context: Any, origin: str) -> None:
    page, log = open_page(context, origin)
    page.goto(origin + "/views/graph?center=WP9&depth=1")
    assert_drawn(page)
    partner = page.evaluate("window.lifeact.edges.get({filter: e => e.type === 'PARTNER_IN'}).map(e => [e.title, e.arrows])")
    assert partner == [["Region Midtjylland partner i WP9: Havvandsstigninger", "to"]]
    # search: selects the node, shows its facts and source, highlights its neighbours
    page.fill("#find", "vejle")
    page.press("#find", "Enter")
    assert page.inner_text("#details h2") == "Vejle"
    assert "Kilde" in page.inner_text("#details") or "kilde" in page.inner_text("#details")
    dimmed = page.evaluate(
        """() => window.lifeact.nodes.get().filter(n => String(n.color).startsWith('rgba(190')).map(n => n.id)"""
    )
    neighbours = page.evaluate("window.lifeact.network.getConnectedNodes('municipality:630')")
    assert dimmed and not set(dimmed) & {*neighbours, "municipality:630"}
    # filter by kind: tasks disappear from the drawing, and come back
    before = page.evaluate("window.lifeact.network.body.data.nodes.length")
    tasks = page.evaluate("window.lifeact.nodes.get({filter: n => n.kind === 'Task'}).length")
    page.uncheck("#kind-filter input[value='Task']")
    assert page.evaluate("window.lifeact.network.body.data.nodes.length") == before - tasks > 0
    page.check("#kind-filter input[value='Task']")
    assert page.evaluate("window.lifeact.network.body.data.nodes.length") == before
    # clicking a drawn node selects it too
    position = page.evaluate(
        """() => { const net = window.lifeact.network; const p = net.getPositions(['municipality:630'])['municipality:630'];
                   const c = net.canvasToDOM(p); const box = document.getElementById('network').getBoundingClientRect();
                   return [box.left + c.x, box.top + c.y]; }"""
    )
    page.mouse.click(*position)
    assert page.inner_text("#details h2") == "Vejle"
    # the details link re-centres the view on the node
    page.click("#details a.recenter-link")
    page.wait_for_url("**/views/graph?center=Vejle*")
    assert_drawn(page)
    assert page.evaluate("JSON.parse(document.getElementById('graph-data').textContent).center") == "municipality:630"
    assert_clean(log, origin)


def test_a_click_on_a_group_node_unfolds_the_hub(context: Any, origin: str) -> None:
    page, log = open_page(context, origin)
    page.goto(origin + "/views/graph?center=Sams%C3%B8&depth=2")
    assert_drawn(page)
    group = "group:programme:klimaalliancen:MEMBER_OF:in"
    assert page.evaluate(f"window.lifeact.nodes.get('{group}').label") == "98 kommuner"
    before = page.evaluate("window.lifeact.nodes.get({filter: n => n.kind === 'Municipality'}).length")
    assert before < 98
    position = page.evaluate(
        f"""() => {{ const net = window.lifeact.network; net.focus('{group}', {{scale: 1.5, animation: false}});
                   const c = net.canvasToDOM(net.getPositions(['{group}'])['{group}']);
                   const box = document.getElementById('network').getBoundingClientRect();
                   return [box.left + c.x, box.top + c.y]; }}"""
    )
    page.mouse.click(*position)
    page.wait_for_url("**/views/graph?center=Sams%C3%B8&depth=2&expand=klimaalliancen")
    assert_drawn(page)
    assert page.evaluate("window.lifeact.nodes.get({filter: n => n.kind === 'Municipality'}).length") == 98
    assert page.evaluate(f"window.lifeact.nodes.get('{group}')") is None
    assert "expand=Klimaalliancen" in page.get_attribute("a[data-role=permalink]", "href")
    assert_clean(log, origin)


def save_download(page: Any, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.click("a[data-role=download]")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def open_offline(browser: Any, file: Path) -> tuple[Any, Any, PageLog]:
    context = browser.new_context(offline=True, locale="da-DK")
    page, log = open_page(context)
    page.goto(file.as_uri())
    return context, page, log


@pytest.mark.parametrize(
    "path", ["/views/graph?center=Sams%C3%B8&depth=2", "/views/replication?target=WP9", "/views/map?target=WP9"]
)
def test_download_renders_from_disk_offline(browser: Any, context: Any, origin: str, path: str, tmp_path: Path) -> None:
    page, _ = open_page(context, origin)
    page.goto(origin + path)
    saved = save_download(page, tmp_path)
    assert saved.suffix == ".html" and saved.stat().st_size > 1000
    offline, disk_page, log = open_offline(browser, saved)
    try:
        if "/views/map" in path:
            assert disk_page.locator("svg#map path.municipality").count() >= 98
        else:
            assert_drawn(disk_page)
        assert all(url.startswith("file:") or url.startswith("data:") for url in log.requests), log.requests
        assert log.errors == [], log.errors
    finally:
        offline.close()


def report_page(origin: str) -> str:
    return f"""<!doctype html><html lang="da"><body><h1>Rapport</h1>
        <iframe id="view" width="900" height="600" src="{origin}/views/graph?center=WP9&amp;depth=1"></iframe></body></html>"""


def test_views_embed_in_a_report_page(context: Any, origin: str, report_origins: tuple[str, str]) -> None:
    REPORT_PAGES["/rapport.html"] = report_page(origin)
    page, log = open_page(context, origin, report_origins[0])
    page.goto(f"{report_origins[0]}/rapport.html")
    page.frame_locator("#view").locator("#network canvas").wait_for(timeout=20_000)
    embedded = next(f for f in page.frames if f.url.startswith(origin))
    embedded.wait_for_function(READY, timeout=20_000)
    assert embedded.evaluate("window.lifeact.nodes.length") > 5
    assert log.errors == [], log.errors
    assert log.foreign(origin, report_origins[0]) == [], log.requests


def test_a_site_not_in_the_setting_cannot_frame_the_views(context: Any, origin: str, report_origins: tuple[str, str]) -> None:
    REPORT_PAGES["/rapport.html"] = report_page(origin)
    page, log = open_page(context, origin, report_origins[1])
    page.goto(f"{report_origins[1]}/rapport.html")
    page.wait_for_timeout(1500)
    framed = [f for f in page.frames if f.url.startswith(origin)]
    assert not framed or framed[0].evaluate("typeof window.lifeact") == "undefined"
    assert any("frame-ancestors" in error for error in log.errors), log.errors


def test_new_user_finds_a_municipality_and_takes_it_offline(browser: Any, context: Any, origin: str, tmp_path: Path) -> None:
    page, log = open_page(context, origin)
    page.goto(origin + "/")
    page.fill("#q", "Alborg")  # a typo, and no aa: the search still finds it
    page.locator("#search-results a", has_text="Aalborg").first.click()
    page.wait_for_url("**/views/graph?center=Aalborg*")
    assert_drawn(page)
    assert page.evaluate("window.lifeact.nodes.get('municipality:851').name") == "Aalborg"
    assert_clean(log, origin)
    saved = save_download(page, tmp_path)
    offline, disk_page, disk_log = open_offline(browser, saved)
    try:
        state = assert_drawn(disk_page)
        assert state["nodes"] == network_state(page)["nodes"]
        assert all(url.startswith(("file:", "data:")) for url in disk_log.requests), disk_log.requests
        assert disk_log.errors == []
    finally:
        offline.close()


def test_home_search_works_without_script(context: Any, origin: str) -> None:
    page, log = open_page(context, origin)
    page.goto(origin + "/?q=Sams%C3%B8")
    assert page.locator("#search-results a", has_text="Samsø").count() >= 1
    assert_clean(log, origin)
