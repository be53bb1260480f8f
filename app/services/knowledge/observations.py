"""Observations: a dated value of an indicator for a municipality, a work package or a solution,
with its source. The indicator's range bounds the value; a date cannot lie in the future."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import Field

from app.graph.schema import WRITTEN, shape
from app.graph.store import ChangeRecord, WriteTx
from app.i18n import N_
from app.i18n import gettext as _
from app.seed import indicator_id as indicator_id_of
from app.services.errors import InvalidParameter, NotFound
from app.services.knowledge.writes import (
    PastDate,
    SourceLink,
    Strict,
    WriteVerificationError,
    absent,
    blank_row,
    current,
    delete_verified,
    empty_not_allowed,
    link,
    link_one,
    now,
    stored_row,
)
from app.services.names import NodeRef
from app.services.paging import PageRequest, read_page
from app.services.read_model import ReadModel
from app.services.text import shorten
from app.services.tokens import Principal

SUBJECTS = ("Municipality", "WorkPackage", "Solution")
SUBJECT_WORDS = N_("municipality, work package or solution")
FIELDS = ("id", "value", "date", "source_title", "source_url", "version")
SERIES_LIMIT = 10_000


class ObservationIn(Strict):
    subject: str = Field(min_length=1, max_length=200)
    indicator: str = Field(min_length=1, max_length=200)
    value: float = Field(allow_inf_nan=False)
    date: PastDate
    source: SourceLink


class ObservationPatch(Strict):
    value: float = absent(allow_inf_nan=False)
    date: PastDate = absent()
    source: SourceLink = absent()


def _body(row: dict[str, Any]) -> dict[str, Any]:
    o = row["observation"]
    return {
        "id": o["id"],
        "subject": {"id": row["subject_id"], "kind": row["subject_kind"], "name": row["subject"]},
        "indicator": row["indicator"],
        "unit": row["unit"],
        "value": o.get("value"),
        "date": o.get("date"),
        "source": link(o.get("source_title"), o.get("source_url")),
        "version": o.get("version"),
        "created_at": o.get("created_at"),
        "updated_at": o.get("updated_at"),
    }


# A subject's label from its id (app.seed's ids): its observations are read from that label's id index.
SUBJECT_PREFIXES = {"municipality:": "Municipality", "workpackage:": "WorkPackage", "solution:": "Solution"}


def series_params(
    subject: str = "", indicator: str = "", first: str = "", last: str = "", limit: int = SERIES_LIMIT, skip: int = 0
) -> dict[str, Any]:
    """The parameters of `observations_of` (and of `observations_of_subject`): '' leaves a filter out."""
    return {
        "subject": subject,
        "indicator": indicator,
        "first": first,
        "last": last,
        "skip": skip,
        "limit": limit,
        "blank": "",
    }


def bodies(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The API's observation bodies of rows shaped as `observations_of`'s."""
    return [_body(row) for row in rows]


def subject_label(subject_id: str) -> str | None:
    return next((label for prefix, label in SUBJECT_PREFIXES.items() if subject_id.startswith(prefix)), None)


def of_subject(model: ReadModel, subject_id: str) -> list[dict[str, Any]]:
    """A subject's observations, oldest first (at most SERIES_LIMIT); none for an id of another kind."""
    label = subject_label(subject_id)
    if label is None:
        return []
    rows = model.store.read("observations_of_subject", series_params(subject=subject_id), label=label)
    return [_body(row) for row in rows]


def _page(
    model: ReadModel, subject: NodeRef | None, params: dict[str, Any], page: PageRequest
) -> tuple[list[dict[str, Any]], int]:
    """One page of observations and their total: one subject's read from its label's id index."""
    if subject is None:
        return read_page(model, page, "observations_of", "observations_total", params)
    return read_page(model, page, "observations_of_subject", "observations_of_subject_total", params, subject.kind)


def series(
    model: ReadModel,
    subject: str | None,
    indicator: str | None,
    start: dt.date | None,
    end: dt.date | None,
    page: PageRequest | None = None,
) -> dict[str, Any]:
    """A page of observations oldest first; each filter optional (a subject and an indicator make
    one time series)."""
    if start and end and start > end:
        raise InvalidParameter(
            _("from ({start}) is after to ({end})").format(start=start, end=end), expected=_("from on or before to")
        )
    page = page or PageRequest.first("observations")
    subject_ref = model.resolve(subject, SUBJECTS, what=SUBJECT_WORDS) if subject else None
    indicator_ref = model.resolve(indicator, ("Indicator",), what="indicator") if indicator else None
    params = series_params(
        subject_ref.id if subject_ref else "",
        indicator_ref.id if indicator_ref else "",
        start.isoformat() if start else "",
        end.isoformat() if end else "",
    )
    del params["skip"], params["limit"]  # the page's
    rows, total = _page(model, subject_ref, params, page)
    shown = page.page([_body(row) for row in rows], total)
    return {
        "subject": _ref(subject_ref),
        "indicator": indicator_ref.key if indicator_ref else None,
        "data": shown.data,
        "count": shown.count,
        "total": shown.total,
        "limit": shown.limit,
        "next_cursor": shown.next_cursor,
    }


def _ref(node: NodeRef | None) -> dict[str, str] | None:
    return {"id": node.id, "kind": node.kind, "name": node.name} if node else None


def get(model: ReadModel, observation_id: str) -> dict[str, Any]:
    rows = model.store.read("observation_by_id", {"id": observation_id})
    if not rows:
        raise NotFound(
            _("no observation '{id}'").format(id=shorten(observation_id)),
            expected=_("the id of an observation (GET /api/observations)"),
        )
    return _body(rows[0])


