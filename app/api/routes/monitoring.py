"""Monitoring pages: the indicators, an indicator on the map and over time, a municipality's
observations, the charts as SVG/PNG, and the form that records an observation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from app.api.deps import ModelDep, SessionDep, SessionsDep, SettingsDep
from app.api.forms import FormDep, form_body, form_write, page
from app.api.params import name_path, name_query
from app.api.routes.views import ERROR_PAGES, PAGE, _headers, _html, _picture, _view
from app.services.knowledge import observations
from app.services.knowledge.writes import Date
from app.services.paging import CURSOR_MAX_LENGTH, CURSOR_PATTERN
from app.services.tokens import Principal
from app.views import monitoring

router = APIRouter(tags=["views"], responses=ERROR_PAGES)
Slug = Annotated[str, name_path("an indicator's slug or name: `carl`, `new-forest`", "carl")]
Day = Annotated[Date | None, Query(description="The date shown (YYYY-MM-DD): each one's latest value on or before it")]
ChartsCursor = Annotated[
    str | None,
    Query(
        max_length=CURSOR_MAX_LENGTH,
        pattern=CURSOR_PATTERN,
        description="Where the page's charts start: the offset of the first subject (by name) shown",
    ),
]
Subject = Annotated[str, name_query("A municipality, work package or solution", "Vejle")]


@router.get("/views/indicators", response_class=HTMLResponse, responses=PAGE)
def indicators_view(model: ModelDep, settings: SettingsDep) -> Response:
    """Every indicator, linked to its page."""
    return _view(settings, lambda: _html(settings, monitoring.render_indicators(model), False, ""))


@router.get("/views/indicators/{slug}", response_class=HTMLResponse, responses=PAGE)
def indicator_view(
    model: ModelDep, settings: SettingsDep, session: SessionDep, slug: Slug, date: Day = None, cursor: ChartsCursor = None
) -> Response:
    """The indicator across the municipalities on `date` (each one's latest value on or before it),
    and its time series per subject, a page of subjects at a time; for an editor, the form that
    records an observation."""
    return _view(
        settings,
        lambda: page(settings, monitoring.render_indicator(model, slug, date, session, cursor=cursor)),
        lambda s: monitoring.indicator_url(s, date=date.isoformat() if date else None, cursor=cursor),
    )


def _chart(model: ModelDep, settings: SettingsDep, slug: str, subject: str, fmt: str) -> Response:
    def build() -> Response:
        picture = monitoring.subject_chart(model, slug, subject, fmt)
        filename = f"lifeact-{''.join(c for c in slug if c.isalnum() or c == '-')[:40]}-chart.{fmt}"
        media = "image/svg+xml" if fmt == "svg" else "image/png"
        return Response(
            picture, media_type=media, headers=_headers(settings, {"Content-Disposition": f'inline; filename="{filename}"'})
        )

    return _view(settings, build)


@router.get(
    "/views/indicators/{slug}/chart.svg", response_class=Response, responses=_picture("image/svg+xml", "The chart as SVG")
)
def chart_svg(model: ModelDep, settings: SettingsDep, slug: Slug, subject: Subject) -> Response:
    """A subject's time series of the indicator as SVG (axes, unit, dates, sources)."""
    return _chart(model, settings, slug, subject, "svg")


@router.get("/views/indicators/{slug}/chart.png", response_class=Response, responses=_picture("image/png", "The chart as PNG"))
def chart_png(model: ModelDep, settings: SettingsDep, slug: Slug, subject: Subject) -> Response:
    """The same chart as PNG."""
    return _chart(model, settings, slug, subject, "png")


@router.post("/views/indicators/{slug}/observations", response_class=HTMLResponse, include_in_schema=False)
def record_observation(
    model: ModelDep, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep, slug: Slug
) -> Response:
    """The form's observation: back to the indicator on that date when saved; the page again, with
    what was typed and why it was refused, when not (nothing written)."""

    def write(who: Principal) -> str:
        source = {"title": form.get("source_title", ""), "url": form.get("source_url", "")}
        fields = {k: form.get(k, "") for k in ("subject", "value", "date")}
        body = form_body(observations.ObservationIn, fields | {"indicator": slug, "source": source})
        saved = observations.record(model, who, body)
        return monitoring.indicator_url(saved["indicator"], date=saved["date"])

    def again(kept: dict[str, Any]) -> str:
        return monitoring.render_indicator(model, slug, None, session, kept)

    return _view(settings, lambda: form_write(settings, sessions, session, form, write, again))


@router.get("/views/municipalities/{name}", response_class=HTMLResponse, responses=PAGE)
def municipality_view(
    model: ModelDep, settings: SettingsDep, name: Annotated[str, name_path("A municipality: code or name", "Vejle")]
) -> Response:
    """A municipality's observations, one chart per indicator."""
    return _view(
        settings,
        lambda: _html(settings, monitoring.render_subject(model, name), False, ""),
        monitoring.subject_url,
    )
