"""Observations: dated values of an indicator for a municipality, work package or solution."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from app.api.deps import EditorDep, IfMatchDep, ModelDep
from app.api.errors import WRITE_RESPONSES
from app.api.paging import ObservationPages
from app.api.versioned import answer
from app.services.knowledge import observations
from app.services.knowledge.writes import Date

router = APIRouter(prefix="/api/observations", tags=["knowledge"], responses=WRITE_RESPONSES)
ObservationId = Annotated[str, Path(max_length=60, description="the observation's id: `observation:1f2e3d4c5b6a`")]


@router.get("")
def series(
    model: ModelDep,
    pages: ObservationPages,
    subject: Annotated[str | None, Query(max_length=200, description="a municipality, work package or solution")] = None,
    indicator: Annotated[str | None, Query(max_length=200, description="an indicator's slug or name: `carl`")] = None,
    start: Annotated[Date | None, Query(alias="from", description="first date, YYYY-MM-DD")] = None,
    end: Annotated[Date | None, Query(alias="to", description="last date, YYYY-MM-DD")] = None,
) -> dict[str, Any]:
    """A time series, oldest first, a page at a time; give a subject and an indicator for one line of a chart."""
    return pages.send(observations.series(model, subject, indicator, start, end, pages.page))


@router.post("", status_code=201)
def record(model: ModelDep, who: EditorDep, body: observations.ObservationIn, response: Response) -> dict[str, Any]:
    """A new value: 201 with `Location` and `ETag`; 422 outside the indicator's range or in the future."""
    created = observations.record(model, who, body)
    return answer(response, created, f"/api/observations/{created['id']}")


@router.get("/{observation}")
def get(model: ModelDep, observation: ObservationId, response: Response) -> dict[str, Any]:
    return answer(response, observations.get(model, observation))


@router.patch("/{observation}")
def update(
    model: ModelDep,
    who: EditorDep,
    observation: ObservationId,
    body: observations.ObservationPatch,
    response: Response,
    if_match: IfMatchDep = None,
) -> dict[str, Any]:
    """Correct a value, its date or source; needs `If-Match` with its version (412 if it moved, 428 without)."""
    return answer(response, observations.update(model, who, observation, body, if_match))


@router.delete("/{observation}", status_code=204)
def delete(model: ModelDep, who: EditorDep, observation: ObservationId, if_match: IfMatchDep = None) -> Response:
    observations.delete(model, who, observation, if_match)
    return Response(status_code=204)
