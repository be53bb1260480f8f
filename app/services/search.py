"""Search over every node's names: exact names, starts of names and words, close spellings."""

from __future__ import annotations

from app import models
from app.i18n import gettext as _
from app.services.errors import InvalidParameter, out_of_range
from app.services.read_model import ReadModel
from app.services.text import clean_input, fold, shorten


def search(model: ReadModel, q: str, limit: int = 10) -> models.SearchResults:
    cleaned = clean_input(q or "")
    if not fold(cleaned):
        raise InvalidParameter(
            _("the search text is empty (or only punctuation)"), expected=_("q with at least one letter or digit")
        )
    if len(cleaned) > 200:
        raise InvalidParameter(
            _("the search text is {count} characters long").format(count=len(cleaned)), expected=_("q of at most 200 characters")
        )
    if not 1 <= limit <= 100:
        raise out_of_range("limit", limit, 1, 100)
    hits = [
        models.SearchHit(id=node.id, kind=node.kind, name=node.name, score=score, matched=matched)
        for score, node, matched in model.names().search(cleaned, limit)
    ]
    return models.SearchResults(query=shorten(cleaned, 200), data=hits, count=len(hits))
