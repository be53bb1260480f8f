"""The resources page: what serves a task, theme or solution, and the form that adds a resource."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from app.api.deps import ModelDep, SessionDep, SessionsDep, SettingsDep
from app.api.forms import FormDep, editor, form_body, form_write, page
from app.api.params import name_query
from app.api.routes.views import ERROR_PAGES, PAGE, _view
from app.services.knowledge import resources
from app.views import resource_pages

router = APIRouter(tags=["views"], responses=ERROR_PAGES)
Filter = Annotated[str | None, name_query("A task, theme or solution (a name or code)")]


def _filters(task: Filter = None, theme: Filter = None, solution: Filter = None) -> dict[str, str | None]:
    """The list's filters, shared by the page and its form (which comes back to the same list)."""
    return {"task": task, "theme": theme, "solution": solution}


FiltersDep = Annotated[dict[str, str | None], Depends(_filters)]


@router.get("/views/resources", response_class=HTMLResponse, responses=PAGE)
def resources_view(model: ModelDep, settings: SettingsDep, session: SessionDep, filters: FiltersDep) -> Response:
    """The resources that serve all of the task, theme and solution given (every one without a filter);
    for an editor, the form that adds one."""
    return _view(settings, lambda: page(settings, resource_pages.render_resources(model, filters, session)))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@router.post("/views/resources", response_class=HTMLResponse, include_in_schema=False)
def add_resource(
    model: ModelDep, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep, filters: FiltersDep
) -> Response:
    """The form's resource: back to the list when saved; the page again with the input and the reason when not."""
    who = editor(settings, sessions, session, form)
    if isinstance(who, Response):
        return who

    def write() -> str:
        fields = {k: form.get(k) or None for k in ("url", "date")}
        lists = {k: _names(form.get(k, "")) for k in ("tasks", "themes", "solutions")}
        texts = {k: form.get(k, "") for k in ("title", "kind", "language")}
        resources.create(model, who, form_body(resources.ResourceIn, texts | fields | lists))
        return resource_pages.resources_url(**filters)

    return _view(
        settings,
        lambda: form_write(settings, form, write, lambda kept: resource_pages.render_resources(model, filters, session, kept)),
    )
