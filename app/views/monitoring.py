"""Monitoring pages (issue 13): the indicators, one indicator as a choropleth of the 98
municipalities on a date with its time series per subject, and a subject's observations as
charts. Contexts come from app.services.monitoring; charts from app.views.charts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from app import models
from app.i18n import gettext as _
from app.i18n import localized
from app.services import entities, monitoring
from app.services.knowledge import indicators
from app.services.paging import PageRequest, decode_cursor, encode_cursor
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.views import charts
from app.views.boundaries import BOUNDARY_CREDIT, projected_map
from app.views.pages import GREENS, NO_DATA, _bins, _color, page_line
from app.views.render import editor_controls, render_page, with_query

# An indicator's page draws this many charts (written as SVG text, well under a millisecond each), a page of
# its subjects at a time, so a page costs the same however many subjects are observed.
CHARTS_PER_PAGE = 10


def indicator_url(slug: str, **params: Any) -> str:
    return with_query(f"/views/indicators/{quote(slug, safe='')}", **params)


def subject_url(name: str) -> str:
    return f"/views/municipalities/{quote(name, safe='')}"


def chart_url(slug: str, subject: str, image_format: str) -> str:
    return with_query(f"/views/indicators/{slug}/chart.{image_format}", subject=subject)


def chart_series(indicator: dict[str, Any], title: str, points: list[dict[str, Any]]) -> charts.Series:
    sources = sorted({p["source"]["title"] for p in points if p.get("source")})
    caption = _("Source: {sources}").format(sources="; ".join(sources)) if sources else ""
    return charts.Series(
        title=title,
        unit=indicator["unit"],
        points=[(dt.date.fromisoformat(p["date"]), float(p["value"])) for p in points],
        low=indicator["min"],
        high=indicator["max"],
        caption=caption[:160],
    )


def subject_chart(model: ReadModel, indicator: str, subject: str, image_format: str) -> bytes:
    """One subject's series of one indicator as SVG or PNG (the page's download)."""
    ref = model.resolve(subject, monitoring.observations.SUBJECTS, what=monitoring.observations.SUBJECT_WORDS)
    body = indicators.get(model, indicator)
    points = monitoring.observations.series(model, ref.id, body["slug"], None, None)["data"]
    title = f"{localized(body, 'name')}: {ref.name}"
    return charts.draw(chart_series(body, title, points), image_format)


def _choropleth(model: ReadModel, answer: dict[str, Any]) -> dict[str, Any]:
    indicator = answer["indicator"]
    values = {v["subject"]["id"]: v for v in answer["values"].values() if v["subject"]["kind"] == "Municipality"}
    small_scale = indicator["max"] - indicator["min"] <= 20
    observed = [float(v["value"]) for v in values.values()]
    scale = [indicator["min"], indicator["max"]] if small_scale else (observed or [0.0])
    bins = _bins(scale, GREENS)
    names = {m.code: m.name for m in entities.list_municipalities(model).data}
    shapes = []
    for shape in projected_map().shapes:
        name = names.get(shape.code, shape.name)
        value = values.get(f"municipality:{shape.code}")
        if value:
            fill = _color(float(value["value"]), bins)
            note = _("{value} {unit} on {date}").format(value=f"{value['value']:g}", unit=indicator["unit"], date=value["date"])
        else:
            fill, note = NO_DATA, _("no observation on or before this date")
        shapes.append(
            {
                "code": shape.code,
                "name": name,
                "path": shape.path,
                "fill": fill,
                "title": f"{name}: {note}",
                "href": subject_url(name),
                "value": f"{value['value']:g}" if value else "",
            }
        )
    legend = [(color, f"{low:g}–{high:g} {indicator['unit']}") for low, high, color in bins] + [(NO_DATA, _("no observation"))]
    return {"shapes": shapes, "legend": legend, "observed": len(values)}


def indicators_context(model: ReadModel) -> dict[str, Any]:
    rows = monitoring.all_indicators(model)
    return {"indicators": [i | {"href": indicator_url(i["slug"]), "name": localized(i, "name")} for i in rows]}


def _charts_pager(slug: str, on: dt.date | None, page: PageRequest, shown: dict[str, Any]) -> dict[str, Any] | None:
    """The charts' page line, when they take more than one page."""
    if not page.offset and not shown["next_cursor"]:
        return None

    def link(offset: int) -> str:
        cursor = encode_cursor(offset) if offset else None
        return indicator_url(slug, date=on.isoformat() if on else None, cursor=cursor) + "#charts"

    listed = models.Page[Any](
        data=shown["series"],
        count=len(shown["series"]),
        total=shown["total"],
        limit=shown["limit"],
        next_cursor=shown["next_cursor"],
    )
    return page_line(page, listed, link)


