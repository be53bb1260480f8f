"""Resources: a guide, tool, method, course, seminar, report or data set, with the tasks, themes
and solutions it serves. Links are http or https only (they become links in the views)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from app.graph.schema import RESOURCE_KINDS, WRITTEN, shape
from app.graph.store import ChangeRecord, WriteTx
from app.i18n import gettext as _
from app.seed import resource_id
from app.services.errors import Conflict, InvalidParameter
from app.services.knowledge.writes import (
    Date,
    HttpLink,
    NodeName,
    Strict,
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
    stored_row,
)
from app.services.names import NodeRef
from app.services.paging import PageRequest, read_page
from app.services.read_model import ReadModel
from app.services.text import SLUG_NAME_PATTERN
from app.services.tokens import Principal

SEED_FILE = "seed/knowledge.yaml"
TARGETS = {"tasks": ("Task", "task"), "themes": ("Theme", "theme"), "solutions": ("Solution", "solution")}


def _kind(value: Any) -> Any:
    # People write "data set"; the graph keeps the seed's slug form.
    return value.strip().replace(" ", "-") if isinstance(value, str) else value


Kind = Annotated[Literal[RESOURCE_KINDS], BeforeValidator(_kind)]  # type: ignore[valid-type]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1: da, en")]


class ResourceIn(Strict):
    title: str = Field(min_length=2, max_length=300, pattern=SLUG_NAME_PATTERN)
    kind: Kind
    url: HttpLink | None = None
    language: Language
    date: Date | None = None
    summary: str | None = Field(None, max_length=5000)
    tasks: list[NodeName] = Field(default_factory=list, max_length=50)
    themes: list[NodeName] = Field(default_factory=list, max_length=50)
    solutions: list[NodeName] = Field(default_factory=list, max_length=50)


class ResourcePatch(Strict):
    title: str = absent(min_length=2, max_length=300, pattern=SLUG_NAME_PATTERN)
    kind: Kind = absent()
    url: HttpLink | None = None
    language: Language = absent()
    date: Date | None = None
    summary: str | None = Field(None, max_length=5000)
    tasks: list[NodeName] | None = Field(None, max_length=50)
    themes: list[NodeName] | None = Field(None, max_length=50)
    solutions: list[NodeName] | None = Field(None, max_length=50)


FIELDS = ("id", "slug", "name", "resource_kind", "url", "language", "date", "summary", "version")


def _key(node_id: str) -> str:
    return node_id.split(":", 1)[1]


def bodies(model: ReadModel, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The resources' bodies, what each serves read for all of them in one query."""
    targets: dict[str, list[dict[str, Any]]] = {node["id"]: [] for node in nodes}
    for row in model.store.read("targets_of_resources", {"ids": list(targets)}):
        targets[row["resource"]].append(row)
    return [_body(node, targets[node["id"]]) for node in nodes]


def _body(node: dict[str, Any], targets: list[dict[str, Any]]) -> dict[str, Any]:
    by_kind = {field: [_key(t["id"]) for t in targets if t["kind"] == label] for field, (label, _) in TARGETS.items()}
    return {
        "id": node["id"],
        "slug": node.get("slug"),
        "title": node.get("name"),
        "kind": node.get("resource_kind"),
        "url": node.get("url"),
        "language": node.get("language"),
        "date": node.get("date"),
        "summary": node.get("summary"),
        "summary_en": node.get("summary_en"),
        **by_kind,
        **record_fields(node),
    }


def list_resources(
    model: ReadModel,
    task: str | None = None,
    theme: str | None = None,
    solution: str | None = None,
    page: PageRequest | None = None,
) -> dict[str, Any]:
    """One page of the resources by title: every one, or those that serve all of the task, theme
    and solution given (filtered, cut and counted in the store)."""
    page = page or PageRequest.first("resources")
    filters = {"blank": ""}
    for field, text, (label, what) in (
        ("task", task, TARGETS["tasks"]),
        ("theme", theme, TARGETS["themes"]),
        ("solution", solution, TARGETS["solutions"]),
    ):
        filters[field] = model.resolve(text, (label,), what=what).id if text else ""

    def build() -> dict[str, Any]:
        rows, total = read_page(model, page, "resource_page", "resource_total", filters)
        return page.page(bodies(model, [row["node"] for row in rows]), total).model_dump()

    return model.cached(("resources", tuple(sorted(filters.items())), page), build)


def get(model: ReadModel, key: str) -> dict[str, Any]:
    _ref, node = find(model, key, "Resource", "resource")
    return bodies(model, [node])[0]


def _targets(model: ReadModel, values: dict[str, Any]) -> dict[str, list[NodeRef]] | None:
    if not any(field in values for field in TARGETS):
        return None
    return {field: resolve_all(model, values.get(field) or [], (label,), what) for field, (label, what) in TARGETS.items()}


