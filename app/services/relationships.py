"""The relationship queries: overlaps, replication candidates, paths, neighbourhoods,
search, gaps and centrality. Plain functions over a GenerationCache, usable without HTTP."""

from __future__ import annotations

import bisect
import heapq
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rapidfuzz import fuzz, process

from app import models
from app.graph.queries import MAX_HOPS_LIMIT
from app.graph.schema import LABELS
from app.services.entities import ProjectTables, _theme_ref, project_tables, wp_sort_key
from app.services.errors import InvalidParameter
from app.services.index import KIND_WORDS, GenerationCache, NodeRef, _aliases
from app.services.text import clean_input, danish_key, fold, natural_key, shorten

PILLARS = ("mitigation", "adaptation")

# Replication scoring: each kind of evidence adds weight; see README "Replication scoring".
WEIGHTS = {
    "neighbour": 2.0,  # borders a participant (+0.5 for each further participant it borders)
    "neighbour_extra": 0.5,
    "neighbour_cap": 3.5,
    "region": 0.5,  # per participant in the same region
    "region_cap": 2.0,
    "lead-region": 1.0,  # its region leads a target work package
    "theme": 1.5,  # per target theme it already works on in another work package
    "theme_cap": 4.5,
    "pillar": 1.0,  # takes part in another place-based work package with a target pillar
    "co-participation": 0.25,  # per participant it already works with elsewhere
    "co-participation_cap": 2.0,
}


def _wp_sets(tables: ProjectTables) -> dict[str, list[str]]:
    return {m["name"]: m["work_packages"] for m in tables.municipalities}


def _cached_wp_sets(cache: GenerationCache) -> dict[str, list[str]]:
    """Work packages per municipality name, built once per loaded graph (100,000 rows at EU scale)."""
    return cache.get("wp-sets", lambda: _wp_sets(project_tables(cache)))


def _reached_themes(tables: ProjectTables, wps: list[str]) -> dict[str, dict[str, Any]]:
    themes: dict[str, dict[str, Any]] = {}
    for code in wps:
        for theme in tables.themes_of(code):
            themes.setdefault(theme["slug"], theme)
    return themes


def _jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return round(len(a & b) / len(union), 4) if union else 0.0


# -- overlaps ---------------------------------------------------------------------------
def overlap(cache: GenerationCache, a: str, b: str) -> models.Overlap:
    index = cache.index()
    node_a = index.resolve(a, ("Municipality",))
    node_b = index.resolve(b, ("Municipality",))
    tables = project_tables(cache)
    wps = _cached_wp_sets(cache)
    set_a, set_b = set(wps[node_a.name]), set(wps[node_b.name])
    shared = sorted(
        (row["code"] for row in cache.store.read("shared_work_packages", {"a": node_a.id, "b": node_b.id})), key=wp_sort_key
    )
    themes_a, themes_b = _reached_themes(tables, sorted(set_a)), _reached_themes(tables, sorted(set_b))
    shared_themes = [_theme_ref(t) for slug, t in sorted(themes_a.items()) if slug in themes_b]
    jaccard = _jaccard(set_a, set_b)
    if node_a.id == node_b.id:
        explanation = f"{node_a.name} was compared with itself: it takes part in {len(set_a)} work packages."
    elif shared:
        explanation = (
            f"{node_a.name} and {node_b.name} both take part in {len(shared)} work package"
            f"{'s' if len(shared) != 1 else ''} ({', '.join(shared)}), {jaccard:.0%} of the work packages either takes part in."
        )
    else:
        explanation = f"{node_a.name} and {node_b.name} share no work package" + (
            "." if set_a or set_b else ": neither takes part in LIFE ACT."
        )
    return models.Overlap(
        a=node_a.name,
        b=node_b.name,
        shared_work_packages=shared,
        shared_themes=shared_themes,
        only_a=sorted(set_a - set_b, key=wp_sort_key),
        only_b=sorted(set_b - set_a, key=wp_sort_key),
        jaccard=jaccard,
        explanation=explanation,
    )


