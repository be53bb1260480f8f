"""GET /api/export?format=graphml|gexf|json|csv: the whole graph as a file download.

Also the app hook (app.main APP_HOOKS) that mounts this router.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.api.deps import ModelDep
from app.api.errors import ERROR_RESPONSES
from app.api.language import LANGUAGE_PARAMETER
from app.services import exports
from app.settings import Settings

router = APIRouter(prefix="/api", tags=["exports"], responses=ERROR_RESPONSES)

ExportFormatName = Literal["graphml", "gexf", "json", "csv"]
assert set(ExportFormatName.__args__) == set(exports.FORMAT_NAMES)  # the route and the service agree

FORMAT_HELP = "; ".join(f"`{f.name}`: {f.description}" for f in exports.FORMATS.values())
FILE_SCHEMA = {"type": "string", "format": "binary"}
NODE_LINK_SCHEMA = {
    "type": "object",
    "description": "NetworkX node-link data: nodes carry `id`, `kind`, `name`, `provenance` and their properties; "
    "edges `source`, `target`, `key`, `type` and `role`, `detail`, `provenance` where present",
    "required": ["directed", "multigraph", "graph", "nodes", "edges"],
    "properties": {
        "directed": {"type": "boolean"},
        "multigraph": {"type": "boolean"},
        "graph": {"type": "object"},
        "nodes": {"type": "array", "items": {"type": "object", "required": ["id", "kind", "name"]}},
        "edges": {"type": "array", "items": {"type": "object", "required": ["source", "target", "type"]}},
    },
}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The graph as a file download (Content-Disposition: attachment)",
        "content": {
            f.media_type: {"schema": NODE_LINK_SCHEMA if f.name == "json" else FILE_SCHEMA} for f in exports.FORMATS.values()
        },
    },
    304: {"description": "Not modified: the graph is still the one named by If-None-Match"},
}


@router.get("/export", response_class=Response, responses=DOWNLOAD)
def export(
    model: ModelDep,
    request: Request,
    format: Annotated[ExportFormatName, Query(description=FORMAT_HELP)],  # the documented parameter name
) -> Response:
    """Every node (`id`, `kind`, `name`, `provenance` and its properties) and every edge (`type`,
    `role`, `detail`, `provenance`), for Gephi, yEd, Cytoscape, NetworkX or Excel.
    Streamed as it is read from one generation of the graph (no Content-Length; chunked), in
    constant memory whatever the graph's size; see README "Exports" for what each format holds."""
    fmt = exports.export_format(format)
    headers = {"Cache-Control": "no-cache"}
    etag = f'"{model.store.generation or "empty"}-{fmt.name}"'
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers={**headers, "ETag": etag})
    stream = exports.ExportStream(model.store, fmt.name)
    # The first chunk pins the generation and names it, here, before the status line goes out: a
    # store that cannot answer is still a JSON 503, and the ETag names the graph the file comes from.
    first = next(stream)
    headers["ETag"] = f'"{stream.generation or "empty"}-{fmt.name}"'
    headers["Content-Disposition"] = f'attachment; filename="{fmt.filename}"'
    # A sync iterator: Starlette reads it in the threadpool, a chunk at a time (the reads block).
    return StreamingResponse(itertools.chain((first,), stream), media_type=fmt.media_type, headers=headers)


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(router, dependencies=[LANGUAGE_PARAMETER])
