"""Monitoring (issue 13): an indicator across the municipalities on a date, and its time series
per subject, built from the observations the knowledge API records. The views and the
notebooks take these answers; nothing here draws."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from app import models
from app.seed import indicator_id
from app.services.knowledge import indicators, observations
from app.services.paging import LIMITS, PageRequest, every_item, read_page
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


# How many of an indicator's latest dates its page and `indicator_on` name (each a link on the page).
DATES_SHOWN = 200


def indicator_dates(model: ReadModel, indicator_id: str) -> list[str]:
    """The dates the indicator was observed on, oldest first: the latest DATES_SHOWN of them."""
    rows = model.store.read("indicator_dates", {"indicator": indicator_id, "limit": DATES_SHOWN})
    return sorted(row["date"] for row in rows)


def indicator_on(
    model: ReadModel, indicator: str, on: dt.date | None = None, subjects: list[str] | None = None
) -> dict[str, Any]:
    """The indicator for every subject (or the subjects with the ids `subjects`) on a date: each
    subject's latest observation on or before it (today without a date). A subject observed only
    later has no value yet on that date. The store finds each one's latest date."""
    body = indicators.get(model, indicator)
    day = on or dt.date.today()
    params = {
        "indicator": indicator_id(body["slug"]),
        "last": day.isoformat(),
        "every": subjects is None,
        "ids": subjects or [""],  # a typed list, though no id matches it
    }
    latest: dict[str, dict[str, Any]] = {}
    for row in observations.bodies(model.store.read("indicator_latest", params)):
        latest[row["subject"]["id"]] = row  # oldest first: the last one seen that day is the latest
    return {"indicator": body, "date": day.isoformat(), "values": latest, "dates": indicator_dates(model, params["indicator"])}


def _per_subject(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return _grouped([row | {"subject_id": row["subject"]["id"]} for row in rows], "subject_id")


def indicator_series(model: ReadModel, indicator: str, page: PageRequest | None = None) -> dict[str, Any]:
    """The indicator's time series, one per subject observed (oldest first), subjects by name:
    every one (at most SERIES_LIMIT observations in all), or a page of subjects with the list's
    `total`, `limit` and `next_cursor`."""
    body = indicators.get(model, indicator)
    iid = indicator_id(body["slug"])
    if page is None:
        rows = observations.bodies(model.store.read("observations_of", observations.series_params(indicator=iid)))
        by_subject = _per_subject(rows)
        series = sorted(by_subject.values(), key=lambda points: points[0]["subject"]["name"])
        return {"indicator": body, "series": [{"subject": points[0]["subject"], "points": points} for points in series]}
    subjects, total = read_page(model, page, "indicator_subjects", "indicator_subjects_total", {"indicator": iid})
    params = {"indicator": iid, "ids": [s["id"] for s in subjects] or [""], "limit": observations.SERIES_LIMIT}
    by_subject = _per_subject(observations.bodies(model.store.read("indicator_observations_of", params)))
    charted = [by_subject[s["id"]] for s in subjects if s["id"] in by_subject]
    shown = page.page([{"subject": points[0]["subject"], "points": points} for points in charted], total)
    return {"indicator": body, "series": shown.data, "total": total, "limit": shown.limit, "next_cursor": shown.next_cursor}


def subject_series(model: ReadModel, subject: str) -> dict[str, Any]:
    """A subject's observations as one time series per indicator (indicators by slug)."""
    ref = model.resolve(subject, observations.SUBJECTS, what=observations.SUBJECT_WORDS)
    rows = observations.bodies(
        model.store.read("observations_of_subject", observations.series_params(subject=ref.id), label=ref.kind)
    )
    by_indicator = _grouped(rows, "indicator")
    return {
        "subject": {"id": ref.id, "kind": ref.kind, "name": ref.name},
        "series": [{"indicator": indicators.get(model, slug), "points": by_indicator[slug]} for slug in sorted(by_indicator)],
    }
