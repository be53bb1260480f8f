"""Writing and reading knowledge (issue 12): solutions and their adoptions, indicators, the
audit trail. Every write runs through `store.write_transaction` (its change record and the
version counter in the same transaction), is read back before commit, and then updates the
name index in place."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.graph.schema import ADOPTION_STATUSES, NODE_PROPERTIES, SOLUTION_STATUSES, WRITTEN, shape
from app.graph.store import ChangeRecord, WriteTx
from app.services.errors import Conflict, InvalidParameter, NotFound, PreconditionFailed, PreconditionRequired
from app.services.names import NodeRef
from app.services.read_model import ReadModel
from app.services.text import fold
from app.services.tokens import Principal


class WriteVerificationError(Exception):
    """What the store holds after a write differs from what was written (the write is rolled back)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceLink(Strict):
    title: str = Field(min_length=1, max_length=300)
    url: str = Field(max_length=2000)

    @field_validator("url")
    @classmethod
    def http_only(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value, re.IGNORECASE):
            raise ValueError("a source link is an http:// or https:// address")
        return value


class SolutionIn(Strict):
    name: str = Field(min_length=2, max_length=200)
    summary: str = Field(min_length=1, max_length=5000)
    status: Literal[SOLUTION_STATUSES]  # type: ignore[valid-type]
    started: dt.date | None = None
    developed_by: list[str] = Field(default_factory=list, max_length=100)
    tasks: list[str] = Field(default_factory=list, max_length=50)
    themes: list[str] = Field(default_factory=list, max_length=50)
    sources: list[SourceLink] = Field(default_factory=list, max_length=50)


class SolutionPatch(Strict):
    name: str | None = Field(None, min_length=2, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=5000)
    status: Literal[SOLUTION_STATUSES] | None = None  # type: ignore[valid-type]
    started: dt.date | None = None
    developed_by: list[str] | None = Field(None, max_length=100)
    tasks: list[str] | None = Field(None, max_length=50)
    themes: list[str] | None = Field(None, max_length=50)
    sources: list[SourceLink] | None = Field(None, max_length=50)


class AdoptionIn(Strict):
    municipality: str = Field(min_length=1, max_length=200)
    status: Literal[ADOPTION_STATUSES]  # type: ignore[valid-type]
    date: dt.date
    note: str | None = Field(None, max_length=5000)
    source: SourceLink | None = None

    @field_validator("date")
    @classmethod
    def not_in_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError("an adoption date cannot be in the future")
        return value


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def slugify(name: str) -> str:
    import unicodedata

    text = name.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, current: int) -> None:
    if if_match is None:
        raise PreconditionRequired("this change needs If-Match with the current version", expected=f"If-Match: {etag(current)}")
    wanted = [part.strip().removeprefix("W/").strip('"') for part in if_match.split(",")]
    if "*" not in wanted and str(current) not in wanted:
        raise PreconditionFailed(
            f"the solution was changed in between: it is at version {current}", expected=f"If-Match: {etag(current)}"
        )


# -- reading --------------------------------------------------------------------------------
def _solution_node(model: ReadModel, key: str) -> tuple[NodeRef, dict[str, Any]]:
    node = model.resolve(key, ("Solution",), what="solution")
    rows = model.store.read("node_by_id", {"id": node.id}, label="Solution")
    if not rows:
        raise NotFound(f"no solution called '{key}'", expected="the id, slug or name of a solution")
    return node, rows[0]["node"]