def _pairs(cache: GenerationCache) -> list[models.OverlapPair]:
    def build() -> list[models.OverlapPair]:
        wps = _wp_sets(project_tables(cache))
        pairs = [
            models.OverlapPair(
                a=row["a"],
                b=row["b"],
                a_region=row["a_region"],
                b_region=row["b_region"],
                shared_work_packages=sorted(row["shared"], key=wp_sort_key),
                jaccard=_jaccard(set(wps[row["a"]]), set(wps[row["b"]])),
            )
            for row in cache.store.read("municipality_pairs")
        ]
        pairs.sort(key=lambda p: (-len(p.shared_work_packages), -p.jaccard, danish_key(p.a), danish_key(p.b)))
        return pairs

    return cache.get("overlap-pairs", build)


def overlaps(cache: GenerationCache, min_shared: int = 1, region: str | None = None) -> models.ListResponse[models.OverlapPair]:
    if min_shared < 1:
        raise InvalidParameter(f"min_shared={min_shared} is below 1", expected="min_shared ≥ 1")
    pairs = [p for p in _pairs(cache) if len(p.shared_work_packages) >= min_shared]
    if region is not None:
        name = cache.index().resolve(region, ("Region",)).name
        pairs = [p for p in pairs if p.a_region == name and p.b_region == name]
    return models.ListResponse[models.OverlapPair](data=pairs, count=len(pairs))


def overlap_matrix(cache: GenerationCache, region: str | None = None) -> models.OverlapMatrix:
    tables = project_tables(cache)
    rows = [m for m in tables.municipalities if m["participating"]]
    if region is not None:
        name = cache.index().resolve(region, ("Region",)).name
        rows = [m for m in rows if m["region"] == name]
    rows.sort(key=lambda m: danish_key(m["name"]))
    sets = [set(m["work_packages"]) for m in rows]
    return models.OverlapMatrix(
        municipalities=[m["name"] for m in rows],
        shared=[[len(a & b) for b in sets] for a in sets],
        jaccard=[[_jaccard(a, b) for b in sets] for a in sets],
    )


# -- replication ---------------------------------------------------------------------------
def _target_scope(cache: GenerationCache, node: NodeRef) -> tuple[list[str], dict[str, dict[str, Any]], list[str]]:
    """The work packages, themes and pillars a replication target stands for."""
    tables = project_tables(cache)
    if node.kind == "WorkPackage":
        wps = [node.properties["code"]]
        themes = _reached_themes(tables, wps)
        pillars = list(tables.work_packages[wps[0]]["pillars"])
    elif node.kind == "Task":
        code = node.properties["code"]
        wps = [tables.wp_of_task[code]]
        themes = {t["slug"]: t for t in tables.task_themes.get(code, [])}
        pillars = list(tables.work_packages[wps[0]]["pillars"])
    else:
        slug = node.properties["slug"]
        wps = [wp for wp in tables.work_packages if any(t["slug"] == slug for t in tables.themes_of(wp))]
        themes = {slug: {**node.properties, "name": node.properties["name_da"]}}
        pillars = [node.properties["pillar"]] if node.properties["pillar"] in PILLARS else []
    return sorted(wps, key=wp_sort_key), themes, pillars


def replication(cache: GenerationCache, target: str, limit: int = 10) -> models.Replication:
    if not 1 <= limit <= 100:
        raise InvalidParameter(f"limit={limit} is out of range", expected="limit from 1 to 100")
    node = cache.index().resolve(target, ("WorkPackage", "Task", "Theme"), what="work package, task or theme")
    key = ("replication", node.id)
    result = cache.get(key, lambda: _replication(cache, node))
    return result.model_copy(update={"candidates": result.candidates[:limit]})


MAX_CANDIDATES = 100  # the largest `limit` the API allows


