"""The graphs the views draw: nodes and edges as vis-network wants them, built in bulk from
the services' results (a neighbourhood, an overlap, a replication ranking, a work package)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app import models, provenance
from app.i18n import current_language, localized, ngettext
from app.i18n import gettext as _
from app.services import entities, overlap, replication, traversal
from app.services.read_model import ReadModel
from app.views.styles import (
    HIDDEN_PROPERTIES,
    KIND_STYLES,
    edge_label,
    kind_label,
    kind_plural,
    node_size,
    property_label,
    role_label,
    title_of,
)

# A description or title comes in two languages (`summary` English and `summary_da`, or
# `summary` Danish and `summary_en` for knowledge; `title_da`/`title_en`): the details show the
# one of the page's language, once, where the first of the pair stood.
LANGUAGE_PAIRS = {
    variant: field for field in ("summary", "description", "title") for variant in (field, f"{field}_da", f"{field}_en")
}

# Above this many nodes the browser gets positions instead of running physics (see README "Views").
BROWSER_LAYOUT_LIMIT = 500
LABEL_LIMIT = 32


@dataclass
class ViewGraph:
    title: str
    caption: str
    center: str | None
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    kinds: list[str] = field(default_factory=list)  # the kinds present, in legend order
    positioned: bool = False  # True when nodes carry x/y and physics stays off


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format(value: Any) -> str | None:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def node_ref(kind: str, name: str, properties: dict[str, Any]) -> str:
    """What a view's URL names a node by: the shortest unambiguous alias people would type."""
    if kind in ("WorkPackage", "Task") and properties.get("code"):
        return str(properties["code"])
    if kind == "Theme" and properties.get("slug"):
        return str(properties["slug"])
    if kind in ("Programme", "Organisation") and properties.get("key"):
        return str(properties["key"])
    return name


def _facts(kind: str, properties: dict[str, Any], degree: int) -> list[list[str]]:
    facts = [[_("type"), kind_label(kind)]]
    paired: set[str] = set()
    for key, value in properties.items():
        if key in HIDDEN_PROPERTIES:
            continue
        field_name = LANGUAGE_PAIRS.get(key)
        if field_name is not None:
            if field_name in paired:
                continue
            paired.add(field_name)
            key, value = field_name, localized(properties, field_name)
        text = _format(value)
        if text is not None:
            facts.append([property_label(key), text])
    facts.append([_("connections in the view"), str(degree)])
    return facts


def property_sources(properties: dict[str, Any]) -> list[list[str]]:
    """[label, provenance] for each property whose provenance is not the node's `source`."""
    rows: dict[str, str] = {}
    for key, text in provenance.decode(properties.get("property_sources")).items():
        field_name = LANGUAGE_PAIRS.get(key)
        label = property_label(field_name or key)
        # a description in two languages is one line, as in the facts: the source of the page's language wins
        if field_name is None or label not in rows or key.endswith("_da") == (current_language() == "da"):
            rows[label] = text
    return [[label, text] for label, text in rows.items()]


def _vis_node(
    node_id: str, kind: str, name: str, degree: int, properties: dict[str, Any], extra: list[list[str]]
) -> dict[str, Any]:
    style = KIND_STYLES.get(kind) or KIND_STYLES["Organisation"]
    label = properties["code"] if kind == "Task" and properties.get("code") else _short(name)
    return {
        "id": node_id,
        "label": label,
        "name": name,
        "kind": kind,
        "shape": style.shape,
        "color": style.color,
        "size": node_size(degree),
        "degree": degree,
        "ref": node_ref(kind, name, properties),
        "facts": _facts(kind, properties, degree) + extra,
        "source": properties.get("source") or "",
        "sources": property_sources(properties),
    }


def _vis_edge(source: str, target: str, rel_type: str, note: str | None) -> dict[str, Any]:
    """Compact: the page derives tooltip, arrow and dash from the type (vis-network sets string titles as text)."""
    edge: dict[str, Any] = {"from": source, "to": target, "type": rel_type}
    if note:
        edge["note"] = note
    return edge