def solution_body(model: ReadModel, node: dict[str, Any]) -> dict[str, Any]:
    store, sid = model.store, node["id"]
    adoptions = [
        {
            "id": row["adoption"]["id"],
            "municipality": row["municipality"],
            "code": row["code"],
            "status": row["adoption"].get("status"),
            "date": row["adoption"].get("date"),
            "note": row["adoption"].get("note"),
            "source": _link(row["adoption"].get("source_title"), row["adoption"].get("source_url")),
            "version": row["adoption"].get("version"),
        }
        for row in store.read("solution_adoptions", {"id": sid})
    ]
    return {
        "id": sid,
        "slug": node.get("slug"),
        "name": node.get("name"),
        "summary": node.get("summary"),
        "summary_en": node.get("summary_en"),
        "status": node.get("status"),
        "started": node.get("started"),
        "version": node.get("version") or 1,
        "written": node.get("generation") == WRITTEN,
        "provenance": node.get("source"),
        "developed_by": [
            {"id": r["id"], "kind": r["kind"], "name": r["name"]} for r in store.read("solution_developers", {"id": sid})
        ],
        "tasks": [r["code"] for r in store.read("solution_tasks", {"id": sid})],
        "themes": [r["slug"] for r in store.read("solution_themes", {"id": sid})],
        "sources": [
            {"title": t, "url": u} for t, u in zip(node.get("source_titles") or [], node.get("source_urls") or [], strict=False)
        ],
        "adoptions": adoptions,
        "current_adopters": current_adopters(model, sid),
        "resources": [{"slug": r["slug"], "title": r["title"]} for r in store.read("solution_resources", {"id": sid})],
        "created_at": node.get("created_at"),
        "updated_at": node.get("updated_at"),
    }


def _link(title: str | None, url: str | None) -> dict[str, str] | None:
    return {"title": title or "", "url": url} if url else None


def current_adopters(model: ReadModel, solution_id: str) -> list[str]:
    """Municipalities whose latest adoption event is not 'dropped' (the history stays in `adoptions`)."""
    latest: dict[str, str] = {}
    for row in model.store.read("adopters", {"id": solution_id}):
        latest[row["name"]] = row["status"]
    return sorted(name for name, status in latest.items() if status != "dropped")


def adopter_ids(model: ReadModel, solution_id: str) -> set[str]:
    latest: dict[str, str] = {}
    for row in model.store.read("adopters", {"id": solution_id}):
        latest[row["id"]] = row["status"]
    return {mid for mid, status in latest.items() if status != "dropped"}


def list_solutions(model: ReadModel) -> dict[str, Any]:
    def build() -> dict[str, Any]:
        data = [solution_body(model, row["node"]) for row in model.store.read("solutions")]
        return {"data": data, "count": len(data)}

    return model.cached(("solutions",), build)


def get_solution(model: ReadModel, key: str) -> dict[str, Any]:
    _, node = _solution_node(model, key)
    return solution_body(model, node)


def list_indicators(model: ReadModel) -> dict[str, Any]:
    rows = [row["node"] for row in model.store.read("indicators")]
    data = [
        {
            "slug": n["slug"],
            "name_da": n["name_da"],
            "name_en": n["name_en"],
            "unit": n["unit"],
            "min": n["min_value"],
            "max": n["max_value"],
            "better": n["better"],
            "scale": n["scale"],
            "provenance": n.get("source"),
        }
        for n in rows
    ]
    return {"data": data, "count": len(data)}


def list_changes(model: ReadModel, since: int, limit: int) -> dict[str, Any]:
    rows = model.store.read("changes_since", {"since": since, "limit": limit})
    data = [
        {
            "id": int(r["seq"]),
            "at": r["at"],
            "actor": r["actor"],
            "action": r["action"],
            "entity": r["entity"],
            "before": json.loads(r["before"]) if r["before"] else None,
            "after": json.loads(r["after"]) if r["after"] else None,
        }
        for r in rows
    ]
    return {"data": data, "count": len(data), "next": data[-1]["id"] if data else since}


# -- writing --------------------------------------------------------------------------------
def _resolve_all(model: ReadModel, names: list[str], kinds: tuple[str, ...], what: str) -> list[NodeRef]:
    return list({n.id: n for n in (model.resolve(name, kinds, what=what) for name in names)}.values())


