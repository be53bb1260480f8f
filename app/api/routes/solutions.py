"""Solutions and their adoptions: reads open, writes with a bearer token (editor or admin)."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Response

from app.api.deps import EditorDep, IfMatchDep, ModelDep
from app.api.errors import WRITE_RESPONSES
from app.api.paging import SolutionPages
from app.api.params import name_path
from app.api.versioned import answer
from app.services import knowledge
from app.services.knowledge import adoptions

router = APIRouter(prefix="/api/solutions", tags=["knowledge"], responses=WRITE_RESPONSES)
Key = Annotated[str, name_path("id, slug or name: `carl`, `solution:carl`, `Living labs`", "carl")]
AdoptionId = Annotated[str, Path(max_length=60, description="the adoption's id: `adoption:1f2e3d4c5b6a`")]


@router.get("")
def list_solutions(model: ModelDep, pages: SolutionPages) -> dict[str, Any]:
    """The solutions by name, a page at a time, with who developed and adopted each, its tasks, themes and resources."""
    return pages.send(knowledge.list_solutions(model, pages.page))


@router.post("", status_code=201)
def create_solution(model: ModelDep, who: EditorDep, body: knowledge.SolutionIn, response: Response) -> dict[str, Any]:
    """A new solution: 201 with `Location` and `ETag`; 409 if the name exists."""
    created = knowledge.create_solution(model, who, body)
    return answer(response, created, f"/api/solutions/{created['slug']}")


@router.get("/{key}")
def get_solution(model: ModelDep, key: Key, response: Response) -> dict[str, Any]:
    """One solution, with its adoptions (oldest first), observations and resources."""
    return answer(response, knowledge.get_solution(model, key))


@router.patch("/{key}")
def update_solution(
    model: ModelDep, who: EditorDep, key: Key, body: knowledge.SolutionPatch, response: Response, if_match: IfMatchDep = None
) -> dict[str, Any]:
    """Change a solution; needs `If-Match` with its current version (412 if it moved, 428 without)."""
    return answer(response, knowledge.update_solution(model, who, key, body, if_match))


@router.delete("/{key}", status_code=204)
def delete_solution(model: ModelDep, who: EditorDep, key: Key, if_match: IfMatchDep = None) -> Response:
    """Delete a solution (one without adoptions); needs `If-Match`."""
    knowledge.delete_solution(model, who, key, if_match)
    return Response(status_code=204)


@router.post("/{key}/adoptions", status_code=201)
def add_adoption(model: ModelDep, who: EditorDep, key: Key, body: adoptions.AdoptionIn, response: Response) -> dict[str, Any]:
    """A municipality takes the solution up (a dated event; the latest is the current state)."""
    adoption = adoptions.record(model, who, key, body)
    return answer(response, adoption, f"/api/solutions/{quote(key)}/adoptions/{adoption['id']}")


@router.get("/{key}/adoptions/{adoption}")
def get_adoption(model: ModelDep, key: Key, adoption: AdoptionId, response: Response) -> dict[str, Any]:
    """One adoption event of the solution."""
    return answer(response, adoptions.get(model, key, adoption))


@router.patch("/{key}/adoptions/{adoption}")
def update_adoption(
    model: ModelDep,
    who: EditorDep,
    key: Key,
    adoption: AdoptionId,
    body: adoptions.AdoptionPatch,
    response: Response,
    if_match: IfMatchDep = None,
) -> dict[str, Any]:
    """Correct an adoption event (status, date, note, source); needs `If-Match` with its version."""
    return answer(response, adoptions.update(model, who, key, adoption, body, if_match))


@router.delete("/{key}/adoptions/{adoption}", status_code=204)
def delete_adoption(model: ModelDep, who: EditorDep, key: Key, adoption: AdoptionId, if_match: IfMatchDep = None) -> Response:
    """Delete an adoption event recorded in error; needs `If-Match`."""
    adoptions.delete(model, who, key, adoption, if_match)
    return Response(status_code=204)
