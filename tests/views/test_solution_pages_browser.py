"""A planner's path through the pages in Debian's chromium (issue 13): sign in, record a solution
with a hostile name, record adoptions on two dates, replay the spread with the slider, sign out;
offline (no request leaves 127.0.0.1), no script error, and no markup run from what was typed."""

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
AARHUS = "751"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph) -> Iterator[tuple[str, str]]:
    path: Path = seeded_store(tmp_path_factory, seed_graph, "solution-pages-browser")
    token = TokenFile(path / "tokens.json").create("planner", "editor")
    with serve(embedded_settings(path)) as origin:
        yield origin, token


def fill_of(page: Any, code: str) -> str:
    return page.get_attribute(f"#spread-map path.municipality[data-code='{code}']", "fill")


def test_a_planner_records_a_solution_and_follows_its_spread(browser: Any, site: tuple[str, str]) -> None:
    origin, token = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # the assertions read English
    page = context.new_page()
    log = PageLog()
    watch(page, log, origin)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(origin + "/views/solutions")
    assert page.locator("form[action='/views/solutions'][method='post']").count() == 0  # no edit controls yet
    page.click("[data-role=sign-in]")
    page.fill("input[name=token]", token)
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url("**/views/solutions")
    assert "Signed in as planner" in page.inner_text("[data-role=signed-in]")

    form = page.locator("#new-solution form")
    form.locator("input[name=name]").fill(HOSTILE)
    form.locator("textarea[name=summary]").fill(HOSTILE)
    form.locator("input[name=developed_by]").fill("Vejle")
    form.locator("input[name=tasks]").fill("T.5.3")
    form.locator("textarea[name=sources]").fill("Notat | https://example.dk/notat")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/views/solutions/img-src-x-onerror-alert-1*")
    assert page.inner_text("h1") == HOSTILE  # shown as the text it is

    record_adoptions(page, "Aarhus", HOSTILE, (("considering", "2024-02-01"), ("adopted", "2025-03-01")))

    assert page.locator("[data-role=timeline] li").count() == 2
    assert fill_of(page, AARHUS) == SPREAD_COLORS["adopted"]
    page.locator("#spread-slider").fill("0")  # back to the first date: the spread replays
    assert page.inner_text("[data-role=as-of]") == "2024-02-01"
    assert fill_of(page, AARHUS) == SPREAD_COLORS["considering"]
    assert page.text_content(f"#spread-map path[data-code='{AARHUS}'] title") == "Aarhus: considering (2024-02-01)"
    page.locator("#spread-slider").fill("1")
    assert fill_of(page, AARHUS) == SPREAD_COLORS["adopted"]
    assert fill_of(page, "630") == SPREAD_COLORS["developed"]  # Vejle developed it
    assert page.locator("#spread-map path.municipality").count() == 98

    page.click("[data-role=sign-out]")
    page.wait_for_url("**/views/solutions")
    assert page.locator("[data-role=sign-in]").count() == 1
    assert page.locator("#new-solution").count() == 0

    assert dialogs == [], "typed markup ran as script"
    assert page.evaluate("document.querySelectorAll('img[src=x], script:not([src]):not([type])').length") == 0
    assert log.foreign(origin) == [], f"requests left the machine: {log.foreign(origin)}"
    assert log.errors == [], log.errors
    assert any("/static/views/spread.js" in url for url in log.requests)
    context.close()
