"""Time-series charts drawn on the server (issue 13): SVG to embed in a page or a report (no
script, works offline and in print) and PNG for documents, from one matplotlib figure.

What people typed (a municipality's or a solution's name, a source's title) reaches matplotlib as
plain text: math parsing is off, so `$` stays a dollar sign, and matplotlib's SVG writer escapes
`<`, `>`, `&` and quotes."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.views.static_image import _matplotlib

FORMATS = ("svg", "png")


@dataclass(frozen=True)
class Series:
    """One line: the subject's name, and its values by date (oldest first)."""

    title: str
    unit: str
    points: Sequence[tuple[dt.date, float]]
    low: float | None = None  # the indicator's range, so that charts of one indicator share a scale
    high: float | None = None
    caption: str = ""


def draw(series: Series, image_format: str, *, width: float = 6.4, height: float = 2.6) -> bytes:
    """The series as a dated line chart with its unit on the y axis."""
    if image_format not in FORMATS:
        raise ValueError(f"unknown image format {image_format!r}")
    matplotlib = _matplotlib()
    import matplotlib.dates as mdates

    with matplotlib.rc_context({"svg.fonttype": "none", "text.parse_math": False, "font.size": 8}):
        figure = matplotlib.figure.Figure(figsize=(width, height), dpi=120 if image_format == "png" else 72)
        axes = figure.add_axes((0.11, 0.22 if series.caption else 0.16, 0.86, 0.64))
        dates = [p[0] for p in series.points]
        values = [p[1] for p in series.points]
        axes.plot(dates, values, marker="o", markersize=4, linewidth=1.4, color="#1b4f9c")
        for day, value in series.points:
            axes.annotate(f"{value:g}", (day, value), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=7)
        axes.set_title(series.title, loc="left", fontsize=10)
        axes.set_ylabel(series.unit)
        if series.low is not None and series.high is not None and series.high - series.low <= 20:
            axes.set_ylim(series.low - 0.5, series.high + 0.5)  # a small scale (CARL's 1 to 9) shown whole
        elif values:
            axes.set_ylim(bottom=min(0.0, min(values)), top=max(values) * 1.15 or 1.0)
        locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if len(dates) == 1:  # one point: a month either side, so it is not drawn at the edge
            axes.set_xlim(dates[0] - dt.timedelta(days=30), dates[0] + dt.timedelta(days=30))
        axes.grid(True, color="#e3e3e3", linewidth=0.6)
        axes.spines[["top", "right"]].set_visible(False)
        if series.caption:
            figure.text(0.01, 0.02, series.caption, fontsize=6.5, ha="left", va="bottom", color="#333333")
        buffer = io.BytesIO()
        metadata = {"Date": None} if image_format == "svg" else {"Software": None}
        figure.savefig(buffer, format=image_format, metadata=metadata)
    return buffer.getvalue()


def inline_svg(series: Series) -> str:
    """The SVG without its XML prologue and doctype, to place inside an HTML page."""
    text = draw(series, "svg").decode("utf-8")
    return re.sub(r"^.*?(?=<svg)", "", text, count=1, flags=re.S)
