"""The pages for solutions (issue 13): reading is open; the forms need an editor's sign-in and the
session's CSRF token, and write through the same services (and checks) as the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.api.deps import ModelDep, SessionDep, SessionsDep, SettingsDep
from app.api.forms import FormDep, editor, page, see_other
from app.api.params import name_path, name_query
from app.api.routes.views import ERROR_PAGES, PAGE, _view
from app.graph.schema import SOLUTION_STATUSES
from app.services import knowledge
from app.services.errors import InvalidParameter, PreconditionFailed, ServiceError
from app.services.knowledge.writes import Date
from app.services.read_model import ReadModel
from app.services.sessions import Session
from app.settings import Settings
from app.views import solutions as views
from app.views.render import with_query

router = APIRouter(tags=["views"], responses=ERROR_PAGES)
Filter = Annotated[str | None, name_query("A task, theme or region (a name or code)")]
StatusFilter = Annotated[Literal[SOLUTION_STATUSES] | None, Query(description="The solution's status")]  # type: ignore[valid-type]
Key = Annotated[str, name_path("A solution: its id, slug or name", "carl")]


def _message(error: ServiceError) -> str:
    hints = [f"expected: {error.expected}"] if error.expected else []
    hints += [f"did you mean: {', '.join(error.suggestions[:5])}"] if error.suggestions else []
    return error.message + (f" ({'; '.join(hints)})" if hints else "")


def _form_write(settings: Settings, write: Callable[[], str], again: Callable[[list[str]], str]) -> Response:
    """Runs a form's write and goes where it says; on a refusal shows the same page again with the input
    kept and the reasons. A conflicting version (412) is left to the caller: it has a page of its own."""
    try:
        return see_other(write())
    except ValidationError as exc:
        return page(settings, again(views.validation_messages(exc)), 422)
    except PreconditionFailed:
        raise
    except ServiceError as exc:
        return page(settings, again([_message(exc)]), exc.status)


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
    who = editor(settings, sessions, session, form)
    if isinstance(who, Response):
        return who

    def write() -> str:
        created = knowledge.create_solution(model, who, knowledge.SolutionIn.model_validate(views.solution_body(form)))
        return f"/views/solutions/{created['slug']}"

    return _form_write(settings, write, lambda errors: views.render_list(model, views.Filters(), session, form, errors))


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
    who = editor(settings, sessions, session, form)
    if isinstance(who, Response):
        return who

    def write() -> str:
        adoption = knowledge.add_adoption(model, who, key, knowledge.AdoptionIn.model_validate(views.adoption_body(form)))
        solution = knowledge.get_solution(model, adoption["solution"])
        return with_query(f"/views/solutions/{solution['slug']}", as_of=adoption["date"])

    return _view(
        settings,
        lambda: _form_write(
            settings,
            write,
            lambda errors: views.render_solution(model, key, session, adoption_form=form, adoption_errors=errors),
        ),
    )


def _version(value: str | None) -> int:
    """The version the edit form was made from (its hidden field)."""
    if value is None or not value.isdigit() or not 1 <= int(value) <= 10**9:
        raise InvalidParameter("the form has no valid version", expected="open the page again and edit from there")
    return int(value)


def _conflict_page(model: ReadModel, key: str, session: Session, form: dict[str, str], version: int) -> str:
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
    who = editor(settings, sessions, session, form)
    if isinstance(who, Response):
        return who

    def build() -> Response:
        version = _version(form.get("version"))

        def write() -> str:
            patch = knowledge.SolutionPatch.model_validate(views.solution_body(form))
            return f"/views/solutions/{knowledge.update_solution(model, who, key, patch, knowledge.etag(version))['slug']}"

        try:
            return _form_write(
                settings, write, lambda errors: views.render_solution(model, key, session, edit_form=form, edit_errors=errors)
            )
        except PreconditionFailed:
            return page(settings, _conflict_page(model, key, session, form, version), 409)

    return _view(settings, build)
