from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import ModelDep, StoreCheckDep
from app.api.errors import ERROR_RESPONSES
from app.graph.budget import BudgetExceeded
from app.graph.store import StoreUnavailable
from app.i18n import gettext as _
from app.models import Analysis, ErrorBody, ErrorResponse, Health
from app.services.errors import error_code

router = APIRouter(tags=["health"], responses={422: ERROR_RESPONSES[422]})


@router.get("/health", response_model=Health, responses={503: ERROR_RESPONSES[503]})
async def health(check: StoreCheckDep, model: ModelDep) -> Health | JSONResponse:
    """Whether the graph store answers (pinged at most once a second), which backend serves the explorer,
    and whether the analyses of the whole graph are ready for the graph as it is now."""
    store = check.store
    try:
        generation = await check.generation()
    except (StoreUnavailable, BudgetExceeded) as exc:
        message = _("the {backend} store is unavailable: {reason}").format(backend=store.backend, reason=exc)[:400]
        body = ErrorResponse(error=ErrorBody(status=503, code=error_code(503), message=message))
        return JSONResponse({"status": "unavailable", "backend": store.backend, **body.model_dump()}, status_code=503)
    analyses = {name: Analysis(state=state, seconds=seconds) for name, (state, seconds) in model.analyses().items()}
    return Health(status="ok", backend=store.backend, generation=generation, analyses=analyses)
