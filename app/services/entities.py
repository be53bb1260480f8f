"""Reads of single entities and lists: regions, municipalities, work packages, tasks,
themes, programmes and organisations. Plain functions over a ReadModel, so that notebooks
can call them without HTTP; every fact comes from the store, per answer."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from app import models, provenance
from app.graph.store import GraphStore
from app.i18n import gettext as _
from app.seed import work_package_id
from app.services.errors import InvalidParameter, NotFound
from app.services.names import NodeRef
from app.services.paging import EMBEDDED_LIMIT, PageRequest, read_page
from app.services.read_model import ReadModel
from app.services.text import clean_input, danish_key, fold, natural_key, shorten

ROLE_ORDER = {"lead": 0, "co-lead": 1, "collaborates": 2, "supports": 3, "assists": 4, "partner": 5, "knowledge-partner": 6}


# Bounded: a theme's summary sorts thousands of codes at EU scale, most of them seen before.
@functools.lru_cache(maxsize=16_384)
def wp_sort_key(code: str) -> tuple[Any, ...]:
    return natural_key(code)


def task_sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.removeprefix("T.").split("."))


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)


@dataclass
class WorkPackageFacts:
    """The facts of some work packages (their leads, partners, participants, tasks and
    themes), read from the store for one answer."""

    work_packages: dict[str, dict[str, Any]]
    leads: dict[str, dict[str, Any]]
    partners: dict[str, list[dict[str, Any]]]
    participants: dict[str, list[dict[str, Any]]]
    tasks: dict[str, list[dict[str, Any]]]
    task_themes: dict[str, list[dict[str, Any]]]
    direct_themes: dict[str, list[dict[str, Any]]]
    wp_of_task: dict[str, str] = field(default_factory=dict)

    def themes_of(self, wp_code: str) -> list[dict[str, Any]]:
        """A work package's own themes, then its tasks' themes, each once."""
        seen: dict[str, dict[str, Any]] = {}
        for theme in self.direct_themes.get(wp_code, []):
            seen.setdefault(theme["slug"], theme)
        for task in sorted(self.tasks.get(wp_code, []), key=lambda t: task_sort_key(t["code"])):
            for theme in self.task_themes.get(task["code"], []):
                seen.setdefault(theme["slug"], theme)
        return list(seen.values())

    def reached_themes(self, codes: list[str]) -> dict[str, dict[str, Any]]:
        themes: dict[str, dict[str, Any]] = {}
        for code in codes:
            for theme in self.themes_of(code):
                themes.setdefault(theme["slug"], theme)
        return themes


def work_package_facts(model: ReadModel, codes: list[str] | None = None) -> WorkPackageFacts:
    """The facts of the given work packages (all of them when `codes` is None)."""
    wanted = None if codes is None else tuple(sorted(set(codes), key=wp_sort_key))

    def build() -> WorkPackageFacts:
        store = model.store
        if wanted is None:
            rows = store.read("work_packages")
        else:
            ids = [node.id for node in (model.names().find(code, "WorkPackage") for code in wanted) if node is not None]
            rows = store.read("work_packages_by_id", {"ids": ids}) if ids else []
        wps = {row["code"]: row for row in rows}
        chosen = sorted(wps, key=wp_sort_key)
        if not chosen:
            return WorkPackageFacts({}, {}, {}, {}, {}, {}, {})
        params = {"ids": [wps[code]["id"] for code in chosen]}
        tasks = _group(store.read("work_package_tasks", params), "work_package")
        return WorkPackageFacts(
            work_packages={code: wps[code] for code in chosen},
            leads={row["work_package"]: row for row in store.read("work_package_leads", params)},
            partners=_group(store.read("work_package_partners", params), "work_package"),
            participants=_group(store.read("work_package_participants", params), "work_package"),
            tasks=tasks,
            task_themes=_group(store.read("task_themes", params), "task"),
            direct_themes=_group(store.read("work_package_direct_themes", params), "work_package"),
            wp_of_task={t["code"]: wp for wp, rows in tasks.items() for t in rows},
        )

    return model.cached_facts(("work-package-facts", wanted), build)


def municipalities_by_id(model: ReadModel, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = model.store.read("municipalities_by_id", {"ids": list(ids)}) if ids else []
    return {row["id"]: row for row in _sorted_municipalities(rows)}


def municipality_rows_by_name(model: ReadModel, names: list[str]) -> list[dict[str, Any]]:
    """The named municipalities (exact names, as answers give them) with their work packages."""
    ids = [model.resolve(name, ("Municipality",)).id for name in dict.fromkeys(names)]
    return list(municipalities_by_id(model, ids).values())


def _sorted_municipalities(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for m in rows:
        m["work_packages"] = sorted(set(m["work_packages"]), key=wp_sort_key)
    rows.sort(key=lambda m: m["code"])
    return rows


def _theme_ref(row: dict[str, Any]) -> models.ThemeRef:
    return models.ThemeRef(slug=row["slug"], name=row["name"], name_en=row["name_en"], pillar=row["pillar"])


def _ref(node: NodeRef | dict[str, Any]) -> models.Ref:
    if isinstance(node, NodeRef):
        return models.Ref(id=node.id, kind=node.kind, name=node.name)
    return models.Ref(id=node["id"], kind=node["kind"], name=node["name"])


def node_properties(model: ReadModel, node: NodeRef) -> dict[str, Any]:
    """Every property of one node, read from the store."""
    rows = model.store.read("node_by_id", {"id": node.id}, label=node.kind)
    if not rows:
        raise NotFound(_("{name} is no longer in the graph").format(name=node.name), expected=_("a node of the current graph"))
    return rows[0]["node"]


def nodes_with_properties(model: ReadModel, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Every property of the given nodes, by id, in the order given (unknown ids left out)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for node_id in dict.fromkeys(ids):
        node = model.node(node_id)
        if node is not None:
            by_kind[node.kind].append(node_id)
    found: dict[str, dict[str, Any]] = {}
    for kind, wanted in by_kind.items():
        for row in model.store.read("nodes_by_ids", {"ids": wanted}, label=kind):
            found[row["node"]["id"]] = row["node"]
    return {node_id: found[node_id] for node_id in dict.fromkeys(ids) if node_id in found}


# -- health and stats ---------------------------------------------------------------
def stats(store: GraphStore) -> models.Stats:
    counts = store.counts()
    return models.Stats(nodes=counts.nodes, relationships=counts.relationships)


# -- municipalities -----------------------------------------------------------------
def _summary(m: dict[str, Any]) -> models.MunicipalitySummary:
    return models.MunicipalitySummary(
        code=m["code"],
        name=m["name"],
        official_name=m["official_name"],
        region=m["region"],
        participating=bool(m["participating"]),
        work_packages=m["work_packages"],
    )


def municipality_filters(region_name: str | None = None, participating: bool | None = None) -> dict[str, Any]:
    """The optional filters of the municipality page queries, as flags (no null parameters)."""
    return {
        "any_region": region_name is None,
        "region": region_name or "",
        "any_participation": participating is None,
        "participating": bool(participating),
    }


def municipalities_url(**scope: str | None) -> str:
    """The paged municipality list of a scope (`work_package="WP3"` …), for embedded lists."""
    query = urlencode({key: value for key, value in scope.items() if value is not None})
    return f"/api/municipalities?{query}" if query else "/api/municipalities"


def municipality_page(
    model: ReadModel,
    page: PageRequest,
    participating: bool | None = None,
    region_name: str | None = None,
    via: tuple[str, Any] | None = None,
) -> models.Page[models.MunicipalitySummary]:
    """One page of municipalities by code: all, or those `via` a work package, programme or
    theme (`("work_package", id)`, `("programme", id)`, `("theme", [work package ids])`)."""
    params = municipality_filters(region_name, participating)
    prefix = ""
    if via is not None:
        prefix = f"{via[0]}_"
        params["work_packages" if via[0] == "theme" else "id"] = via[1]

    def build() -> models.Page[models.MunicipalitySummary]:
        rows, total = read_page(model, page, f"{prefix}municipality_page", f"{prefix}municipality_total", params)
        return page.page([_summary(m) for m in _sorted_municipalities(rows)], total)

    key = ("municipality-page", participating, region_name, via[0] if via else None, str(via[1]) if via else None, page)
    return model.cached(key, build)


def list_municipalities(
    model: ReadModel,
    participating: bool | None = None,
    region: str | None = None,
    page: PageRequest | None = None,
    work_package: str | None = None,
    programme: str | None = None,
    theme: str | None = None,
) -> models.Page[models.MunicipalitySummary]:
    region_name = model.resolve(region, ("Region",)).name if region is not None else None
    scopes = {k: v for k, v in (("work_package", work_package), ("programme", programme), ("theme", theme)) if v is not None}
    if len(scopes) > 1:
        raise InvalidParameter(
            f"{' and '.join(scopes)} were both given", expected="at most one of work_package, programme and theme"
        )
    via: tuple[str, Any] | None = None
    if work_package is not None:
        via = ("work_package", work_package_id(resolve_work_package(model, work_package)))
    elif programme is not None:
        via = ("programme", model.resolve(programme, ("Programme",)).id)
    elif theme is not None:
        slug = model.resolve(theme, ("Theme",)).key
        via = ("theme", theme_work_package_ids(model, slug))
    return municipality_page(model, page or PageRequest.first("municipalities"), participating, region_name, via)


def resolve_municipality(model: ReadModel, key: str) -> NodeRef:
    return model.resolve(key, ("Municipality",))


def node_relations(
    model: ReadModel, node: NodeRef, skip_incoming: tuple[str, ...] = (), incoming: bool = True
) -> list[models.Relation]:
    """A node's relations with their properties (without incoming ones of the `skip_incoming`
    types; none incoming unless `incoming`)."""
    return relations_of(model, [node], skip_incoming, incoming)[node.id]


def relations_of(
    model: ReadModel, nodes: list[NodeRef], skip_incoming: tuple[str, ...] = (), incoming: bool = True
) -> dict[str, list[models.Relation]]:
    """The relations of several nodes, by id, read in two queries per label (a page of records
    in a handful of reads, not two per record)."""
    ids = tuple(dict.fromkeys(n.id for n in nodes))
    return model.cached(
        ("relations", ids, skip_incoming, incoming), lambda: _read_relations(model.store, nodes, skip_incoming, incoming)
    )


def _read_relations(
    store: GraphStore, nodes: list[NodeRef], skip_incoming: tuple[str, ...], incoming: bool
) -> dict[str, list[models.Relation]]:
    found: dict[str, list[models.Relation]] = {n.id: [] for n in nodes}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for node_id, kind in dict.fromkeys((n.id, n.kind) for n in nodes):
        by_kind[kind].append(node_id)
    # never an empty list: LadybugDB cannot type an empty list parameter
    skip = list(skip_incoming) or [""]
    for kind, ids in by_kind.items():
        reads = [("out", "outgoing_of", {"ids": ids})] + ([("in", "incoming_of", {"ids": ids, "skip": skip})] if incoming else [])
        for direction, query, params in reads:
            for row in store.read(query, params, label=kind):
                found[row["from_id"]].append(
                    models.Relation(
                        type=row["type"],
                        direction=direction,
                        other=models.Ref(id=row["other_id"], kind=row["kind"], name=row["name"]),
                        role=row["role"],
                        detail=row["detail"],
                        source=row["source"],
                    )
                )
    for relations in found.values():
        relations.sort(key=lambda r: (r.type, r.direction, r.other.kind, natural_key(r.other.name)))
    return found


def _roles(relations: list[models.Relation]) -> list[models.Role]:
    roles = [
        models.Role(target=r.other, role="lead" if r.type == "LEADS" else (r.role or "partner"), source=r.source or "")
        for r in relations
        if r.direction == "out" and r.type in ("LEADS", "PARTNER_IN")
    ]
    return sorted(roles, key=lambda r: (ROLE_ORDER.get(r.role, 9), r.target.kind, natural_key(r.target.name)))


def municipality_profile(model: ReadModel, key: str) -> models.MunicipalityProfile:
    node = resolve_municipality(model, key)
    return model.cached(("municipality-profile", node.id), lambda: _municipality_profile(model, node))


def _municipality_profile(model: ReadModel, node: NodeRef) -> models.MunicipalityProfile:
    m = municipalities_by_id(model, [node.id])[node.id]
    facts = work_package_facts(model, m["work_packages"])
    relations = node_relations(model, node)
    participation = []
    reached: dict[str, dict[str, Any]] = {}
    via: dict[str, list[str]] = defaultdict(list)
    for code in m["work_packages"]:
        wp = facts.work_packages[code]
        source = next(p["source"] for p in facts.participants[code] if p["code"] == m["code"])
        participation.append(
            models.Participation(code=code, title=wp["title_da"], category=wp["category"], pillars=wp["pillars"], source=source)
        )
        for theme in facts.themes_of(code):
            reached.setdefault(theme["slug"], theme)
            via[theme["slug"]].append(code)
    neighbours = sorted(model.store.read("municipality_neighbours", {"id": node.id}), key=lambda n: danish_key(n["name"]))
    programmes = sorted(r.other.name for r in relations if r.type == "MEMBER_OF")
    provenance = [models.Provenance(fact="code, names, region, seat, island flag", source=m["source"])]
    provenance.append(models.Provenance(fact="land neighbours", source="Danish municipality reference data, neighbours"))
    provenance += [models.Provenance(fact=f"takes part in {p.code}", source=p.source) for p in participation]
    provenance += [
        models.Provenance(fact=f"member of {r.other.name}", source=r.source or "") for r in relations if r.type == "MEMBER_OF"
    ]
    roles = _roles(relations)
    provenance += [models.Provenance(fact=f"{r.role} of {r.target.name}", source=r.source) for r in roles]
    return models.MunicipalityProfile(
        **_summary(m).model_dump(),
        seat=models.Seat(lat=m["seat_lat"], lon=m["seat_lon"]),
        island=bool(m["island"]),
        participation=participation,
        neighbours=[models.Neighbour(code=n["code"], name=n["name"], region=n["region"]) for n in neighbours],
        themes=[models.ReachedTheme(**_theme_ref(t).model_dump(), via=via[slug]) for slug, t in reached.items()],
        roles=roles,
        programmes=programmes,
        provenance=provenance,
    )


# -- work packages and tasks --------------------------------------------------------
def resolve_work_package(model: ReadModel, key: str) -> str:
    cleaned = clean_input(key or "")
    candidate = fold(cleaned).upper().replace("WP", "")
    if candidate.isdigit():
        node = model.node(f"workpackage:WP{int(candidate)}")
        if node is not None:
            return node.key
    return model.resolve(cleaned, ("WorkPackage",)).key


# A work package's participants, lead and partners come from its facts: its relations need not
# read them again (hundreds of municipalities for a large one).
WP_FACT_TYPES = ("PARTICIPATES_IN", "LEADS", "PARTNER_IN")


def _embedded_participants(facts: WorkPackageFacts, code: str) -> dict[str, Any]:
    """A work package's participants as records embed them: the first ones, the count, the URL."""
    names = sorted((p["name"] for p in facts.participants.get(code, [])), key=danish_key)
    return {
        "municipalities": names[:EMBEDDED_LIMIT],
        "municipality_count": len(names),
        "municipalities_url": municipalities_url(work_package=code),
    }


