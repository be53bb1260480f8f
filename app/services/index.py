"""An in-memory index of every node's names, rebuilt once per loaded graph.

Resolves what people type (a code, a name, an official name, with or without Danish
letters) to one node, and suggests close matches when nothing fits.
"""

from __future__ import annotations

import bisect
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rapidfuzz import fuzz, process

from app.graph.schema import LABELS
from app.graph.store import GraphStore
from app.services.errors import InvalidParameter, NotFound
from app.services.text import clean_input, fold, shorten

# Older or other spellings found in the sources' cross-checks (shared/reference/SOURCES.md).
MUNICIPALITY_ALIASES = {
    480: ["Nordfyn", "Nordfyn Kommune"],
    820: ["Vesthimmerland", "Vesthimmerland Kommune"],
    810: ["Brønderslev-Dronninglund"],
    751: ["Århus Kommune"],
}

KIND_WORDS = {
    "Region": "region",
    "Municipality": "municipality",
    "Programme": "programme",
    "Organisation": "organisation",
    "WorkPackage": "work package",
    "Task": "task",
    "Theme": "theme",
}


@dataclass(frozen=True)
class NodeRef:
    id: str
    kind: str
    name: str
    properties: dict[str, Any] = field(hash=False, compare=False)


def _aliases(kind: str, p: dict[str, Any]) -> Iterable[str]:
    yield p["name"]
    if kind == "Municipality":
        yield str(p["code"])
        yield f"{p['code']:04d}"
        yield p["official_name"]
        yield f"{p['name']} Kommune"
        yield from MUNICIPALITY_ALIASES.get(p["code"], [])
    elif kind == "Region":
        yield p["short_name"]
        yield p["name_en"]
    elif kind == "WorkPackage":
        yield p["code"]
        yield str(p["number"])
        yield p["title_da"]
        yield p["title_en"]
    elif kind == "Task":
        yield p["code"]
        yield p["code"].removeprefix("T.")
        yield p["title_da"]
        yield p["title_en"]
    elif kind == "Theme":
        yield p["slug"]
        yield p["name_da"]
        yield p["name_en"]
    elif kind in ("Organisation", "Programme"):
        yield p["key"]
        if p.get("full_name"):
            yield p["full_name"]


def _identifiers(node: NodeRef) -> set[str]:
    """What a node is called by as an identifier (slug, code, key), in lower case."""
    p = node.properties
    return {str(p[k]).casefold() for k in ("slug", "code", "key") if p.get(k) is not None} | {node.id.casefold()}


