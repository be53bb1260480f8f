"""The read-only Cypher console: `POST /api/cypher` and its page at `/cypher`.

Installed through app.main APP_HOOKS. Both answer 404 with a message naming
LIFEACT_CYPHER_CONSOLE while the setting is off, and are left out of the OpenAPI
schema then, so that the public API does not advertise them. The page is in the request's
language (app/templates/cypher.html, its script app/static/views/console.js), like every page.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from app.api.deps import SettingsDep, StoreDep
from app.api.errors import ERROR_RESPONSES
from app.api.language import LANGUAGE_PARAMETER
from app.graph.schema import LABELS
from app.i18n import current_language
from app.i18n import gettext as _
from app.models import ErrorResponse
from app.services.cypher_console import MAX_QUERY_CHARS, console_disabled, run_console_query
from app.settings import Settings
from app.views.render import render_page

CONSOLE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    400: {"model": ErrorResponse, "description": "The body is not UTF-8 JSON"},
    403: {"model": ErrorResponse, "description": "The query would write, load files or administer; the console only reads"},
    413: {"model": ErrorResponse, "description": "The request body is larger than LIFEACT_MAX_REQUEST_BYTES"},
    429: {"model": ErrorResponse, "description": "Too many console queries are running; try again in a moment"},
}


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, examples=["MATCH (m:Municipality) RETURN m.name LIMIT 5"])
    parameters: dict[str, Any] = Field(
        default_factory=dict, max_length=50, description="Values for `$name` placeholders in the query"
    )


class CypherResult(BaseModel):
    backend: str
    columns: list[str]
    rows: list[list[Any]]
    row_count: int
    truncated: bool = Field(description="True when the query had more rows than the row limit")
    row_limit: int
    elapsed_ms: float


def require_console(app_settings: SettingsDep) -> None:
    """Runs before the body is validated, so a server with the console off says only that."""
    if not app_settings.cypher_console:
        raise console_disabled()


def build_router(settings: Settings) -> APIRouter:
    router = APIRouter(tags=["console"], include_in_schema=settings.cypher_console, dependencies=[Depends(require_console)])

    @router.post("/api/cypher", response_model=CypherResult, responses=CONSOLE_RESPONSES)
    def cypher(body: Annotated[CypherRequest, Body()], store: StoreDep, app_settings: SettingsDep) -> CypherResult:
        """Run one read-only Cypher query (MATCH … RETURN …) with a timeout and a row limit.

        Off unless `LIFEACT_CYPHER_CONSOLE=true`. Writes, file loading, admin procedures and
        `CALL … IN TRANSACTIONS` are refused (403), and the store itself runs the query read-only."""
        result = run_console_query(
            store,
            body.query,
            body.parameters,
            enabled=app_settings.cypher_console,
            timeout_seconds=app_settings.cypher_timeout,
            row_limit=app_settings.cypher_row_limit,
        )
        return CypherResult(
            backend=store.backend,
            columns=result.columns,
            rows=result.rows,
            row_count=len(result.rows),
            truncated=result.truncated,
            row_limit=app_settings.cypher_row_limit,
            elapsed_ms=result.elapsed_ms,
        )

    @router.get("/cypher", response_class=HTMLResponse, include_in_schema=False)
    def console_page(app_settings: SettingsDep) -> HTMLResponse:
        return HTMLResponse(render_console(app_settings.cypher_row_limit, app_settings.cypher_timeout))

    return router


EXAMPLES = (
    "MATCH (r:Region)<-[:IN_REGION]-(m:Municipality) RETURN r.name AS region, count(m) AS municipalities",
    "MATCH (m:Municipality {name: 'Samsø'})-[:NEIGHBOURS]-(n) RETURN n.name AS neighbour",
    "MATCH (t:Task)-[:ADDRESSES]->(th:Theme) RETURN th.slug AS theme, collect(t.code) AS tasks",
)


def render_console(row_limit: int, timeout: float) -> str:
    """The console's page in the current language; its script's words travel in the page's data."""
    data = {
        # The API's errors in the page's language, whatever the browser's Accept-Language says.
        "endpoint": f"/api/cypher?{urlencode({'lang': current_language()})}",
        "text": {
            "running": _("running…"),
            "noAnswer": _("no answer: {reason}"),
            "error": _("error"),
            "expected": _("(expected: {expected})"),
            "row": _("{count} row in {ms} ms on {backend}"),  # the script picks by the count
            "rows": _("{count} rows in {ms} ms on {backend}"),
            "cut": _("(cut at {limit} rows)"),
        },
    }
    return render_page(
        "cypher.html",
        "console",
        row_limit=row_limit,
        timeout=f"{timeout:g}",
        labels=", ".join(LABELS),
        examples=EXAMPLES,
        data=data,
    )


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(build_router(settings), dependencies=[LANGUAGE_PARAMETER])