def _work_package(facts: WorkPackageFacts, code: str, relations: list[models.Relation]) -> models.WorkPackage:
    wp = facts.work_packages[code]
    lead = facts.leads[code]
    partners = sorted(facts.partners.get(code, []), key=lambda p: (ROLE_ORDER.get(p["role"], 9), p["name"]))
    tasks = sorted(facts.tasks.get(code, []), key=lambda t: task_sort_key(t["code"]))
    return models.WorkPackage(
        code=code,
        number=wp["number"],
        title=wp["name"],
        title_da=wp["title_da"],
        title_en=wp["title_en"],
        category=wp["category"],
        pillars=wp["pillars"],
        summary=wp["summary"],
        summary_da=wp["summary_da"],
        lead=models.Party(name=lead["name"], kind=lead["kind"]),
        partners=[models.Partner(name=p["name"], kind=p["kind"], role=p["role"]) for p in partners],
        **_embedded_participants(facts, code),
        tasks=[
            models.TaskSummary(
                code=t["code"],
                title=t["title_da"],
                title_en=t["title_en"],
                summary=t["summary"],
                summary_da=t["summary_da"],
                themes=[_theme_ref(th) for th in facts.task_themes.get(t["code"], [])],
            )
            for t in tasks
        ],
        themes=[_theme_ref(t) for t in facts.themes_of(code)],
        cooperates_with=[r.other for r in relations if r.type == "COOPERATES_WITH"],
        mobilises_funding_from=[r.other for r in relations if r.type == "MOBILISES_FUNDING_FROM"],
        source=wp["source"],
        property_sources=provenance.decode(wp.get("property_sources")),
    )


