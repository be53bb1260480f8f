"""Parameter types shared by the routes, so that the schema says exactly what the API accepts.

A name that the store could look up needs at least one letter or digit: text of only spaces,
punctuation or control characters was a 422 from the service while the schema called it a valid
string. The pattern below says so in the schema and FastAPI enforces it, so schema-valid input is
looked up (200 or 404) and anything else is a 422 before the store is asked.

The patterns are written for three regex engines at once (pydantic-core's, which checks them; the
ECMA dialect of JSON Schema, which clients read; Python's, which generates test data), so they use
explicit ranges rather than classes such as \\w that differ between them (see app.services.text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Path, Query

from app.graph.schema import LABELS
from app.i18n import N_
from app.i18n import gettext as _
from app.services.text import NAME_PATTERN, SLUG_NAME_PATTERN

NAME_MAX = 200

# `kinds=Municipality,WorkPackage`: labels as the graph spells them, comma-separated.
_LABEL = "(?:" + "|".join(LABELS) + ")"
KINDS_PATTERN = f"^{_LABEL}(?:,{_LABEL})*$"

# `expand=Klimaalliancen,Region Midtjylland`: names of at most NAME_MAX characters each; an empty
# part is skipped, so any part may be anything up to that length.
EXPAND_PATTERN = f"^[^,]{{0,{NAME_MAX}}}(?:,[^,]{{0,{NAME_MAX}}})*$"

# What each pattern means, for the 422's `expected` (app.api.errors).
PATTERN_HELP: dict[str, str] = {
    NAME_PATTERN: N_("a name or code with at least one letter or digit"),
    KINDS_PATTERN: N_("a comma-separated list of {labels}"),
    EXPAND_PATTERN: N_("comma-separated names of at most {max} characters each"),
    SLUG_NAME_PATTERN: N_("a name with at least one letter a-z, æ, ø, å or digit"),
}


def pattern_help(pattern: str) -> str:
    """What a pattern means, in the request's language (for a 422's `expected`)."""
    if pattern not in PATTERN_HELP:
        return _("text matching {pattern}").format(pattern=pattern)
    return _(PATTERN_HELP[pattern]).format(labels=", ".join(LABELS), max=NAME_MAX)


def _name(where: Callable[..., Any], description: str, example: str | None) -> Any:
    return where(
        min_length=1,
        max_length=NAME_MAX,
        pattern=NAME_PATTERN,
        description=description,
        examples=[example] if example else None,
    )


def name_query(description: str, example: str | None = None) -> Any:
    """A query parameter naming a node (resolved like every other name)."""
    return _name(Query, description, example)


def name_path(description: str, example: str | None = None) -> Any:
    """A path segment naming a node."""
    return _name(Path, description, example)


def kinds_query(description: str) -> Any:
    return Query(max_length=NAME_MAX, pattern=KINDS_PATTERN, description=description)


def expand_query(description: str) -> Any:
    return Query(max_length=1000, pattern=EXPAND_PATTERN, description=description)
