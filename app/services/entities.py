"""Reads of single entities and lists: regions, municipalities, work packages, tasks,
themes, programmes and organisations. Plain functions over a GenerationCache, so that
notebooks can call them without HTTP."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from app import models, provenance
from app.graph.store import GraphStore
from app.services.errors import InvalidParameter, NotFound
from app.services.index import GenerationCache, NodeRef
from app.services.text import clean_input, danish_key, fold, natural_key, shorten

ROLE_ORDER = {"lead": 0, "co-lead": 1, "collaborates": 2, "supports": 3, "assists": 4, "partner": 5, "knowledge-partner": 6}


def wp_sort_key(code: str) -> int:
    return int(code.removeprefix("WP"))


def task_sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.removeprefix("T.").split("."))


@dataclass
class ProjectTables:
    """The LIFE ACT part of the graph, small enough to keep whole per generation."""

    work_packages: dict[str, dict[str, Any]]
    leads: dict[str, dict[str, Any]]
    partners: dict[str, list[dict[str, Any]]]
    participants: dict[str, list[dict[str, Any]]]
    tasks: dict[str, list[dict[str, Any]]]
    task_themes: dict[str, list[dict[str, Any]]]
    direct_themes: dict[str, list[dict[str, Any]]]
    municipalities: list[dict[str, Any]]
    wp_of_task: dict[str, str] = field(default_factory=dict)
    _themes_of: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)

    def themes_of(self, wp_code: str) -> list[dict[str, Any]]:
        """A work package's own themes, then its tasks' themes, each once (kept: the tables
        never change, and replication asks this for every municipality's work packages)."""
        known = self._themes_of.get(wp_code)
        if known is None:
            known = self._themes_of[wp_code] = self._collect_themes(wp_code)
        return list(known)

    def _collect_themes(self, wp_code: str) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for theme in self.direct_themes.get(wp_code, []):
            seen.setdefault(theme["slug"], theme)
        for task in sorted(self.tasks.get(wp_code, []), key=lambda t: task_sort_key(t["code"])):
            for theme in self.task_themes.get(task["code"], []):
                seen.setdefault(theme["slug"], theme)
        return list(seen.values())

    def municipality_by_code(self) -> dict[int, dict[str, Any]]:
        return {m["code"]: m for m in self.municipalities}


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)


def project_tables(cache: GenerationCache) -> ProjectTables:
    def build() -> ProjectTables:
        store = cache.store
        wps = {row["code"]: row for row in store.read("work_packages")}
        codes = list(wps)
        tasks = _group(store.read("work_package_tasks", {"codes": codes}), "work_package")
        municipalities = store.read("municipalities")
        for m in municipalities:
            m["work_packages"] = sorted(m["work_packages"], key=wp_sort_key)
        municipalities.sort(key=lambda m: m["code"])
        return ProjectTables(
            work_packages=dict(sorted(wps.items(), key=lambda item: wp_sort_key(item[0]))),
            leads={row["work_package"]: row for row in store.read("work_package_leads", {"codes": codes})},
            partners=_group(store.read("work_package_partners", {"codes": codes}), "work_package"),
            participants=_group(store.read("work_package_participants", {"codes": codes}), "work_package"),
            tasks=tasks,
            task_themes=_group(store.read("task_themes"), "task"),
            direct_themes=_group(store.read("work_package_direct_themes"), "work_package"),
            municipalities=municipalities,
            wp_of_task={t["code"]: wp for wp, rows in tasks.items() for t in rows},
        )

    return cache.get("project-tables", build)


def _theme_ref(row: dict[str, Any]) -> models.ThemeRef:
    return models.ThemeRef(slug=row["slug"], name=row["name"], name_en=row["name_en"], pillar=row["pillar"])


def _ref(node: NodeRef | dict[str, Any]) -> models.Ref:
    if isinstance(node, NodeRef):
        return models.Ref(id=node.id, kind=node.kind, name=node.name)
    return models.Ref(id=node["id"], kind=node["kind"], name=node["name"])


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


