from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.params import name_path
from app.models import ListResponse, WorkPackage
from app.services import entities

router = APIRouter(prefix="/api/work-packages", tags=["work packages"], responses=ERROR_RESPONSES)


@router.get("", response_model=ListResponse[WorkPackage])
def list_work_packages(model: ModelDep) -> ListResponse[WorkPackage]:
    """The 11 work packages with lead, partners, municipalities, tasks and themes."""
    return entities.list_work_packages(model)


@router.get("/{code}", response_model=WorkPackage)
def work_package(model: ModelDep, code: Annotated[str, name_path("`WP5`, `wp5` or `5`", "WP5")]) -> WorkPackage:
    """One work package."""
    return entities.get_work_package(model, code)