@dataclass
class _ReplicationIndex:
    """Per-graph lookups that let replication touch only municipalities with some evidence."""

    by_id: dict[str, dict[str, Any]]
    by_region: dict[str, list[str]]
    theme_wps: dict[str, set[str]]
    pillar_wps: dict[str, set[str]]
    wp_participants: dict[str, list[str]]
    # Who takes part in some work package with the theme / pillar. A candidate never takes
    # part in the target's own work packages, so these need no per-target exclusion.
    theme_members: dict[str, set[str]]
    pillar_members: dict[str, set[str]]


def _replication_index(cache: GenerationCache) -> _ReplicationIndex:
    def build() -> _ReplicationIndex:
        tables = project_tables(cache)
        by_region: dict[str, list[str]] = defaultdict(list)
        for m in tables.municipalities:
            by_region[m["region"]].append(m["id"])
        theme_wps: dict[str, set[str]] = defaultdict(set)
        pillar_wps: dict[str, set[str]] = defaultdict(set)
        for code, wp in tables.work_packages.items():
            for theme in tables.themes_of(code):
                theme_wps[theme["slug"]].add(code)
            for pillar in wp["pillars"]:
                pillar_wps[pillar].add(code)
        wp_participants = {code: [p["id"] for p in rows] for code, rows in tables.participants.items()}

        def members(groups: dict[str, set[str]]) -> dict[str, set[str]]:
            return {key: {mid for code in codes for mid in wp_participants.get(code, [])} for key, codes in groups.items()}

        return _ReplicationIndex(
            by_id={m["id"]: m for m in tables.municipalities},
            by_region=dict(by_region),
            theme_wps=dict(theme_wps),
            pillar_wps=dict(pillar_wps),
            wp_participants=wp_participants,
            theme_members=members(theme_wps),
            pillar_members=members(pillar_wps),
        )

    return cache.get("replication-index", build)


