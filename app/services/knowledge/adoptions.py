"""Adoptions: a municipality taking a solution up, as dated events. The history is kept; the
latest event is the current state, and a municipality whose latest event is not `dropped`
counts as an adopter (considering, planning and piloting included: it is taking it up)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import ConfigDict, Field

from app.graph.schema import ADOPTION_STATUSES, WRITTEN, shape
from app.graph.store import ChangeRecord, WriteTx
from app.i18n import gettext as _
from app.services.errors import NotFound
from app.services.knowledge.writes import (
    NodeName,
    PastDate,
    SourceLink,
    Strict,
    WriteVerificationError,
    absent,
    blank_row,
    current,
    delete_verified,
    empty_not_allowed,
    find,
    link,
    link_one,
    now,
    stored_row,
)
from app.services.read_model import ReadModel
from app.services.text import shorten
from app.services.tokens import Principal


class AdoptionIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"municipality": "Kolding", "status": "adopted", "date": "2025-06-01"}]}
    )

    municipality: NodeName
    status: Literal[ADOPTION_STATUSES]  # type: ignore[valid-type]
    date: PastDate
    note: str | None = Field(None, max_length=5000)
    source: SourceLink | None = None


class AdoptionPatch(Strict):
    status: Literal[ADOPTION_STATUSES] = absent()  # type: ignore[valid-type]
    date: PastDate = absent()
    note: str | None = Field(None, max_length=5000)
    source: SourceLink | None = None


FIELDS = ("id", "status", "date", "note", "source_title", "source_url", "version")


def body(row: dict[str, Any]) -> dict[str, Any]:
    """One adoption event as the API shows it, from a row of `solution_adoptions`."""
    adoption = row["adoption"]
    return {
        "id": adoption["id"],
        "solution": row.get("solution_id"),
        "municipality": row["municipality"],
        "code": row["code"],
        "status": adoption.get("status"),
        "date": adoption.get("date"),
        "note": adoption.get("note"),
        "source": link(adoption.get("source_title"), adoption.get("source_url")),
        "version": adoption.get("version"),
    }


def of_solution(model: ReadModel, solution_id: str) -> list[dict[str, Any]]:
    return [body(row) | {"solution": solution_id} for row in model.store.read("solution_adoptions", {"id": solution_id})]


def latest_events(model: ReadModel, solution_id: str) -> dict[str, dict[str, Any]]:
    """Municipality id -> its latest adoption event of the solution (a row of `adopters`)."""
    latest: dict[str, dict[str, Any]] = {}
    for row in model.store.read("adopters", {"id": solution_id}):  # oldest first: the last one wins
        latest[row["id"]] = row
    return latest


def current_adopters(model: ReadModel, solution_id: str) -> list[str]:
    """Municipalities whose latest adoption event is not 'dropped' (the history stays in `adoptions`)."""
    return sorted(row["name"] for row in latest_events(model, solution_id).values() if row["status"] != "dropped")


def current_of(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest of each municipality's events (rows of `adoptions_of_solutions`, oldest first) that
    is not 'dropped': who has the solution now, as `current_adopters` counts them."""
    latest = {row["municipality_id"]: row for row in events}  # oldest first: the last one wins
    return [row for row in latest.values() if row["adoption"].get("status") != "dropped"]


def adopter_ids(model: ReadModel, solution_id: str) -> set[str]:
    return {mid for mid, row in latest_events(model, solution_id).items() if row["status"] != "dropped"}


def adoption_name(municipality: str, solution: str, status: str, date: str) -> str:
    return f"{municipality}: {solution} ({status}, {date})"


def _after(row: dict[str, Any], municipality_id: str, solution_id: str) -> dict[str, Any]:
    return {k: row[k] for k in FIELDS} | {"municipality": municipality_id, "solution": solution_id}


def _verify(tx: WriteTx, solution_id: str, adoption_id: str, municipality_id: str, row: dict[str, Any]) -> None:
    found = [r for r in tx.run("solution_adoptions", {"id": solution_id}) if r["adoption"]["id"] == adoption_id]
    if (
        len(found) != 1
        or found[0]["municipality_id"] != municipality_id
        or any(found[0]["adoption"].get(k) != row[k] for k in FIELDS)
    ):
        raise WriteVerificationError(f"the store did not keep adoption {adoption_id}")


