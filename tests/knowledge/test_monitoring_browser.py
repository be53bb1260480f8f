"""Monitoring in Debian's chromium (issue 13): an editor signs in from the indicator's page, records
observations through the form (named with hostile text), sees them on the chart, and the
choropleth changes with the date; no request leaves 127.0.0.1, no script runs from what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import embedded_settings
from tests.knowledge.conftest import store_path, tokens  # noqa: F401 (fixtures)
from tests.views.browser import PageLog, serve, watch

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror=alert(1)> "><script>alert(2)</script>'
NO_DATA = "rgb(227, 227, 227)"  # #e3e3e3


@pytest.fixture(scope="module")
def origin(store_path: Path, tokens: dict[str, str]) -> Iterator[str]:  # noqa: F811
    with serve(embedded_settings(store_path)) as url:
        yield url


def _record(page: Any, subject: str, value: str, date: str) -> None:
    form = page.locator("form.observation-form")
    form.locator("input[name=subject]").fill(subject)
    form.locator("input[name=value]").fill(value)
    form.locator("input[name=date]").fill(date)
    form.locator("input[name=source_title]").fill(HOSTILE)
    form.locator("input[name=source_url]").fill("https://example.org/carl")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _fill(page: Any, name: str) -> str:
    return page.locator(f'path.municipality[data-name="{name}"]').evaluate("e => getComputedStyle(e).fill")


def _show(page: Any, date: str) -> None:
    page.locator("form.date-form input[name=date]").fill(date)
    with page.expect_navigation():
        page.locator("form.date-form button[type=submit]").click()


def test_record_an_observation_and_follow_it_on_the_chart_and_the_map(
    browser: Any,
    origin: str,
    tokens: dict[str, str],  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log = PageLog()
    watch(page, log, origin)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{origin}/views/indicators/carl")
        assert page.locator("figure.chart").count() == 0
        assert page.locator("form.observation-form").count() == 0  # no edit controls before signing in
        page.click("[data-role=sign-in-to-record]")
        page.fill("input[name=token]", tokens["editor"])
        with page.expect_navigation():
            page.click("form[action='/sign-in'] button[type=submit]")
        assert page.url.endswith("/views/indicators/carl")  # back where the sign-in started
        assert "Signed in as ed" in page.inner_text("[data-role=signed-in]")
        _record(page, "Samsø", "3", "2024-05-01")
        assert page.url.endswith("/views/indicators/carl?date=2024-05-01")
        chart = page.locator('figure.chart[data-subject="Samsø"] svg')
        assert chart.count() == 1 and "level" in (chart.text_content() or "")
        _record(page, "Samsø", "8", "2025-05-01")
        assert "8" in [t.strip() for t in page.locator('figure.chart[data-subject="Samsø"] svg text').all_text_contents()]

        _show(page, "2023-01-01")
        before = _fill(page, "Samsø")
        _show(page, "2024-12-31")
        middle = _fill(page, "Samsø")
        _show(page, "2025-12-31")
        after = _fill(page, "Samsø")
        assert before == NO_DATA and NO_DATA not in (middle, after) and middle != after
        assert HOSTILE in (page.locator("table.values").first.text_content() or "")  # the typed source, as text

        page.goto(f"{origin}/views/municipalities/Sams%C3%B8")
        assert page.locator("figure.chart svg").count() == 1
    finally:
        context.close()
    assert not dialogs, f"a script ran from typed text: {dialogs}"
    assert not log.errors, log.errors
    assert not log.foreign(origin), f"requests left the machine: {log.foreign(origin)}"