def list_municipalities(
    cache: GenerationCache, participating: bool | None = None, region: str | None = None
) -> models.ListResponse[models.MunicipalitySummary]:
    rows = project_tables(cache).municipalities
    if region is not None:
        region_name = cache.index().resolve(region, ("Region",)).name
        rows = [m for m in rows if m["region"] == region_name]
    if participating is not None:
        rows = [m for m in rows if bool(m["participating"]) == participating]
    data = [_summary(m) for m in rows]
    return models.ListResponse[models.MunicipalitySummary](data=data, count=len(data))


def resolve_municipality(cache: GenerationCache, key: str) -> NodeRef:
    return cache.index().resolve(key, ("Municipality",))


def node_relations(cache: GenerationCache, node: NodeRef) -> list[models.Relation]:
    """A node's relations, read once per loaded graph (lists would otherwise read them per item)."""
    return cache.get(("relations", node.id), lambda: _read_relations(cache.store, node))


def _read_relations(store: GraphStore, node: NodeRef) -> list[models.Relation]:
    relations = []
    for direction, query in (("out", "outgoing"), ("in", "incoming")):
        for row in store.read(query, {"id": node.id}, label=node.kind):
            relations.append(
                models.Relation(
                    type=row["type"],
                    direction=direction,
                    other=_ref(row["node"]),
                    role=row["role"],
                    detail=row["detail"],
                    source=row["source"],
                )
            )
    relations.sort(key=lambda r: (r.type, r.direction, r.other.kind, natural_key(r.other.name)))
    return relations


def _roles(relations: list[models.Relation]) -> list[models.Role]:
    roles = [
        models.Role(target=r.other, role="lead" if r.type == "LEADS" else (r.role or "partner"), source=r.source or "")
        for r in relations
        if r.direction == "out" and r.type in ("LEADS", "PARTNER_IN")
    ]
    return sorted(roles, key=lambda r: (ROLE_ORDER.get(r.role, 9), r.target.kind, natural_key(r.target.name)))


def municipality_profile(cache: GenerationCache, key: str) -> models.MunicipalityProfile:
    node = resolve_municipality(cache, key)
    tables = project_tables(cache)
    m = tables.municipality_by_code()[node.properties["code"]]
    store = cache.store
    relations = node_relations(cache, node)
    participation = []
    reached: dict[str, dict[str, Any]] = {}
    via: dict[str, list[str]] = defaultdict(list)
    for code in m["work_packages"]:
        wp = tables.work_packages[code]
        source = next(p["source"] for p in tables.participants[code] if p["code"] == m["code"])
        participation.append(
            models.Participation(code=code, title=wp["title_da"], category=wp["category"], pillars=wp["pillars"], source=source)
        )
        for theme in tables.themes_of(code):
            reached.setdefault(theme["slug"], theme)
            via[theme["slug"]].append(code)
    neighbours = sorted(store.read("municipality_neighbours", {"id": node.id}), key=lambda n: danish_key(n["name"]))
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
def resolve_work_package(cache: GenerationCache, key: str) -> str:
    cleaned = clean_input(key or "")
    folded = fold(cleaned)
    candidate = folded.upper().replace("WP", "")
    tables = project_tables(cache)
    if candidate.isdigit() and f"WP{int(candidate)}" in tables.work_packages:
        return f"WP{int(candidate)}"
    node = cache.index().resolve(cleaned, ("WorkPackage",))
    return node.properties["code"]


