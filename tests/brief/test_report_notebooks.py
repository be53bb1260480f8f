"""The saved outputs of notebooks 2 (replication planning) and 3 (views in reports) show what they
promise, and agree with the services on the seed (so outputs saved before a change of the seed or
the scoring show up here as stale). tests/notebooks runs every notebook top to bottom."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services import replication as replication_service
from app.settings import PROJECT_ROOT
from tests.conftest import embedded_settings

NOTEBOOKS = PROJECT_ROOT / "notebooks"
MAX_BYTES = 2_000_000  # readable on a code host, cheap in the repository


def outputs(name: str) -> list[dict]:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


def data_of(name: str, mime: str) -> list[str]:
    return [out["data"][mime] for out in outputs(name) if mime in out.get("data", {})]


def streams(name: str) -> str:
    return "".join(out.get("text", "") for out in outputs(name) if out["output_type"] == "stream")


@pytest.fixture(scope="module")
def top_candidates(embedded_path: Path) -> list[str]:
    with TestClient(create_app(embedded_settings(embedded_path))) as client:
        return [c.name for c in replication_service.replication(client.app.state.model, "T.9.1", 10).candidates]


@pytest.mark.parametrize("name", ["02_replication_planning.ipynb", "03_views_in_reports.ipynb"])
def test_saved_notebooks_are_small_and_clean(name: str) -> None:
    path = NOTEBOOKS / name
    assert path.stat().st_size < MAX_BYTES
    assert not [out for out in outputs(name) if out["output_type"] == "error"]
    assert "/work/main" not in path.read_text(encoding="utf-8"), "a saved output names a developer's folder"


def test_replication_notebook_ranks_candidates_with_reasons(top_candidates: list[str]) -> None:
    tables = data_of("02_replication_planning.ipynb", "text/html")
    ranking = next(t for t in tables if "reasons (weight)" in t)
    rows = re.findall(r"<tr><td[^>]*>(\d+)</td><td[^>]*>([^<]+)</td>", ranking)
    assert [name for _, name in rows] == top_candidates
    assert "borders Mariagerfjord (participants)" in ranking and "co-participation" in ranking
    assert "all 10 scores are the sums of their reasons' weights" in streams("02_replication_planning.ipynb")


def test_replication_notebook_shows_the_map_and_a_chart() -> None:
    maps = data_of("02_replication_planning.ipynb", "image/svg+xml")
    assert len(maps) == 1 and maps[0].count('class="municipality"') == 98
    assert maps[0].count('class="rank-mark"') == 10 and "Kommunegrænser: Geodatastyrelsen" in maps[0]
    assert data_of("02_replication_planning.ipynb", "image/png"), "the chart of what carries each score"
    assert "self-contained: True" in streams("02_replication_planning.ipynb")


def test_report_notebook_gives_an_iframe_snippet_and_the_framing_setting() -> None:
    snippet = "".join(data_of("03_views_in_reports.ipynb", "text/markdown"))
    assert '<iframe src="http://127.0.0.1:8000/views/graph?center=Sams%C3%B8&amp;depth=2"' in snippet
    assert "/views/brief?target=T.9.1" in snippet
    text = streams("03_views_in_reports.ipynb")
    assert "frame-ancestors 'self' https://rapporter.example.dk" in text
    notebook = (NOTEBOOKS / "03_views_in_reports.ipynb").read_text(encoding="utf-8")
    assert "LIFEACT_FRAME_ANCESTORS" in notebook


def test_report_notebook_writes_self_contained_views_and_figures() -> None:
    text = streams("03_views_in_reports.ipynb")
    for line in ("samsoe-netvaerk.html", "replikation-T.9.1.html", "brief-T.9.1.html"):
        assert re.search(rf"{re.escape(line)}: [\d,]+ bytes, .*fetches: nothing", text), line
    for listed in ("samsoe.svg", "samsoe.png", "replikation-T.9.1.png", "kort-WP10.svg"):
        assert re.search(rf"{re.escape(listed)}\s+[\d,]+ bytes", text), listed
    svgs = data_of("03_views_in_reports.ipynb", "image/svg+xml")
    assert len(svgs) == 2 and any(svg.count('class="municipality"') == 98 for svg in svgs)
    assert data_of("03_views_in_reports.ipynb", "image/png")
