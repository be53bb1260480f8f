"""Solutions: something concrete made or tested in the project, who developed it, its tasks,
themes and sources; read with its adoptions, observations and resources."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from app.graph.schema import SOLUTION_STATUSES, WRITTEN, shape
from app.graph.store import ChangeRecord, WriteTx
from app.i18n import gettext as _
from app.services.errors import Conflict, InvalidParameter
from app.services.knowledge import adoptions, observations
from app.services.knowledge.writes import (
    Date,
    NodeName,
    SolutionName,
    SourceLink,
    Strict,
    Text,
    WriteVerificationError,
    absent,
    blank_row,
    current,
    delete_verified,
    empty_not_allowed,
    find,
    link_one,
    now,
    record_fields,
    resolve_all,
    slugify,
)
from app.services.names import NodeRef
from app.services.paging import PageRequest, read_page
from app.services.read_model import ReadModel
from app.services.text import danish_key, fold
from app.services.tokens import Principal

SEED_FILE = "seed/knowledge.yaml"


class SolutionIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Klimaskovsaftaler",
                    "summary": "Aftaler med lodsejere om ny skov på klimaskovsjord",
                    "status": "piloting",
                    "started": "2024-03-01",
                    "developed_by": ["Vejle"],
                    "tasks": ["T.5.3"],
                    "themes": ["afforestation"],
                    "sources": [{"title": "Notat", "url": "https://example.dk/notat"}],
                }
            ]
        }
    )

    name: SolutionName
    summary: Text
    status: Literal[SOLUTION_STATUSES]  # type: ignore[valid-type]
    started: Date | None = None
    developed_by: list[NodeName] = Field(default_factory=list, max_length=100)
    tasks: list[NodeName] = Field(default_factory=list, max_length=50)
    themes: list[NodeName] = Field(default_factory=list, max_length=50)
    sources: list[SourceLink] = Field(default_factory=list, max_length=50)


class SolutionPatch(Strict):
    """Only the fields given change; null is refused where a solution cannot do without the field."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "implemented"}]})

    name: SolutionName = absent()
    summary: Text = absent()
    status: Literal[SOLUTION_STATUSES] = absent()  # type: ignore[valid-type]
    started: Date | None = None
    developed_by: list[NodeName] = absent(max_length=100)
    tasks: list[NodeName] = absent(max_length=50)
    themes: list[NodeName] = absent(max_length=50)
    sources: list[SourceLink] = absent(max_length=50)


def solution_body(model: ReadModel, node: dict[str, Any]) -> dict[str, Any]:
    return solution_bodies(model, [node])[0]


