"""Time-series charts drawn on the server (issue 13): SVG to embed in a page or a report (no
script, works offline and in print) and PNG for documents.

The SVG is written here directly, as text: an indicator's page inlines ten of them, and matplotlib
cost about 0.9 s to start in a process and 50–80 ms a chart (issue 15: every request bounded).
PNG still comes from matplotlib, loaded only when a PNG is asked for.

What people typed (a municipality's or a solution's name, a source's title, a unit) is escaped
into text nodes and attributes; characters XML cannot hold are dropped, so the downloaded SVG
always parses. matplotlib's math parsing is off for the PNG, so `$` stays a dollar sign there too."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from babel.dates import format_date
from markupsafe import escape

from app.i18n import current_language

FORMATS = ("svg", "png")

DPI = 72  # the SVG's user unit is a point, as matplotlib's was: font sizes below are in points
LINE = "#1b4f9c"
GRID = "#e3e3e3"
MAX_DATE_TICKS = 6
MAX_SMALL_SCALE_TICKS = 10  # CARL's 1 to 9, each level its own tick
MONTH_STEPS = [("month", n) for n in (1, 2, 3, 4, 6)] + [("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]
DAY_STEPS = [("day", n) for n in (1, 2, 7, 14)]
DAYS_IN = {"day": 1.0, "month": 30.4, "year": 365.25}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    if image_format == "png":
        return _png(series, width, height)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + svg_element(series, width, height) + "\n").encode("utf-8")


def inline_svg(series: Series) -> str:
    """The <svg> element alone, to place inside an HTML page."""
    return svg_element(series)


def y_range(series: Series) -> tuple[float, float]:
    """The y axis's limits: a small scale (CARL's 1 to 9) shown whole, so charts of one indicator
    compare at a glance; otherwise from 0 (or a negative minimum) to a little above the maximum."""
    if (small := _small_scale(series)) is not None:
        return small[0] - 0.5, small[1] + 0.5
    values = [value for _, value in series.points]
    if not values:
        return 0.0, 1.0
    bottom = min(0.0, min(values))
    top = max(values) * 1.15 or 1.0
    if top <= bottom:  # every value negative: the top of the axis is 0
        top = 0.0 if bottom < 0 else bottom + 1.0
    return bottom, top


def x_range(dates: Sequence[dt.date]) -> tuple[float, float]:
    """The x axis's limits in days (proleptic ordinals): the dates with a 5 % margin either side;
    one date gets a month either side, so its point is not drawn at the edge."""
    if not dates:
        today = dt.date.today().toordinal()
        return today - 30.0, today + 30.0
    first, last = min(dates).toordinal(), max(dates).toordinal()
    if first == last:
        return first - 30.0, last + 30.0
    margin = (last - first) * 0.05
    return first - margin, last + margin


def value_ticks(low: float, high: float, small: bool) -> list[float]:
    """Round numbers on the y axis: steps of 1, 2, 2.5 or 5 times a power of ten, at most six
    ticks (ten on a small scale, whole numbers only)."""
    most = MAX_SMALL_SCALE_TICKS if small else 6
    span = high - low
    magnitude = 10 ** math.floor(math.log10(span / (most - 1)))
    multiples = (1, 2, 5, 10) if small else (1, 2, 2.5, 5, 10)
    for multiple in multiples:
        step = multiple * magnitude
        if small and step < 1:
            continue
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        if last - first + 1 <= most:
            return [round(k * step, 10) for k in range(first, last + 1)]
    return [low, high]


def date_ticks(low: float, high: float) -> list[tuple[dt.date, str]]:
    """Two to six dates on the x axis with concise labels: months or years apart, the finest step
    that fits (a year alone for years and for January, a month otherwise, the first tick naming
    its year too); days apart only when the span holds fewer than two months' starts."""
    language = current_language()
    for steps in (MONTH_STEPS, DAY_STEPS):
        for unit, every in steps:
            if (high - low) / (every * DAYS_IN[unit]) > 2 * MAX_DATE_TICKS:
                continue  # far too many: skip without listing them
            ticks = list(_dates_every(unit, every, low, high))
            if 2 <= len(ticks) <= MAX_DATE_TICKS:
                return [(day, _date_label(day, unit, i == 0, language)) for i, day in enumerate(ticks)]
            if len(ticks) < 2:
                break  # a coarser step has fewer still
    # a span of a day or two: the one whole day in it, if any
    return [(day, _date_label(day, "day", True, language)) for day in _dates_every("day", 1, low, high)]


