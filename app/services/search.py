"""Search over every node's names: exact names, starts of names and words, close spellings."""

from __future__ import annotations

import re

from app import models
from app.i18n import gettext as _
from app.services.errors import InvalidParameter, out_of_range
from app.services.names import NodeRef
from app.services.paging import LIMITS, PageRequest
from app.services.read_model import ReadModel
from app.services.text import NAME_PATTERN, clean_input, fold, shorten

# The ranking is paged within its best SEARCH_DEPTH hits: further down, hits are noise.
SEARCH_DEPTH = 200


def search(model: ReadModel, q: str, limit: int = 10, offset: int = 0) -> models.SearchResults:
    cleaned = clean_input(q or "")
    if not fold(cleaned) and re.search(NAME_PATTERN, cleaned):
        # Letters that fold to nothing (þ, ð, ł): a name, as the API's pattern says, that no node has.
        return models.SearchResults(query=shorten(cleaned, 200), data=[], count=0, total=0, limit=limit, next_cursor=None)
    if not fold(cleaned):
        raise InvalidParameter(
            _("the search text is empty (or only punctuation)"), expected=_("q with at least one letter or digit")
        )
    if len(cleaned) > 200:
        raise InvalidParameter(
            _("the search text is {count} characters long").format(count=len(cleaned)), expected=_("q of at most 200 characters")
        )
    maximum = LIMITS["search"].maximum
    if not 1 <= limit <= maximum:
        raise out_of_range("limit", limit, 1, maximum)
    ranked = model.cached(("search", cleaned), lambda: _ranked(model, cleaned))
    page = PageRequest(limit, offset).page(ranked[offset : offset + limit], len(ranked))
    return models.SearchResults(
        query=shorten(cleaned, 200), data=page.data, count=page.count, total=page.total, limit=limit, next_cursor=page.next_cursor
    )


def _ranked(model: ReadModel, cleaned: str) -> list[models.SearchHit]:
    hits: list[tuple[float, NodeRef, str]] = model.names().search(cleaned, SEARCH_DEPTH)
    return [
        models.SearchHit(id=node.id, kind=node.kind, name=node.name, score=score, matched=matched)
        for score, node, matched in hits
    ]
