"""The pages for solutions (issue 13): reading is open; the forms need an editor's sign-in and the
session's CSRF token, and write through the same services (and checks) as the JSON API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from app.api.deps import ModelDep, SessionDep, SessionsDep, SettingsDep
from app.api.forms import FormDep, form_body, form_write, page
from app.api.params import name_path, name_query
from app.api.routes.views import ERROR_PAGES, PAGE, _view
from app.graph.schema import SOLUTION_STATUSES
from app.i18n import gettext as _
from app.services import knowledge
from app.services.errors import InvalidParameter, PreconditionFailed, ServiceError
from app.services.knowledge.writes import Date
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.services.tokens import Principal
from app.views import solutions as views
from app.views.render import with_query

router = APIRouter(tags=["views"], responses=ERROR_PAGES)
Filter = Annotated[str | None, name_query("A task, theme or region (a name or code)")]
StatusFilter = Annotated[Literal[SOLUTION_STATUSES] | None, Query(description="The solution's status")]  # type: ignore[valid-type]
Key = Annotated[str, name_path("A solution: its id, slug or name", "carl")]


@router.get("/views/solutions", response_class=HTMLResponse, responses=PAGE)
def solutions_page(
    model: ModelDep,
    settings: SettingsDep,
    session: SessionDep,
    task: Filter = None,
    theme: Filter = None,
    status: StatusFilter = None,
    region: Filter = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=10_000, description="1 for the first 20")] = 1,
) -> Response:
    """The solutions, filtered by task, theme, status and region, a page at a time; a form for a new one."""

    def build() -> Response:
        filters = views.Filters(task or None, theme or None, status or None, region or None, page_number)
        return page(settings, views.render_list(model, filters, session))

    def suggest(name: str) -> str:
        """The same list with the suggestion in place of whichever filter did not resolve."""
        chosen = {"task": task, "theme": theme, "status": status, "region": region}
        for field_name, kinds in (("task", ("Task",)), ("theme", ("Theme",)), ("region", ("Region",))):
            try:
                if chosen[field_name]:
                    model.resolve(chosen[field_name] or "", kinds)
            except ServiceError:
                chosen[field_name] = name
                break
        return with_query("/views/solutions", **chosen)

    return _view(settings, build, suggest)


@router.post("/views/solutions", response_class=HTMLResponse, include_in_schema=False)
def create_solution(
    model: ModelDep, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep
) -> Response:
    def write(who: Principal) -> str:
        created = knowledge.create_solution(model, who, form_body(knowledge.SolutionIn, views.solution_body(form)))
        return f"/views/solutions/{created['slug']}"

    def again(kept: dict[str, Any]) -> str:
        return views.render_list(model, views.Filters(), session, kept)

    return _view(settings, lambda: form_write(settings, sessions, session, form, write, again))


@router.get("/views/solutions/{key}", response_class=HTMLResponse, responses=PAGE)
def solution_page(
    model: ModelDep,
    settings: SettingsDep,
    session: SessionDep,
    key: Key,
    as_of: Annotated[Date | None, Query(description="The date the map shows (YYYY-MM-DD)")] = None,
) -> Response:
    """A solution: facts, sources, developers, adoptions as a timeline, the map of its spread with a date
    slider, its replication candidates; for editors, forms to record an adoption and to edit it."""
    return _view(
        settings,
        lambda: page(settings, views.render_solution(model, key, session, as_of.isoformat() if as_of else None)),
        lambda s: f"/views/solutions/{s}",
    )


@router.post("/views/solutions/{key}/adoptions", response_class=HTMLResponse, include_in_schema=False)
def record_adoption(
    model: ModelDep, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep, key: Key
) -> Response:
    def write(who: Principal) -> str:
        adoption = knowledge.add_adoption(model, who, key, form_body(knowledge.AdoptionIn, views.adoption_body(form)))
        solution = knowledge.get_solution(model, adoption["solution"])
        return with_query(f"/views/solutions/{solution['slug']}", as_of=adoption["date"])

    def again(kept: dict[str, Any]) -> str:
        return views.render_solution(model, key, session, adoption_form=kept)

    return _view(settings, lambda: form_write(settings, sessions, session, form, write, again))


def _version(value: str | None) -> int:
    """The version the edit form was made from (its hidden field)."""
    if value is None or not value.isdigit() or not 1 <= int(value) <= 10**9:
        raise InvalidParameter(_("the form has no valid version"), expected=_("open the page again and edit from there"))
    return int(value)


def _conflict_page(model: ReadModel, key: str, session: Session | None, form: dict[str, str], version: int) -> str:
    """Someone saved in between: what they changed (the audit trail), the saved version, and the user's
    input again in the form, over the current version, so that saving it again is a choice."""
    current = knowledge.get_solution(model, key)
    changes = views.changes_since_version(model, current["id"], version)
    return views.render_solution(model, key, session, edit_form=form, conflict={"changes": changes})


@router.post("/views/solutions/{key}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_solution(
    model: ModelDep, settings: SettingsDep, sessions: SessionsDep, session: SessionDep, form: FormDep, key: Key
) -> Response:
    """The edit form: a PATCH of the solution with the version the form was made from as If-Match."""

    def write(who: Principal) -> str:
        version = _version(form.get("version"))
        patch = form_body(knowledge.SolutionPatch, views.solution_body(form))
        return f"/views/solutions/{knowledge.update_solution(model, who, key, patch, knowledge.etag(version))['slug']}"

    def again(kept: dict[str, Any]) -> str:
        return views.render_solution(model, key, session, edit_form=kept)

    def build() -> Response:
        try:
            return form_write(settings, sessions, session, form, write, again, passthrough=(PreconditionFailed,))
        except PreconditionFailed:
            return page(settings, _conflict_page(model, key, session, form, _version(form.get("version"))), 409)

    return _view(settings, build)
