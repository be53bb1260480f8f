"""The resources page: what serves a task, theme or solution, and the form that adds a resource."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import ModelDep, SettingsDep
from app.api.page_editor import form_body, handle_form
from app.api.params import name_query
from app.api.routes.views import ERROR_PAGES, PAGE, _html, _view
from app.services.knowledge import resources
from app.views import resource_pages

router = APIRouter(tags=["views"], responses=ERROR_PAGES)
Filter = Annotated[str | None, name_query("A task, theme or solution (a name or code)")]


@router.get("/views/resources", response_class=HTMLResponse, responses=PAGE)
def resources_view(
    model: ModelDep, settings: SettingsDep, task: Filter = None, theme: Filter = None, solution: Filter = None
) -> Response:
    """The resources that serve all of the task, theme and solution given (every one without a filter)."""
    filters = {"task": task, "theme": theme, "solution": solution}
    return _view(settings, lambda: _html(settings, resource_pages.render_resources(model, filters), False, ""))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@router.post("/views/resources", response_class=HTMLResponse, include_in_schema=False)
async def add_resource(
    request: Request, model: ModelDep, settings: SettingsDep, task: Filter = None, theme: Filter = None, solution: Filter = None
) -> Response:
    """The form's resource: back to the list when saved; the page again with the input and the reason when not."""
    filters = {"task": task, "theme": theme, "solution": solution}

    def body(form: dict[str, str]) -> resources.ResourceIn:
        fields = {k: form.get(k) or None for k in ("url", "date")}
        lists = {k: _names(form.get(k, "")) for k in ("tasks", "themes", "solutions")}
        texts = {k: form.get(k, "") for k in ("title", "kind", "language")}
        return form_body(resources.ResourceIn, texts | fields | lists)

    return await handle_form(
        request,
        settings,
        body,
        lambda who, request_body: resources.create(model, who, request_body),
        lambda _saved: resource_pages.resources_url(**filters),
        lambda kept: resource_pages.render_resources(model, filters, kept),
    )