def _in_range(model: ReadModel, indicator_id: str, value: float) -> None:
    rows = model.store.read("node_by_id", {"id": indicator_id}, label="Indicator")
    if not rows:
        raise NotFound(_("no indicator '{key}'").format(key=indicator_id), expected=_("an indicator of GET /api/indicators"))
    node = rows[0]["node"]
    low, high = node["min_value"], node["max_value"]
    if not low <= value <= high:
        raise InvalidParameter(
            _("{value} is outside the range of {indicator} ({low} to {high} {unit})").format(
                value=f"{value:g}", indicator=node["slug"], low=f"{low:g}", high=f"{high:g}", unit=node["unit"]
            ),
            expected=_("a value from {low} to {high}").format(low=f"{low:g}", high=f"{high:g}"),
        )


def observation_name(indicator: str, subject: str, date: str) -> str:
    return f"{indicator}: {subject} ({date})"


def _verify(tx: WriteTx, row: dict[str, Any], subject_id: str, indicator_id: str) -> None:
    found = tx.run("observation_by_id", {"id": row["id"]})
    if (
        len(found) != 1
        or found[0]["subject_id"] != subject_id
        or found[0]["indicator_id"] != indicator_id
        or any(found[0]["observation"].get(k) != row[k] for k in FIELDS)
    ):
        raise WriteVerificationError(f"the store did not keep observation {row['id']}")


def _after(row: dict[str, Any], subject_id: str, indicator_id: str) -> dict[str, Any]:
    return {k: row[k] for k in FIELDS} | {"subject": subject_id, "indicator": indicator_id}


def record(model: ReadModel, who: Principal, request: ObservationIn) -> dict[str, Any]:
    subject = model.resolve(request.subject, SUBJECTS, what=SUBJECT_WORDS)
    indicator = model.resolve(request.indicator, ("Indicator",), what="indicator")
    _in_range(model, indicator.id, request.value)
    observation_id = f"observation:{uuid.uuid4().hex[:12]}"
    date = request.date.isoformat()

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        at = now()
        row = blank_row("Observation") | {
            "id": observation_id,
            "name": observation_name(indicator.key, subject.name, date),
            "value": float(request.value),
            "date": date,
            "source_title": request.source.title,
            "source_url": request.source.url,
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "source": request.source.title,
        }
        tx.run("merge_observation_nodes", {"rows": [row], "generation": WRITTEN})
        link_one(tx, shape("OBSERVES", "Observation", subject.kind), observation_id, subject.id, row["source"])
        link_one(tx, shape("MEASURES", "Observation", "Indicator"), observation_id, indicator.id, row["source"])
        _verify(tx, row, subject.id, indicator.id)
        return row, ChangeRecord(who.name, "create", observation_id, None, _after(row, subject.id, indicator.id))

    row = model.store.write_transaction(write)
    model.names().put("Observation", {"id": observation_id, "name": row["name"]})
    return get(model, observation_id)


def update(
    model: ReadModel, who: Principal, observation_id: str, request: ObservationPatch, if_match: str | None
) -> dict[str, Any]:
    before_read = get(model, observation_id)
    subject_id, indicator_id = before_read["subject"]["id"], indicator_id_of(before_read["indicator"])
    changes = request.model_dump(exclude_unset=True)
    empty_not_allowed(changes, ("value", "date", "source"))
    if "value" in changes:
        _in_range(model, indicator_id, changes["value"])

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        stored = current(tx, "Observation", observation_id, "observation", if_match, "the API")
        row = stored_row("Observation", stored)
        if "value" in changes:
            row["value"] = float(changes["value"])
        if "date" in changes:
            row["date"] = changes["date"].isoformat()
        if "source" in changes:
            row["source_title"], row["source_url"] = changes["source"]["title"], changes["source"]["url"]
            row["source"] = changes["source"]["title"]
        row |= {
            "name": observation_name(before_read["indicator"], before_read["subject"]["name"], row["date"]),
            "version": int(stored.get("version") or 1) + 1,
            "updated_at": now(),
        }
        tx.run("merge_observation_nodes", {"rows": [row], "generation": WRITTEN})
        _verify(tx, row, subject_id, indicator_id)
        before = _after({k: stored.get(k) for k in FIELDS}, subject_id, indicator_id)
        return row, ChangeRecord(who.name, "update", observation_id, before, _after(row, subject_id, indicator_id))

    row = model.store.write_transaction(write)
    model.names().put("Observation", {"id": observation_id, "name": row["name"]})
    return get(model, observation_id)


def delete(model: ReadModel, who: Principal, observation_id: str, if_match: str | None) -> None:
    before_read = get(model, observation_id)
    subject_id, indicator_id = before_read["subject"]["id"], indicator_id_of(before_read["indicator"])

    def write(tx: WriteTx) -> tuple[None, ChangeRecord]:
        stored = current(tx, "Observation", observation_id, "observation", if_match, "the API")
        delete_verified(tx, "Observation", observation_id)
        return None, ChangeRecord(
            who.name, "delete", observation_id, _after({k: stored.get(k) for k in FIELDS}, subject_id, indicator_id), None
        )

    model.store.write_transaction(write)
    model.names().remove(observation_id)


def of_subjects(model: ReadModel, subject_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each solution's observations as `of_subject` answers them (oldest first, at most SERIES_LIMIT),
    read for all of them in one query."""
    found: dict[str, list[dict[str, Any]]] = {subject_id: [] for subject_id in subject_ids}
    for row in model.store.read("observations_of_subjects", {"ids": subject_ids}):
        series_of = found[row["subject_id"]]
        if len(series_of) < SERIES_LIMIT:
            series_of.append(_body(row))
    return found
