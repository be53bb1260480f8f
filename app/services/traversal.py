"""How things connect: shortest paths between two nodes and the neighbourhood of one,
both walked by the store."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from app import models
from app.graph.queries import MAX_HOPS_LIMIT
from app.graph.schema import LABELS
from app.i18n import gettext as _
from app.services.entities import nodes_with_properties
from app.services.errors import InvalidParameter, out_of_range
from app.services.names import KIND_WORDS, NodeRef
from app.services.read_model import ReadModel
from app.services.text import clean_input, fold, natural_key, shorten

PATH_NOTE = (
    "Shortest paths ignore MEMBER_OF (every municipality is in Klimaalliancen, which would join any two in two hops) "
    "and MEASURES (an indicator would join everything observed with it)."
)
NODE_DETAIL_SKIP = {"generation", "id", "kind", "name"}


def _ref(node: NodeRef) -> models.Ref:
    return models.Ref(id=node.id, kind=node.kind, name=node.name)


def paths(model: ReadModel, source: str, target: str, max_hops: int = 6, limit: int = 10) -> models.Paths:
    if not 1 <= max_hops <= MAX_HOPS_LIMIT:
        raise out_of_range("max_hops", max_hops, 1, MAX_HOPS_LIMIT)
    if not 1 <= limit <= 100:
        raise out_of_range("limit", limit, 1, 100)
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
                _("unknown kind '{kind}'").format(kind=shorten(part, 40)),
                expected=_("a comma-separated list of {kinds}").format(kinds=", ".join(LABELS)),
            )
        labels.append(lookup[key])
    return tuple(dict.fromkeys(labels)) or None


# Readable neighbourhoods (README "Views"): a node other than the centre, and not named in `expand`,
# is not expanded through a relationship type and direction that it has more than HUB_LIMIT of
# (Klimaalliancen's 98 members), nor through one it has more than PEER_LIMIT of when the walk reached
# it through that same type (Samsø -> Region Midtjylland: its other 18 municipalities are Samsø's peers,
# not its neighbourhood). Those relationships become one group node with their count instead.
HUB_LIMIT = 50
PEER_LIMIT = 16
GROUP_KIND = "Group"
Hubs = dict[str, dict[tuple[str, str], Counter[str]]]  # node -> (type, direction) -> other ends per kind


def neighbourhood(
    model: ReadModel,
    center: str,
    depth: int = 1,
    kinds: str | tuple[str, ...] | None = None,
    expand: str | Iterable[str] | None = None,
) -> models.Neighbourhood:
    if not 1 <= depth <= 3:
        raise out_of_range("depth", depth, 1, 3)
    allowed = parse_kinds(kinds) if isinstance(kinds, str) or kinds is None else kinds
    node = model.resolve(center)
    opened = parse_expand(model, expand)
    return model.cached(
        ("neighbourhood", node.id, depth, allowed, tuple(n.id for n in opened)),
        lambda: _neighbourhood(model, node, depth, allowed, opened),
    )


def parse_expand(model: ReadModel, expand: str | Iterable[str] | None) -> tuple[NodeRef, ...]:
    """`Klimaalliancen, Region Midtjylland` (names, codes or ids, as anywhere else) -> the hubs, in id order."""
    parts = expand.split(",") if isinstance(expand, str) else list(expand or ())
    found = {ref.id: ref for ref in (model.resolve(part) for part in parts if clean_input(part))}
    return tuple(found[key] for key in sorted(found))


# The centre and the hubs named in `expand` are drawn in full up to this many members of one
# relationship type and direction (the seed's largest hub has 98); past it they are a group node
# too, so that no neighbourhood grows with the graph (a programme of 100,000 municipalities).
DRAWN_LIMIT = 1_000
Step = dict[str, list[dict[str, Any]]]  # "out"/"in" -> rows of from_id, type, other_kind, count, ids


def _step(model: ReadModel, frontier: dict[str, str], never: set[str]) -> Step:
    """One step out of and into the frontier (id -> kind), read by the store grouped per node,
    relationship type and kind of the other end: the count, and the ids when there are at most
    HUB_LIMIT of them. A hub's members are
    counted where they are, never sent: the counts decide what is collapsed, in the same query
    (and DRAWN_LIMIT for the nodes that are never collapsed short of it)."""
    batches: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for node_id, kind in frontier.items():
        batches[(kind, node_id in never)].append(node_id)
    step: Step = {"out": [], "in": []}
    for direction, rows in step.items():
        for (kind, whole), ids in batches.items():
            rows += model.store.read(f"step_{direction}", {"ids": ids, "most": DRAWN_LIMIT if whole else HUB_LIMIT}, label=kind)
    return step


def _hubs(step: Step, never: set[str], arrived: dict[str, set[tuple[str, str]]]) -> Hubs:
    """The frontier's relationships that the rule above collapses, with their members counted per
    kind of the other end."""
    counts: Hubs = defaultdict(lambda: defaultdict(Counter))
    for direction, rows in step.items():
        for row in rows:
            counts[row["from_id"]][(row["type"], direction)][row["other_kind"]] += int(row["count"])
    hubs: Hubs = {}
    for node_id, per_type in counts.items():
        for key, members in per_type.items():
            total = sum(members.values())
            if node_id in never:
                collapse = total > DRAWN_LIMIT
            else:
                collapse = total > HUB_LIMIT or (total > PEER_LIMIT and key in arrived.get(node_id, ()))
            if collapse:
                hubs.setdefault(node_id, {})[key] = members
    return hubs


def _neighbourhood(
    model: ReadModel, center: NodeRef, depth: int, allowed: tuple[str, ...] | None, opened: tuple[NodeRef, ...] = ()
) -> models.Neighbourhood:
    """Every node within `depth` steps (through nodes of the allowed kinds) and every relationship
    between two of them; a hub's collapsed relationships (see HUB_LIMIT) as one group node each."""
    kinds: dict[str, str] = {center.id: center.kind}
    frontier = {center.id: center.kind}
    never = {center.id} | {ref.id for ref in opened}  # never collapsed
    arrived: dict[str, set[tuple[str, str]]] = defaultdict(set)  # (type, direction) by which the walk reached a node
    edges: set[tuple[str, str, str]] = set()
    collapsed: dict[tuple[str, str, str], Counter[str]] = {}
    for level in range(depth + 1):
        step = _step(model, frontier, never)
        hubs = _hubs(step, never, arrived)
        discovered: dict[str, str] = {}
        for direction, rows in step.items():
            outgoing = direction == "out"
            for row in rows:
                from_id, rel_type, other_kind = row["from_id"], row["type"], row["other_kind"]
                if (rel_type, direction) in hubs.get(from_id, ()):
                    continue
                if row["ids"] is None:  # only a hub's members are left unread, and hubs are collapsed
                    raise RuntimeError(f"{from_id}: {row['count']} {rel_type} ({direction}) were counted, not read")
                wanted = not allowed or other_kind in allowed
                others = row["ids"] if wanted else [i for i in row["ids"] if i == center.id]
                for other_id in others:
                    if other_id not in kinds:
                        if level == depth:  # the last round only adds edges between nodes already in
                            continue
                        kinds[other_id] = discovered[other_id] = other_kind
                    if other_id in discovered:  # seen from the new node, the walk came in the other direction
                        arrived[other_id].add((rel_type, "in" if outgoing else "out"))
                    source, target = (from_id, other_id) if outgoing else (other_id, from_id)
                    edges.add((source, target, rel_type))
        if level < depth:  # at the last level nothing new is drawn, so there is nothing to collapse
            for node_id, types in hubs.items():
                for (rel_type, direction), members in types.items():
                    collapsed[(node_id, rel_type, direction)] = members
        frontier = discovered
    groups = _groups(collapsed, edges, allowed)
    properties = nodes_with_properties(model, list(kinds))
    all_edges = sorted(edges) + [(g.id, g.hub, g.type) if g.direction == "in" else (g.hub, g.id, g.type) for g in groups]
    degree: Counter[str] = Counter()
    for source, target, _type in all_edges:
        degree[source] += 1
        degree[target] += 1
    nodes: list[models.GraphNode] = [
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
        nodes=[*nodes, *groups],
        edges=[models.GraphEdge(source=s, target=t, type=ty) for s, t, ty in all_edges],
        expanded=[_ref(ref) for ref in opened],
    )