def _work_package(tables: ProjectTables, code: str, relations: list[models.Relation]) -> models.WorkPackage:
    wp = tables.work_packages[code]
    lead = tables.leads[code]
    partners = sorted(tables.partners.get(code, []), key=lambda p: (ROLE_ORDER.get(p["role"], 9), p["name"]))
    tasks = sorted(tables.tasks.get(code, []), key=lambda t: task_sort_key(t["code"]))
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
        municipalities=sorted((p["name"] for p in tables.participants.get(code, [])), key=danish_key),
        tasks=[
            models.TaskSummary(
                code=t["code"],
                title=t["title_da"],
                title_en=t["title_en"],
                summary=t["summary"],
                summary_da=t["summary_da"],
                themes=[_theme_ref(th) for th in tables.task_themes.get(t["code"], [])],
            )
            for t in tasks
        ],
        themes=[_theme_ref(t) for t in tables.themes_of(code)],
        cooperates_with=[r.other for r in relations if r.type == "COOPERATES_WITH"],
        mobilises_funding_from=[r.other for r in relations if r.type == "MOBILISES_FUNDING_FROM"],
        source=wp["source"],
        property_sources=provenance.decode(wp.get("property_sources")),
    )


def list_work_packages(cache: GenerationCache) -> models.ListResponse[models.WorkPackage]:
    tables = project_tables(cache)
    data = [get_work_package(cache, code) for code in tables.work_packages]
    return models.ListResponse[models.WorkPackage](data=data, count=len(data))


def get_work_package(cache: GenerationCache, key: str) -> models.WorkPackage:
    code = resolve_work_package(cache, key)

    def build() -> models.WorkPackage:
        tables = project_tables(cache)
        node = cache.index().by_id[tables.work_packages[code]["id"]]
        return _work_package(tables, code, node_relations(cache, node))

    return cache.get(("work-package", code), build)


def get_task(cache: GenerationCache, key: str) -> models.Task:
    node = cache.index().resolve(key, ("Task",))
    tables = project_tables(cache)
    code = node.properties["code"]
    wp_code = tables.wp_of_task[code]
    wp = tables.work_packages[wp_code]
    lead = tables.leads[wp_code]
    return models.Task(
        code=code,
        title=node.properties["title_da"],
        title_en=node.properties["title_en"],
        summary=node.properties["summary"],
        summary_da=node.properties["summary_da"],
        work_package=models.Ref(id=wp["id"], kind="WorkPackage", name=wp["name"]),
        themes=[_theme_ref(t) for t in tables.task_themes.get(code, [])],
        municipalities=sorted((p["name"] for p in tables.participants.get(wp_code, [])), key=danish_key),
        lead=models.Party(name=lead["name"], kind=lead["kind"]),
        source=node.properties["source"],
        property_sources=provenance.decode(node.properties.get("property_sources")),
    )


# -- themes ---------------------------------------------------------------------------
def _theme_summary(cache: GenerationCache, node: NodeRef) -> models.ThemeSummary:
    tables = project_tables(cache)
    slug = node.properties["slug"]
    tasks = sorted((t for t, rows in tables.task_themes.items() if any(r["slug"] == slug for r in rows)), key=task_sort_key)
    wps = sorted((wp for wp in tables.work_packages if any(t["slug"] == slug for t in tables.themes_of(wp))), key=wp_sort_key)
    p = node.properties
    return models.ThemeSummary(
        slug=slug, name=p["name"], name_da=p["name_da"], name_en=p["name_en"], pillar=p["pillar"], tasks=tasks, work_packages=wps
    )


def list_themes(cache: GenerationCache) -> models.ListResponse[models.ThemeSummary]:
    def build() -> models.ListResponse[models.ThemeSummary]:
        data = [_theme_summary(cache, n) for n in sorted(cache.index().by_kind["Theme"], key=lambda n: n.properties["slug"])]
        return models.ListResponse[models.ThemeSummary](data=data, count=len(data))

    return cache.get("theme-list", build)


def get_theme(cache: GenerationCache, key: str) -> models.ThemeDetail:
    node = cache.index().resolve(key, ("Theme",))
    summary = _theme_summary(cache, node)
    tables = project_tables(cache)
    names = {p["name"] for wp in summary.work_packages for p in tables.participants.get(wp, [])}
    return models.ThemeDetail(**summary.model_dump(), municipalities=sorted(names, key=danish_key))