def _replication(cache: GenerationCache, node: NodeRef) -> models.Replication:
    """Scores every candidate as a number first, then writes the reasons out for the best
    MAX_CANDIDATES only: at EU scale tens of thousands of municipalities have some evidence."""
    tables = project_tables(cache)
    index = _replication_index(cache)
    wps, themes, pillars = _target_scope(cache, node)
    target_wps = set(wps)
    participants = {p["id"]: p for code in wps for p in tables.participants.get(code, [])}
    participant_names = sorted({p["name"] for p in participants.values()}, key=danish_key)
    lead_regions: dict[str, list[str]] = defaultdict(list)
    for code in wps:
        lead = tables.leads.get(code)
        if lead and lead["kind"] == "Region":
            lead_regions[lead["name"]].append(code)
    per_region = Counter(p["region"] for p in participants.values())
    ids = list(participants)

    borders = {
        row["id"]: sorted(set(row["borders"]), key=danish_key)
        for row in cache.store.read("neighbours_of_participants", {"participants": ids})
    }
    partners: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in cache.store.read("co_participants", {"participants": ids, "exclude": wps}):
        partners[row["id"]][row["work_package"]].update(row["partners"])
    themes_found: dict[str, set[str]] = defaultdict(set)
    for slug in themes:
        for mid in index.theme_members.get(slug, set()).difference(participants):
            themes_found[mid].add(slug)
    pillar_members: set[str] = set().union(*(index.pillar_members.get(p, set()) for p in pillars)).difference(participants)

    scores: dict[str, float] = defaultdict(float)
    for mid, names in borders.items():
        scores[mid] += _neighbour_weight(names)
    for region, count in per_region.items():
        weight = min(WEIGHTS["region_cap"], WEIGHTS["region"] * count)
        for mid in index.by_region.get(region, []):
            scores[mid] += weight
    for region in lead_regions:
        for mid in index.by_region.get(region, []):
            scores[mid] += WEIGHTS["lead-region"]
    for mid, slugs in themes_found.items():
        scores[mid] += min(WEIGHTS["theme_cap"], WEIGHTS["theme"] * len(slugs))
    for mid in pillar_members:
        scores[mid] += WEIGHTS["pillar"]
    for mid, by_wp in partners.items():
        scores[mid] += _co_participation_weight(by_wp)
    for mid in participants:
        scores.pop(mid, None)

    best = _best_candidates(scores, index.by_id)
    region_names = {
        region: sorted((p["name"] for p in participants.values() if p["region"] == region), key=danish_key)
        for region in per_region
    }
    theme_names = {slug: t["name"] for slug, t in themes.items()}
    candidates = []
    for mid, score in best:
        m = index.by_id[mid]
        reasons: list[models.Reason] = []
        if mid in borders:
            reasons.append(
                models.Reason.model_construct(
                    kind="neighbour",
                    detail=f"borders {', '.join(borders[mid])} (participants)",
                    weight=_neighbour_weight(borders[mid]),
                )
            )
        if m["region"] in per_region:
            count = per_region[m["region"]]
            who = ", ".join(region_names[m["region"]])
            reasons.append(
                models.Reason.model_construct(
                    kind="region",
                    detail=f"in {m['region']}, like {count} participant{'s' if count != 1 else ''} ({who})",
                    weight=min(WEIGHTS["region_cap"], WEIGHTS["region"] * count),
                )
            )
        if m["region"] in lead_regions:
            reasons.append(
                models.Reason.model_construct(
                    kind="lead-region",
                    detail=f"{m['region']} leads {', '.join(lead_regions[m['region']])}",
                    weight=WEIGHTS["lead-region"],
                )
            )
        other_wps = [code for code in m["work_packages"] if code not in target_wps]
        for slug in sorted(themes_found.get(mid, ())):
            codes = [code for code in other_wps if code in index.theme_wps.get(slug, ())]
            reasons.append(
                models.Reason.model_construct(
                    kind="theme", detail=f"works on {theme_names[slug]} in {', '.join(codes)}", weight=WEIGHTS["theme"]
                )
            )
        if mid in pillar_members:
            same = [code for code in other_wps if set(tables.work_packages[code]["pillars"]) & set(pillars)]
            reasons.append(
                models.Reason.model_construct(
                    kind="pillar", detail=f"takes part in {'/'.join(pillars)} work in {', '.join(same)}", weight=WEIGHTS["pillar"]
                )
            )
        if mid in partners:
            names = sorted({n for group in partners[mid].values() for n in group}, key=danish_key)
            where = ", ".join(sorted(partners[mid], key=wp_sort_key))
            reasons.append(
                models.Reason.model_construct(
                    kind="co-participation",
                    detail=f"already works with {', '.join(names)} in {where}",
                    weight=_co_participation_weight(partners[mid]),
                )
            )
        reasons.sort(key=lambda r: (-r.weight, r.kind, r.detail))
        candidates.append(
            models.Candidate.model_construct(
                code=m["code"], name=m["name"], region=m["region"], score=round(score, 2), reasons=reasons
            )
        )
    return models.Replication(
        target=models.Ref(id=node.id, kind=node.kind, name=node.name),
        work_packages=wps,
        themes=[_theme_ref(t) for t in themes.values()],
        pillars=pillars,
        participants=participant_names,
        candidates=candidates,
    )


def _best_candidates(scores: dict[str, float], by_id: dict[str, dict[str, Any]]) -> list[tuple[str, float]]:
    """The MAX_CANDIDATES best by (score to two decimals, Danish name order).

    Rounding keeps the order of scores, so everything at or above the rounded score of the
    MAX_CANDIDATES-th best holds the answer; only those few get the costly name key.
    """
    if len(scores) > MAX_CANDIDATES:
        cutoff = round(heapq.nlargest(MAX_CANDIDATES, scores.values())[-1], 2)
        contenders = [(mid, score) for mid, score in scores.items() if round(score, 2) >= cutoff]
    else:
        contenders = list(scores.items())
    contenders.sort(key=lambda item: (-round(item[1], 2), danish_key(by_id[item[0]]["name"])))
    return contenders[:MAX_CANDIDATES]


