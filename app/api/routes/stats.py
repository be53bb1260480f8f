from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.errors import ERROR_RESPONSES
from app.models import Stats
from app.services import entities

router = APIRouter(prefix="/api", tags=["graph"], responses={422: ERROR_RESPONSES[422]})


@router.get("/stats", response_model=Stats, responses={503: ERROR_RESPONSES[503]})
def stats(store: StoreDep) -> Stats:
    """Nodes per label and relationships per type in the loaded graph."""
    return entities.stats(store)
