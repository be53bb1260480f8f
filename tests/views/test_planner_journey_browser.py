"""The whole planner journey across the pages, in Debian's chromium with Danish pages (issue 13):
sign in with a token made here, record a solution, record adoptions on two dates, replay the map
with the date slider, record an observation of the solution and find it on the indicator's chart,
add a resource on the solution's page and find it on its task's page, sign out. Offline: every
request that would leave 127.0.0.1 is aborted, and none may be attempted. Names typed with markup
(`<img src=x onerror=alert(1)>`, `"><script>`) show as the text they are, and no dialog opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.seed import SeedGraph
from app.services.tokens import TokenFile
from app.views.solutions import SPREAD_COLORS
from tests.conftest import embedded_settings, seeded_store
from tests.views.browser import PageLog, record_adoptions, serve, watch

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
SOLUTION = f"Klimaskov {HOSTILE}"
SLUG = "klimaskov-img-src-x-onerror-alert-1-script-alert-2-script"
NOTE = f"Byrådet besluttede det {HOSTILE}"
RESOURCE = f"Vejledning i klimaskov {HOSTILE}"
AARHUS = "751"
TASK = "T.5.3"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph) -> Iterator[tuple[str, str]]:
    path: Path = seeded_store(tmp_path_factory, seed_graph, "planner-journey")
    token = TokenFile(path / "tokens.json").create("planlægger", "editor")  # made here, for this test only
    with serve(embedded_settings(path)) as origin:
        yield origin, token


def _submit(page: Any, form: Any) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _fill_of(page: Any, code: str) -> str:
    return page.get_attribute(f"#spread-map path.municipality[data-code='{code}']", "fill")


def _no_markup_ran(page: Any) -> None:
    """What was typed is in the page as text: no element was made of it."""
    made = "document.querySelectorAll('img[src=x], img[onerror], script:not([src]):not([type])').length"
    assert page.evaluate(made) == 0, page.url


def test_a_planner_records_a_solution_follows_it_and_leaves(browser: Any, site: tuple[str, str]) -> None:
    origin, token = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    log = PageLog()
    watch(page, log, origin)  # any request to another host is aborted, and recorded
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        # sign in
        page.goto(origin + "/views/solutions")
        assert page.get_attribute("html", "lang") == "da"
        assert page.locator("#new-solution").count() == 0  # no edit controls before signing in
        page.click("[data-role=sign-in]")
        page.fill("input[name=token]", token)
        with page.expect_navigation():
            page.click("form[action='/sign-in'] button[type=submit]")
        assert page.url.endswith("/views/solutions")
        assert "planlægger" in page.inner_text("[data-role=signed-in]")

        # a new solution, named and described with markup
        form = page.locator("#new-solution form")
        form.locator("input[name=name]").fill(SOLUTION)
        form.locator("textarea[name=summary]").fill(NOTE)
        form.locator("input[name=developed_by]").fill("Vejle")
        form.locator("input[name=tasks]").fill(TASK)
        form.locator("textarea[name=sources]").fill("Notat | https://example.dk/notat")
        _submit(page, form)
        assert page.url.endswith(f"/views/solutions/{SLUG}")
        assert page.inner_text("h1") == SOLUTION and page.inner_text("p.summary") == NOTE
        _no_markup_ran(page)

        # adoptions on two dates, then the map replayed with the slider
        record_adoptions(page, "Aarhus", NOTE, (("considering", "2024-02-01"), ("adopted", "2025-03-01")))
        assert page.locator("[data-role=timeline] li").count() == 2
        assert page.locator("[data-role=timeline] .note").all_inner_texts() == [NOTE, NOTE]
        assert _fill_of(page, AARHUS) == SPREAD_COLORS["adopted"]
        page.locator("#spread-slider").fill("0")
        assert page.inner_text("[data-role=as-of]") == "2024-02-01"
        assert _fill_of(page, AARHUS) == SPREAD_COLORS["considering"]
        page.locator("#spread-slider").fill("1")
        assert page.inner_text("[data-role=as-of]") == "2025-03-01"
        assert _fill_of(page, AARHUS) == SPREAD_COLORS["adopted"]

        # an observation of the solution, on the indicator's chart
        page.goto(origin + "/views/indicators/carl")
        observation = page.locator("form.observation-form")
        observation.locator("input[name=subject]").fill(SLUG)
        observation.locator("input[name=value]").fill("6")
        observation.locator("input[name=date]").fill("2025-04-01")
        observation.locator("input[name=source_title]").fill(NOTE)
        observation.locator("input[name=source_url]").fill("https://example.org/carl")
        _submit(page, observation)
        assert page.url.endswith("/views/indicators/carl?date=2025-04-01")
        charts = page.locator("figure.chart")
        subjects = [charts.nth(i).get_attribute("data-subject") for i in range(charts.count())]
        assert SOLUTION in subjects  # the chart of the solution, its name as text
        chart = charts.nth(subjects.index(SOLUTION))
        assert "6" in [t.strip() for t in chart.locator("svg text").all_text_contents()]
        assert NOTE in (chart.locator("table.values").text_content() or "")
        _no_markup_ran(page)

        # a resource added on the solution's page, found on its task's page
        page.goto(f"{origin}/views/solutions/{SLUG}")
        resource = page.locator("form[data-role=add-resource]")
        assert resource.locator("input[name=tasks]").input_value() == TASK  # offered the solution's task
        resource.locator("input[name=title]").fill(RESOURCE)
        resource.locator("select[name=kind]").select_option("guide")
        resource.locator("input[name=url]").fill("https://example.org/vejledning")
        _submit(page, resource)
        assert page.url.endswith(f"/views/solutions/{SLUG}#resources")  # back where it was added
        assert RESOURCE in page.locator("[data-role=resources-served] li").all_inner_texts()[0]
        with page.expect_navigation():
            page.locator(f"section.facts a[href*='center={TASK}']").click()
        assert f"center={TASK}" in page.url
        served = page.locator("[data-role=resources-served] li a")
        assert RESOURCE in served.all_inner_texts()
        link = served.nth(served.all_inner_texts().index(RESOURCE))
        assert link.get_attribute("href") == "https://example.org/vejledning"
        _no_markup_ran(page)

        # sign out: the forms are gone
        page.click("[data-role=sign-out]")
        page.wait_for_url("**/views/solutions")
        assert page.locator("[data-role=sign-in]").count() == 1 and page.locator("#new-solution").count() == 0
        page.goto(f"{origin}/views/solutions/{SLUG}")
        assert page.locator("form[method=post]").count() == 0
    finally:
        context.close()
    assert dialogs == [], f"typed markup ran as script: {dialogs}"
    assert log.foreign(origin) == [], f"requests tried to leave the machine: {log.foreign(origin)}"
    assert log.errors == [], log.errors
