"""Indicators and the audit trail."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import EditorDep, ModelDep
from app.api.errors import WRITE_RESPONSES
from app.services import knowledge

router = APIRouter(prefix="/api", tags=["knowledge"], responses=WRITE_RESPONSES)


@router.get("/indicators")
def indicators(model: ModelDep) -> dict[str, Any]:
    """What observations measure: names, unit, range, which direction is better, and the scale."""
    return knowledge.list_indicators(model)


@router.get("/changes")
def changes(
    model: ModelDep,
    who: EditorDep,
    since: Annotated[int, Query(ge=0, description="the last change id seen (the cursor)")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The audit trail, oldest first: `{id, at, actor, action, entity, before, after}`; `next` is the cursor."""
    return knowledge.list_changes(model, since, limit)
