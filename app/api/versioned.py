"""Answers about one versioned piece of written knowledge carry its version as `ETag` (the value
a later `If-Match` must send) and, once created, where it lives (`Location`)."""

from typing import Any

from fastapi import Response

from app.services.knowledge.writes import etag


def answer(response: Response, body: dict[str, Any], location: str | None = None) -> dict[str, Any]:
    response.headers["ETag"] = etag(body["version"])
    if location is not None:
        response.headers["Location"] = location
    return body