def _by_solution(model: ReadModel, query: str, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of a query over many solutions, each solution's in the query's order."""
    grouped: dict[str, list[dict[str, Any]]] = {sid: [] for sid in ids}
    for row in model.store.read(query, {"ids": ids}):
        grouped[row["solution"]].append(row)
    return grouped


def solution_bodies(model: ReadModel, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The solutions' bodies, read in one query per part (developers, tasks, ...) for all of them:
    a page costs the same few reads whatever its size."""
    ids = [node["id"] for node in nodes]
    developers = _by_solution(model, "developers_of_solutions", ids)
    tasks = _by_solution(model, "tasks_of_solutions", ids)
    themes = _by_solution(model, "themes_of_solutions", ids)
    events = _by_solution(model, "adoptions_of_solutions", ids)
    served = _by_solution(model, "resources_of_solutions", ids)
    observed = observations.of_subjects(model, ids)
    return [
        {
            "id": node["id"],
            "slug": node.get("slug"),
            "name": node.get("name"),
            "summary": node.get("summary"),
            "summary_en": node.get("summary_en"),
            "status": node.get("status"),
            "started": node.get("started"),
            "developed_by": [{"id": r["id"], "kind": r["kind"], "name": r["name"]} for r in developers[node["id"]]],
            "tasks": [r["code"] for r in tasks[node["id"]]],
            "themes": [r["slug"] for r in themes[node["id"]]],
            "sources": [
                {"title": t, "url": u}
                for t, u in zip(node.get("source_titles") or [], node.get("source_urls") or [], strict=False)
            ],
            "adoptions": [adoptions.body(row) | {"solution": node["id"]} for row in events[node["id"]]],
            "current_adopters": sorted(row["municipality"] for row in adoptions.current_of(events[node["id"]])),
            "observations": observed[node["id"]],
            "resources": [{"slug": r["slug"], "title": r["title"]} for r in served[node["id"]]],
            **record_fields(node),
        }
        for node in nodes
    ]


def list_solutions(model: ReadModel, page: PageRequest | None = None) -> dict[str, Any]:
    """One page of solutions by name (SKIP/LIMIT in the store)."""
    page = page or PageRequest.first("solutions")

    def build() -> dict[str, Any]:
        rows, total = read_page(model, page, "solution_page", "solution_total")
        return page.page(solution_bodies(model, [row["node"] for row in rows]), total).model_dump()

    return model.cached(("solutions", page), build)


def solutions_by_ids(model: ReadModel, ids: list[str]) -> list[dict[str, Any]]:
    """The bodies of the given solutions, in the order given (an id of no solution is left out)."""
    nodes = {row["node"]["id"]: row["node"] for row in model.store.read("nodes_by_ids", {"ids": ids}, label="Solution")}
    return solution_bodies(model, [nodes[sid] for sid in ids if sid in nodes])


def _regions(model: ReadModel, ids: list[str]) -> dict[str, set[str]]:
    """Each solution's regions: where its developers are (a region, or a municipality's region) and
    where its current adopters are."""
    places: dict[str, set[str]] = {sid: set() for sid in ids}
    for row in model.store.read("developers_of_solutions", {"ids": ids}):
        places[row["solution"]].add(row["name"] if row["kind"] == "Region" else row["region"] or "")
    for sid, events in _by_solution(model, "adoptions_of_solutions", ids).items():
        places[sid] |= {row["region"] or "" for row in adoptions.current_of(events)}
    return places


def matching_solutions(
    model: ReadModel, status: str | None, task: str | None, theme: str | None, region: str | None
) -> list[dict[str, Any]]:
    """The id and name of every solution with the status, task, theme (keys) and region (its name)
    given, in Danish order of names: status, task and theme are tested in the store, the region on
    the developers and current adopters of those only. Cheap to read for every solution, so a page
    reads the bodies of its own solutions alone (`solutions_by_ids`)."""
    ids = {
        field: model.resolve(key, (label,)).id if key else ""
        for field, key, label in (("task", task, "Task"), ("theme", theme, "Theme"))
    }
    found = model.store.read("solutions_matching", {"status": status or "", "blank": "", **ids})
    if region:
        regions = _regions(model, [row["id"] for row in found])
        found = [row for row in found if region in regions[row["id"]]]
    # by name first, as the store orders them, so that names equal in Danish order keep that order
    return sorted(sorted(found, key=lambda row: row["name"] or ""), key=lambda row: danish_key(row["name"] or ""))


def get_solution(model: ReadModel, key: str) -> dict[str, Any]:
    _ref, node = find(model, key, "Solution", "solution")
    return solution_body(model, node)


def _solution_row(node_id: str, slug: str, values: dict[str, Any], version: int, created: str, source: str) -> dict[str, Any]:
    row = blank_row("Solution")
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
        updated_at=now(),
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
        link_one(tx, shape("DEVELOPED", dev.kind, "Solution"), dev.id, node_id, source)
    for task in tasks:
        link_one(tx, shape("BELONGS_TO", "Solution", "Task"), node_id, task.id, source)
    for theme in themes:
        link_one(tx, shape("ABOUT", "Solution", "Theme"), node_id, theme.id, source)


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
            raise Conflict(
                _("a solution called '{name}' exists").format(name=node.name), expected=_("another name"), suggestions=[node.name]
            )


def create_solution(model: ReadModel, who: Principal, body: SolutionIn) -> dict[str, Any]:
    developers = resolve_all(model, body.developed_by, ("Municipality", "Region"), "municipality or region")
    tasks = resolve_all(model, body.tasks, ("Task",), "task")
    themes = resolve_all(model, body.themes, ("Theme",), "theme")
    slug = slugify(body.name)
    if not slug:
        raise InvalidParameter(_("the name has no letters or digits"), expected=_("a name such as 'Klimaskovsaftaler'"))
    node_id = f"solution:{slug}"
    values = body.model_dump()
    provenance = f"written by {who.name} through the API"

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        _name_taken(model, body.name)
        if tx.run("node_by_id", {"id": node_id}, label="Solution"):
            raise Conflict(_("a solution with the slug '{slug}' exists").format(slug=slug), expected=_("another name"))
        row = _solution_row(node_id, slug, values, 1, now(), provenance)
        tx.run("merge_solution_nodes", {"rows": [row], "generation": WRITTEN})
        _write_solution_links(tx, node_id, developers, tasks, themes, provenance)
        _verify_solution(tx, row, len(developers), len(tasks), len(themes))
        return row, ChangeRecord(who.name, "create", node_id, None, _snapshot(row, developers, tasks, themes))

    row = model.store.write_transaction(write)
    model.names().put("Solution", {"id": node_id, "name": row["name"], "slug": slug})
    return get_solution(model, node_id)


def update_solution(model: ReadModel, who: Principal, key: str, body: SolutionPatch, if_match: str | None) -> dict[str, Any]:
    ref, _stored = find(model, key, "Solution", "solution")
    changes = body.model_dump(exclude_unset=True)
    empty_not_allowed(changes, ("name", "summary", "status"))
    developers = (
        resolve_all(model, changes["developed_by"], ("Municipality", "Region"), "municipality or region")
        if "developed_by" in changes
        else None
    )
    tasks = resolve_all(model, changes["tasks"], ("Task",), "task") if "tasks" in changes else None
    themes = resolve_all(model, changes["themes"], ("Theme",), "theme") if "themes" in changes else None

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        stored = current(tx, "Solution", ref.id, "solution", if_match, SEED_FILE)
        if "name" in changes:
            _name_taken(model, changes["name"], other_than=ref.id)
        old_dev = [_ref(r) for r in tx.run("solution_developers", {"id": ref.id})]
        old_tasks = [NodeRef(f"task:{r['code']}", "Task", r["name"], r["code"]) for r in tx.run("solution_tasks", {"id": ref.id})]
        old_themes = [
            NodeRef(f"theme:{r['slug']}", "Theme", r["name"], r["slug"]) for r in tx.run("solution_themes", {"id": ref.id})
        ]
        before_row = _solution_row(
            ref.id,
            stored["slug"],
            _values(stored),
            int(stored.get("version") or 1),
            stored.get("created_at"),
            stored.get("source"),
        )
        values = {**_values(stored), **{k: v for k, v in changes.items() if k not in ("developed_by", "tasks", "themes")}}
        row = _solution_row(
            ref.id,
            stored["slug"],
            values,
            int(stored.get("version") or 1) + 1,
            stored.get("created_at"),
            stored.get("source"),
        )
        new_dev, new_tasks, new_themes = (
            developers or old_dev,
            tasks if tasks is not None else old_tasks,
            themes if themes is not None else old_themes,
        )
        if developers is not None and not developers:
            new_dev = []
        tx.run("merge_solution_nodes", {"rows": [row], "generation": WRITTEN})
        _write_solution_links(tx, ref.id, new_dev, new_tasks, new_themes, stored.get("source") or "")
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
    ref, _stored = find(model, key, "Solution", "solution")

    def write(tx: WriteTx) -> tuple[None, ChangeRecord]:
        stored = current(tx, "Solution", ref.id, "solution", if_match, SEED_FILE)
        if tx.run("solution_adoptions", {"id": ref.id}):
            raise Conflict(
                _("the solution has adoptions; their history would be lost"), expected=_("a solution without adoptions")
            )
        if tx.run("observations_of_subject", observations.series_params(subject=ref.id, limit=1), label="Solution"):
            raise Conflict(
                _("the solution has observations; they would lose their subject"), expected=_("a solution without observations")
            )
        delete_verified(tx, "Solution", ref.id)
        before = {k: stored.get(k) for k in ("id", "slug", "name", "summary", "status", "started", "version")}
        return None, ChangeRecord(who.name, "delete", ref.id, before, None)

    model.store.write_transaction(write)
    model.names().remove(ref.id)


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
