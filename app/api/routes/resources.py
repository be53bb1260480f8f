"""Resources: guides, tools, methods, courses, seminars, reports and data sets."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.api.deps import EditorDep, IfMatchDep, ModelDep
from app.api.errors import WRITE_RESPONSES
from app.api.paging import ResourcePages
from app.api.params import name_path
from app.api.versioned import answer
from app.services.knowledge import resources

router = APIRouter(prefix="/api/resources", tags=["knowledge"], responses=WRITE_RESPONSES)
Key = Annotated[str, name_path("A resource: its id, slug or title", "wp4-courses-and-masterclasses")]
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("")
def list_resources(
    model: ModelDep, pages: ResourcePages, task: Filter = None, theme: Filter = None, solution: Filter = None
) -> dict[str, Any]:
    """The resources by title, a page at a time: every one, or those serving the task, theme and
    solution given (names resolved as everywhere)."""
    return pages.send(resources.list_resources(model, task, theme, solution, pages.page))


@router.post("", status_code=201)
def create(model: ModelDep, who: EditorDep, body: resources.ResourceIn, response: Response) -> dict[str, Any]:
    """A new resource: 201 with `Location` and `ETag`; links are http or https only."""
    created = resources.create(model, who, body)
    return answer(response, created, f"/api/resources/{created['slug']}")


@router.get("/{key}")
def get(model: ModelDep, key: Key, response: Response) -> dict[str, Any]:
    return answer(response, resources.get(model, key))


@router.patch("/{key}")
def update(
    model: ModelDep, who: EditorDep, key: Key, body: resources.ResourcePatch, response: Response, if_match: IfMatchDep = None
) -> dict[str, Any]:
    """Change a resource; needs `If-Match` with its version (412 if it moved, 428 without)."""
    return answer(response, resources.update(model, who, key, body, if_match))


@router.delete("/{key}", status_code=204)
def delete(model: ModelDep, who: EditorDep, key: Key, if_match: IfMatchDep = None) -> Response:
    resources.delete(model, who, key, if_match)
    return Response(status_code=204)