def list_work_packages(model: ReadModel, page: PageRequest | None = None) -> models.Page[models.WorkPackage]:
    page = page or PageRequest.first("work-packages")

    def build() -> models.Page[models.WorkPackage]:
        rows, total = read_page(model, page, "work_package_page", "work_package_total")
        codes = [row["code"] for row in rows]
        facts = work_package_facts(model, codes)
        nodes = {code: _wp_node(model, facts, code) for code in facts.work_packages}
        relations = relations_of(model, list(nodes.values()), skip_incoming=WP_FACT_TYPES)
        data = [_work_package(facts, code, relations[node.id]) for code, node in nodes.items()]
        return page.page(data, total)

    return model.cached(("work-package-page", page), build)


def _wp_node(model: ReadModel, facts: WorkPackageFacts, code: str) -> NodeRef:
    row = facts.work_packages[code]
    return model.node(row["id"]) or NodeRef(row["id"], "WorkPackage", row["name"], code)


def get_work_package(model: ReadModel, key: str) -> models.WorkPackage:
    code = resolve_work_package(model, key)

    def build() -> models.WorkPackage:
        facts = work_package_facts(model, [code])
        return _work_package(facts, code, node_relations(model, _wp_node(model, facts, code), skip_incoming=WP_FACT_TYPES))

    return model.cached(("work-package", code), build)