class GraphIndex:
    def __init__(self, nodes: list[NodeRef]) -> None:
        self.nodes = nodes
        self.by_id = {n.id: n for n in nodes}
        self.by_kind: dict[str, list[NodeRef]] = {label: [] for label in LABELS}
        self._keys: dict[str | None, dict[str, list[NodeRef]]] = {None: {}}
        for node in nodes:
            self.by_kind[node.kind].append(node)
            for alias in _aliases(node.kind, node.properties):
                key = fold(alias)
                if not key:
                    continue
                for scope in (None, node.kind):
                    bucket = self._keys.setdefault(scope, {}).setdefault(key, [])
                    if node not in bucket:
                        bucket.append(node)
        self._choices = {scope: list(keys) for scope, keys in self._keys.items()}
        self._sorted = {scope: sorted(keys) for scope, keys in self._keys.items()}

    @classmethod
    def from_store(cls, store: GraphStore) -> GraphIndex:
        nodes = []
        for label in LABELS:
            for row in store.read("nodes_by_label", label=label):
                p = row["node"]
                nodes.append(NodeRef(p["id"], label, p["name"], p))
        return cls(nodes)

    def suggestions(self, text: str, kinds: tuple[str, ...] | None = None, limit: int = 5) -> list[str]:
        key = fold(text)
        if not key:
            return []
        names: list[str] = []
        for scope in kinds or (None,):
            choices = self._choices.get(scope, [])
            for match, score, _ in process.extract(key, choices, scorer=fuzz.WRatio, limit=limit * 2):
                if score < 60:
                    continue
                for node in self._keys[scope][match]:
                    if node.name not in names:
                        names.append(node.name)
        return names[:limit]

    def _unique_prefix(self, key: str, kinds: tuple[str, ...] | None) -> list[NodeRef]:
        """The one node whose name starts with `key` (`hedebølger` → the heat-wave theme), else []."""
        found: list[NodeRef] = []
        for scope in kinds or (None,):
            keys = self._sorted.get(scope, [])
            start = bisect.bisect_left(keys, key)
            for candidate in keys[start:]:
                if not candidate.startswith(key):
                    break
                for node in self._keys[scope][candidate]:
                    if node not in found:
                        found.append(node)
                if len(found) > 1:
                    return []
        return found

    def resolve(self, text: str, kinds: tuple[str, ...] | None = None, what: str | None = None) -> NodeRef:
        """The one node `text` names, or NotFound with suggestions."""
        what = what or (" or ".join(KIND_WORDS[k] for k in kinds) if kinds else "node")
        cleaned = clean_input(text or "")
        if not cleaned:
            raise InvalidParameter(f"an empty {what} name was given", expected=f"the name or code of a {what}")
        if len(cleaned) > 200:
            raise InvalidParameter(f"the {what} name is {len(cleaned)} characters long", expected="at most 200 characters")
        if cleaned in self.by_id and (kinds is None or self.by_id[cleaned].kind in kinds):
            return self.by_id[cleaned]
        key = fold(cleaned)
        candidates: list[NodeRef] = []
        for scope in kinds or (None,):
            for node in self._keys.get(scope, {}).get(key, []):
                if node not in candidates:
                    candidates.append(node)
        if not candidates and len(key) >= 3:
            candidates = self._unique_prefix(key, kinds)
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            # A region and its namesake never collide (Region X vs X); prefer the most specific kind order.
            typed = cleaned.casefold()
            by_identifier = [n for n in candidates if typed in _identifiers(n)]
            if len(by_identifier) == 1:  # `sea-level-rise` is the theme's slug, not WP9's English title
                return by_identifier[0]
            preferred = sorted(candidates, key=lambda n: LABELS.index(n.kind))
            exact = [n for n in preferred if fold(n.name) == key]
            return (exact or preferred)[0]
        raise NotFound(
            f"no {what} called '{shorten(cleaned, 40)}'",
            expected=f"the name or code of a {what}",
            suggestions=self.suggestions(cleaned, kinds),
        )


T = TypeVar("T")


# The collector's default first threshold (700) moves a request's short-lived objects into the
# oldest generation, and every full collection then walks all of it: with the per-graph tables of
# 100,000 municipalities in there, pauses of 0.8 s (README "Benchmark"). A larger first threshold
# lets temporaries die young; freezing the per-graph tables takes them out of collection.
GC_THRESHOLDS = (10_000, 10, 10)
ANSWER_CACHE_SIZE = 512


def tune_garbage_collection() -> None:
    """For a process that serves the graph (the API, the benchmark): set once at start."""
    gc.set_threshold(*GC_THRESHOLDS)


class GenerationCache:
    """Values computed from the graph, kept until a load replaces the graph.

    A string key names a per-graph structure (the name index, project tables, adjacency …): kept
    whole, and frozen out of the garbage collector's reach until the next load. A tuple key names
    one answer (an overlap, a path search …): kept in a least-recently-used table of
    ANSWER_CACHE_SIZE, so that many different questions cannot grow memory without end."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._tables: dict[str, Any] = {}
        self._answers: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any, build: Callable[[], T]) -> T:
        generation = self.store.generation
        table = isinstance(key, str)
        with self._lock:
            if generation != self._generation:
                self._tables = {}
                self._answers = OrderedDict()
                self._generation = generation
                gc.unfreeze()  # the replaced graph's tables become collectable again
            if table and key in self._tables:
                return self._tables[key]
            if not table and key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        value = build()
        with self._lock:
            if self._generation != generation:
                return value
            if table:
                self._tables[key] = value
            else:
                self._answers[key] = value
                while len(self._answers) > ANSWER_CACHE_SIZE:
                    self._answers.popitem(last=False)
        if table:
            gc.freeze()
        return value

    def index(self) -> GraphIndex:
        return self.get("graph-index", lambda: GraphIndex.from_store(self.store))