def assemble(
    title: str,
    caption: str,
    center: str | None,
    nodes: Iterable[tuple[str, str, str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, str, str | None]],
    extra_facts: dict[str, list[list[str]]] | None = None,
) -> ViewGraph:
    """nodes: (id, kind, name, properties); edges: (source, target, type, note). Degree is counted here."""
    node_list = list(nodes)
    edge_list = [e for e in dict.fromkeys(edges)]
    present = {n[0] for n in node_list}
    edge_list = [e for e in edge_list if e[0] in present and e[1] in present]
    degree: Counter[str] = Counter()
    for source, target, _type, _note in edge_list:
        degree[source] += 1
        degree[target] += 1
    extra_facts = extra_facts or {}
    vis_nodes = [_vis_node(i, k, n, degree[i], p, extra_facts.get(i, [])) for i, k, n, p in node_list]
    vis_edges = [_vis_edge(s, t, ty, note) for s, t, ty, note in edge_list]
    kinds_present = {n[1] for n in node_list}
    graph = ViewGraph(
        title=title,
        caption=caption,
        center=center,
        nodes=vis_nodes,
        edges=vis_edges,
        kinds=[k for k in KIND_STYLES if k in kinds_present],
    )
    if len(vis_nodes) > BROWSER_LAYOUT_LIMIT:
        radial_layout(graph)
    return graph


def radial_layout(graph: ViewGraph) -> None:
    """Rings by distance from the centre (kinds kept together within a ring): O(nodes + edges),
    so a large graph costs the server almost nothing and the browser no physics at all."""
    adjacency: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        adjacency[edge["from"]].append(edge["to"])
        adjacency[edge["to"]].append(edge["from"])
    order = [n["id"] for n in graph.nodes]
    start = graph.center if graph.center in adjacency else (order[0] if order else None)
    level: dict[str, int] = {}
    if start is not None:
        level[start] = 0
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for other in adjacency[current]:
                if other not in level:
                    level[other] = level[current] + 1
                    queue.append(other)
    deepest = max(level.values(), default=0)
    rings: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        rings[level.get(node["id"], deepest + 1)].append(node)
    radius = 0.0
    for ring_level in sorted(rings):
        members = rings[ring_level]
        if ring_level == 0 and len(members) == 1:
            members[0]["x"], members[0]["y"] = 0.0, 0.0
            continue
        # far enough out for the previous ring and for 40 px between neighbours on this one
        radius = max(radius + 250.0, len(members) * 40.0 / (2 * math.pi))
        step = 2 * math.pi / len(members)
        for i, node in enumerate(members):
            node["x"] = round(radius * math.cos(i * step), 1)
            node["y"] = round(radius * math.sin(i * step), 1)
    graph.positioned = True


# -- the views' graphs --------------------------------------------------------------------------
def neighbourhood_graph(neighbourhood: models.Neighbourhood) -> ViewGraph:
    center = neighbourhood.center
    nodes = ((n.id, n.kind, n.name, n.properties) for n in neighbourhood.nodes)
    edges = ((e.source, e.target, e.type, None) for e in neighbourhood.edges)
    groups = [n for n in neighbourhood.nodes if isinstance(n, models.GroupNode)]
    drawn = len(neighbourhood.nodes) - len(groups)
    caption = _("Everything within {depth} steps of {center} ({kind}): {nodes} nodes and {edges} connections.").format(
        depth=neighbourhood.depth,
        center=center.name,
        kind=kind_label(center.kind).lower(),
        nodes=drawn,
        edges=len(neighbourhood.edges) - len(groups),
    )
    if groups:
        caption += " " + ngettext(
            "Many relationships of one kind to one node are collapsed into {count} group ({groups}); click a group to expand it.",
            "Many relationships of one kind to one node are collapsed into {count} groups ({groups}); "
            "click a group to expand it.",
            len(groups),
        ).format(count=len(groups), groups=", ".join(_group_label(g) for g in groups))
    heading = _("{center}: network, depth {depth}").format(center=center.name, depth=neighbourhood.depth)
    graph = assemble(heading, caption, center.id, nodes, edges)
    by_id = {n.id: n for n in neighbourhood.nodes}
    for vis_node in graph.nodes:
        group = by_id[vis_node["id"]]
        if isinstance(group, models.GroupNode):
            hub = by_id[group.hub]
            _group_node(vis_node, group, hub.name, node_ref(hub.kind, hub.name, hub.properties))
    return graph


def _group_label(group: models.GroupNode) -> str:
    members = group.properties.get("members") or {}
    kinds = list(members) if isinstance(members, dict) else []
    word = kind_plural(kinds[0]).lower() if len(kinds) == 1 and kinds[0] in KIND_STYLES else _("connections")
    return f"{group.count} {word}"