def get_task(model: ReadModel, key: str) -> models.Task:
    node = model.resolve(key, ("Task",))
    return model.cached(("task", node.id), lambda: _task(model, node))


def _task(model: ReadModel, node: NodeRef) -> models.Task:
    p = node_properties(model, node)
    code = p["code"]
    wp_code = model.store.read("task_work_package", {"id": node.id})[0]["code"]
    facts = work_package_facts(model, [wp_code])
    wp = facts.work_packages[wp_code]
    lead = facts.leads[wp_code]
    return models.Task(
        code=code,
        title=p["title_da"],
        title_en=p["title_en"],
        summary=p["summary"],
        summary_da=p["summary_da"],
        work_package=models.Ref(id=wp["id"], kind="WorkPackage", name=wp["name"]),
        themes=[_theme_ref(t) for t in facts.task_themes.get(code, [])],
        **_embedded_participants(facts, wp_code),
        lead=models.Party(name=lead["name"], kind=lead["kind"]),
        source=p["source"],
        property_sources=provenance.decode(p.get("property_sources")),
    )


# -- themes ---------------------------------------------------------------------------
def _theme_summaries(model: ReadModel) -> dict[str, models.ThemeSummary]:
    """Every theme with the tasks and work packages that address it (a work package also
    through its tasks), by slug."""

    def build() -> dict[str, models.ThemeSummary]:
        themes: dict[str, dict[str, Any]] = {}
        for row in model.store.read("themes_all"):
            theme = themes.setdefault(row["slug"], {"row": row, "tasks": set(), "work_packages": set()})
            theme["tasks"].update(row["tasks"])
            theme["work_packages"].update(row["task_work_packages"], row["direct_work_packages"])
        return {
            slug: models.ThemeSummary(
                slug=slug,
                name=t["row"]["name"],
                name_da=t["row"]["name_da"],
                name_en=t["row"]["name_en"],
                pillar=t["row"]["pillar"],
                tasks=sorted(t["tasks"], key=task_sort_key),
                task_count=len(t["tasks"]),
                work_packages=sorted(t["work_packages"], key=wp_sort_key),
                work_package_count=len(t["work_packages"]),
            )
            for slug, t in sorted(themes.items())
        }

    return model.cached("theme-summaries", build)


