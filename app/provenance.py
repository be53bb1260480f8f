"""Where a fact comes from: the provenance strings of the seed and the graph.

A provenance is one claim, or several joined with "; ", each of one of these forms:

- "<document title>, <section>"                  the fact is stated in that section
- "our reading of <document title>, <section>"   our inference from it (pillars, theme tags)
- "general knowledge, not in the source documents"
- "controlled vocabulary (seed/themes.yaml)"     the project's own theme vocabulary

A node has a `source` (its provenance as a whole) and, where single properties come from
elsewhere, `property_sources`: property name -> provenance, stored as one JSON text so
that LadybugDB and Neo4j hold it the same way (README "Data model").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

GENERAL_KNOWLEDGE = "general knowledge, not in the source documents"
OUR_READING = "our reading of "
VOCABULARY = "controlled vocabulary (seed/themes.yaml)"
SEPARATOR = "; "

ClaimKind = Literal["stated", "reading", "general", "vocabulary"]


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    document: str = ""
    section: str = ""


def claims(text: str) -> list[Claim]:
    """The claims of a provenance string, or ValueError saying which part has no known form."""
    parts = [part.strip() for part in (text or "").split(SEPARATOR.strip())]
    if not text or not text.strip() or any(not part for part in parts):
        raise ValueError("a provenance must not be empty (nor have an empty part between '; ')")
    found = []
    for part in parts:
        if part == GENERAL_KNOWLEDGE:
            found.append(Claim("general"))
            continue
        if part == VOCABULARY:
            found.append(Claim("vocabulary"))
            continue
        kind: ClaimKind = "reading" if part.startswith(OUR_READING) else "stated"
        document, comma, section = part.removeprefix(OUR_READING).partition(", ")
        if not comma or not document.strip() or not section.strip():
            raise ValueError(
                f"{part!r} is not '<document>, <section>', 'our reading of <document>, <section>' or '{GENERAL_KNOWLEDGE}'"
            )
        found.append(Claim(kind, document.strip(), section.strip()))
    return found


def check(text: str) -> str:
    """A pydantic validator: the text unchanged if every claim has a known form."""
    claims(text)
    return text


def is_reading(text: str) -> bool:
    """True if every claim of the provenance is our reading of a document."""
    return all(claim.kind == "reading" for claim in claims(text))


def encode(sources: Mapping[str, str]) -> str | None:
    """property -> provenance as the JSON text a node stores (None when there is none)."""
    return json.dumps(dict(sorted(sources.items())), ensure_ascii=False) if sources else None


def decode(stored: str | Mapping[str, str] | None) -> dict[str, str]:
    """The stored JSON text (or an already decoded mapping) as a dict; {} when absent."""
    if not stored:
        return {}
    if isinstance(stored, Mapping):
        return dict(stored)
    value = json.loads(stored)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
