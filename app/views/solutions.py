"""The pages where planners record and follow solutions (issue 13): the list with its filters, one
solution with its timeline, the map of its spread over time and its replication candidates, the
forms, and the page that shows a conflicting edit. Context comes from the services' answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.graph.schema import ADOPTION_STATUSES, SOLUTION_STATUSES
from app.i18n import gettext as _
from app.services import entities, knowledge, replication
from app.services.errors import InvalidParameter
from app.services.knowledge.words import STATUS_WORDS, status_word
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.services.text import danish_key
from app.views import resource_pages
from app.views.boundaries import BOUNDARY_CREDIT, projected_map
from app.views.render import account, render_page, with_query

PAGE_SIZE = 20
NO_DATA = "#e3e3e3"
# Okabe–Ito colours: told apart with the common colour-vision deficiencies.
SPREAD_COLORS = {
    "developed": "#0072B2",
    "considering": "#F0E442",
    "planning": "#E69F00",
    "piloting": "#56B4E9",
    "adopted": "#009E73",
    "dropped": "#CC79A7",
}
EDIT_FIELDS = ("name", "summary", "status", "started", "developed_by", "tasks", "themes", "sources")
ADOPTION_FIELDS = ("municipality", "status", "date", "note", "source_title", "source_url")


def status_labels() -> dict[str, str]:
    return {status: status_word(status) for status in STATUS_WORDS} | {
        "developed": _("developed it"),
        "none": _("no adoption yet"),
    }


@dataclass(frozen=True)
class Filters:
    task: str | None = None
    theme: str | None = None
    status: str | None = None
    region: str | None = None
    page: int = 1


# -- form text <-> request bodies ------------------------------------------------------------------
def _names(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _sources(text: str) -> list[dict[str, str]]:
    """One source a line, `title | https://…` (a bare link is its own title)."""
    sources = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.rpartition("|")
        sources.append({"title": (title or url).strip(), "url": url.strip()})
    return sources


def solution_body(form: dict[str, str]) -> dict[str, Any]:
    """What the solution form says, as the API's request body (the same keys and checks)."""
    return {
        "name": form.get("name", ""),
        "summary": form.get("summary", ""),
        "status": form.get("status", ""),
        "started": form.get("started") or None,
        "developed_by": _names(form.get("developed_by", "")),
        "tasks": _names(form.get("tasks", "")),
        "themes": _names(form.get("themes", "")),
        "sources": _sources(form.get("sources", "")),
    }


def adoption_body(form: dict[str, str]) -> dict[str, Any]:
    url = form.get("source_url", "").strip()
    return {
        "municipality": form.get("municipality", ""),
        "status": form.get("status", ""),
        "date": form.get("date", ""),
        "note": form.get("note") or None,
        "source": {"title": form.get("source_title", "").strip() or url, "url": url} if url else None,
    }


def solution_form(solution: dict[str, Any]) -> dict[str, str]:
    """A saved solution as the edit form shows it."""
    return {
        "name": solution["name"] or "",
        "summary": solution["summary"] or "",
        "status": solution["status"] or "",
        "started": solution["started"] or "",
        "developed_by": ", ".join(d["name"] for d in solution["developed_by"]),
        "tasks": ", ".join(solution["tasks"]),
        "themes": ", ".join(solution["themes"]),
        "sources": "\n".join(f"{s['title']} | {s['url']}" for s in solution["sources"]),
    }


# -- the list ------------------------------------------------------------------------------------
def _choices(model: ReadModel) -> dict[str, Any]:
    tasks = [(t.code, f"{t.code} {t.title}") for wp in entities.list_work_packages(model).data for t in wp.tasks]
    themes = [(t.slug, t.name) for t in sorted(entities.list_themes(model).data, key=lambda t: danish_key(t.name))]
    municipalities = sorted((m.name for m in entities.list_municipalities(model).data), key=danish_key)
    return {
        "tasks": tasks,
        "themes": themes,
        "regions": [r.name for r in entities.list_regions(model).data],
        "municipalities": municipalities,
        "solution_statuses": SOLUTION_STATUSES,
        "adoption_statuses": ADOPTION_STATUSES,
    }


