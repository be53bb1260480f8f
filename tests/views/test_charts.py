"""The time-series charts' SVG, written without matplotlib (issue 15: an indicator's page inlines
ten of them within its 1,000 ms budget): read back as XML, the points sit where their dates and
values put them, each value is written, the scale is the indicator's, and what people typed
stays text."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from app.i18n import use_language
from app.settings import PROJECT_ROOT
from app.views import charts

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<img src=x onerror=alert(1)> "><script>alert(2)</script> $x$ & co'
DRAWN = {"svg", "rect", "g", "line", "path", "polyline", "circle", "text"}


def svg_of(series: charts.Series) -> ET.Element:
    document = charts.draw(series, "svg")
    assert document.startswith(b"<?xml")
    return ET.fromstring(document)


def markers(root: ET.Element) -> list[tuple[float, float]]:
    return [(float(c.get("cx", "")), float(c.get("cy", ""))) for c in root.iter(f"{NS}circle")]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def plot_box(root: ET.Element) -> tuple[float, float, float, float]:
    """left, top, right, bottom of the plot, from its spines' path `M left top V bottom H right`."""
    spines = next(p.get("d", "") for p in root.iter(f"{NS}path"))
    left, top, bottom, right = map(float, re.fullmatch(r"M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)", spines).groups())  # type: ignore[union-attr]
    return left, top, right, bottom