def record(model: ReadModel, who: Principal, key: str, request: AdoptionIn) -> dict[str, Any]:
    solution, _stored = find(model, key, "Solution", "solution")
    municipality = model.resolve(request.municipality, ("Municipality",), what="municipality")
    adoption_id = f"adoption:{uuid.uuid4().hex[:12]}"
    name = adoption_name(municipality.name, solution.name, request.status, request.date.isoformat())
    provenance = request.source.title if request.source else f"written by {who.name} through the API"

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        at = now()
        row = blank_row("Adoption") | {
            "id": adoption_id,
            "name": name,
            "status": request.status,
            "date": request.date.isoformat(),
            "note": request.note,
            "source_title": request.source.title if request.source else None,
            "source_url": request.source.url if request.source else None,
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "source": provenance,
        }
        tx.run("merge_adoption_nodes", {"rows": [row], "generation": WRITTEN})
        link_one(tx, shape("ADOPTS", "Municipality", "Adoption"), municipality.id, adoption_id, provenance)
        link_one(tx, shape("OF_SOLUTION", "Adoption", "Solution"), adoption_id, solution.id, provenance)
        _verify(tx, solution.id, adoption_id, municipality.id, row)
        return row, ChangeRecord(who.name, "create", adoption_id, None, _after(row, municipality.id, solution.id))

    model.store.write_transaction(write)
    model.names().put("Adoption", {"id": adoption_id, "name": name})
    return get(model, key, adoption_id)


def _event(model: ReadModel, key: str, adoption: str) -> tuple[str, dict[str, Any]]:
    """The solution's id and the adoption event (a row of `solution_adoptions`) that `adoption` names."""
    solution, _stored = find(model, key, "Solution", "solution")
    wanted = adoption if adoption.startswith("adoption:") else f"adoption:{adoption}"
    for row in model.store.read("solution_adoptions", {"id": solution.id}):
        if row["adoption"]["id"] == wanted:
            return solution.id, row
    raise NotFound(
        _("solution '{name}' has no adoption '{id}'").format(name=solution.name, id=shorten(adoption)),
        expected=_("the id of one of its adoptions (GET /api/solutions/{key})"),
    )


def get(model: ReadModel, key: str, adoption: str) -> dict[str, Any]:
    solution_id, row = _event(model, key, adoption)
    return body(row) | {"solution": solution_id}


def update(
    model: ReadModel, who: Principal, key: str, adoption: str, request: AdoptionPatch, if_match: str | None
) -> dict[str, Any]:
    solution_id, event = _event(model, key, adoption)
    adoption_id, municipality_id = event["adoption"]["id"], event["municipality_id"]
    changes = request.model_dump(exclude_unset=True)
    empty_not_allowed(changes, ("status", "date"))
    solution_name = model.node(solution_id).name if model.node(solution_id) else solution_id

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        stored = current(tx, "Adoption", adoption_id, "adoption", if_match, "the API")
        before = {k: stored.get(k) for k in FIELDS}
        row = stored_row("Adoption", stored)
        for field_name in ("status", "note"):
            if field_name in changes:
                row[field_name] = changes[field_name]
        if "date" in changes:
            row["date"] = changes["date"].isoformat()
        if "source" in changes:
            row["source_title"] = changes["source"]["title"] if changes["source"] else None
            row["source_url"] = changes["source"]["url"] if changes["source"] else None
        row |= {
            "name": adoption_name(event["municipality"], solution_name, row["status"], row["date"]),
            "source": stored.get("source"),
            "version": int(stored.get("version") or 1) + 1,
            "updated_at": now(),
        }
        tx.run("merge_adoption_nodes", {"rows": [row], "generation": WRITTEN})
        _verify(tx, solution_id, adoption_id, municipality_id, row)
        after = _after(row, municipality_id, solution_id)
        return row, ChangeRecord(
            who.name, "update", adoption_id, before | {"municipality": municipality_id, "solution": solution_id}, after
        )

    row = model.store.write_transaction(write)
    model.names().put("Adoption", {"id": adoption_id, "name": row["name"]})
    return get(model, solution_id, adoption_id)


def delete(model: ReadModel, who: Principal, key: str, adoption: str, if_match: str | None) -> None:
    solution_id, event = _event(model, key, adoption)
    adoption_id, municipality_id = event["adoption"]["id"], event["municipality_id"]

    def write(tx: WriteTx) -> tuple[None, ChangeRecord]:
        stored = current(tx, "Adoption", adoption_id, "adoption", if_match, "the API")
        delete_verified(tx, "Adoption", adoption_id)
        before = {k: stored.get(k) for k in FIELDS} | {"municipality": municipality_id, "solution": solution_id}
        return None, ChangeRecord(who.name, "delete", adoption_id, before, None)

    model.store.write_transaction(write)
    model.names().remove(adoption_id)
