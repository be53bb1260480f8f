"""The OpenAPI document in the request's language: `/openapi.json`, and so `/docs` and `/redoc`.

What a person reads in the schema (the app's description, each operation's summary and
description, the descriptions of tags, parameters, responses, headers, security schemes and
schema fields) is written in English where it is declared: route docstrings, `Query(description=…)`,
`Field(description=…)`, the error responses. Marking each of those with `N_` would not reach the
docstrings nor FastAPI's own texts (the summaries it makes from function names, "Successful
Response"), so the finished English schema is translated instead: every such text is a msgid of
the gettext catalogue, looked up when the schema is built, once per language.

The catalogue learns these msgids from `extract`, a Babel extractor named in babel.cfg: it builds
the English schema (with the console on, so its operation is in it) and hands over every text.
`make messages` adds a new or changed description to both catalogues, and
tests/test_i18n_catalogues.py fails while one has no translation.

Only text changes between languages: paths, operation ids, parameter names, enums, patterns,
examples, defaults, error `code`s and every other key are the same bytes in both.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterator
from typing import IO, Any

from babel.messages.extract import extract_python
from fastapi import FastAPI

from app.i18n import current_language, translations
from app.settings import Settings

TEXT_KEYS = frozenset({"description", "summary"})
# Values under these keys are data (what a client sends or gets), never prose to translate: an
# example may well hold a field called "description".
DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "pattern", "x-examples"})


def _walk(node: Any, visit: Callable[[dict[str, Any], str], None]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in DATA_KEYS:
                continue
            if key in TEXT_KEYS and isinstance(value, str):
                visit(node, key)
            else:
                _walk(value, visit)
    elif isinstance(node, list):
        for item in node:
            _walk(item, visit)


def texts(schema: dict[str, Any]) -> list[str]:
    """Every text a person reads in the schema, in document order (repeats included)."""
    found: list[str] = []
    _walk(schema, lambda holder, key: found.append(holder[key]))
    return found


def translated(schema: dict[str, Any], gettext: Callable[[str], str]) -> dict[str, Any]:
    """A copy of the schema with every text replaced by its translation; all else untouched."""
    result = copy.deepcopy(schema)

    def replace(holder: dict[str, Any], key: str) -> None:
        holder[key] = gettext(holder[key])

    _walk(result, replace)
    return result


def install(app: FastAPI, settings: Settings) -> None:
    """Wraps `app.openapi` (app.api.contract's English schema) with one translated copy per language."""
    english: Callable[[], dict[str, Any]] = app.openapi
    app.state.english_openapi = english  # the msgids, for `extract`
    built: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        language = current_language()
        if language not in built:  # two threads may both build it once; the answers are equal
            built[language] = translated(english(), translations(language).gettext)
        return built[language]

    app.openapi = openapi  # type: ignore[method-assign]


def english_schema() -> dict[str, Any]:
    """The schema as declared, with every optional operation in it (the console)."""
    from app.main import create_app  # here, not at the top: app.main imports this module's install

    app = create_app(Settings(cypher_console=True))
    return app.state.english_openapi()


def extract(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor (babel.cfg names it for this module's file): the module's own `_()`
    strings, as the Python extractor finds them, and then every text of the English schema."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    seen: set[str] = set()
    for text in texts(english_schema()):
        if text.strip() and text not in seen:
            seen.add(text)
            yield 0, None, text, ["OpenAPI (/docs, /redoc)"]
