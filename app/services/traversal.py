"""How things connect: shortest paths between two nodes and the neighbourhood of one,
both walked by the store."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from app import models
from app.graph.queries import MAX_HOPS_LIMIT
from app.graph.schema import LABELS
from app.services.entities import nodes_with_properties
from app.services.errors import InvalidParameter
from app.services.names import KIND_WORDS, NodeRef
from app.services.read_model import ReadModel
from app.services.text import clean_input, fold, natural_key, shorten

PATH_NOTE = "Shortest paths ignore MEMBER_OF (every municipality is in Klimaalliancen, which would join any two in two hops)."
NODE_DETAIL_SKIP = {"generation", "id", "kind", "name"}


def _ref(node: NodeRef) -> models.Ref:
    return models.Ref(id=node.id, kind=node.kind, name=node.name)


def paths(model: ReadModel, source: str, target: str, max_hops: int = 6, limit: int = 10) -> models.Paths:
    if not 1 <= max_hops <= MAX_HOPS_LIMIT:
        raise InvalidParameter(f"max_hops={max_hops} is out of range", expected=f"max_hops from 1 to {MAX_HOPS_LIMIT}")
    if not 1 <= limit <= 100:
        raise InvalidParameter(f"limit={limit} is out of range", expected="limit from 1 to 100")
    a, b = model.resolve(source), model.resolve(target)
    if a.id == b.id:
        return models.Paths(
            source=_ref(a), target=_ref(b), length=0, paths=[models.Path(nodes=[_ref(a)], relationships=[])], note=PATH_NOTE
        )
    all_paths = model.cached(("paths", a.id, b.id, max_hops), lambda: _shortest_paths(model, a, b, max_hops))
    length = len(all_paths[0].relationships) if all_paths else None
    note = PATH_NOTE if all_paths else f"No path of at most {max_hops} hops. " + PATH_NOTE
    return models.Paths(source=_ref(a), target=_ref(b), length=length, paths=all_paths[:limit], note=note)


def _shortest_paths(model: ReadModel, a: NodeRef, b: NodeRef, max_hops: int) -> list[models.Path]:
    rows = model.store.read("shortest_paths", {"source": a.id, "target": b.id, "limit": 1000}, path=(a.kind, b.kind, max_hops))
    names = model.names()
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
        nodes = [names.get(i) or NodeRef(i, "Unknown", i, i) for i in ids]
        found[(tuple(ids), tuple(types))] = models.Path(nodes=[_ref(n) for n in nodes], relationships=rels)
    return sorted(found.values(), key=lambda p: [natural_key(n.name) for n in p.nodes] + [[r.type for r in p.relationships]])


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


def neighbourhood(
    model: ReadModel, center: str, depth: int = 1, kinds: str | tuple[str, ...] | None = None
) -> models.Neighbourhood:
    if not 1 <= depth <= 3:
        raise InvalidParameter(f"depth={depth} is out of range", expected="depth from 1 to 3")
    allowed = parse_kinds(kinds) if isinstance(kinds, str) or kinds is None else kinds
    node = model.resolve(center)
    return model.cached(("neighbourhood", node.id, depth, allowed), lambda: _neighbourhood(model, node, depth, allowed))


def _expand(model: ReadModel, frontier: dict[str, str], outgoing: bool) -> list[dict[str, Any]]:
    """One step from the frontier (id -> kind), as rows of from_id, type, other_id, other_kind."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for node_id, kind in frontier.items():
        by_kind[kind].append(node_id)
    rows: list[dict[str, Any]] = []
    for kind, ids in by_kind.items():
        rows += model.store.read("expand_out" if outgoing else "expand_in", {"ids": ids}, label=kind)
    return rows


def _neighbourhood(model: ReadModel, center: NodeRef, depth: int, allowed: tuple[str, ...] | None) -> models.Neighbourhood:
    """Every node within `depth` steps (through nodes of the allowed kinds) and every
    relationship between two of them."""
    kinds: dict[str, str] = {center.id: center.kind}
    frontier = {center.id: center.kind}
    edges: set[tuple[str, str, str]] = set()
    for level in range(depth + 1):
        discovered: dict[str, str] = {}
        for outgoing in (True, False):
            for row in _expand(model, frontier, outgoing):
                other_id, other_kind = row["other_id"], row["other_kind"]
                if allowed and other_kind not in allowed and other_id != center.id:
                    continue
                if other_id not in kinds:
                    if level == depth:  # the last round only adds edges between nodes already in
                        continue
                    kinds[other_id] = discovered[other_id] = other_kind
                source, target = (row["from_id"], other_id) if outgoing else (other_id, row["from_id"])
                edges.add((source, target, row["type"]))
        frontier = discovered
    properties = nodes_with_properties(model, list(kinds))
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
        for node_id, p in properties.items()
    ]
    nodes.sort(key=lambda n: (n.id != center.id, LABELS.index(n.kind), natural_key(n.name)))
    return models.Neighbourhood(
        center=_ref(center),
        depth=depth,
        nodes=nodes,
        edges=[models.GraphEdge(source=s, target=t, type=ty) for s, t, ty in sorted(edges)],
    )