def group_id(hub: str, rel_type: str, direction: str) -> str:
    return f"group:{hub}:{rel_type}:{direction}"


def _plural(word: str) -> str:
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _groups(
    collapsed: dict[tuple[str, str, str], Counter[str]], edges: set[tuple[str, str, str]], allowed: tuple[str, ...] | None
) -> list[models.GroupNode]:
    """One group node per collapsed hub relationship that leaves somebody out; `shown` counts the
    members the neighbourhood draws anyway (they came in another way, with their edge to the hub)."""
    drawn: Counter[tuple[str, str, str]] = Counter()
    for source, target, rel_type in edges:
        drawn[(target, rel_type, "in")] += 1
        drawn[(source, rel_type, "out")] += 1
    groups = []
    for (hub, rel_type, direction), members in sorted(collapsed.items()):
        wanted = {kind: n for kind, n in members.items() if not allowed or kind in allowed}
        count, shown = sum(wanted.values()), drawn[(hub, rel_type, direction)]
        if count <= shown:
            continue
        word = _plural(KIND_WORDS.get(next(iter(wanted)), "node")) if len(wanted) == 1 else "nodes"
        groups.append(
            models.GroupNode(
                id=group_id(hub, rel_type, direction),
                kind=GROUP_KIND,
                name=f"{count} {word}",
                degree=1,
                properties={"members": dict(sorted(wanted.items()))},
                count=count,
                shown=shown,
                hub=hub,
                type=rel_type,
                direction=direction,
            )
        )
    return groups