def _group_node(vis_node: dict[str, Any], group: models.GroupNode, hub_name: str, hub_ref: str) -> None:
    """A collapsed hub relationship as the page draws it: the count as its label, and what a click unfolds."""
    relation = edge_label(group.type)
    label = _group_label(group)
    link = (
        f"{relation} {hub_name}"
        if group.direction == "in"
        else _("{hub} {relation} them").format(hub=hub_name, relation=relation)
    )
    vis_node.update(
        label=label,
        name=f"{label}: {link}",
        size=node_size(min(group.count, 150)),
        expand=hub_ref,
        facts=[
            [_("type"), kind_label("Group")],
            [_("count"), str(group.count)],
            [_("of which in the view"), str(group.shown)],
            [_("relationship"), link],
            [_("expand"), _("click to show all {label}").format(label=label)],
        ],
    )


def _details(model: ReadModel, ids: list[str]) -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    found = entities.nodes_with_properties(model, ids)
    return {node_id: (node_id, p["kind"], p["name"], p) for node_id, p in found.items()}


def overlap_graph(model: ReadModel, a: str, b: str) -> ViewGraph:
    result = overlap.overlap(model, a, b)
    node_a = model.resolve(result.a, ("Municipality",))
    node_b = model.resolve(result.b, ("Municipality",))
    codes = result.shared_work_packages + result.only_a + result.only_b
    facts = entities.work_package_facts(model, codes)
    wp_ids = {code: facts.work_packages[code]["id"] for code in facts.work_packages}
    shared_slugs = {t.slug for t in result.shared_themes}
    theme_ids = [f"theme:{slug}" for slug in sorted(shared_slugs)]
    details = _details(model, [node_a.id, node_b.id, *(wp_ids[code] for code in codes), *theme_ids])
    nodes = {node_a.id: details[node_a.id], node_b.id: details[node_b.id]}
    edges: list[tuple[str, str, str, str | None]] = []
    extra: dict[str, list[list[str]]] = defaultdict(list)
    for code in codes:
        nodes[wp_ids[code]] = details[wp_ids[code]]
        who = _("both") if code in result.shared_work_packages else (result.a if code in result.only_a else result.b)
        extra[wp_ids[code]].append([_("in the overlap"), who])
    for code in result.shared_work_packages + result.only_a:
        edges.append((node_a.id, wp_ids[code], "PARTICIPATES_IN", None))
    for code in result.shared_work_packages + result.only_b:
        edges.append((node_b.id, wp_ids[code], "PARTICIPATES_IN", None))
    for code in codes:
        for theme in facts.themes_of(code):
            if theme["slug"] in shared_slugs:
                theme_id = f"theme:{theme['slug']}"
                nodes.setdefault(theme_id, details[theme_id])
                edges.append((wp_ids[code], theme_id, "ADDRESSES", _("directly or through a task")))
    for theme_id in [i for i in nodes if i.startswith("theme:")]:
        extra[theme_id].append([_("in the overlap"), _("a theme both reach")])
    none = _("none")
    caption = _(
        "{explanation} Shared work packages: {shared}; only {a}: {only_a}; only {b}: {only_b}; "
        "Jaccard {jaccard}. Themes are shown when both reach them."
    ).format(
        explanation=result.explanation,
        shared=", ".join(result.shared_work_packages) or none,
        a=result.a,
        only_a=", ".join(result.only_a) or none,
        b=result.b,
        only_b=", ".join(result.only_b) or none,
        jaccard=f"{result.jaccard:.2f}",
    )
    heading = _("Overlap: {a} and {b}").format(a=result.a, b=result.b)
    return assemble(heading, caption, node_a.id, nodes.values(), edges, extra)


