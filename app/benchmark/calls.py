"""Every in-process call the benchmark makes into app/services, in one place (the services are
being reorganised; their call sites here are all there is to change).

- query_calls: representative parameters for every named read query (names resolved through the
  services' index and project tables);
- scale_scenario: inputs for the named queries, taken from a loaded synthetic graph;
- cold_start: the per-graph tables built one by one, then the first call of each service.
Everything else the benchmark asks the services, it asks over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.benchmark.measure import timed
from app.benchmark.plan import WRITE_PREFIXES, Scenario
from app.graph.schema import shape
from app.graph.store import GraphStore


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


def scale_scenario(cache: Any) -> Scenario:
    """Inputs for the named queries at scale: the middle work package, two of its members, a neighbour."""
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


def cold_start(store: GraphStore) -> tuple[dict[str, float], Scenario]:
    """Seconds to build each per-graph table (what the server builds before it answers,
    LIFEACT_WARM_ON_START), then the first call of each service, which builds what is left
    (per-answer caches, overlap pair tables …); and the scenario of this graph."""
    from app.services import relationships
    from app.services.index import GenerationCache

    cache = GenerationCache(store)
    cold = {f"{name.replace(' ', '_')}_seconds": seconds for name, seconds in relationships.warm(cache).items()}
    scenario = scale_scenario(cache)
    cold["first_overlap_seconds"] = timed(lambda: relationships.overlap(cache, scenario.municipality, scenario.other))
    cold["first_replication_seconds"] = timed(lambda: relationships.replication(cache, scenario.task))
    cold["first_paths_seconds"] = timed(lambda: relationships.paths(cache, scenario.municipality, scenario.path_target))
    cold["first_graph_seconds"] = timed(lambda: relationships.neighbourhood(cache, scenario.municipality, 2))
    return cold, scenario
