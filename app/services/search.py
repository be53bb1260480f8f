"""Search over every node's names: exact names, starts of names and words, close spellings."""

from __future__ import annotations

import re

from app import models
from app.services.errors import InvalidParameter
from app.services.read_model import ReadModel
from app.services.text import NAME_PATTERN, clean_input, fold, shorten


def search(model: ReadModel, q: str, limit: int = 10) -> models.SearchResults:
    cleaned = clean_input(q or "")
    if not fold(cleaned) and re.search(NAME_PATTERN, cleaned):
        # Letters that fold to nothing (þ, ð, ł): a name, as the API's pattern says, that no node has.
        return models.SearchResults(query=shorten(cleaned, 200), data=[], count=0)
    if not fold(cleaned):
        raise InvalidParameter("the search text is empty (or only punctuation)", expected="q with at least one letter or digit")
    if len(cleaned) > 200:
        raise InvalidParameter(f"the search text is {len(cleaned)} characters long", expected="q of at most 200 characters")
    if not 1 <= limit <= 100:
        raise InvalidParameter(f"limit={limit} is out of range", expected="limit from 1 to 100")
    hits = [
        models.SearchHit(id=node.id, kind=node.kind, name=node.name, score=score, matched=matched)
        for score, node, matched in model.names().search(cleaned, limit)
    ]
    return models.SearchResults(query=shorten(cleaned, 200), data=hits, count=len(hits))
