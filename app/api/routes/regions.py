from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.params import name_path
from app.models import ListResponse, RegionDetail, RegionSummary
from app.services import entities

router = APIRouter(prefix="/api/regions", tags=["regions"], responses=ERROR_RESPONSES)


@router.get("", response_model=ListResponse[RegionSummary])
def list_regions(model: ModelDep) -> ListResponse[RegionSummary]:
    """The five regions with how many municipalities each has and how many take part."""
    return entities.list_regions(model)


@router.get("/{name}", response_model=RegionDetail)
def region(
    model: ModelDep,
    name: Annotated[str, name_path("`Region Midtjylland`, `Midtjylland` or `Central Denmark Region`", "Midtjylland")],
) -> RegionDetail:
    """One region: its municipalities and what it leads or partners in."""
    return entities.get_region(model, name)
