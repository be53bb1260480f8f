"""Pages of list answers: a limit, a cursor (the page's start offset), the total, and the next page's cursor.

Every list is read from the store a page at a time (SKIP/LIMIT in the named queries, with a
count query for the total), so an answer's cost is bounded by its `limit`, not by the graph.
Lists embedded in a record (a work package's municipalities …) are cut at EMBEDDED_LIMIT and
carry their count and the URL of the full, paged list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from app import models
from app.services.errors import InvalidParameter
from app.services.read_model import ReadModel
from app.services.text import shorten

T = TypeVar("T")

# How many items of a list embedded in a record are given in full (the rest via its URL).
# Above the 98 municipalities of the seed, so seed-scale records keep all their content.
EMBEDDED_LIMIT = 100
# A cursor is the page's start offset as a decimal number. The API declares exactly this pattern,
# so every cursor the schema allows is one the server accepts (an offset past the end is an empty
# page, not an error).
CURSOR_PATTERN = r"^[0-9]{1,12}$"
CURSOR_MAX_LENGTH = 12
_CURSOR = re.compile(CURSOR_PATTERN)


@dataclass(frozen=True)
class Limits:
    """A list's default and largest page size (documented in the OpenAPI schema and README)."""

    default: int
    maximum: int


# One place for every paged list, so the routes, the explorer and the README agree.
LIMITS: dict[str, Limits] = {
    "municipalities": Limits(100, 1000),
    "regions": Limits(100, 500),
    "work-packages": Limits(50, 200),
    "tasks": Limits(100, 500),
    "themes": Limits(100, 500),
    "programmes": Limits(50, 200),
    "organisations": Limits(100, 500),
    "relations": Limits(100, 1000),
    "overlaps": Limits(500, 1000),
    "gaps": Limits(100, 1000),
    "search": Limits(10, 100),
    "solutions": Limits(100, 500),
    "indicators": Limits(100, 500),
    "resources": Limits(100, 500),
    # An observation's body is about 280 bytes: the largest page is about 280 KB.
    "observations": Limits(500, 1000),
}


@dataclass(frozen=True)
class PageRequest:
    """Which page: at most `limit` items from position `offset` of the list's order."""

    limit: int
    offset: int = 0

    @classmethod
    def first(cls, list_name: str) -> PageRequest:
        return cls(LIMITS[list_name].default)

    @classmethod
    def of(cls, list_name: str, limit: int | None = None, cursor: str | None = None) -> PageRequest:
        """A checked request: the limit within the list's bounds, the cursor one we gave out."""
        bounds = LIMITS[list_name]
        limit = bounds.default if limit is None else limit
        if not 1 <= limit <= bounds.maximum:
            raise InvalidParameter(
                f"limit={limit} is out of range for {list_name}",
                expected=f"limit from 1 to {bounds.maximum} (default {bounds.default}); walk the pages with `cursor`",
            )
        return cls(limit, decode_cursor(cursor))

    @property
    def params(self) -> dict[str, int]:
        """The SKIP/LIMIT parameters of the page queries."""
        return {"skip": self.offset, "limit": self.limit}

    def page(self, data: list[T], total: int) -> models.Page[T]:
        end = self.offset + len(data)
        following = encode_cursor(end) if data and end < total else None
        return models.Page[T](data=data, count=len(data), total=total, limit=self.limit, next_cursor=following)


def encode_cursor(offset: int) -> str:
    return str(offset)


def decode_cursor(cursor: str | None) -> int:
    """The position a cursor stands for; anything but an offset is a clear 422."""
    if cursor is None or cursor == "":
        return 0
    if not _CURSOR.fullmatch(cursor):
        raise InvalidParameter(
            f"cursor='{shorten(cursor, 40)}' is not a cursor of this list",
            expected="the `next_cursor` of the previous page: a start offset of 1 to 12 digits (or no cursor for the first page)",
        )
    return int(cursor)


def count_of(rows: list[dict[str, Any]]) -> int:
    """The number a count query answers (one row, column `total`)."""
    return int(rows[0]["total"]) if rows else 0


def cached_total(model: ReadModel, query: str, params: dict[str, Any] | None = None, label: str | None = None) -> int:
    """A list's total, counted once per graph version: walking the pages does not recount.
    `label` fills a templated query's __LABEL__."""
    key = ("total", query, label, tuple(sorted((k, str(v)) for k, v in (params or {}).items())))
    return model.cached_facts(key, lambda: count_of(model.store.read(query, params or {}, label=label)))


def read_page(
    model: ReadModel,
    page: PageRequest,
    query: str,
    total_query: str,
    params: dict[str, Any] | None = None,
    label: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page's rows (named query `query`, SKIP/LIMIT) and the list's total (`total_query`).

    A page starting at or past the total is answered without asking the store: LadybugDB's
    ORDER BY … SKIP n works on n rows in memory (a cursor of 100000 crashed the process) and an
    offset of 2**32 wrapped round to the first page."""
    total = cached_total(model, total_query, params, label)
    if page.offset >= total:
        return [], total
    return model.store.read(query, {**(params or {}), **page.params}, label=label), total


def every_item(fetch: Callable[[PageRequest], models.Page[T]], limit: int) -> Iterator[T]:
    """Every item of a list, fetched a page of `limit` at a time (for the explorer)."""
    request = PageRequest(limit)
    while True:
        page = fetch(request)
        yield from page.data
        if page.next_cursor is None:
            return
        request = PageRequest(limit, decode_cursor(page.next_cursor))
