"""A server asks itself a few typical questions once it has started (and after a load replaces
the graph), so that its first visitors do not pay what every process pays once.

LadybugDB compiles a query text the first time a connection runs it (5-40 ms a text, 40-90 ms for
a municipality's profile or the gaps of a region at 100,000 municipalities, against 10-50 ms once
compiled), and the first read of a table brings its pages into the buffer pool. The questions run
through the same services as the API, one after the other on one connection (the pool hands the
most recently used connection out first, so a visitor's question usually gets that one). It runs
as one of the background analyses (app.services.read_model), so `/health` shows when it is done;
a write, which keeps the graph's generation and its connections, does not repeat it.

Neighbourhoods and paths are left out on purpose: their texts hold several MB of the buffer pool
each while compiled (see README "Memory"), which a visitor's question should decide to spend."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import Any

from app.services import analytics, entities, overlap, replication, search
from app.services.errors import ServiceError
from app.services.read_model import ReadModel, register_background

WARM_UP = "warm-up"

# The generation each model was last warmed for: a write keeps the generation (and the compiled
# statements), so only a load, which opens a new one, warms again.
_warmed: weakref.WeakKeyDictionary[ReadModel, str | None] = weakref.WeakKeyDictionary()


def typical_questions(model: ReadModel) -> list[tuple[str, Callable[[], Any]]]:
    """(what, ask) for a question of each common kind, about the first nodes of each kind."""
    names = model.names()

    def first(kind: str, count: int = 1) -> list[str]:
        """Names, or codes and slugs where a kind has them (names may be shared across kinds)."""
        return [node.key if kind in ("WorkPackage", "Theme") else node.name for node in names.of_kind(kind)[:count]]

    municipalities, regions, packages = first("Municipality", 2), first("Region"), first("WorkPackage")
    themes = first("Theme")
    questions: list[tuple[str, Callable[[], Any]]] = [
        ("municipalities", lambda: entities.list_municipalities(model)),
        ("work packages", lambda: entities.list_work_packages(model)),
        ("themes", lambda: entities.list_themes(model)),
        ("regions", lambda: entities.list_regions(model)),
    ]
    if municipalities:
        name = municipalities[0]
        middle = len(name) // 2
        questions += [
            ("a municipality", lambda: entities.municipality_profile(model, name)),
            ("search", lambda: search.search(model, name[: max(3, len(name) // 2)])),
            # a letter left out: the close spellings' pass (at scale it counts the keys' letters first)
            ("a close spelling", lambda: search.search(model, name[:middle] + name[middle + 1 :])),
        ]
    if len(municipalities) == 2:
        questions.append(("an overlap", lambda: overlap.overlap(model, municipalities[0], municipalities[1])))
    if regions:
        questions += [
            ("a region", lambda: entities.get_region(model, regions[0])),
            ("gaps", lambda: analytics.gaps(model, region=regions[0], pillar="adaptation")),
        ]
    if packages:
        questions += [
            ("a work package", lambda: entities.get_work_package(model, packages[0])),
            ("replication", lambda: replication.replication(model, packages[0])),
        ]
    if themes:
        questions.append(("a theme", lambda: entities.get_theme(model, themes[0])))
    return questions


def warm_up(model: ReadModel) -> dict[str, Any]:
    """Ask the typical questions; seconds each took (a question the graph cannot answer, such as
    one about an empty graph's first region, is passed over)."""
    generation = model.store.generation
    if generation is not None and _warmed.get(model) == generation:
        return {"generation": generation, "questions": {}, "again": False}
    took: dict[str, float | None] = {}
    for what, ask in typical_questions(model):
        started = time.perf_counter()
        try:
            ask()
        except ServiceError:
            took[what] = None
            continue
        took[what] = round(time.perf_counter() - started, 3)
    _warmed[model] = generation
    return {"generation": generation, "questions": took, "again": True}


register_background(WARM_UP, warm_up)
