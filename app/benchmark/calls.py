"""Every in-process call the benchmark makes into app/services, in one place.

- query_calls: representative parameters for every named read query (names resolved through
  the read model's name index);
- scale_scenario: inputs for the named queries, taken from a loaded synthetic graph;
- cold_start: the name index built (what a process keeps), then the first call of each service.
Everything else the benchmark asks the services, it asks over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.benchmark.measure import timed
from app.benchmark.plan import WRITE_PREFIXES, Scenario
from app.graph.schema import shape
from app.graph.store import GraphStore


def _region_of(store: GraphStore, municipality_id: str) -> str:
    rows = store.read("municipalities_by_id", {"ids": [municipality_id]})
    return rows[0]["region"] if rows else ""


def query_calls(store: GraphStore, scenario: Scenario) -> dict[str, Callable[[], Any] | str]:
    """Every named query of the store's dialect: a call with representative parameters, or why
    it is not run (writes)."""
    from app.services.entities import municipality_filters, work_package_facts
    from app.services.knowledge.observations import series_params
    from app.services.read_model import ReadModel

    model = ReadModel(store)
    muni = model.resolve(scenario.municipality, ("Municipality",))
    other = model.resolve(scenario.other, ("Municipality",))
    target = model.resolve(scenario.path_target, ("Municipality",))
    task = model.resolve(scenario.task, ("Task",))
    facts = work_package_facts(model, [scenario.work_package])
    participants = [p["id"] for p in facts.participants.get(scenario.work_package, [])]
    pillars = list(facts.work_packages[scenario.work_package]["pillars"])
    wp_ids = [model.resolve(scenario.work_package, ("WorkPackage",)).id]
    region_ids = [model.resolve(_region_of(store, muni.id), ("Region",)).id]
    solutions = [s.id for s in model.names().of_kind("Solution")][:100]
    page = {"skip": 0, "limit": 100}
    params: dict[str, dict[str, Any]] = {
        "node_by_id": {"id": muni.id},
        "nodes_by_ids": {"ids": [muni.id, other.id]},
        "outgoing": {"id": muni.id},
        "incoming": {"id": muni.id},
        "municipality_neighbours": {"id": muni.id},
        "municipalities_by_id": {"ids": [muni.id, other.id]},
        "work_packages_by_id": {"ids": wp_ids},
        "work_package_leads": {"ids": wp_ids},
        "work_package_partners": {"ids": wp_ids},
        "work_package_participants": {"ids": wp_ids},
        "work_package_tasks": {"ids": wp_ids},
        "work_package_direct_themes": {"ids": wp_ids},
        "task_themes": {"ids": wp_ids},
        "task_work_package": {"id": task.id},
        "shared_work_packages": {"a": muni.id, "b": other.id},
        "neighbours_of_participants": {"participants": participants},
        "co_participants": {"participants": participants},
        "region_members": {"regions": region_ids},
        "work_package_participant_ids": {},
        "theme_work_packages": {},
        "shortest_paths": {"source": muni.id, "target": target.id, "limit": 1000},
        "step_out": {"ids": [muni.id], "most": 50},
        "step_in": {"ids": [muni.id], "most": 50},
        "export_nodes_page": {"after": "", "page": 1000},
        "changes_since": {"since": 0, "limit": 100},
        "observations_of": series_params(subject=muni.id),
        "observations_total": series_params(subject=muni.id),
        "observations_of_subject": series_params(subject=muni.id),
        "observations_of_subject_total": series_params(subject=muni.id),
        "indicator_subjects": {"indicator": "indicator:carl", **page},
        "indicator_subjects_total": {"indicator": "indicator:carl"},
        "indicator_observations_of": {"indicator": "indicator:carl", "ids": [muni.id, other.id], "limit": 10_000},
        "indicator_latest": {"indicator": "indicator:carl", "last": "9999-12-31", "every": False, "ids": [muni.id, other.id]},
        "indicator_dates": {"indicator": "indicator:carl", "limit": 100},
        "observation_by_id": {"id": "observation:none"},
        "resource_targets": {"id": "resource:none"},
        "targets_of_resources": {"ids": [r.id for r in model.names().of_kind("Resource")][:100]},
        "observations_of_subjects": {"ids": solutions},
        "solutions_matching": {"status": "", "task": task.id, "theme": "", "blank": ""},
        **{f"{part}_of_solutions": {"ids": solutions} for part in ("developers", "tasks", "themes", "adoptions", "resources")},
        "export_edges_page": {"after_source": "", "after_target": "", "page": 1000},
        "outgoing_of": {"ids": [muni.id, other.id]},
        "incoming_of": {"ids": [muni.id, other.id], "skip": ["MEMBER_OF"]},
        "programme_memberships": {"ids": [programme.id for programme in model.names().of_kind("Programme")][:10]},
    }
    # the pages of the lists (cypher/pages.cypher): a first page of 100, and each list's count
    in_region = municipality_filters(_region_of(store, muni.id))
    scoped = {
        "municipality": in_region,
        "work_package_municipality": {**in_region, "id": wp_ids[0]},
        "programme_municipality": {**in_region, "id": next(iter(model.names().of_kind("Programme"))).id},
        "theme_municipality": {**in_region, "work_packages": wp_ids},
        "gap_municipality": {
            **in_region,
            "any_pillar": not pillars,
            "pillar": pillars[0] if pillars else "",
            "any_work_package": True,
            "work_packages": [""],
        },
        "overlap_pair": {"any_region": True, "region": "", "min_shared": 1},
    }
    for prefix, filters in scoped.items():
        params[f"{prefix}_page"] = {**filters, **page}
        params[f"{prefix}_total"] = filters
    params["resource_page"] = {"task": task.id, "theme": "", "solution": "", "blank": "", **page}
    params["resource_total"] = {"task": task.id, "theme": "", "solution": "", "blank": ""}
    for prefix in ("region", "work_package", "theme", "programme", "organisation", "solution", "indicator"):
        params[f"{prefix}_page"] = page
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


def scale_scenario(model: Any) -> Scenario:
    """Inputs for the named queries at scale: the middle work package, two of its members, a neighbour."""
    from app.services.entities import work_package_facts

    codes = sorted((row["code"] for row in model.store.read("work_packages")), key=lambda c: int(c[2:]))
    code = codes[len(codes) // 2]
    facts = work_package_facts(model, [code])
    members = sorted(p["name"] for p in facts.participants[code])
    task = sorted(t["code"] for t in facts.tasks[code])[0]
    first = model.resolve(members[0], ("Municipality",))
    neighbours = model.store.read("municipality_neighbours", {"id": first.id})
    target = neighbours[0]["name"] if neighbours else members[-1]
    return Scenario(municipality=members[0], other=members[-1], path_target=target, work_package=code, task=task)


def cold_start(store: GraphStore) -> tuple[dict[str, float], Scenario]:
    """Seconds to build the name index (all a process keeps of the graph; LIFEACT_WARM_ON_START),
    then the first, uncached call of each service; and the scenario of this graph."""
    from app.services import overlap, replication, traversal
    from app.services.read_model import ReadModel

    model = ReadModel(store)
    cold = {"name_index_seconds": model.warm()}
    scenario = scale_scenario(model)
    cold["first_overlap_seconds"] = timed(lambda: overlap.overlap(model, scenario.municipality, scenario.other))
    cold["first_replication_seconds"] = timed(lambda: replication.replication(model, scenario.task))
    cold["first_paths_seconds"] = timed(lambda: traversal.paths(model, scenario.municipality, scenario.path_target))
    cold["first_graph_seconds"] = timed(lambda: traversal.neighbourhood(model, scenario.municipality, 2))
    return cold, scenario