def _write_targets(tx: WriteTx, node_id: str, targets: dict[str, list[NodeRef]], provenance: str) -> None:
    for label, _kinds in TARGETS.values():
        tx.run("delete_out_relationships", {"id": node_id}, rel=shape("SERVES", "Resource", label))
    for refs in targets.values():
        for ref in refs:
            link_one(tx, shape("SERVES", "Resource", ref.kind), node_id, ref.id, provenance)


def _verify(tx: WriteTx, row: dict[str, Any], targets: dict[str, list[NodeRef]]) -> None:
    stored = tx.run("node_by_id", {"id": row["id"]}, label="Resource")
    if not stored or any(stored[0]["node"].get(k) != row[k] for k in FIELDS):
        raise WriteVerificationError(f"the store did not keep resource {row['id']}")
    kept = sorted(t["id"] for t in tx.run("resource_targets", {"id": row["id"]}))
    if kept != sorted(ref.id for refs in targets.values() for ref in refs):
        raise WriteVerificationError(f"the store did not keep what resource {row['id']} serves: {kept}")


def _snapshot(row: dict[str, Any], targets: dict[str, list[NodeRef]]) -> dict[str, Any]:
    return {k: row[k] for k in FIELDS} | {field: sorted(_key(r.id) for r in refs) for field, refs in targets.items()}


def _stored_targets(tx: WriteTx, node_id: str) -> dict[str, list[NodeRef]]:
    rows = tx.run("resource_targets", {"id": node_id})
    return {
        field: [NodeRef(r["id"], r["kind"], r["name"], _key(r["id"])) for r in rows if r["kind"] == label]
        for field, (label, _) in TARGETS.items()
    }


def _apply(row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    renamed = {"title": "name", "kind": "resource_kind"}
    for field_name, value in values.items():
        if field_name in TARGETS:
            continue
        row[renamed.get(field_name, field_name)] = value.isoformat() if isinstance(value, dt.date) else value
    return row


def create(model: ReadModel, who: Principal, request: ResourceIn) -> dict[str, Any]:
    values = request.model_dump()
    targets = _targets(model, values) or {}
    slug = slugify(request.title)
    if not slug:
        raise InvalidParameter(_("the title has no letters or digits"), expected=_("a title such as 'Vejledning i klimaskov'"))
    node_id = resource_id(slug)
    provenance = f"written by {who.name} through the API"

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        if tx.run("node_by_id", {"id": node_id}, label="Resource"):
            raise Conflict(
                _("a resource with the slug '{slug}' exists").format(slug=slug), expected=_("another title"), suggestions=[slug]
            )
        at = now()
        row = _apply(blank_row("Resource"), values) | {
            "id": node_id,
            "slug": slug,
            "version": 1,
            "created_at": at,
            "updated_at": at,
            "source": provenance,
        }
        tx.run("merge_resource_nodes", {"rows": [row], "generation": WRITTEN})
        _write_targets(tx, node_id, targets, provenance)
        _verify(tx, row, targets)
        return row, ChangeRecord(who.name, "create", node_id, None, _snapshot(row, targets))

    row = model.store.write_transaction(write)
    model.names().put("Resource", {"id": node_id, "name": row["name"], "slug": slug})
    return get(model, node_id)


def update(model: ReadModel, who: Principal, key: str, request: ResourcePatch, if_match: str | None) -> dict[str, Any]:
    ref, _stored = find(model, key, "Resource", "resource")
    changes = request.model_dump(exclude_unset=True)
    empty_not_allowed(changes, ("title", "kind", "language"))
    new_targets = _targets(model, changes)

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        stored = current(tx, "Resource", ref.id, "resource", if_match, SEED_FILE)
        old_targets = _stored_targets(tx, ref.id)
        before = stored_row("Resource", stored)
        targets = old_targets if new_targets is None else {f: new_targets[f] if f in changes else old_targets[f] for f in TARGETS}
        row = _apply(dict(before), changes) | {"version": int(stored.get("version") or 1) + 1, "updated_at": now()}
        tx.run("merge_resource_nodes", {"rows": [row], "generation": WRITTEN})
        _write_targets(tx, ref.id, targets, stored.get("source") or "")
        _verify(tx, row, targets)
        return row, ChangeRecord(who.name, "update", ref.id, _snapshot(before, old_targets), _snapshot(row, targets))

    row = model.store.write_transaction(write)
    model.names().put("Resource", {"id": ref.id, "name": row["name"], "slug": row["slug"]})
    return get(model, ref.id)


def delete(model: ReadModel, who: Principal, key: str, if_match: str | None) -> None:
    ref, _stored = find(model, key, "Resource", "resource")

    def write(tx: WriteTx) -> tuple[None, ChangeRecord]:
        stored = current(tx, "Resource", ref.id, "resource", if_match, SEED_FILE)
        before = _snapshot({k: stored.get(k) for k in FIELDS}, _stored_targets(tx, ref.id))
        delete_verified(tx, "Resource", ref.id)
        return None, ChangeRecord(who.name, "delete", ref.id, before, None)

    model.store.write_transaction(write)
    model.names().remove(ref.id)
