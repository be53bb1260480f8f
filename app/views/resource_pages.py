"""The resources page (issue 13): the guides, tools, courses and seminars that serve a task, a
theme or a solution, with the form that adds one. Its answers come from the knowledge service."""

from __future__ import annotations

from typing import Any

from app.graph.schema import RESOURCE_KINDS
from app.i18n import gettext as _
from app.services.knowledge import resources
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.views.render import editor_controls, render_page, with_query

FILTERS = ("task", "theme", "solution")


def resources_url(**filters: str | None) -> str:
    return with_query("/views/resources", **{k: v for k, v in filters.items() if k in FILTERS})


def resources_context(model: ReadModel, filters: dict[str, str | None]) -> dict[str, Any]:
    chosen = {k: v.strip() for k, v in filters.items() if k in FILTERS and v and v.strip()}
    found = resources.list_resources(model, chosen.get("task"), chosen.get("theme"), chosen.get("solution"))["data"]
    names = {k: model.resolve(v, (k.capitalize(),), what=k).name for k, v in chosen.items()}
    heading = _("Resources for {what}").format(what=", ".join(names.values())) if names else _("Resources")
    return {
        "title": heading,
        "resources": found,
        "filters": chosen,
        "kinds": RESOURCE_KINDS,
        "form_action": resources_url(**chosen),
    }


def render_resources(
    model: ReadModel, filters: dict[str, str | None], session: Session | None, form: dict[str, Any] | None = None
) -> str:
    """The resources page; its form (with the session's CSRF token) only for an editor or admin."""
    context = resources_context(model, filters)
    return render_page("resources.html", "map", form=form or {}, **editor_controls(session, context["form_action"]), **context)
