"""The resources page: what serves a task, theme or solution, and the form that adds a resource."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.deps import ModelDep, SettingsDep
from app.api.page_editor import TOKEN_FIELD, form_body, form_editor, read_form
from app.api.routes.views import _headers, _html, _view
from app.services.errors import ServiceError
from app.services.knowledge import resources
from app.views import resource_pages

router = APIRouter(tags=["views"])
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("/views/resources", response_class=HTMLResponse)
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
    form = await read_form(request)
    kept = {k: v for k, v in form.items() if k != TOKEN_FIELD}
    try:
        who = form_editor(request, form)
        body = form_body(
            resources.ResourceIn,
            {
                "title": form.get("title", ""),
                "kind": form.get("kind", ""),
                "url": form.get("url") or None,
                "language": form.get("language", ""),
                "date": form.get("date") or None,
                "tasks": _names(form.get("tasks", "")),
                "themes": _names(form.get("themes", "")),
                "solutions": _names(form.get("solutions", "")),
            },
        )
        resources.create(model, who, body)
    except ServiceError as exc:
        page = kept | {"error": exc.message, "expected": exc.expected, "status": exc.status}
        html = resource_pages.render_resources(model, filters, page)
        return HTMLResponse(html, status_code=exc.status, headers=_headers(settings, {"Cache-Control": "no-store"}))
    return RedirectResponse(resource_pages.resources_url(**filters), status_code=303)