def _neighbour_weight(borders: list[str]) -> float:
    return min(WEIGHTS["neighbour_cap"], WEIGHTS["neighbour"] + WEIGHTS["neighbour_extra"] * (len(borders) - 1))


def _co_participation_weight(by_wp: dict[str, set[str]]) -> float:
    partners = {name for group in by_wp.values() for name in group}
    return min(WEIGHTS["co-participation_cap"], WEIGHTS["co-participation"] * len(partners))


# -- paths and neighbourhoods ----------------------------------------------------------------
def _ref(node: NodeRef) -> models.Ref:
    return models.Ref(id=node.id, kind=node.kind, name=node.name)


def paths(cache: GenerationCache, source: str, target: str, max_hops: int = 6, limit: int = 10) -> models.Paths:
    if not 1 <= max_hops <= MAX_HOPS_LIMIT:
        raise InvalidParameter(f"max_hops={max_hops} is out of range", expected=f"max_hops from 1 to {MAX_HOPS_LIMIT}")
    if not 1 <= limit <= 100:
        raise InvalidParameter(f"limit={limit} is out of range", expected="limit from 1 to 100")
    index = cache.index()
    a, b = index.resolve(source), index.resolve(target)
    note = "Shortest paths ignore MEMBER_OF (every municipality is in Klimaalliancen, which would join any two in two hops)."
    if a.id == b.id:
        return models.Paths(
            source=_ref(a), target=_ref(b), length=0, paths=[models.Path(nodes=[_ref(a)], relationships=[])], note=note
        )

    def build() -> list[models.Path]:
        rows = cache.store.read(
            "shortest_paths", {"source": a.id, "target": b.id, "limit": 1000}, path=(a.kind, b.kind, max_hops)
        )
        found: dict[tuple, models.Path] = {}
        for row in rows:
            ids, types = row["ids"], row["types"]
            if "starts" in row:
                forward = [row["starts"][i] == ids[i] for i in range(len(types))]
            else:
                forward = [row["rel_sources"][i] == row["node_keys"][i] for i in range(len(types))]
            rels = [
                models.PathRelationship(
                    type=types[i], source=ids[i] if forward[i] else ids[i + 1], target=ids[i + 1] if forward[i] else ids[i]
                )
                for i in range(len(types))
            ]
            path = models.Path(nodes=[_ref(index.by_id[i]) for i in ids], relationships=rels)
            found[(tuple(ids), tuple(types))] = path
        return sorted(found.values(), key=lambda p: [natural_key(n.name) for n in p.nodes] + [[r.type for r in p.relationships]])

    all_paths = cache.get(("paths", a.id, b.id, max_hops), build)
    length = len(all_paths[0].relationships) if all_paths else None
    if not all_paths:
        note = f"No path of at most {max_hops} hops. " + note
    return models.Paths(source=_ref(a), target=_ref(b), length=length, paths=all_paths[:limit], note=note)


def parse_kinds(kinds: str | None) -> tuple[str, ...] | None:
    """`Municipality,WorkPackage`, `municipalities, work-packages` … → labels, or a 422."""
    if kinds is None or not clean_input(kinds):
        return None
    lookup = {fold(label): label for label in LABELS} | {fold(word): label for label, word in KIND_WORDS.items()}
    lookup |= {key + "s": label for key, label in list(lookup.items())} | {"wp": "WorkPackage", "wps": "WorkPackage"}
    labels = []
    for part in kinds.split(","):
        key = fold(part)
        if not key:
            continue
        if key not in lookup:
            raise InvalidParameter(
                f"unknown kind '{shorten(part, 40)}'", expected=f"a comma-separated list of {', '.join(LABELS)}"
            )
        labels.append(lookup[key])
    return tuple(dict.fromkeys(labels)) or None


NODE_DETAIL_SKIP = {"generation", "id", "kind", "name"}


