"""The last touches to the OpenAPI schema, for every route at once (an app hook in app.main).

Three things FastAPI cannot say from the route declarations:

- `If-Match` is required by every operation that takes it. The route declares it optional so that a
  request without it is answered 428 Precondition Required (RFC 6585) with the current version, not
  a validation 422; the schema states the contract: send it.
- OpenAPI links from each create (a POST answering 201) to the operations on what it created
  (`/api/solutions` → `/api/solutions/{key}`, `/api/solutions/{key}/adoptions`): the new node's `id`
  (or the field the parameter is named after: an indicator's `slug`) fills the path parameter and
  its `ETag` fills `If-Match`. Clients (and schemathesis's stateful phase) follow them to read,
  change and delete what they made. Derived from the paths, so a resource added later gets its
  links too.
- Every operation with a body can answer 400 (not UTF-8 JSON: app.api.errors) and 413 (larger than
  LIFEACT_MAX_REQUEST_BYTES: app.api.middleware) before its route runs, so it documents both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from app.settings import Settings

METHODS = ("get", "put", "patch", "delete", "post")
IF_MATCH = "If-Match"
ERROR_MODEL = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
BODY_ERRORS = {
    "400": "The body is not UTF-8 JSON",
    "413": "The request body is larger than LIFEACT_MAX_REQUEST_BYTES",
}


def _require_if_match(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter.get("name") == IF_MATCH:
            parameter["required"] = True
            schema = parameter.get("schema", {})
            # `anyOf: [string, null]` from the optional declaration: a header is never null
            branches = [branch for branch in schema.get("anyOf", []) if branch.get("type") != "null"]
            if len(branches) == 1:
                parameter["schema"] = {**{k: v for k, v in schema.items() if k != "anyOf"}, **branches[0]}


def _properties(schema: dict[str, Any], holder: dict[str, Any]) -> set[str]:
    """The property names of a response's or request body's JSON schema (through a `$ref`)."""
    body = holder.get("content", {}).get("application/json", {}).get("schema", {})
    reference = body.get("$ref", "")
    if reference.startswith("#/components/schemas/"):
        body = schema.get("components", {}).get("schemas", {}).get(reference.rsplit("/", 1)[1], {})
    return set(body.get("properties", {}))


def _created_fields(schema: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """What a create answers with: its 201's fields, and the body's, which the answer echoes (an
    indicator's answer declares no model, but carries the `slug` it was given)."""
    return _properties(schema, operation["responses"]["201"]) | _properties(schema, operation.get("requestBody", {}))


def _links(paths: dict[str, Any], collection: str, fields: set[str]) -> dict[str, Any]:
    """Links from a create on `collection` to every operation under `collection/{param}`. The path
    takes the created node's field of the parameter's name where it has one (an indicator's
    `slug`), else its `id` (solutions, adoptions, observations and resources are found by id)."""
    links: dict[str, Any] = {}
    prefix = collection.rstrip("/") + "/{"
    for path, operations in paths.items():
        if not path.startswith(prefix):
            continue
        parameter = path[len(prefix) : path.index("}", len(prefix))]
        field = parameter if parameter in fields else "id"
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            values = {f"path.{parameter}": f"$response.body#/{field}"}
            if any(p.get("in") == "header" and p.get("name") == IF_MATCH for p in operation.get("parameters", [])):
                values[f"header.{IF_MATCH}"] = "$response.header.ETag"
            name = operation.get("operationId") or f"{method}{path}"
            links[name] = (
                {"operationId": operation["operationId"], "parameters": values}
                if "operationId" in operation
                else {
                    "operationRef": f"#/paths/{path.replace('~', '~0').replace('/', '~1')}/{method}",
                    "parameters": values,
                }
            )
    return links


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = schema.get("paths", {})
    for path, operations in paths.items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            _require_if_match(operation)
            if "requestBody" in operation:
                for status, description in BODY_ERRORS.items():
                    operation["responses"].setdefault(status, {"description": description, "content": ERROR_MODEL})
            created = operation.get("responses", {}).get("201")
            if method == "post" and created is not None:
                links = _links(paths, path, _created_fields(schema, operation))
                if links:
                    created["links"] = links
    return schema


def install(app: FastAPI, settings: Settings) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
