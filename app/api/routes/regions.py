from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import RegionPages
from app.api.params import name_path
from app.models import Page, RegionDetail, RegionSummary
from app.services import entities

router = APIRouter(prefix="/api/regions", tags=["regions"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[RegionSummary])
def list_regions(model: ModelDep, pages: RegionPages) -> Page[RegionSummary]:
    """The regions by name with how many municipalities each has and how many take part."""
    return pages.send(entities.list_regions(model, pages.page))


@router.get("/{name}", response_model=RegionDetail)
def region(
    model: ModelDep,
    name: Annotated[str, name_path("`Region Midtjylland`, `Midtjylland` or `Central Denmark Region`", "Midtjylland")],
) -> RegionDetail:
    """One region: its first 100 municipalities (all of them at `municipalities_url`) and what it leads or partners in."""
    return entities.get_region(model, name)
