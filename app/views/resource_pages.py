"""The resources page (issue 13): the guides, tools, courses and seminars that serve a task, a
theme or a solution, with the form that adds one. Its answers come from the knowledge service."""

from __future__ import annotations

from typing import Any

from app.graph.schema import RESOURCE_KINDS
from app.i18n import gettext as _
from app.services.knowledge import resources
from app.services.paging import LIMITS, PageRequest
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.views.render import editor_controls, render_page, with_query

FILTERS = ("task", "theme", "solution")
PAGE_SIZE = LIMITS["resources"].default  # the API's page: a page of the view costs what one of the API does


def resources_url(**filters: str | None) -> str:
    return with_query("/views/resources", **{k: v for k, v in filters.items() if k in FILTERS})


def resources_context(model: ReadModel, filters: dict[str, str | None], page_number: int = 1) -> dict[str, Any]:
    """The page's context: one page of PAGE_SIZE resources (past the last page, the last one)."""
    chosen = {k: v.strip() for k, v in filters.items() if k in FILTERS and v and v.strip()}

    def listing(number: int) -> dict[str, Any]:
        request = PageRequest(PAGE_SIZE, (number - 1) * PAGE_SIZE)
        return resources.list_resources(model, chosen.get("task"), chosen.get("theme"), chosen.get("solution"), request)

    found = listing(page_number)
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    if page_number > pages:
        page_number = pages
        found = listing(page_number)
    names = {k: model.resolve(v, (k.capitalize(),), what=k).name for k, v in chosen.items()}
    heading = _("Resources for {what}").format(what=", ".join(names.values())) if names else _("Resources")
    return {
        "title": heading,
        "resources": found["data"],
        "page_number": page_number,
        "pages": pages,
        "previous": with_query("/views/resources", **chosen, page=page_number - 1) if page_number > 1 else "",
        "next": with_query("/views/resources", **chosen, page=page_number + 1) if page_number < pages else "",
        "filters": chosen,
        "kinds": RESOURCE_KINDS,
        "form_action": resources_url(**chosen),
    }


def render_resources(
    model: ReadModel,
    filters: dict[str, str | None],
    session: Session | None,
    form: dict[str, Any] | None = None,
    page_number: int = 1,
) -> str:
    """The resources page; its form (with the session's CSRF token) only for an editor or admin."""
    context = resources_context(model, filters, page_number)
    return render_page("resources.html", "map", form=form or {}, **editor_controls(session, context["form_action"]), **context)


def served_context(
    model: ReadModel,
    what: str,
    key: str,
    session: Session | None,
    here: str,
    form: dict[str, Any] | None = None,
    serves: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The resources section of a task's, theme's or solution's page: what serves it, and for an editor
    (or whoever sent a refused form, so nothing typed is lost) the form that adds one, its targets
    filled in with this one and `serves` (a solution's tasks and themes). `here` is where the form
    comes back to."""
    form = form or {}
    controls = editor_controls(session, here)
    targets = {"tasks": "", "themes": "", "solutions": ""} | (serves or {})
    targets[what + "s"] = ", ".join(part for part in (key, targets[what + "s"]) if part)
    return {
        "items": resources.list_resources(model, **{what: key})["data"],
        "kinds": RESOURCE_KINDS,
        "href": resources_url(**{what: key}),  # the list of them all, and where the form posts
        "next": here,
        "form": form,
        "targets": {field: form.get(field, value) for field, value in targets.items()},
        "editor": controls["can_edit"],
        "show_form": controls["can_edit"] or bool(form.get("error")),
        "csrf": controls["account"]["csrf"],
        "sign_in_href": controls["account"]["sign_in_href"],
        "account": controls["account"],  # a network page shows the account bar only where it has this form
    }