def date_labels(root: ET.Element) -> list[ET.Element]:
    """The x axis's labels: centred, under the plot."""
    bottom = plot_box(root)[3]
    return [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle" and float(t.get("y") or 0) > bottom]


def tick_y(root: ET.Element, label: str) -> float:
    """The y of a y-axis tick label's baseline, less the 3 units that centre it on its tick."""
    found = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end" and t.text == label]
    assert len(found) == 1, label
    return float(found[0].get("y", "")) - 3


def test_points_move_right_with_their_date_and_up_with_their_value() -> None:
    points = [(dt.date(2020, 1, 1), 5.0), (dt.date(2021, 6, 1), 2.0), (dt.date(2023, 3, 1), 9.5), (dt.date(2023, 4, 1), 0.25)]
    root = svg_of(charts.Series("Aarhus", "t CO2e", points))
    drawn = markers(root)
    assert len(drawn) == len(points)
    xs = [x for x, _ in drawn]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    by_value = sorted(zip((v for _, v in points), (y for _, y in drawn), strict=True))
    ys = [y for _, y in by_value]
    assert ys == sorted(ys, reverse=True)  # SVG's y grows downwards
    left, top, right, bottom = plot_box(root)
    assert all(left < x < right and top <= y <= bottom for x, y in drawn)
    line = next(root.iter(f"{NS}polyline")).get("points", "").split()
    assert [tuple(map(float, p.split(","))) for p in line] == drawn


def test_each_value_is_written_above_its_point() -> None:
    points = [(dt.date(2024, 1, 1), 1234.5), (dt.date(2024, 7, 1), 0.25), (dt.date(2025, 1, 1), 17.0)]
    root = svg_of(charts.Series("Aarhus", "MWh", points))
    written = [t for t in root.iter(f"{NS}text") if t.get("x") and not t.get("text-anchor")]  # not the axes' ticks
    labels = {t.text: (float(t.get("x", "")), float(t.get("y", ""))) for t in written}
    for (x, y), (_, value) in zip(markers(root), points, strict=True):
        assert f"{value:g}" in labels
        label_x, label_y = labels[f"{value:g}"]
        assert label_x == x and label_y < y


def test_what_people_typed_stays_literal_text() -> None:
    series = charts.Series(HOSTILE, HOSTILE, [(dt.date(2025, 1, 1), 3.0)], caption=HOSTILE + "\x0b\x00")
    document = charts.draw(series, "svg").decode("utf-8")
    assert "<img" not in document and "<script" not in document
    root = ET.fromstring(document)  # a character XML cannot hold is dropped, not sent
    assert {element.tag.removeprefix(NS) for element in root.iter()} <= DRAWN
    assert not [name for element in root.iter() for name in element.attrib if name.lower().startswith("on")]
    assert texts(root).count(HOSTILE) == 3  # the title, the unit and the caption
    assert root.get("aria-label") == HOSTILE


def test_a_small_scale_is_shown_whole_with_a_tick_per_level() -> None:
    points = [(dt.date(2024, 3, 1), 1.0), (dt.date(2025, 6, 1), 9.0)]
    root = svg_of(charts.Series("CARL: Samsø", "level", points, low=1, high=9))
    levels = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert levels == [str(level) for level in range(1, 10)]
    _left, top, _right, bottom = plot_box(root)
    (_, y1), (_, y9) = markers(root)
    assert top < y9 < y1 < bottom  # inside the plot, half a level from its edges
    assert y1 == pytest.approx(tick_y(root, "1"), abs=0.1) and y9 == pytest.approx(tick_y(root, "9"), abs=0.1)


def test_a_large_scale_starts_at_zero_and_leaves_room_above_the_highest_value() -> None:
    root = svg_of(charts.Series("Aarhus", "t", [(dt.date(2024, 1, 1), 400.0), (dt.date(2025, 1, 1), 800.0)], low=0, high=1e6))
    _left, top, _right, bottom = plot_box(root)
    assert tick_y(root, "0") == pytest.approx(bottom, abs=0.1)
    (_, y400), (_, y800) = markers(root)
    assert y800 - top == pytest.approx((bottom - top) * 0.15 / 1.15, abs=0.2)  # the axis ends at 800 × 1.15
    assert bottom - y400 == pytest.approx((bottom - y800) / 2, abs=0.2)


def test_one_point_is_drawn_a_month_from_either_edge() -> None:
    root = svg_of(charts.Series("Samsø", "level", [(dt.date(2025, 6, 15), 6.0)], low=1, high=9))
    left, _top, right, _bottom = plot_box(root)
    [(x, _)] = markers(root)
    assert x == pytest.approx((left + right) / 2, abs=0.1)
    assert "6" in texts(root) and not list(root.iter(f"{NS}polyline"))


def test_no_points_draw_the_axes_alone() -> None:
    root = svg_of(charts.Series("Aarhus", "level", [], low=1, high=9))
    assert markers(root) == [] and "Aarhus" in texts(root) and "level" in texts(root)


@pytest.mark.parametrize("days", [1, 3, 10, 45, 200, 460, 1000, 3000, 15000])
def test_two_to_six_date_ticks_whatever_the_span(days: int) -> None:
    first = dt.date(2021, 3, 10)
    root = svg_of(charts.Series("Aarhus", "t", [(first, 1.0), (first + dt.timedelta(days=days), 2.0)]))
    left, _top, right, _bottom = plot_box(root)
    ticks = date_labels(root)
    assert 2 <= len(ticks) <= 6
    xs = [float(t.get("x", "")) for t in ticks]
    assert xs == sorted(xs) and all(left <= x <= right for x in xs)
    if days >= 3000:  # years apart: each labelled by its year alone
        assert all(re.fullmatch(r"\d{4}", t.text or "") for t in ticks)


def test_month_ticks_name_the_month_in_the_pages_language_and_january_by_its_year() -> None:
    series = charts.Series("Samsø", "level", [(dt.date(2024, 3, 1), 2.0), (dt.date(2025, 6, 1), 7.0)])
    for language, first in (("en", "Apr 2024"), ("da", "apr. 2024")):
        with use_language(language):
            labels = [t.text for t in date_labels(svg_of(series))]
        assert first in labels and "2025" in labels


def test_the_inline_chart_is_the_documents_svg_element() -> None:
    series = charts.Series("Samsø", "level", [(dt.date(2025, 6, 1), 7.0)], low=1, high=9, caption="Kilde: CARL")
    document = charts.draw(series, "svg").decode("utf-8")
    inline = charts.inline_svg(series)
    assert inline.startswith("<svg ") and document.endswith(inline + "\n")
    root = ET.fromstring(document)
    assert root.tag == f"{NS}svg" and root.get("viewBox") == "0 0 460.8 187.2" and root.get("width") == "100%"


def test_drawing_svg_does_not_load_matplotlib_and_png_still_does() -> None:
    code = (
        "import datetime as dt, sys\n"
        "from app.views import charts\n"
        "s = charts.Series('Samsø', 'level', [(dt.date(2025, 6, 1), 7.0)], low=1, high=9)\n"
        "charts.draw(s, 'svg'); charts.inline_svg(s)\n"
        "print('matplotlib' in sys.modules)\n"
        "print(charts.draw(s, 'png')[:4] == b'\\x89PNG', 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