def svg_element(series: Series, width: float = 6.4, height: float = 2.6) -> str:
    """The chart as one <svg> element (with its namespace, so it stands alone as a file too)."""
    w, h = width * DPI, height * DPI
    # the plot area where matplotlib's axes were: (0.11, bottom, 0.86, 0.64) of the figure
    left, right = 0.11 * w, 0.97 * w
    bottom = h * (1 - (0.22 if series.caption else 0.16))
    top = bottom - 0.64 * h
    x_low, x_high = x_range([day for day, _ in series.points])
    y_low, y_high = y_range(series)

    def x(day: dt.date) -> float:
        return left + (day.toordinal() - x_low) / (x_high - x_low) * (right - left)

    def y(value: float) -> float:
        return bottom - (value - y_low) / (y_high - y_low) * (bottom - top)

    y_ticks = value_ticks(y_low, y_high, _small_scale(series) is not None)
    y_labels = [f"{tick:g}" for tick in y_ticks]
    x_ticks = [(x(day), label) for day, label in date_ticks(x_low, x_high)] if series.points else []
    # the unit, turned, clear of the widest tick label (about 0.55 em a character)
    unit_x = max(9.0, left - 10.5 - 0.55 * 8 * max(map(len, y_labels), default=1))
    points = [(x(day), y(value), value) for day, value in series.points]
    unit = _text(series.unit)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.1f} {h:.1f}" width="100%" '
        f'font-family="sans-serif" role="img" aria-label="{_text(series.title)}">',
        f'<rect width="{w:.1f}" height="{h:.1f}" fill="#ffffff"/>',
        f'<g stroke="{GRID}" stroke-width="0.6">',
        *(_line(left, y(tick), right, y(tick)) for tick in y_ticks),
        *(_line(at, top, at, bottom) for at, _ in x_ticks),
        '</g>\n<g stroke="#000000" stroke-width="0.8">',
        *(_line(left - 3.5, y(tick), left, y(tick)) for tick in y_ticks),
        *(_line(at, bottom, at, bottom + 3.5) for at, _ in x_ticks),
        # the left and bottom spines; the top and right ones are left out, as they were
        f'<path d="M{left:.1f} {top:.1f}V{bottom:.1f}H{right:.1f}" fill="none"/>',
        '</g>\n<g font-size="8">',
        *(
            f'<text x="{left - 5.5:.1f}" y="{y(t) + 3:.1f}" text-anchor="end">{label}</text>'
            for t, label in zip(y_ticks, y_labels, strict=True)
        ),
        *(f'<text x="{at:.1f}" y="{bottom + 13:.1f}" text-anchor="middle">{_text(label)}</text>' for at, label in x_ticks),
        f'<text transform="translate({unit_x:.1f} {(top + bottom) / 2:.1f}) rotate(-90)" text-anchor="middle">{unit}</text>',
        "</g>",
    ]
    if len(points) > 1:
        line = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="1.4" stroke-linejoin="round"/>')
    parts.append(f'<g fill="{LINE}">')
    parts += (f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2"/>' for px, py, _ in points)
    parts.append('</g>\n<g font-size="7" text-anchor="middle">')
    parts += (f'<text x="{px:.1f}" y="{py - 5:.1f}">{value:g}</text>' for px, py, value in points)
    parts.append("</g>")
    parts.append(f'<text x="{left:.1f}" y="{top - 6:.1f}" font-size="10">{_text(series.title)}</text>')
    if series.caption:
        caption = _text(series.caption)
        parts.append(f'<text x="{0.01 * w:.1f}" y="{h * 0.98 - 1.5:.1f}" font-size="6.5" fill="#333333">{caption}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def _small_scale(series: Series) -> tuple[float, float] | None:
    """The indicator's range when it is small enough to show whole (CARL's 1 to 9)."""
    if series.low is not None and series.high is not None and series.high - series.low <= 20:
        return series.low, series.high
    return None


def _text(typed: str) -> str:
    """Typed text as XML character data (also fit for an attribute value)."""
    return str(escape(NOT_XML.sub("", typed)))


def _dates_every(unit: str, every: int, low: float, high: float) -> Iterator[dt.date]:
    """The dates within [low, high] (ordinals) on the step's boundaries: whole days, the 1st of a
    month, the 1st of January."""
    start, end = dt.date.fromordinal(math.ceil(low)), dt.date.fromordinal(math.floor(high))
    if unit == "day":
        if every == 14:  # the 1st and the 15th of each month, as calendars halve a month
            day = start
            while day <= end:
                if day.day in (1, 15):
                    yield day
                day += dt.timedelta(days=1)
            return
        first = start.toordinal() + (1 - start.toordinal()) % every  # weeks start on Mondays (ordinal 1 was one)
        yield from (dt.date.fromordinal(o) for o in range(first, end.toordinal() + 1, every))
        return
    if unit == "month":
        month = start.year * 12 + start.month - 1 + (start.day > 1)
        month += (-month) % every
        while (day := dt.date(month // 12, month % 12 + 1, 1)) <= end:
            yield day
            month += every
        return
    year = start.year + (start > dt.date(start.year, 1, 1))
    year += (-year) % every
    while year <= end.year:
        yield dt.date(year, 1, 1)
        year += every


def _date_label(day: dt.date, unit: str, first: bool, language: str) -> str:
    if unit == "year" or (unit == "month" and day.month == 1):
        return str(day.year)
    if unit == "month":
        return format_date(day, "LLL y" if first else "LLL", locale=language)
    return format_date(day, "d MMM y" if first else "d MMM", locale=language)


def _png(series: Series, width: float, height: float) -> bytes:
    """The same chart drawn by matplotlib, for documents that want a bitmap."""
    from app.views.static_image import _matplotlib

    matplotlib = _matplotlib()
    import matplotlib.dates as mdates

    with matplotlib.rc_context({"text.parse_math": False, "font.size": 8}):
        figure = matplotlib.figure.Figure(figsize=(width, height), dpi=120)
        axes = figure.add_axes((0.11, 0.22 if series.caption else 0.16, 0.86, 0.64))
        dates = [p[0] for p in series.points]
        values = [p[1] for p in series.points]
        axes.plot(dates, values, marker="o", markersize=4, linewidth=1.4, color=LINE)
        for day, value in series.points:
            axes.annotate(f"{value:g}", (day, value), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=7)
        axes.set_title(series.title, loc="left", fontsize=10)
        axes.set_ylabel(series.unit)
        axes.set_ylim(*y_range(series))
        locator = mdates.AutoDateLocator(minticks=2, maxticks=MAX_DATE_TICKS)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if len(set(dates)) == 1:  # one date: a month either side, so it is not drawn at the edge
            axes.set_xlim(dates[0] - dt.timedelta(days=30), dates[0] + dt.timedelta(days=30))
        axes.grid(True, color=GRID, linewidth=0.6)
        axes.spines[["top", "right"]].set_visible(False)
        if series.caption:
            figure.text(0.01, 0.02, series.caption, fontsize=6.5, ha="left", va="bottom", color="#333333")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
