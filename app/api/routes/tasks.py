from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.params import name_path
from app.models import Task
from app.services import entities

router = APIRouter(prefix="/api/tasks", tags=["work packages"], responses=ERROR_RESPONSES)


@router.get("/{code}", response_model=Task)
def task(model: ModelDep, code: Annotated[str, name_path("`T.9.1` (or `9.1`)", "T.9.1")]) -> Task:
    """One task with its work package, themes and the municipalities of its work package."""
    return entities.get_task(model, code)