def indicator_context(model: ReadModel, indicator: str, on: dt.date | None, cursor: str | None = None) -> dict[str, Any]:
    """The page reads what it shows: the map's municipalities' latest values, and the charts of
    one page of CHARTS_PER_PAGE subjects (by name)."""
    projected = projected_map()
    answer = monitoring.indicator_on(model, indicator, on, [f"municipality:{shape.code}" for shape in projected.shapes])
    body = answer["indicator"]
    page = PageRequest(CHARTS_PER_PAGE, decode_cursor(cursor))
    shown = monitoring.indicator_series(model, body["slug"], page)
    series = shown["series"]
    charted = [
        {
            "subject": s["subject"],
            "svg": Markup(charts.inline_svg(chart_series(body, s["subject"]["name"], s["points"]))),
            "svg_href": chart_url(body["slug"], s["subject"]["id"], "svg"),
            "png_href": chart_url(body["slug"], s["subject"]["id"], "png"),
            "points": s["points"],
        }
        for s in series
    ]
    municipalities = sorted(m.name for m in entities.list_municipalities(model).data)
    return {
        "title": localized(body, "name"),
        "indicator": body,
        "date": answer["date"],
        "dates": [{"date": d, "href": indicator_url(body["slug"], date=d)} for d in answer["dates"]],
        "width": projected.width,
        "height": projected.height,
        "inset": projected.inset_frame,
        "credit": BOUNDARY_CREDIT,
        "charts": charted,
        "charts_pager": _charts_pager(body["slug"], on, page, shown),
        "municipalities": municipalities,
        "form_action": f"/views/indicators/{body['slug']}/observations",
        **_choropleth(model, answer),
    }


def subject_context(model: ReadModel, subject: str) -> dict[str, Any]:
    answer = monitoring.subject_series(model, subject)
    who = answer["subject"]
    charted = [
        {
            "indicator": s["indicator"],
            "svg": Markup(charts.inline_svg(chart_series(s["indicator"], localized(s["indicator"], "name"), s["points"]))),
            "svg_href": chart_url(s["indicator"]["slug"], who["id"], "svg"),
            "png_href": chart_url(s["indicator"]["slug"], who["id"], "png"),
            "href": indicator_url(s["indicator"]["slug"]),
            "name": localized(s["indicator"], "name"),
            "points": s["points"],
        }
        for s in answer["series"]
    ]
    return {"title": who["name"], "subject": who, "charts": charted}


def render_indicators(model: ReadModel) -> str:
    return render_page("indicators.html", "map", **indicators_context(model))


def render_indicator(
    model: ReadModel,
    indicator: str,
    on: dt.date | None,
    session: Session | None,
    form: dict[str, Any] | None = None,
    cursor: str | None = None,
) -> str:
    """The indicator's page (its charts from `cursor`, an offset); its form (with the session's
    CSRF token) only for an editor or admin."""
    context = indicator_context(model, indicator, on, cursor)
    here = indicator_url(context["indicator"]["slug"], date=on.isoformat() if on else None, cursor=cursor or None)
    return render_page("indicator.html", "map", form=form or {}, **editor_controls(session, here), **context)


def render_subject(model: ReadModel, subject: str) -> str:
    return render_page("observations.html", "map", **subject_context(model, subject))
