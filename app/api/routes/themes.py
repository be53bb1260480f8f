from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.params import name_path
from app.models import ListResponse, ThemeDetail, ThemeSummary
from app.services import entities

router = APIRouter(prefix="/api/themes", tags=["themes"], responses=ERROR_RESPONSES)


@router.get("", response_model=ListResponse[ThemeSummary])
def list_themes(model: ModelDep) -> ListResponse[ThemeSummary]:
    """The controlled vocabulary of themes, with the tasks and work packages addressing each."""
    return entities.list_themes(model)


@router.get("/{slug}", response_model=ThemeDetail)
def theme(
    model: ModelDep, slug: Annotated[str, name_path("`sea-level-rise`, or a Danish or English name", "sea-level-rise")]
) -> ThemeDetail:
    """One theme and the municipalities that reach it through their work packages."""
    return entities.get_theme(model, slug)
