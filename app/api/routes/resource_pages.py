"""The resources page: what serves a task, theme or solution, and the form that adds a resource."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import ModelDep, SessionDep, SessionsDep, SettingsDep
from app.api.forms import FormDep, form_body, form_write, local_path, page
from app.api.params import name_query
from app.api.routes import views
from app.api.routes.views import ERROR_PAGES, PAGE, _view
from app.services.knowledge import resources
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.services.tokens import Principal
from app.views import resource_pages, solutions

router = APIRouter(tags=["views"], responses=ERROR_PAGES)
Filter = Annotated[str | None, name_query("A task, theme or solution (a name or code)")]


def _filters(task: Filter = None, theme: Filter = None, solution: Filter = None) -> dict[str, str | None]:
    """The list's filters, shared by the page and its form (which comes back to the same list)."""
    return {"task": task, "theme": theme, "solution": solution}


FiltersDep = Annotated[dict[str, str | None], Depends(_filters)]


@router.get("/views/resources", response_class=HTMLResponse, responses=PAGE)
def resources_view(
    model: ModelDep,
    settings: SettingsDep,
    session: SessionDep,
    filters: FiltersDep,
    page_number: Annotated[
        int, Query(alias="page", ge=1, le=10_000, description=f"1 for the first {resource_pages.PAGE_SIZE}")
    ] = 1,
) -> Response:
    """The resources that serve all of the task, theme and solution given (every one without a filter),
    a page at a time; for an editor, the form that adds one."""
    return _view(settings, lambda: page(settings, resource_pages.render_resources(model, filters, session, None, page_number)))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@router.post("/views/resources", response_class=HTMLResponse, include_in_schema=False)
def add_resource(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    sessions: SessionsDep,
    session: SessionDep,
    form: FormDep,
    filters: FiltersDep,
) -> Response:
    """The form's resource: back to the page it came from (its `next`, a path on this site) or to the
    list when saved; that page again with the input and the reason when not."""
    back = local_path(form.get("next"), "") or None  # only a path here: never a redirect to another site

    def write(who: Principal) -> str:
        fields = {k: form.get(k) or None for k in ("url", "date")}
        lists = {k: _names(form.get(k, "")) for k in ("tasks", "themes", "solutions")}
        texts = {k: form.get(k, "") for k in ("title", "kind", "language")}
        resources.create(model, who, form_body(resources.ResourceIn, texts | fields | lists))
        # back at the section the form is in, on a long page
        return f"{back.split('#')[0]}#resources" if back else resource_pages.resources_url(**filters)

    def again(kept: dict[str, Any]) -> str:
        return _page_again(request, model, session, back, kept) or resource_pages.render_resources(model, filters, session, kept)

    return _view(settings, lambda: form_write(settings, sessions, session, form, write, again))


def _page_again(
    request: Request, model: ReadModel, session: Session | None, back: str | None, kept: dict[str, Any]
) -> str | None:
    """The solution's, task's or theme's page a refused form came from, with its resource form kept;
    None for any other page (the resources list shows the form then)."""
    if not back:
        return None
    parts = urlsplit(back)
    solution = re.fullmatch(r"/views/solutions/([^/]+)", parts.path)
    if solution:
        return solutions.render_solution(model, unquote(solution.group(1)), session, resource_form=kept)
    query = dict(parse_qsl(parts.query))
    if parts.path == "/views/graph" and query.get("center"):
        depth = int(query["depth"]) if query.get("depth") in ("1", "2", "3") else 1
        return views.neighbourhood_document(request, model, session, query["center"], depth, query.get("expand"), False, kept)[0]
    return None
