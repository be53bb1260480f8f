"""The saved brief in Debian's chromium: opened from disk with every network request refused, it
renders the map and the network with no error and no request; printed (print media, A4 PDF) it
hides the on-screen contents list, starts the big sections on new pages and keeps its colours."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import brief
from app.graph.factory import open_store
from app.services.read_model import ReadModel
from tests.conftest import embedded_settings
from tests.views.browser import PageLog, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def saved_brief(embedded_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    handle = open_store(embedded_settings(embedded_path))
    try:
        path = brief.write_brief(ReadModel(handle.store), "T.9.1", tmp_path_factory.mktemp("brief") / "brief.html")
    finally:
        handle.close()
    return path


@pytest.fixture
def opened(browser: Any, saved_brief: Path) -> Iterator[tuple[Any, PageLog]]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    page = context.new_page()
    log = PageLog()
    watch(page, log)  # no origin is local: anything but file:, data: and the like is refused and recorded
    page.goto(saved_brief.as_uri(), wait_until="load")
    yield page, log
    context.close()


def test_the_saved_brief_renders_offline(opened: tuple[Any, PageLog], saved_brief: Path) -> None:
    page, log = opened
    assert log.errors == []
    assert log.requests == [saved_brief.as_uri()], "the brief asked for something besides itself"
    assert "T.9.1" in page.title()
    state = page.evaluate(
        """() => {
            const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
            const map = document.querySelector('svg.map');
            const shapes = [...map.querySelectorAll('path.municipality')];
            const network = document.querySelector('svg.network');
            return {
                shapes: shapes.length,
                drawn: shapes.filter((p) => { const b = p.getBBox(); return b.width > 0 && b.height > 0; }).length,
                map: box(map),
                network: box(network),
                networkTexts: [...network.querySelectorAll('text')].map((t) => t.textContent).join(' '),
                candidates: document.querySelectorAll('table.candidates tbody tr').length,
                toc: getComputedStyle(document.querySelector('nav.toc')).display,
            };
        }"""
    )
    assert state["shapes"] == state["drawn"] == 98
    assert state["map"][0] > 300 and state["map"][1] > 300
    assert state["network"][0] > 300 and state["network"][1] > 200
    assert "Aalborg" in state["networkTexts"]
    assert state["candidates"] == 10
    assert state["toc"] != "none"


def test_print_media_hides_the_contents_and_breaks_pages(opened: tuple[Any, PageLog], tmp_path: Path) -> None:
    page, log = opened
    page.emulate_media(media="print")
    printed = page.evaluate(
        """() => ({
            toc: getComputedStyle(document.querySelector('nav.toc')).display,
            breaks: [...document.querySelectorAll('section')].map((s) => [s.id, getComputedStyle(s).breakBefore]),
            colours: getComputedStyle(document.querySelector('path.municipality')).printColorAdjust,
        })"""
    )
    assert printed["toc"] == "none"
    breaks = dict(printed["breaks"])
    assert breaks["kandidater"] == breaks["kort"] == breaks["netvaerk"] == breaks["kilder"] == "page"
    assert breaks["maal"] != "page"
    assert printed["colours"] == "exact"

    pdf = tmp_path / "brief.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 5, f"{pages} pages: the four big sections each start a page after the first"
    assert log.errors == [] and len(log.requests) == 1