def _solution_row(node_id: str, slug: str, values: dict[str, Any], version: int, created: str, source: str) -> dict[str, Any]:
    row: dict[str, Any] = {"property_sources": None, **dict.fromkeys(NODE_PROPERTIES["Solution"])}
    row.update(
        id=node_id,
        name=values["name"],
        slug=slug,
        summary=values["summary"],
        status=values["status"],
        started=values["started"].isoformat() if values.get("started") else None,
        source_titles=[s["title"] for s in values.get("sources") or []],
        source_urls=[s["url"] for s in values.get("sources") or []],
        version=version,
        created_at=created,
        updated_at=_now(),
        source=source,
    )
    return row


def _write_solution_links(
    tx: WriteTx, node_id: str, developers: list[NodeRef], tasks: list[NodeRef], themes: list[NodeRef], source: str
) -> None:
    for rel_type, from_label, to_label in (("BELONGS_TO", "Solution", "Task"), ("ABOUT", "Solution", "Theme")):
        tx.run("delete_out_relationships", {"id": node_id}, rel=shape(rel_type, from_label, to_label))
    for label in ("Municipality", "Region"):  # DEVELOPED points at the solution: delete from its side
        tx.run("delete_in_developed", {"id": node_id}, rel=shape("DEVELOPED", label, "Solution"))
    for dev in developers:
        _link_one(tx, shape("DEVELOPED", dev.kind, "Solution"), dev.id, node_id, source)
    for task in tasks:
        _link_one(tx, shape("BELONGS_TO", "Solution", "Task"), node_id, task.id, source)
    for theme in themes:
        _link_one(tx, shape("ABOUT", "Solution", "Theme"), node_id, theme.id, source)


def _link_one(tx: WriteTx, rel: Any, source_id: str, target_id: str, provenance: str) -> None:
    row = {"source_id": source_id, "target_id": target_id, "role": None, "detail": None, "source": provenance}
    tx.run("merge_relationships", {"rows": [row], "generation": WRITTEN}, rel=rel)


def _verify_solution(tx: WriteTx, row: dict[str, Any], developers: int, tasks: int, themes: int) -> None:
    stored = tx.run("node_by_id", {"id": row["id"]}, label="Solution")
    if not stored or stored[0]["node"].get("version") != row["version"] or stored[0]["node"].get("name") != row["name"]:
        raise WriteVerificationError(f"the store did not keep solution {row['id']}")
    counts = {
        "developers": len(tx.run("solution_developers", {"id": row["id"]})),
        "tasks": len(tx.run("solution_tasks", {"id": row["id"]})),
        "themes": len(tx.run("solution_themes", {"id": row["id"]})),
    }
    if counts != {"developers": developers, "tasks": tasks, "themes": themes}:
        raise WriteVerificationError(f"the store did not keep the links of solution {row['id']}: {counts}")


def _snapshot(row: dict[str, Any], developers: list[NodeRef], tasks: list[NodeRef], themes: list[NodeRef]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("id", "slug", "name", "summary", "status", "started", "version")},
        "sources": [{"title": t, "url": u} for t, u in zip(row["source_titles"], row["source_urls"], strict=True)],
        "developed_by": sorted(d.id for d in developers),
        "tasks": sorted(t.key for t in tasks),
        "themes": sorted(t.key for t in themes),
    }


def _name_taken(model: ReadModel, name: str, other_than: str | None = None) -> None:
    key = fold(name)
    for node in model.names().of_kind("Solution"):
        if node.id != other_than and fold(node.name) == key:
            raise Conflict(f"a solution called '{node.name}' exists", expected="another name", suggestions=[node.name])


