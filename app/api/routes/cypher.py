"""The read-only Cypher console: `POST /api/cypher` and its page at `/cypher`.

Installed through app.main APP_HOOKS. Both answer 404 with a message naming
LIFEACT_CYPHER_CONSOLE while the setting is off, and are left out of the OpenAPI
schema then, so that the public API does not advertise them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from app.api.deps import SettingsDep, StoreDep
from app.api.errors import ERROR_RESPONSES
from app.api.language import LANGUAGE_PARAMETER
from app.models import ErrorResponse
from app.services.cypher_console import MAX_QUERY_CHARS, console_disabled, run_console_query
from app.settings import Settings

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
        page = CONSOLE_PAGE.replace("{{ROW_LIMIT}}", str(app_settings.cypher_row_limit)).replace(
            "{{TIMEOUT}}", f"{app_settings.cypher_timeout:g}"
        )
        return HTMLResponse(page)

    return router


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(build_router(settings), dependencies=[LANGUAGE_PARAMETER])


# Inline script and style are allowed by the CSP ('unsafe-inline'); fetch goes to 'self' only.
# Values are shown with textContent, never innerHTML, so graph text cannot inject markup.
CONSOLE_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cypher console · LIFE ACT Knowledge Explorer</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2a33; max-width: 80rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  p.note { color: #4b5b66; margin: 0 0 1rem; font-size: .9rem; }
  textarea { width: 100%; min-height: 8rem; font: 0.95rem ui-monospace, monospace; padding: .5rem; box-sizing: border-box; }
  .bar { display: flex; gap: .8rem; align-items: center; margin: .5rem 0 1rem; flex-wrap: wrap; }
  button { font-size: 1rem; padding: .35rem 1rem; cursor: pointer; }
  select { font-size: .9rem; }
  #status { font-size: .9rem; color: #4b5b66; }
  #status.error { color: #a4161a; }
  table { border-collapse: collapse; font-size: .85rem; width: 100%; }
  th, td { border: 1px solid #d5dde3; padding: .25rem .45rem; text-align: left; vertical-align: top; }
  th { background: #eef3f6; position: sticky; top: 0; }
  td { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
</style>
</head>
<body>
<h1>Cypher console</h1>
<p class="note">Read-only: writes, file loading and admin procedures are refused. At most {{ROW_LIMIT}} rows,
{{TIMEOUT}} s per query. Labels: Region, Municipality, WorkPackage, Task, Theme, Programme, Organisation.</p>
<label for="query">Query</label>
<textarea id="query" spellcheck="false">MATCH (m:Municipality)-[:PARTICIPATES_IN]->(w:WorkPackage)
RETURN w.code AS work_package, count(m) AS municipalities
ORDER BY municipalities DESC</textarea>
<div class="bar">
  <button id="run" type="button">Run (Ctrl+Enter)</button>
  <label>Examples
    <select id="examples">
      <option value="">…</option>
      <option>MATCH (r:Region)<-[:IN_REGION]-(m:Municipality) RETURN r.name AS region, count(m) AS municipalities</option>
      <option>MATCH (m:Municipality {name: 'Samsø'})-[:NEIGHBOURS]-(n) RETURN n.name AS neighbour</option>
      <option>MATCH (t:Task)-[:ADDRESSES]->(th:Theme) RETURN th.slug AS theme, collect(t.code) AS tasks</option>
    </select>
  </label>
  <span id="status" role="status"></span>
</div>
<div id="result"></div>
<script>
(function () {
  const query = document.getElementById("query");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const show = (value) => value === null ? "null" : typeof value === "object" ? JSON.stringify(value) : String(value);
  async function run() {
    status.className = ""; status.textContent = "running…"; result.replaceChildren();
    let response, body;
    try {
      response = await fetch("/api/cypher", {
        method: "POST", headers: {"Content-Type": "application/json", "Accept": "application/json"},
        body: JSON.stringify({query: query.value})
      });
      body = await response.json();
    } catch (err) { status.className = "error"; status.textContent = "no answer: " + err; return; }
    if (!response.ok) {
      const e = body.error || {};
      status.className = "error";
      status.textContent = (e.status || response.status) + ": " + (e.message || "error")
        + (e.expected ? " (expected: " + e.expected + ")" : "");
      return;
    }
    status.textContent = body.row_count + " rows in " + body.elapsed_ms + " ms on " + body.backend
      + (body.truncated ? " (cut at " + body.row_limit + " rows)" : "");
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const column of body.columns) { const th = document.createElement("th"); th.textContent = column; head.appendChild(th); }
    const tbody = table.createTBody();
    for (const row of body.rows) {
      const tr = tbody.insertRow();
      for (const value of row) tr.insertCell().textContent = show(value);
    }
    result.appendChild(table);
  }
  document.getElementById("run").addEventListener("click", run);
  query.addEventListener("keydown", (event) => { if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(); });
  document.getElementById("examples").addEventListener("change", (event) => {
    if (event.target.value) { query.value = event.target.value; event.target.value = ""; }
  });
})();
</script>
</body>
</html>
"""