def resolved_filters(model: ReadModel, filters: Filters) -> Filters:
    """The filters with their names resolved like everywhere else (`t.9.1`, `Sjaelland`)."""
    if filters.status and filters.status not in SOLUTION_STATUSES:
        raise InvalidParameter(f"status='{filters.status}' is not a solution status", expected=", ".join(SOLUTION_STATUSES))
    return Filters(
        task=model.resolve(filters.task, ("Task",), what="task").key if filters.task else None,
        theme=model.resolve(filters.theme, ("Theme",), what="theme").key if filters.theme else None,
        status=filters.status or None,
        region=model.resolve(filters.region, ("Region",), what="region").name if filters.region else None,
        page=filters.page,
    )


def render_list(
    model: ReadModel,
    filters: Filters,
    session: Session | None,
    form: dict[str, str] | None = None,
) -> str:
    """The list; a refused form (its `error` set) comes back filled in, even to someone whose sign-in
    lapsed, so nothing typed is lost."""
    form = form or {}
    chosen = resolved_filters(model, filters)
    found = knowledge.matching_solutions(model, chosen.status, chosen.task, chosen.theme, chosen.region)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(chosen.page, pages)
    params = {"task": chosen.task, "theme": chosen.theme, "status": chosen.status, "region": chosen.region}
    rows = [
        {
            "name": s["name"],
            "href": f"/views/solutions/{s['slug']}",
            "status": s["status"],
            "developed_by": ", ".join(d["name"] for d in s["developed_by"]),
            "tasks": ", ".join(s["tasks"]),
            "adopters": len(s["current_adopters"]),
        }
        for s in knowledge.solutions_by_ids(model, [row["id"] for row in found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]])
    ]
    return render_page(
        "solutions.html",
        "solutions",
        title=_("Solutions"),
        rows=rows,
        total=len(found),
        page_number=page,
        pages=pages,
        previous=with_query("/views/solutions", **params, page=page - 1) if page > 1 else "",
        next=with_query("/views/solutions", **params, page=page + 1) if page < pages else "",
        filters=chosen,
        choices=_choices(model),
        account=account(session, with_query("/views/solutions", **params)),
        can_edit=(session is not None and session.can_edit) or bool(form.get("error")),
        form=form,
    )


# -- one solution ----------------------------------------------------------------------------------
def _state_as_of(events: list[dict[str, Any]], day: str) -> dict[int, dict[str, str]]:
    """Each municipality's latest adoption event on or before `day` (events are sorted by date)."""
    state: dict[int, dict[str, str]] = {}
    for event in events:
        if event["date"] <= day:
            state[event["code"]] = event
    return state


def spread_context(model: ReadModel, solution: dict[str, Any], as_of: str | None) -> dict[str, Any]:
    """The 98 municipalities coloured by their latest adoption status as of a date, with every date's
    events for the page's slider (it recolours the same shapes; the server draws the chosen date)."""
    labels = status_labels()
    codes = {m.name: m.code for m in entities.list_municipalities(model).data}
    events = sorted(
        ({"code": a["code"], "status": a["status"], "date": a["date"]} for a in solution["adoptions"]),
        key=lambda e: e["date"],
    )
    dates = sorted({e["date"] for e in events})
    if as_of is not None and dates and as_of not in dates:
        earlier = [d for d in dates if d <= as_of]
        as_of = earlier[-1] if earlier else dates[0]
    day = as_of or (dates[-1] if dates else dt.date.today().isoformat())
    state = _state_as_of(events, day)
    developers = {codes[d["name"]] for d in solution["developed_by"] if d["kind"] == "Municipality" and d["name"] in codes}
    projected = projected_map()
    shapes = []
    for shape in projected.shapes:
        event = state.get(shape.code)
        if event:
            fill, note = SPREAD_COLORS[event["status"]], f"{labels[event['status']]} ({event['date']})"
        elif shape.code in developers:
            fill, note = SPREAD_COLORS["developed"], labels["developed"]
        else:
            fill, note = NO_DATA, labels["none"]
        shapes.append(
            {"code": shape.code, "name": shape.name, "path": shape.path, "fill": fill, "title": f"{shape.name}: {note}"}
        )
    return {
        "shapes": shapes,
        "width": projected.width,
        "height": projected.height,
        "inset": projected.inset_frame,
        "dates": dates,
        "as_of": day,
        "index": dates.index(day) if day in dates else 0,
        "credit": BOUNDARY_CREDIT,
        "legend": [(SPREAD_COLORS[k], labels[k]) for k in SPREAD_COLORS] + [(NO_DATA, labels["none"])],
        "data": {
            "dates": dates,
            "events": events,
            "developers": sorted(developers),
            "colors": {**SPREAD_COLORS, "none": NO_DATA},
            "labels": labels,
        },
    }


