from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import StoreDep
from app.api.errors import ERROR_RESPONSES
from app.graph.store import StoreUnavailable
from app.i18n import gettext as _
from app.models import ErrorBody, ErrorResponse, Health
from app.services.errors import error_code

router = APIRouter(tags=["health"], responses={422: ERROR_RESPONSES[422]})


@router.get("/health", response_model=Health, responses={503: ERROR_RESPONSES[503]})
def health(store: StoreDep) -> Health | JSONResponse:
    """Whether the graph store answers, and which backend serves the explorer."""
    try:
        store.ping()
        generation = store.generation
    except StoreUnavailable as exc:
        message = _("the {backend} store is unavailable: {reason}").format(backend=store.backend, reason=exc)[:400]
        body = ErrorResponse(error=ErrorBody(status=503, code=error_code(503), message=message))
        return JSONResponse({"status": "unavailable", "backend": store.backend, **body.model_dump()}, status_code=503)
    return Health(status="ok", backend=store.backend, generation=generation)