def create_solution(model: ReadModel, who: Principal, body: SolutionIn) -> dict[str, Any]:
    developers = _resolve_all(model, body.developed_by, ("Municipality", "Region"), "municipality or region")
    tasks = _resolve_all(model, body.tasks, ("Task",), "task")
    themes = _resolve_all(model, body.themes, ("Theme",), "theme")
    slug = slugify(body.name)
    if not slug:
        raise InvalidParameter("the name has no letters or digits", expected="a name such as 'Klimaskovsaftaler'")
    node_id = f"solution:{slug}"
    values = body.model_dump()
    provenance = f"written by {who.name} through the API"

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        _name_taken(model, body.name)
        if tx.run("node_by_id", {"id": node_id}, label="Solution"):
            raise Conflict(f"a solution with the slug '{slug}' exists", expected="another name")
        row = _solution_row(node_id, slug, values, 1, _now(), provenance)
        tx.run("merge_solution_nodes", {"rows": [row], "generation": WRITTEN})
        _write_solution_links(tx, node_id, developers, tasks, themes, provenance)
        _verify_solution(tx, row, len(developers), len(tasks), len(themes))
        return row, ChangeRecord(who.name, "create", node_id, None, _snapshot(row, developers, tasks, themes))

    row = model.store.write_transaction(write)
    model.names().put("Solution", {"id": node_id, "name": row["name"], "slug": slug})
    return get_solution(model, node_id)


def update_solution(model: ReadModel, who: Principal, key: str, body: SolutionPatch, if_match: str | None) -> dict[str, Any]:
    ref, _ = _solution_node(model, key)
    changes = body.model_dump(exclude_unset=True)
    for field_name in ("name", "summary", "status"):
        if field_name in changes and changes[field_name] is None:
            raise InvalidParameter(f"{field_name} cannot be emptied", expected=f"a {field_name}")
    developers = (
        _resolve_all(model, changes["developed_by"], ("Municipality", "Region"), "municipality or region")
        if "developed_by" in changes
        else None
    )
    tasks = _resolve_all(model, changes["tasks"], ("Task",), "task") if "tasks" in changes else None
    themes = _resolve_all(model, changes["themes"], ("Theme",), "theme") if "themes" in changes else None

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        stored = tx.run("node_by_id", {"id": ref.id}, label="Solution")
        if not stored:
            raise NotFound(f"no solution called '{key}'", expected="the id, slug or name of a solution")
        current = stored[0]["node"]
        _writable(current)
        check_if_match(if_match, int(current.get("version") or 1))
        if "name" in changes:
            _name_taken(model, changes["name"], other_than=ref.id)
        old_dev = [_ref(r) for r in tx.run("solution_developers", {"id": ref.id})]
        old_tasks = [NodeRef(f"task:{r['code']}", "Task", r["name"], r["code"]) for r in tx.run("solution_tasks", {"id": ref.id})]
        old_themes = [
            NodeRef(f"theme:{r['slug']}", "Theme", r["name"], r["slug"]) for r in tx.run("solution_themes", {"id": ref.id})
        ]
        before_row = _solution_row(
            ref.id,
            current["slug"],
            _values(current),
            int(current.get("version") or 1),
            current.get("created_at"),
            current.get("source"),
        )
        values = {**_values(current), **{k: v for k, v in changes.items() if k not in ("developed_by", "tasks", "themes")}}
        row = _solution_row(
            ref.id,
            current["slug"],
            values,
            int(current.get("version") or 1) + 1,
            current.get("created_at"),
            current.get("source"),
        )
        new_dev, new_tasks, new_themes = (
            developers or old_dev,
            tasks if tasks is not None else old_tasks,
            themes if themes is not None else old_themes,
        )
        if developers is not None and not developers:
            new_dev = []
        tx.run("merge_solution_nodes", {"rows": [row], "generation": WRITTEN})
        _write_solution_links(tx, ref.id, new_dev, new_tasks, new_themes, current.get("source") or "")
        _verify_solution(tx, row, len(new_dev), len(new_tasks), len(new_themes))
        return row, ChangeRecord(
            who.name,
            "update",
            ref.id,
            _snapshot(before_row, old_dev, old_tasks, old_themes),
            _snapshot(row, new_dev, new_tasks, new_themes),
        )

    row = model.store.write_transaction(write)
    model.names().put("Solution", {"id": ref.id, "name": row["name"], "slug": row["slug"]})
    return get_solution(model, ref.id)