# -- regions ----------------------------------------------------------------------------
def _region_summary(tables: ProjectTables, node: NodeRef) -> models.RegionSummary:
    members = [m for m in tables.municipalities if m["region"] == node.name]
    return models.RegionSummary(
        name=node.name,
        short_name=node.properties["short_name"],
        name_en=node.properties["name_en"],
        municipality_count=len(members),
        participating_count=sum(1 for m in members if m["participating"]),
    )


def list_regions(cache: GenerationCache) -> models.ListResponse[models.RegionSummary]:
    tables = project_tables(cache)
    data = [_region_summary(tables, n) for n in sorted(cache.index().by_kind["Region"], key=lambda n: danish_key(n.name))]
    return models.ListResponse[models.RegionSummary](data=data, count=len(data))


def get_region(cache: GenerationCache, key: str) -> models.RegionDetail:
    node = cache.index().resolve(key, ("Region",))
    tables = project_tables(cache)
    members = [_summary(m) for m in tables.municipalities if m["region"] == node.name]
    return models.RegionDetail(
        **_region_summary(tables, node).model_dump(),
        municipalities=sorted(members, key=lambda m: danish_key(m.name)),
        roles=_roles(node_relations(cache, node)),
        source=node.properties["source"],
        property_sources=provenance.decode(node.properties.get("property_sources")),
    )


# -- programmes and organisations --------------------------------------------------------
def list_programmes(cache: GenerationCache) -> models.ListResponse[models.Programme]:
    def build() -> models.ListResponse[models.Programme]:
        data = [get_programme(cache, n.id) for n in sorted(cache.index().by_kind["Programme"], key=lambda n: n.name)]
        return models.ListResponse[models.Programme](data=data, count=len(data))

    return cache.get("programme-list", build)


def get_programme(cache: GenerationCache, key: str) -> models.Programme:
    node = cache.index().resolve(key, ("Programme",))
    p = node.properties
    relations = node_relations(cache, node)
    # 98 MEMBER_OF relations say one thing: every municipality is a member.
    members = [r for r in relations if r.type == "MEMBER_OF"]
    kept = [r for r in relations if r.type != "MEMBER_OF"]
    if members:
        kept.append(
            models.Relation(
                type="MEMBER_OF",
                direction="in",
                other=models.Ref(id="municipality:*", kind="Municipality", name=f"{len(members)} municipalities"),
                source=members[0].source,
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
        source=p["source"],
        property_sources=provenance.decode(p.get("property_sources")),
        **fields,
    )


def list_organisations(cache: GenerationCache) -> models.ListResponse[models.Organisation]:
    def build() -> models.ListResponse[models.Organisation]:
        nodes = sorted(cache.index().by_kind["Organisation"], key=lambda n: danish_key(n.name))
        data = [_organisation(cache, n) for n in nodes]
        return models.ListResponse[models.Organisation](data=data, count=len(data))

    return cache.get("organisation-list", build)


def get_organisation(cache: GenerationCache, key: str) -> models.Organisation:
    return _organisation(cache, cache.index().resolve(key, ("Organisation",)))


def _organisation(cache: GenerationCache, node: NodeRef) -> models.Organisation:
    p = node.properties
    return models.Organisation(
        key=p["key"],
        name=p["name"],
        full_name=p["full_name"],
        org_type=p["org_type"],
        description=p["description"],
        description_da=p["description_da"],
        relations=node_relations(cache, node),
        source=p["source"],
        property_sources=provenance.decode(p.get("property_sources")),
    )


def parse_bool(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    folded = clean_input(value).lower()
    if folded in ("true", "1", "yes", "ja"):
        return True
    if folded in ("false", "0", "no", "nej"):
        return False
    raise InvalidParameter(f"{name}='{shorten(value, 40)}' is not a yes/no value", expected="true or false")


__all__ = ["NotFound"]