def theme_work_package_ids(model: ReadModel, slug: str) -> list[str]:
    """The ids of the work packages addressing a theme (themselves or through a task)."""
    return [work_package_id(code) for code in _theme_summaries(model)[slug].work_packages]


def _bounded_theme(summary: models.ThemeSummary) -> models.ThemeSummary:
    """A theme as answers give it: its task and work package lists cut at EMBEDDED_LIMIT (the
    full lists stay in the cached summaries, which the analyses use)."""
    return summary.model_copy(
        update={"tasks": summary.tasks[:EMBEDDED_LIMIT], "work_packages": summary.work_packages[:EMBEDDED_LIMIT]}
    )


def list_themes(model: ReadModel, page: PageRequest | None = None) -> models.Page[models.ThemeSummary]:
    page = page or PageRequest.first("themes")

    def build() -> models.Page[models.ThemeSummary]:
        summaries = _theme_summaries(model)
        rows, total = read_page(model, page, "theme_page", "theme_total")
        return page.page([_bounded_theme(summaries[row["slug"]]) for row in rows], total)

    return model.cached(("theme-page", page), build)


def get_theme(model: ReadModel, key: str) -> models.ThemeDetail:
    node = model.resolve(key, ("Theme",))

    def build() -> models.ThemeDetail:
        summary = _theme_summaries(model)[node.key]
        members = municipality_page(model, PageRequest(EMBEDDED_LIMIT), via=("theme", theme_work_package_ids(model, node.key)))
        return models.ThemeDetail(
            **_bounded_theme(summary).model_dump(),
            municipalities=sorted((m.name for m in members.data), key=danish_key),
            municipality_count=members.total,
            municipalities_url=municipalities_url(theme=node.key),
        )

    return model.cached(("theme", node.id), build)


