from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import WorkPackagePages
from app.api.params import name_path
from app.models import Page, WorkPackage
from app.services import entities

router = APIRouter(prefix="/api/work-packages", tags=["work packages"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[WorkPackage])
def list_work_packages(model: ModelDep, pages: WorkPackagePages) -> Page[WorkPackage]:
    """The work packages by number with lead, partners, tasks, themes and their first 100
    municipalities (all of them at `municipalities_url`)."""
    return pages.send(entities.list_work_packages(model, pages.page))


@router.get("/{code}", response_model=WorkPackage)
def work_package(model: ModelDep, code: Annotated[str, name_path("`WP5`, `wp5` or `5`", "WP5")]) -> WorkPackage:
    """One work package."""
    return entities.get_work_package(model, code)
