from typing import Annotated

from fastapi import APIRouter

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.paging import ThemePages
from app.api.params import name_path
from app.models import Page, ThemeDetail, ThemeSummary
from app.services import entities

router = APIRouter(prefix="/api/themes", tags=["themes"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[ThemeSummary])
def list_themes(model: ModelDep, pages: ThemePages) -> Page[ThemeSummary]:
    """The controlled vocabulary of themes by slug, with the tasks and work packages addressing each."""
    return pages.send(entities.list_themes(model, pages.page))


@router.get("/{slug}", response_model=ThemeDetail)
def theme(
    model: ModelDep, slug: Annotated[str, name_path("`sea-level-rise`, or a Danish or English name", "sea-level-rise")]
) -> ThemeDetail:
    """One theme and the municipalities that reach it through their work packages."""
    return entities.get_theme(model, slug)
