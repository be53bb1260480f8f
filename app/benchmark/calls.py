"""Every in-process call the benchmark makes into app/services, in one place (the services are
being reorganised; their call sites here are all there is to change).

- query_calls: representative parameters for every named read query (names resolved through the
  services' index and project tables);
- scale_scenario: the inputs of the scale section, taken from a loaded synthetic graph;
- bench_scale_services: overlap, replication, paths, graph and search with new inputs on every call.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from app.benchmark.measure import sample, summary_ms
from app.benchmark.plan import GOAL_SCALE_P95_MS, WRITE_PREFIXES, Scenario
from app.graph.schema import shape
from app.graph.store import GraphStore
from app.steps import NO_STEPS, Steps


def query_calls(store: GraphStore, scenario: Scenario) -> dict[str, Callable[[], Any] | str]:
    """Every named query of the store's dialect: a call with representative parameters, or why
    it is not run (writes)."""
    from app.services.entities import project_tables
    from app.services.index import GenerationCache

    cache = GenerationCache(store)
    index = cache.index()
    tables = project_tables(cache)
    muni = index.resolve(scenario.municipality, ("Municipality",))
    other = index.resolve(scenario.other, ("Municipality",))
    target = index.resolve(scenario.path_target, ("Municipality",))
    codes = list(tables.work_packages)
    participants = [p["id"] for p in tables.participants.get(scenario.work_package, [])]
    params: dict[str, dict[str, Any]] = {
        "node_by_id": {"id": muni.id},
        "outgoing": {"id": muni.id},
        "incoming": {"id": muni.id},
        "municipality_neighbours": {"id": muni.id},
        "work_package_leads": {"codes": codes},
        "work_package_partners": {"codes": codes},
        "work_package_participants": {"codes": codes},
        "work_package_tasks": {"codes": codes},
        "shared_work_packages": {"a": muni.id, "b": other.id},
        "neighbours_of_participants": {"participants": participants},
        "co_participants": {"participants": participants, "exclude": [scenario.work_package]},
        "shortest_paths": {"source": muni.id, "target": target.id, "limit": 1000},
        "expand_out": {"ids": [muni.id]},
        "expand_in": {"ids": [muni.id]},
    }
    calls: dict[str, Callable[[], Any] | str] = {}
    queries = store.queries
    for name in queries.names():
        if name.startswith(WRITE_PREFIXES):
            calls[name] = "write: timed as part of the seed load / bulk load, not run here"
            continue
        text = queries.get(name).text
        kwargs: dict[str, Any] = {}
        label = name
        if "__MAX_HOPS__" in text:
            kwargs["path"] = ("Municipality", "Municipality", 6)
            label = f"{name}[Municipality->Municipality,6]"
        elif "__REL_TYPE__" in text:
            kwargs["rel"] = shape("NEIGHBOURS", "Municipality", "Municipality")
            label = f"{name}[NEIGHBOURS]"
        elif "__LABEL__" in text:
            kwargs["label"] = "Municipality"
            label = f"{name}[Municipality]"
        query_params = params.get(name, {})
        calls[label] = lambda name=name, query_params=query_params, kwargs=kwargs: store.read(name, query_params, **kwargs)
    return calls


def scale_scenario(cache: Any, rng: random.Random) -> Scenario:
    from app.services.entities import project_tables

    tables = project_tables(cache)
    code = sorted(tables.work_packages, key=lambda c: int(c[2:]))[len(tables.work_packages) // 2]
    members = sorted(p["name"] for p in tables.participants[code])
    task = sorted(t["code"] for t in tables.tasks[code])[0]
    index = cache.index()
    first = index.resolve(members[0], ("Municipality",))
    neighbours = cache.store.read("municipality_neighbours", {"id": first.id})
    target = neighbours[0]["name"] if neighbours else members[-1]
    return Scenario(municipality=members[0], other=members[-1], path_target=target, work_package=code, task=task)


def bench_scale_services(
    cache: Any, rng: random.Random, samples: int, budget_seconds: float = 60.0, steps: Steps = NO_STEPS
) -> dict[str, Any]:
    """Steady state: every call asks something new (no per-answer cache hit), per-graph caches warm."""
    from app.services import relationships
    from app.services.entities import project_tables

    tables = project_tables(cache)
    index = cache.index()
    participating = [m["name"] for m in tables.municipalities if m["participating"]]
    municipalities = [n.name for n in index.by_kind["Municipality"]]
    by_code = {m["code"]: m["name"] for m in tables.municipalities}
    targets = list(tables.work_packages) + [t["code"] for rows in tables.tasks.values() for t in rows]

    def near(name: str) -> str:
        """A municipality a few grid steps away (the synthetic grid is row-major by code)."""
        from app.synth import CODE_BASE

        code = index.resolve(name, ("Municipality",)).properties["code"]
        width = math.ceil(math.sqrt(len(municipalities)))
        step = rng.choice([3, -3, 4 * width, -4 * width, 2 + 2 * width, 2 - 2 * width])
        other = code + step
        return by_code.get(other, by_code[CODE_BASE + 1])

    def typed(name: str) -> str:
        """What a person types: the first few letters, or the name with one letter left out."""
        if rng.random() < 0.5:
            return name[: rng.randint(3, max(3, len(name) - 1))]
        gap = rng.randrange(len(name))
        return name[:gap] + name[gap + 1 :]

    cases: dict[str, Callable[[], Any]] = {
        "overlap": lambda: relationships.overlap(cache, rng.choice(participating), rng.choice(participating)),
        "replication": lambda: relationships.replication(cache, rng.choice(targets)),
        "paths (max_hops 6)": lambda: (lambda a: relationships.paths(cache, a, near(a)))(rng.choice(municipalities)),
        "graph (depth 2)": lambda: relationships.neighbourhood(cache, rng.choice(municipalities), 2),
        "search (prefix or typo)": lambda: relationships.search(cache, typed(rng.choice(municipalities)), 10),
    }
    results = {}
    steps.begin("services (in-process)", total=len(cases), unit="services")
    for name, call in cases.items():
        steps.advance()
        stats = summary_ms(sample(call, samples, budget_seconds, least=min(samples, 10)))
        stats["goal_met"] = stats["p95_ms"] <= GOAL_SCALE_P95_MS
        results[name] = stats
    return results