def delete_solution(model: ReadModel, who: Principal, key: str, if_match: str | None) -> None:
    ref, _ = _solution_node(model, key)

    def write(tx: WriteTx) -> tuple[None, ChangeRecord]:
        stored = tx.run("node_by_id", {"id": ref.id}, label="Solution")
        if not stored:
            raise NotFound(f"no solution called '{key}'", expected="the id, slug or name of a solution")
        current = stored[0]["node"]
        _writable(current)
        check_if_match(if_match, int(current.get("version") or 1))
        if tx.run("solution_adoptions", {"id": ref.id}):
            raise Conflict("the solution has adoptions; their history would be lost", expected="a solution without adoptions")
        tx.run("delete_node", {"id": ref.id}, label="Solution")
        if tx.run("node_by_id", {"id": ref.id}, label="Solution"):
            raise WriteVerificationError(f"the store did not delete {ref.id}")
        before = {k: current.get(k) for k in ("id", "slug", "name", "summary", "status", "started", "version")}
        return None, ChangeRecord(who.name, "delete", ref.id, before, None)

    model.store.write_transaction(write)
    model.names().remove(ref.id)


def add_adoption(model: ReadModel, who: Principal, key: str, body: AdoptionIn) -> dict[str, Any]:
    solution, _ = _solution_node(model, key)
    municipality = model.resolve(body.municipality, ("Municipality",), what="municipality")
    adoption_id = f"adoption:{uuid.uuid4().hex[:12]}"
    name = f"{municipality.name}: {solution.name} ({body.status}, {body.date.isoformat()})"
    provenance = body.source.title if body.source else f"written by {who.name} through the API"

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        now = _now()
        row: dict[str, Any] = {"property_sources": None, **dict.fromkeys(NODE_PROPERTIES["Adoption"])}
        row.update(
            id=adoption_id,
            name=name,
            status=body.status,
            date=body.date.isoformat(),
            note=body.note,
            source_title=body.source.title if body.source else None,
            source_url=body.source.url if body.source else None,
            version=1,
            created_at=now,
            updated_at=now,
            source=provenance,
        )
        tx.run("merge_adoption_nodes", {"rows": [row], "generation": WRITTEN})
        _link_one(tx, shape("ADOPTS", "Municipality", "Adoption"), municipality.id, adoption_id, provenance)
        _link_one(tx, shape("OF_SOLUTION", "Adoption", "Solution"), adoption_id, solution.id, provenance)
        found = [r for r in tx.run("solution_adoptions", {"id": solution.id}) if r["adoption"]["id"] == adoption_id]
        if len(found) != 1 or found[0]["municipality_id"] != municipality.id:
            raise WriteVerificationError(f"the store did not keep adoption {adoption_id}")
        after = {k: row[k] for k in ("id", "status", "date", "note", "source_title", "source_url", "version")}
        after |= {"municipality": municipality.id, "solution": solution.id}
        return row, ChangeRecord(who.name, "create", adoption_id, None, after)

    row = model.store.write_transaction(write)
    model.names().put("Adoption", {"id": adoption_id, "name": name})
    return {
        "id": adoption_id,
        "solution": solution.id,
        "municipality": municipality.name,
        "code": int(municipality.key),
        "status": row["status"],
        "date": row["date"],
        "note": row["note"],
        "source": _link(row["source_title"], row["source_url"]),
        "version": 1,
    }


def _ref(row: dict[str, Any]) -> NodeRef:
    return NodeRef(row["id"], row["kind"], row["name"], row["id"])


def _values(node: dict[str, Any]) -> dict[str, Any]:
    started = node.get("started")
    return {
        "name": node.get("name"),
        "summary": node.get("summary"),
        "status": node.get("status"),
        "started": dt.date.fromisoformat(started) if started else None,
        "sources": [
            {"title": t, "url": u} for t, u in zip(node.get("source_titles") or [], node.get("source_urls") or [], strict=False)
        ],
    }


def _writable(node: dict[str, Any]) -> None:
    if node.get("generation") != WRITTEN:
        raise Conflict(
            f"'{node.get('name')}' comes from the seed; change it in seed/knowledge.yaml",
            expected="a solution written through the API",
        )
