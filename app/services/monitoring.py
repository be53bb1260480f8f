"""Monitoring (issue 13): an indicator across the municipalities on a date, and its time series
per subject, built from the observations the knowledge API records. The views and the
notebooks take these answers; nothing here draws."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from app import models
from app.services.knowledge import indicators, observations
from app.services.paging import LIMITS, PageRequest, every_item
from app.services.read_model import ReadModel

Body = dict[str, Any]


def every_body(fetch: Callable[[PageRequest], Body], list_name: str) -> list[Body]:
    """Every item of a paged list whose pages are JSON bodies (the knowledge lists), all pages read."""
    return list(every_item(lambda page: models.Page[Body].model_validate(fetch(page)), LIMITS[list_name].maximum))


def all_indicators(model: ReadModel) -> list[Body]:
    return every_body(lambda page: indicators.list_indicators(model, page), "indicators")


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return dict(groups)


def indicator_on(model: ReadModel, indicator: str, on: dt.date | None = None) -> dict[str, Any]:
    """The indicator for every subject on a date: each subject's latest observation on or before
    it (today without a date). A subject observed only later has no value yet on that date."""
    body = indicators.get(model, indicator)
    day = on or dt.date.today()
    rows = observations.series(model, None, body["slug"], None, day)["data"]
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:  # oldest first, so the last one seen is the latest
        latest[row["subject"]["id"]] = row
    dates = sorted({row["date"] for row in observations.series(model, None, body["slug"], None, None)["data"]})
    return {"indicator": body, "date": day.isoformat(), "values": latest, "dates": dates}


def indicator_series(model: ReadModel, indicator: str) -> dict[str, Any]:
    """The indicator's time series, one per subject observed (oldest first), subjects by name."""
    body = indicators.get(model, indicator)
    rows = observations.series(model, None, body["slug"], None, None)["data"]
    by_subject = _grouped([row | {"subject_id": row["subject"]["id"]} for row in rows], "subject_id")
    series = sorted(by_subject.values(), key=lambda points: points[0]["subject"]["name"])
    return {"indicator": body, "series": [{"subject": points[0]["subject"], "points": points} for points in series]}


def subject_series(model: ReadModel, subject: str) -> dict[str, Any]:
    """A subject's observations as one time series per indicator (indicators by slug)."""
    answer = observations.series(model, subject, None, None, None)
    by_indicator = _grouped(answer["data"], "indicator")
    return {
        "subject": answer["subject"],
        "series": [{"indicator": indicators.get(model, slug), "points": by_indicator[slug]} for slug in sorted(by_indicator)],
    }