def neighbourhood(
    cache: GenerationCache, center: str, depth: int = 1, kinds: str | tuple[str, ...] | None = None
) -> models.Neighbourhood:
    if not 1 <= depth <= 3:
        raise InvalidParameter(f"depth={depth} is out of range", expected="depth from 1 to 3")
    allowed = parse_kinds(kinds) if isinstance(kinds, str) or kinds is None else kinds
    node = cache.index().resolve(center)
    return cache.get(("neighbourhood", node.id, depth, allowed), lambda: _neighbourhood(cache, node, depth, allowed))


class Adjacency:
    """Every relationship as (type, other id) lists per node, out and in: read once per loaded
    graph (`all_edges`), so that expanding a neighbourhood costs no query. At EU scale a query
    per level reads every node of a label (`n.id IN $ids`), hundreds of milliseconds each."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        types: dict[str, str] = {}
        for row in rows:
            rel_type = types.setdefault(row["type"], row["type"])
            self.outgoing[row["source"]].append((rel_type, row["target"]))
            self.incoming[row["target"]].append((rel_type, row["source"]))

    def expand(self, ids: list[str], outgoing: bool) -> list[tuple[str, str, str]]:
        """(from id, type, other id) for every relationship leaving (or reaching) the given nodes."""
        table = self.outgoing if outgoing else self.incoming
        return [(node_id, rel_type, other) for node_id in ids for rel_type, other in table.get(node_id, ())]


def adjacency(cache: GenerationCache) -> Adjacency:
    return cache.get("adjacency", lambda: Adjacency(cache.store.read("all_edges")))


def _neighbourhood(cache: GenerationCache, center: NodeRef, depth: int, allowed: tuple[str, ...] | None) -> models.Neighbourhood:
    graph = adjacency(cache)
    by_id = cache.index().by_id
    visited: dict[str, dict[str, Any]] = {center.id: center.properties}
    frontier = [center.id]
    edges: set[tuple[str, str, str]] = set()
    for level in range(depth + 1):
        by_kind: dict[str, list[str]] = defaultdict(list)
        for node_id in frontier:
            by_kind[visited[node_id]["kind"]].append(node_id)
        discovered: list[str] = []
        for ids in by_kind.values():
            for outgoing in (True, False):
                for from_id, rel_type, other_id in graph.expand(ids, outgoing):
                    other = by_id[other_id].properties
                    if allowed and other["kind"] not in allowed and other_id != center.id:
                        continue
                    if other_id not in visited:
                        if level == depth:  # the last round only adds edges between nodes already in
                            continue
                        visited[other_id] = other
                        discovered.append(other_id)
                    source, target = (from_id, other_id) if outgoing else (other_id, from_id)
                    edges.add((source, target, rel_type))
        frontier = discovered
    degree: Counter[str] = Counter()
    for source, target, _ in edges:
        degree[source] += 1
        degree[target] += 1
    nodes = [
        models.GraphNode(
            id=node_id,
            kind=p["kind"],
            name=p["name"],
            degree=degree[node_id],
            properties={k: v for k, v in p.items() if k not in NODE_DETAIL_SKIP and v is not None},
        )
        for node_id, p in visited.items()
    ]
    nodes.sort(key=lambda n: (n.id != center.id, LABELS.index(n.kind), natural_key(n.name)))
    return models.Neighbourhood(
        center=_ref(center),
        depth=depth,
        nodes=nodes,
        edges=[models.GraphEdge(source=s, target=t, type=ty) for s, t, ty in sorted(edges)],
    )


# -- search ------------------------------------------------------------------------------------
class SearchIndex:
    def __init__(self, nodes: list[NodeRef]) -> None:
        # key -> (node, alias, whole): `whole` marks the fold of a whole name, not of one word in it
        entries: dict[str, list[tuple[NodeRef, str, bool]]] = defaultdict(list)
        for node in nodes:
            for alias in _aliases(node.kind, node.properties):
                whole = fold(alias)
                if whole:
                    entries[whole].append((node, alias, True))
                for word in str(alias).split():
                    key = fold(word)
                    if len(word) > 2 and key and key != whole:
                        entries[key].append((node, alias, False))
        # Ties rank by kind, then name. A word such as "kommune" can match all 100,000 municipalities:
        # each key's entries are kept whole names first, then in rank order, so a query reads only
        # the first `limit` nodes of each (no node further down could make the answer).
        self.order = {node.id: (LABELS.index(node.kind), natural_key(node.name)) for node in nodes}
        for rows in entries.values():
            rows.sort(key=lambda row: (not row[2], self.order[row[0].id]))
        self.entries = entries
        self.keys = sorted(entries)

    @staticmethod
    def _leading(rows: list[tuple[NodeRef, str, bool]], limit: int) -> Iterator[tuple[NodeRef, str, bool]]:
        """The rows of the first `limit` distinct nodes among whole names, then among words."""
        seen: dict[bool, set[str]] = {True: set(), False: set()}
        for row in rows:
            group = seen[row[2]]
            if row[0].id not in group:
                if len(group) >= limit:
                    if row[2]:
                        continue  # the whole names are done; the words follow
                    return
                group.add(row[0].id)
            yield row

    def search(self, query: str, limit: int) -> list[models.SearchHit]:
        key = fold(query)
        best: dict[str, tuple[float, NodeRef, str]] = {}  # node id -> (score, node, matched alias)

        def offer(node: NodeRef, alias: str, score: float) -> None:
            current = best.get(node.id)
            if current is None or score > current[0]:
                best[node.id] = (round(score, 1), node, alias)

        for node, alias, whole in self._leading(self.entries.get(key, []), limit):
            offer(node, alias, 100.0 if whole else 95.0)
        start = bisect.bisect_left(self.keys, key)
        for candidate in self.keys[start : start + 200]:
            if not candidate.startswith(key):
                break
            for node, alias, whole in self._leading(self.entries[candidate], limit):
                # the start of a whole name beats the start of a word inside one
                offer(node, alias, (85.0 if whole else 78.0) + 10.0 * len(key) / len(candidate))
        if len(key) >= 3:
            for candidate, score, _ in process.extract(key, self.keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=70):
                for node, alias, _whole in self._leading(self.entries[candidate], limit):
                    offer(node, alias, score * 0.75)
        top = heapq.nsmallest(limit, best.values(), key=lambda hit: (-hit[0], self.order[hit[1].id]))
        return [
            models.SearchHit(id=node.id, kind=node.kind, name=node.name, score=score, matched=str(alias))
            for score, node, alias in top
        ]


def search_index(cache: GenerationCache) -> SearchIndex:
    return cache.get("search-index", lambda: SearchIndex(cache.index().nodes))


def search(cache: GenerationCache, q: str, limit: int = 10) -> models.SearchResults:
    cleaned = clean_input(q or "")
    if not fold(cleaned):
        raise InvalidParameter("the search text is empty (or only punctuation)", expected="q with at least one letter or digit")
    if len(cleaned) > 200:
        raise InvalidParameter(f"the search text is {len(cleaned)} characters long", expected="q of at most 200 characters")
    if not 1 <= limit <= 100:
        raise InvalidParameter(f"limit={limit} is out of range", expected="limit from 1 to 100")
    hits = search_index(cache).search(cleaned, limit)
    return models.SearchResults(query=shorten(cleaned, 200), data=hits, count=len(hits))


# -- gaps and centrality --------------------------------------------------------------------------
def gaps(cache: GenerationCache, region: str | None = None, pillar: str | None = None, theme: str | None = None) -> models.Gaps:
    tables = project_tables(cache)
    index = cache.index()
    region_name = index.resolve(region, ("Region",)).name if region else None
    if pillar is not None and clean_input(pillar).lower() not in PILLARS:
        raise InvalidParameter(f"unknown pillar '{shorten(pillar, 40)}'", expected="pillar=mitigation or pillar=adaptation")
    pillar = clean_input(pillar).lower() if pillar else None
    theme_node = index.resolve(theme, ("Theme",)) if theme else None

    def covers(code: str) -> bool:
        if pillar and pillar not in tables.work_packages[code]["pillars"]:
            return False
        return not (theme_node and all(t["slug"] != theme_node.properties["slug"] for t in tables.themes_of(code)))

    scope = [m for m in tables.municipalities if region_name is None or m["region"] == region_name]
    missing = [m for m in scope if not any(covers(code) for code in m["work_packages"])]
    from app.services.entities import _summary

    addressed: dict[str, list[str]] = defaultdict(list)
    for code in tables.work_packages:
        for t in tables.themes_of(code):
            addressed[t["slug"]].append(code)
    single = [
        {"slug": n.properties["slug"], "name": n.name, "work_package": addressed[n.properties["slug"]][0]}
        for n in sorted(index.by_kind["Theme"], key=lambda n: n.properties["slug"])
        if len(addressed.get(n.properties["slug"], [])) == 1
    ]
    unaddressed = sorted(n.properties["slug"] for n in index.by_kind["Theme"] if not addressed.get(n.properties["slug"]))
    return models.Gaps(
        region=region_name,
        pillar=pillar,
        theme=theme_node.properties["slug"] if theme_node else None,
        municipalities_without=[_summary(m) for m in sorted(missing, key=lambda m: danish_key(m["name"]))],
        themes_with_one_work_package=single,
        themes_without_work_package=unaddressed,
    )


def centrality(cache: GenerationCache, limit: int = 10) -> models.Centrality:
    if not 1 <= limit <= 100:
        raise InvalidParameter(f"limit={limit} is out of range", expected="limit from 1 to 100")

    def build() -> dict[str, list[models.CentralityScore]]:
        tables = project_tables(cache)
        index = cache.index()
        graph = nx.Graph()
        for m in tables.municipalities:
            for code in m["work_packages"]:
                graph.add_edge(m["id"], tables.work_packages[code]["id"])
        for code, wp in tables.work_packages.items():
            for theme in tables.themes_of(code):
                graph.add_edge(wp["id"], f"theme:{theme['slug']}")
        degree = nx.degree_centrality(graph)
        betweenness = nx.betweenness_centrality(graph, normalized=True)
        result: dict[str, list[models.CentralityScore]] = defaultdict(list)
        for node_id in graph.nodes:
            node = index.by_id[node_id]
            result[node.kind].append(
                models.CentralityScore(
                    id=node.id,
                    kind=node.kind,
                    name=node.name,
                    degree=graph.degree[node_id],
                    degree_centrality=round(degree[node_id], 4),
                    betweenness=round(betweenness[node_id], 4),
                )
            )
        for scores in result.values():
            scores.sort(key=lambda s: (-s.betweenness, -s.degree, natural_key(s.name)))
        return dict(result)

    scores = cache.get("centrality", build)
    return models.Centrality(
        municipalities=scores.get("Municipality", [])[:limit],
        work_packages=scores.get("WorkPackage", [])[:limit],
        themes=scores.get("Theme", [])[:limit],
        note="Graph of municipalities, work packages and themes (participation, and themes each work package addresses "
        "directly or through its tasks); degree centrality and normalised betweenness from NetworkX.",
    )


def warm(cache: GenerationCache) -> dict[str, float]:
    """Build the per-graph tables that every kind of question needs; seconds per table."""
    tables: dict[str, Callable[[], Any]] = {
        "name index": cache.index,
        "project tables": lambda: project_tables(cache),
        "adjacency": lambda: adjacency(cache),
        "replication index": lambda: _replication_index(cache),
        "search index": lambda: search_index(cache),
    }
    seconds = {}
    for name, build in tables.items():
        started = time.perf_counter()
        build()
        seconds[name] = round(time.perf_counter() - started, 3)
    return seconds