def replication_graph(model: ReadModel, target: str, limit: int = 10) -> ViewGraph:
    result = replication.replication(model, target, limit)
    drawn_codes, more_codes = replication.described_work_packages(result)
    facts = entities.work_package_facts(model, drawn_codes)
    target_id = result.target.id
    link = "HAS_TASK" if result.target.kind == "Task" else "ADDRESSES"
    candidate_ids = [model.resolve(str(c.code), ("Municipality",)).id for c in result.candidates]
    participant_ids = [p["id"] for code in drawn_codes for p in facts.participants.get(code, [])]
    wp_ids = [facts.work_packages[code]["id"] for code in drawn_codes]
    details = _details(model, [target_id, *wp_ids, *participant_ids, *candidate_ids])
    nodes = {target_id: details[target_id]}
    edges: list[tuple[str, str, str, str | None]] = []
    extra: dict[str, list[list[str]]] = defaultdict(list)
    for code in drawn_codes:
        wp_id = facts.work_packages[code]["id"]
        nodes.setdefault(wp_id, details[wp_id])
        if wp_id != target_id:
            edges.append((wp_id, target_id, link, None))
        for participant in facts.participants.get(code, []):
            nodes.setdefault(participant["id"], details[participant["id"]])
            extra[participant["id"]] = [[_("replication"), _("already takes part")]]
            edges.append((participant["id"], wp_id, "PARTICIPATES_IN", None))
    drawn_participants = len(set(participant_ids))
    if more_codes:
        group = f"group:{target_id}:{link}:in"
        label = ngettext("{count} more work package", "{count} more work packages", len(more_codes)).format(count=len(more_codes))
        nodes[group] = (group, traversal.GROUP_KIND, label, {"members": {"WorkPackage": len(more_codes)}})
        edges.append((group, target_id, link, None))
        extra[group] = [
            [_("work packages"), ", ".join(more_codes)],
            [_("participants not drawn"), str(len(result.participants) - drawn_participants)],
        ]
    for rank, (candidate, node_id) in enumerate(zip(result.candidates, candidate_ids, strict=True), start=1):
        nodes[node_id] = details[node_id]
        extra[node_id] = [[_("replication score"), _("{score} (no. {rank})").format(score=f"{candidate.score:g}", rank=rank)]] + [
            [_("reason"), f"{r.detail} (+{r.weight:g})"] for r in candidate.reasons
        ]
        edges.append((node_id, target_id, "CANDIDATE_FOR", f"score {candidate.score:g}"))
    edges.extend(
        (participant, candidate, "NEIGHBOURS", None) for participant, candidate in replication.participant_borders(model, result)
    )
    words = {
        "target": result.target.name,
        "count": len(result.candidates),
        "participants": len(result.participants),
        "work_packages": ", ".join(drawn_codes),
    }
    if more_codes:
        caption = _(
            "Where {target} could spread: the {count} best candidates (dashed, with their score) among the municipalities "
            "not taking part, and the {drawn} participants in {work_packages}, the first {shown} of its {total} work "
            "packages ({participants} participants in all; the others are one group). The reasons are in each "
            "candidate's details."
        ).format(**words, drawn=drawn_participants, shown=len(drawn_codes), total=len(result.work_packages))
    else:
        caption = _(
            "Where {target} could spread: the {count} best candidates (dashed, with their score) among the municipalities "
            "not taking part, and the {participants} participants in {work_packages}. "
            "The reasons are in each candidate's details."
        ).format(**words)
    heading = _("Replication: {target}").format(target=result.target.name)
    graph = assemble(heading, caption, target_id, nodes.values(), edges, extra)
    _id, target_kind, target_name, target_properties = details[target_id]
    for vis_node in graph.nodes:
        if vis_node["kind"] == traversal.GROUP_KIND:  # it opens the target's own network, where they all are
            vis_node.update(ref=node_ref(target_kind, target_name, target_properties), size=node_size(min(len(more_codes), 150)))
    return graph


def work_package_graph(model: ReadModel, code: str) -> ViewGraph:
    wp = entities.get_work_package(model, code)
    wp_id = entities.work_package_facts(model, [wp.code]).work_packages[wp.code]["id"]
    hood = traversal.neighbourhood(model, wp_id, 1)
    nodes = {n.id: (n.id, n.kind, n.name, n.properties) for n in hood.nodes}
    roles = {p.name: p.role for p in wp.partners}
    names = {n.id: n.name for n in hood.nodes}
    edges = []
    for e in hood.edges:
        role = roles.get(names.get(e.source, ""), "")
        note = role_label(role) if e.type == "PARTNER_IN" and role else None
        edges.append((e.source, e.target, e.type, note))
    theme_ids = [f"theme:{theme.slug}" for task in wp.tasks for theme in task.themes]
    details = _details(model, theme_ids)
    for task in wp.tasks:  # the themes each task addresses, which depth 1 alone would miss
        task_id = f"task:{task.code}"
        for theme in task.themes:
            theme_id = f"theme:{theme.slug}"
            nodes.setdefault(theme_id, details[theme_id])
            edges.append((task_id, theme_id, "ADDRESSES", None))
    caption = _(
        "{code} {title}: led by {lead}; {municipalities} municipalities, {tasks} tasks, {themes} themes. {summary}"
    ).format(
        code=wp.code,
        title=title_of(wp),
        lead=wp.lead.name,
        municipalities=len(wp.municipalities),
        tasks=len(wp.tasks),
        themes=len(wp.themes),
        summary=localized(wp.model_dump(include={"summary", "summary_da"}), "summary"),
    )
    return assemble(f"{wp.code}: {title_of(wp)}", caption, wp_id, nodes.values(), edges)