def _shown(value: Any) -> str:
    """A value of the audit trail as the form writes it (sources as `title | link` lines)."""
    if value is None:
        return "–"
    if isinstance(value, list):
        return "; ".join(f"{v.get('title')} | {v.get('url')}" if isinstance(v, dict) else str(v) for v in value) or "–"
    return str(value)


def changes_since_version(model: ReadModel, entity: str, version: int) -> list[dict[str, Any]]:
    """The audit trail's changes to one solution after the version an editor started from: who
    saved what in between, field by field."""
    found, cursor = [], 0
    while True:
        batch = knowledge.list_changes(model, cursor, 1000)
        for change in batch["data"]:
            after = change["after"] or {}
            if change["entity"] == entity and int(after.get("version") or 0) > version:
                before = change["before"] or {}
                fields = [
                    (k, _shown(before.get(k)), _shown(after.get(k)))
                    for k in after
                    if k != "version" and before.get(k) != after.get(k)
                ]
                found.append({"at": change["at"], "actor": change["actor"], "action": change["action"], "fields": fields})
        if batch["count"] < 1000:
            return found
        cursor = batch["next"]


def _serves(solution: dict[str, Any]) -> dict[str, str]:
    """A resource added on a solution's page is offered to its tasks and themes too (the editor may
    take them out): what helps with a solution helps with what it works on."""
    return {"tasks": ", ".join(solution["tasks"]), "themes": ", ".join(solution["themes"])}


def _refused(form: dict[str, str] | None) -> bool:
    return bool(form and form.get("error"))


def render_solution(
    model: ReadModel,
    key: str,
    session: Session | None,
    as_of: str | None = None,
    *,
    adoption_form: dict[str, str] | None = None,
    edit_form: dict[str, str] | None = None,
    resource_form: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
) -> str:
    """A solution's page; each form refused (its `error` set) comes back filled in, beside why."""
    solution = knowledge.get_solution(model, key)
    timeline = sorted(solution["adoptions"], key=lambda a: a["date"] or "")
    candidates = replication.replication(model, solution["id"], 10)
    path = f"/views/solutions/{solution['slug']}"
    editor = session is not None and session.can_edit
    return render_page(
        "solution.html",
        "solution",
        title=solution["name"],
        solution=solution,
        path=path,
        timeline=timeline,
        labels=status_labels(),
        spread=spread_context(model, solution, as_of),
        candidates=candidates,
        choices=_choices(model),
        account=account(session, path),
        signed_in=editor,
        show_adoption=editor or _refused(adoption_form),
        show_edit=solution["written"] and (editor or _refused(edit_form)),
        adoption_form=adoption_form or {"date": dt.date.today().isoformat()},
        edit_form=edit_form or solution_form(solution),
        edit_version=solution["version"],  # a conflict's re-shown input is saved over the current version
        served=resource_pages.served_context(
            model, "solution", solution["slug"], session, path, resource_form, _serves(solution)
        ),
        conflict=conflict,
        saved_form=solution_form(solution),
    )


def render_sign_in(session: Session, next_path: str, error: str | None = None) -> str:
    return render_page(
        "sign_in.html",
        "error",
        title=_("Sign in"),
        csrf=session.csrf,
        next_path=next_path,
        error=error,
        account=account(session, next_path),
    )
