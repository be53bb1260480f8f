"""Monitoring pages: the indicators, an indicator on the map and over time, a municipality's
observations, the charts as SVG/PNG, and the form that records an observation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import ModelDep, SettingsDep
from app.api.page_editor import form_body, handle_form
from app.api.routes.views import _headers, _html, _required, _view
from app.i18n import gettext as _
from app.services.errors import InvalidParameter
from app.services.knowledge import observations
from app.services.text import shorten
from app.views import monitoring

router = APIRouter(tags=["views"])
Slug = Annotated[str, Path(max_length=200, description="an indicator's slug or name: `carl`, `new-forest`")]
Text = Annotated[str | None, Query(max_length=400)]


def _date(value: str | None) -> dt.date | None:
    if not value or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidParameter(
            _("date='{value}' is not a date").format(value=shorten(value, 20)), expected="date=YYYY-MM-DD"
        ) from None


@router.get("/views/indicators", response_class=HTMLResponse)
def indicators_view(model: ModelDep, settings: SettingsDep) -> Response:
    """Every indicator, linked to its page."""
    return _view(settings, lambda: _html(settings, monitoring.render_indicators(model), False, ""))


@router.get("/views/indicators/{slug}", response_class=HTMLResponse)
def indicator_view(model: ModelDep, settings: SettingsDep, slug: Slug, date: Text = None) -> Response:
    """The indicator across the municipalities on `date` (each one's latest value on or before it),
    and its time series per subject."""
    return _view(
        settings,
        lambda: _html(settings, monitoring.render_indicator(model, slug, _date(date)), False, ""),
        lambda s: monitoring.indicator_url(s, date=date),
    )


def _chart(model: ModelDep, settings: SettingsDep, slug: str, subject: str | None, fmt: str) -> Response:
    def build() -> Response:
        who = _required("subject", subject, _("a municipality, work package or solution"))
        picture = monitoring.subject_chart(model, slug, who, fmt)
        filename = f"lifeact-{''.join(c for c in slug if c.isalnum() or c == '-')[:40]}-chart.{fmt}"
        media = "image/svg+xml" if fmt == "svg" else "image/png"
        return Response(
            picture, media_type=media, headers=_headers(settings, {"Content-Disposition": f'inline; filename="{filename}"'})
        )

    return _view(settings, build)


@router.get("/views/indicators/{slug}/chart.svg", response_class=Response)
def chart_svg(model: ModelDep, settings: SettingsDep, slug: Slug, subject: Text = None) -> Response:
    """A subject's time series of the indicator as SVG (axes, unit, dates, sources)."""
    return _chart(model, settings, slug, subject, "svg")


@router.get("/views/indicators/{slug}/chart.png", response_class=Response)
def chart_png(model: ModelDep, settings: SettingsDep, slug: Slug, subject: Text = None) -> Response:
    """The same chart as PNG."""
    return _chart(model, settings, slug, subject, "png")


@router.post("/views/indicators/{slug}/observations", response_class=HTMLResponse, include_in_schema=False)
async def record_observation(request: Request, model: ModelDep, settings: SettingsDep, slug: Slug) -> Response:
    """The form's observation: back to the indicator on that date when saved; the page again, with
    what was typed and why it was refused, when not (nothing written)."""

    def body(form: dict[str, str]) -> observations.ObservationIn:
        source = {"title": form.get("source_title", ""), "url": form.get("source_url", "")}
        fields = {k: form.get(k, "") for k in ("subject", "value", "date")}
        return form_body(observations.ObservationIn, fields | {"indicator": slug, "source": source})

    return await handle_form(
        request,
        settings,
        body,
        lambda who, request_body: observations.record(model, who, request_body),
        lambda saved: monitoring.indicator_url(saved["indicator"], date=saved["date"]),
        lambda kept: monitoring.render_indicator(model, slug, None, kept),
    )


@router.get("/views/municipalities/{name}", response_class=HTMLResponse)
def municipality_view(model: ModelDep, settings: SettingsDep, name: Annotated[str, Path(max_length=200)]) -> Response:
    """A municipality's observations, one chart per indicator."""
    return _view(
        settings,
        lambda: _html(settings, monitoring.render_subject(model, name), False, ""),
        monitoring.subject_url,
    )