# -- regions ----------------------------------------------------------------------------
def _region_counts(model: ReadModel) -> dict[str, tuple[int, int]]:
    def build() -> dict[str, tuple[int, int]]:
        return {
            row["region"]: (int(row["municipalities"]), int(row["participating"])) for row in model.store.read("region_counts")
        }

    return model.cached("region-counts", build)


def _region_summary(model: ReadModel, node: NodeRef, properties: dict[str, Any]) -> models.RegionSummary:
    total, participating = _region_counts(model).get(node.name, (0, 0))
    return models.RegionSummary(
        name=node.name,
        short_name=properties["short_name"],
        name_en=properties["name_en"],
        municipality_count=total,
        participating_count=participating,
    )


def list_regions(model: ReadModel, page: PageRequest | None = None) -> models.Page[models.RegionSummary]:
    page = page or PageRequest.first("regions")

    def build() -> models.Page[models.RegionSummary]:
        data = []
        rows, total = read_page(model, page, "region_page", "region_total")
        for row in rows:
            properties = row["node"]
            node = model.node(properties["id"]) or NodeRef(properties["id"], "Region", properties["name"], properties["name"])
            data.append(_region_summary(model, node, properties))
        return page.page(data, total)

    return model.cached(("region-page", page), build)


def get_region(model: ReadModel, key: str) -> models.RegionDetail:
    node = model.resolve(key, ("Region",))

    def build() -> models.RegionDetail:
        properties = node_properties(model, node)
        members = municipality_page(model, PageRequest(EMBEDDED_LIMIT), region_name=node.name).data
        return models.RegionDetail(
            **_region_summary(model, node, properties).model_dump(),
            municipalities=sorted(members, key=lambda m: danish_key(m.name)),
            municipalities_url=municipalities_url(region=node.name),
            # a region's roles are its own (outgoing); what points at it is its municipalities, listed above
            roles=_roles(node_relations(model, node, incoming=False)),
            source=properties["source"],
            property_sources=provenance.decode(properties.get("property_sources")),
        )

    return model.cached(("region", node.id), build)


# -- programmes and organisations --------------------------------------------------------
def list_programmes(model: ReadModel, page: PageRequest | None = None) -> models.Page[models.Programme]:
    page = page or PageRequest.first("programmes")

    def build() -> models.Page[models.Programme]:
        rows, total = read_page(model, page, "programme_page", "programme_total")
        return page.page(_programmes(model, [row["node"] for row in rows]), total)

    return model.cached(("programme-page", page), build)


def get_programme(model: ReadModel, key: str) -> models.Programme:
    node = model.resolve(key, ("Programme",))
    return model.cached(("programme", node.id), lambda: _programme(model, node))


def _programme(model: ReadModel, node: NodeRef) -> models.Programme:
    return _programmes(model, [node_properties(model, node)])[0]


