"""Reads of single entities and lists: regions, municipalities, work packages, tasks,
themes, programmes and organisations. Plain functions over a ReadModel, so that notebooks
can call them without HTTP; every fact comes from the store, per answer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from app import models, provenance
from app.graph.store import GraphStore
from app.i18n import gettext as _
from app.services.errors import InvalidParameter, NotFound
from app.services.names import NodeRef
from app.services.read_model import ReadModel
from app.services.text import clean_input, danish_key, fold, natural_key, shorten

ROLE_ORDER = {"lead": 0, "co-lead": 1, "collaborates": 2, "supports": 3, "assists": 4, "partner": 5, "knowledge-partner": 6}


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

    return model.cached(("work-package-facts", wanted), build)


def municipality_rows(model: ReadModel, region: str | None = None) -> list[dict[str, Any]]:
    """Municipalities (all, or one region's) by code, each with its sorted work packages."""

    def build() -> list[dict[str, Any]]:
        if region is None:
            rows = model.store.read("municipalities")
        else:
            rows = model.store.read("municipalities_in_region", {"region": region})
        return _sorted_municipalities(rows)

    return model.cached(("municipalities", region), build)


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


def list_municipalities(
    model: ReadModel, participating: bool | None = None, region: str | None = None
) -> models.ListResponse[models.MunicipalitySummary]:
    region_name = model.resolve(region, ("Region",)).name if region is not None else None

    def build() -> models.ListResponse[models.MunicipalitySummary]:
        rows = municipality_rows(model, region_name)
        if participating is not None:
            rows = [m for m in rows if bool(m["participating"]) == participating]
        data = [_summary(m) for m in rows]
        return models.ListResponse[models.MunicipalitySummary](data=data, count=len(data))

    return model.cached(("municipality-list", participating, region_name), build)


def resolve_municipality(model: ReadModel, key: str) -> NodeRef:
    return model.resolve(key, ("Municipality",))


def node_relations(model: ReadModel, node: NodeRef) -> list[models.Relation]:
    """A node's relations with their properties."""
    return model.cached(("relations", node.id), lambda: _read_relations(model.store, node))


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
        municipalities=sorted((p["name"] for p in facts.participants.get(code, [])), key=danish_key),
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


def list_work_packages(model: ReadModel) -> models.ListResponse[models.WorkPackage]:
    def build() -> models.ListResponse[models.WorkPackage]:
        facts = work_package_facts(model)
        data = [_work_package(facts, code, node_relations(model, _wp_node(model, facts, code))) for code in facts.work_packages]
        return models.ListResponse[models.WorkPackage](data=data, count=len(data))

    return model.cached("work-package-list", build)


def _wp_node(model: ReadModel, facts: WorkPackageFacts, code: str) -> NodeRef:
    row = facts.work_packages[code]
    return model.node(row["id"]) or NodeRef(row["id"], "WorkPackage", row["name"], code)


def get_work_package(model: ReadModel, key: str) -> models.WorkPackage:
    code = resolve_work_package(model, key)

    def build() -> models.WorkPackage:
        facts = work_package_facts(model, [code])
        return _work_package(facts, code, node_relations(model, _wp_node(model, facts, code)))

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
        municipalities=sorted((x["name"] for x in facts.participants.get(wp_code, [])), key=danish_key),
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
            if row["kind"] == "Task":
                theme["tasks"].add(row["code"])
                theme["work_packages"].add(row["work_package"])
            elif row["kind"] == "WorkPackage":
                theme["work_packages"].add(row["code"])
        return {
            slug: models.ThemeSummary(
                slug=slug,
                name=t["row"]["name"],
                name_da=t["row"]["name_da"],
                name_en=t["row"]["name_en"],
                pillar=t["row"]["pillar"],
                tasks=sorted(t["tasks"], key=task_sort_key),
                work_packages=sorted(t["work_packages"], key=wp_sort_key),
            )
            for slug, t in sorted(themes.items())
        }

    return model.cached("theme-summaries", build)


def list_themes(model: ReadModel) -> models.ListResponse[models.ThemeSummary]:
    def build() -> models.ListResponse[models.ThemeSummary]:
        data = list(_theme_summaries(model).values())
        return models.ListResponse[models.ThemeSummary](data=data, count=len(data))

    return model.cached("theme-list", build)


def get_theme(model: ReadModel, key: str) -> models.ThemeDetail:
    node = model.resolve(key, ("Theme",))

    def build() -> models.ThemeDetail:
        summary = _theme_summaries(model)[node.key]
        facts = work_package_facts(model, summary.work_packages)
        names = {p["name"] for wp in summary.work_packages for p in facts.participants.get(wp, [])}
        return models.ThemeDetail(**summary.model_dump(), municipalities=sorted(names, key=danish_key))

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


def list_regions(model: ReadModel) -> models.ListResponse[models.RegionSummary]:
    def build() -> models.ListResponse[models.RegionSummary]:
        nodes = sorted(model.names().of_kind("Region"), key=lambda n: danish_key(n.name))
        data = [_region_summary(model, n, node_properties(model, n)) for n in nodes]
        return models.ListResponse[models.RegionSummary](data=data, count=len(data))

    return model.cached("region-list", build)


def get_region(model: ReadModel, key: str) -> models.RegionDetail:
    node = model.resolve(key, ("Region",))

    def build() -> models.RegionDetail:
        properties = node_properties(model, node)
        members = [_summary(m) for m in municipality_rows(model, node.name)]
        return models.RegionDetail(
            **_region_summary(model, node, properties).model_dump(),
            municipalities=sorted(members, key=lambda m: danish_key(m.name)),
            roles=_roles(node_relations(model, node)),
            source=properties["source"],
            property_sources=provenance.decode(properties.get("property_sources")),
        )

    return model.cached(("region", node.id), build)


# -- programmes and organisations --------------------------------------------------------
def list_programmes(model: ReadModel) -> models.ListResponse[models.Programme]:
    def build() -> models.ListResponse[models.Programme]:
        data = [get_programme(model, n.id) for n in sorted(model.names().of_kind("Programme"), key=lambda n: n.name)]
        return models.ListResponse[models.Programme](data=data, count=len(data))

    return model.cached("programme-list", build)


def get_programme(model: ReadModel, key: str) -> models.Programme:
    node = model.resolve(key, ("Programme",))
    return model.cached(("programme", node.id), lambda: _programme(model, node))


def _programme(model: ReadModel, node: NodeRef) -> models.Programme:
    p = node_properties(model, node)
    relations = node_relations(model, node)
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


def list_organisations(model: ReadModel) -> models.ListResponse[models.Organisation]:
    def build() -> models.ListResponse[models.Organisation]:
        nodes = sorted(model.names().of_kind("Organisation"), key=lambda n: danish_key(n.name))
        data = [_organisation(model, n) for n in nodes]
        return models.ListResponse[models.Organisation](data=data, count=len(data))

    return model.cached("organisation-list", build)


def get_organisation(model: ReadModel, key: str) -> models.Organisation:
    node = model.resolve(key, ("Organisation",))
    return model.cached(("organisation", node.id), lambda: _organisation(model, node))


def _organisation(model: ReadModel, node: NodeRef) -> models.Organisation:
    p = node_properties(model, node)
    return models.Organisation(
        key=p["key"],
        name=p["name"],
        full_name=p["full_name"],
        org_type=p["org_type"],
        description=p["description"],
        description_da=p["description_da"],
        relations=node_relations(model, node),
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
    raise InvalidParameter(
        _("{name}='{value}' is not a yes/no value").format(name=name, value=shorten(value, 40)), expected=_("true or false")
    )


__all__ = ["NotFound"]
