"""Solutions and their adoptions: reads open, writes with a bearer token (editor or admin)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from app.api.deps import EditorDep, IfMatchDep, ModelDep
from app.api.errors import WRITE_RESPONSES
from app.services import knowledge

router = APIRouter(prefix="/api/solutions", tags=["knowledge"], responses=WRITE_RESPONSES)
Key = Annotated[str, Path(max_length=200, description="id, slug or name: `carl`, `solution:carl`, `Living labs`")]


def _with_etag(response: Response, body: dict[str, Any]) -> dict[str, Any]:
    response.headers["ETag"] = knowledge.etag(body["version"])
    return body


@router.get("")
def list_solutions(model: ModelDep) -> dict[str, Any]:
    """Every solution with who developed and adopted it, its tasks, themes and resources."""
    return knowledge.list_solutions(model)


@router.post("", status_code=201)
def create_solution(model: ModelDep, who: EditorDep, body: knowledge.SolutionIn, response: Response) -> dict[str, Any]:
    """A new solution: 201 with `Location` and `ETag`; 409 if the name exists."""
    created = knowledge.create_solution(model, who, body)
    response.headers["Location"] = f"/api/solutions/{created['slug']}"
    return _with_etag(response, created)


@router.get("/{key}")
def get_solution(model: ModelDep, key: Key, response: Response) -> dict[str, Any]:
    """One solution, with its adoptions (oldest first), observations and resources."""
    return _with_etag(response, knowledge.get_solution(model, key))


@router.patch("/{key}")
def update_solution(
    model: ModelDep, who: EditorDep, key: Key, body: knowledge.SolutionPatch, response: Response, if_match: IfMatchDep = None
) -> dict[str, Any]:
    """Change a solution; needs `If-Match` with its current version (412 if it moved, 428 without)."""
    return _with_etag(response, knowledge.update_solution(model, who, key, body, if_match))


@router.delete("/{key}", status_code=204)
def delete_solution(model: ModelDep, who: EditorDep, key: Key, if_match: IfMatchDep = None) -> Response:
    """Delete a solution (one without adoptions); needs `If-Match`."""
    knowledge.delete_solution(model, who, key, if_match)
    return Response(status_code=204)


@router.post("/{key}/adoptions", status_code=201)
def add_adoption(model: ModelDep, who: EditorDep, key: Key, body: knowledge.AdoptionIn, response: Response) -> dict[str, Any]:
    """A municipality takes the solution up (a dated event; the latest is the current state)."""
    adoption = knowledge.add_adoption(model, who, key, body)
    response.headers["Location"] = f"/api/solutions/{key}"
    return _with_etag(response, adoption)