def _programmes(model: ReadModel, rows: list[dict[str, Any]]) -> list[models.Programme]:
    """Programmes from their properties, their relations and member counts read for all at once."""
    nodes = [NodeRef(p["id"], "Programme", p["name"], p["key"]) for p in rows]
    # 98 MEMBER_OF relations say one thing: every municipality is a member. They are counted
    # in the store, not read (a network programme at EU scale has hundreds).
    relations = relations_of(model, nodes, skip_incoming=("MEMBER_OF",))
    ids = [p["id"] for p in rows]
    memberships = {r["id"]: r for r in model.store.read("programme_memberships", {"ids": ids})} if ids else {}
    return [_programme_record(p, relations[p["id"]], memberships.get(p["id"])) for p in rows]


def _programme_record(p: dict[str, Any], relations: list[models.Relation], membership: dict[str, Any] | None) -> models.Programme:
    member_count = int(membership["total"]) if membership else 0
    kept = list(relations)
    if membership and member_count:
        kept.append(
            models.Relation(
                type="MEMBER_OF",
                direction="in",
                other=models.Ref(id="municipality:*", kind="Municipality", name=f"{member_count} municipalities"),
                source=membership["source"],
            )
        )
    fields = {k: p.get(k) for k in ("start_date", "end_date", "goal", "framework", "municipality_count", "duration_years")}
    return models.Programme(
        key=p["key"],
        name=p["name"],
        description=p["description"],
        description_da=p["description_da"],
        rounds=p.get("rounds") or [],
        main_efforts=p.get("main_efforts") or [],
        relations=kept,
        member_count=member_count,
        members_url=municipalities_url(programme=p["key"]),
        source=p["source"],
        property_sources=provenance.decode(p.get("property_sources")),
        **fields,
    )


def list_organisations(model: ReadModel, page: PageRequest | None = None) -> models.Page[models.Organisation]:
    page = page or PageRequest.first("organisations")

    def build() -> models.Page[models.Organisation]:
        rows, total = read_page(model, page, "organisation_page", "organisation_total")
        return page.page(_organisations(model, [row["node"] for row in rows]), total)

    return model.cached(("organisation-page", page), build)


def get_organisation(model: ReadModel, key: str) -> models.Organisation:
    node = model.resolve(key, ("Organisation",))
    return model.cached(("organisation", node.id), lambda: _organisation(model, node))


def _organisation(model: ReadModel, node: NodeRef) -> models.Organisation:
    return _organisations(model, [node_properties(model, node)])[0]


def _organisations(model: ReadModel, rows: list[dict[str, Any]]) -> list[models.Organisation]:
    """Organisations from their properties, with the relations of all read at once and cut at
    EMBEDDED_LIMIT each (an organisation that leads every work package of a large graph has
    thousands: all of them a page at a time at `relations_url`)."""
    relations = relations_of(model, [NodeRef(p["id"], "Organisation", p["name"], p["key"]) for p in rows])
    return [
        models.Organisation(
            key=p["key"],
            name=p["name"],
            full_name=p["full_name"],
            org_type=p["org_type"],
            description=p["description"],
            description_da=p["description_da"],
            relations=relations[p["id"]][:EMBEDDED_LIMIT],
            relation_count=len(relations[p["id"]]),
            relations_url=f"/api/organisations/{quote(p['key'], safe='')}/relations",
            source=p["source"],
            property_sources=provenance.decode(p.get("property_sources")),
        )
        for p in rows
    ]


def organisation_relations(model: ReadModel, key: str, page: PageRequest | None = None) -> models.Page[models.Relation]:
    """One page of an organisation's relations, in the order its record gives them."""
    node = model.resolve(key, ("Organisation",))
    page = page or PageRequest.first("relations")
    relations = node_relations(model, node)
    return page.page(relations[page.offset : page.offset + page.limit], len(relations))


def parse_bool(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    folded = clean_input(value).lower()
    if folded in ("true", "1", "yes", "ja"):
        return True
    if folded in ("false", "0", "no", "nej"):
        return False
    raise InvalidParameter(
        _("{name}='{value}' is not a yes/no value").format(name=name, value=shorten(value, 40)), expected=_("true or false")
    )


__all__ = ["NotFound"]
