"""Seed files -> validated pydantic models -> the nodes and relationships to load.

Nothing reaches a store until every file has validated and every cross-reference
(municipality, region, organisation, theme, programme) resolves. A problem is
reported as a SeedError naming the file, the record and the field.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app import provenance
from app.graph.schema import KNOWLEDGE_LABELS, LABELS, NODE_PROPERTIES, RESOURCE_KINDS, SOLUTION_STATUSES, shape

Category = Literal["project-management", "implementation-driver", "place-based"]
Pillar = Literal["mitigation", "adaptation"]
ThemePillar = Literal["mitigation", "adaptation", "cross-cutting"]
PartnerRole = Literal["co-lead", "collaborates", "supports", "assists"]

REFERENCE_SOURCE = "Danish municipality reference data"
LIFEACT_SOURCE = "LIFE ACT work packages"


class SeedError(Exception):
    """A seed file that cannot be loaded; the message says where and what was expected."""


# A provenance string of a known form (app/provenance.py); document and section are
# checked against sources.yaml once every file has been read.
Provenance = Annotated[str, AfterValidator(provenance.check)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# Seed fields that become relationships, not node properties: their provenance goes on the
# relationships rather than into the node's property_sources.
RELATIONSHIP_FIELDS = frozenset(
    {
        "lead",
        "partners",
        "knowledge_partners",
        "funded_by",
        "implements_plans_of",
        "framework_owner",
        "succeeds",
        "all_municipalities_members",
        "cooperates_with",
        "mobilises_funding_from",
        "themes",
        "municipalities",
        "tasks",
    }
)


class Sourced(Strict):
    """A record with a provenance (`source`) and, where single fields come from elsewhere,
    `sources`: field name -> provenance. For a relationship field (lead, partners, …) that is
    the provenance of the relationships it makes."""

    # Seed fields whose node property has another name.
    PROPERTY_NAMES: ClassVar[dict[str, str]] = {}
    # Fields a mapping may not name: the record's identity and the provenance itself.
    UNSOURCED: ClassVar[frozenset[str]] = frozenset({"source", "sources", "key", "code", "slug"})
    # A Danish text shares the provenance of the English one it renders.
    TRANSLATIONS: ClassVar[dict[str, str]] = {"summary_da": "summary", "description_da": "description"}

    sources: dict[str, Provenance] = Field(default_factory=dict)

    @model_validator(mode="after")
    def sources_name_fields(self) -> Sourced:
        allowed = set(type(self).model_fields) - self.UNSOURCED
        for name, value in self.sources.items():
            if name not in allowed:
                raise ValueError(f"sources: {name!r} is not a field of this record; expected one of {', '.join(sorted(allowed))}")
            if name == "themes" and not provenance.is_reading(value):
                raise ValueError(f"sources: theme tags are our reading; {value!r} must start with {provenance.OUR_READING!r}")
        return self

    def source_of(self, field_name: str, default: str) -> str:
        """The provenance of one field: its own, its English original's, or `default`."""
        original = self.TRANSLATIONS.get(field_name, field_name)
        return self.sources.get(field_name) or self.sources.get(original) or default

    def property_sources(self, default: str) -> str | None:
        """The node's `property_sources` (JSON text): the provenance of every node property
        whose provenance is not the node's own (`default`)."""
        mapping = {}
        for name in type(self).model_fields:
            if name in self.UNSOURCED or name in RELATIONSHIP_FIELDS:
                continue
            value = self.source_of(name, default)
            if value != default:
                mapping[self.PROPERTY_NAMES.get(name, name)] = value
        return provenance.encode(mapping)


class Section(Strict):
    name: str
    heading: str


class SourceDocument(Strict):
    key: str
    title: str
    language: str
    file: str
    about: str
    sections: tuple[Section, ...] = Field(min_length=1)


class RegionSeed(Sourced):
    name: str = Field(pattern=r"^Region \S")
    short_name: str
    name_en: str
    source: Provenance


class MunicipalitySeed(Strict):
    code: int = Field(ge=100, le=999)
    name: str = Field(min_length=1)
    official_name: str = Field(min_length=1)
    region: str
    seat_lat: float = Field(ge=54.5, le=57.8)
    seat_lon: float = Field(ge=8.0, le=15.2)
    island: bool
    neighbours: tuple[int, ...]

    @field_validator("neighbours", mode="before")
    @classmethod
    def split_codes(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(";") if part.strip())
        return value


class OrganisationSeed(Sourced):
    key: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    full_name: str
    org_type: str
    description: str
    description_da: str = Field(min_length=20)
    source: Provenance


class Round(Strict):
    name: str
    period: str
    detail: str


class ProgrammeSeed(Sourced):
    PROPERTY_NAMES: ClassVar[dict[str, str]] = {"start": "start_date", "end": "end_date"}

    key: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    description: str
    description_da: str = Field(min_length=20)
    source: Provenance
    lead: str | None = None
    funded_by: tuple[str, ...] = ()
    implements_plans_of: str | None = None
    municipality_count: int | None = None
    start: str | None = None
    end: str | None = None
    goal: str | None = None
    rounds: tuple[Round, ...] = ()
    framework: str | None = None
    framework_owner: str | None = None
    duration_years: int | None = None
    succeeds: str | None = None
    all_municipalities_members: bool = False
    partners: tuple[str, ...] = ()
    knowledge_partners: tuple[str, ...] = ()
    main_efforts: tuple[str, ...] = ()


class ThemeSeed(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name_da: str
    name_en: str
    pillar: ThemePillar


class PartnerSeed(Strict):
    who: str
    role: PartnerRole


class TaskSeed(Sourced):
    code: str = Field(pattern=r"^T\.\d{1,2}\.\d$")
    title_da: str
    title_en: str
    summary: str = Field(min_length=20)
    summary_da: str = Field(min_length=20)
    themes: tuple[str, ...] = Field(min_length=1)


class WorkPackageSeed(Sourced):
    code: str = Field(pattern=r"^WP\d{1,2}$")
    title_da: str
    title_en: str
    category: Category
    pillars: tuple[Pillar, ...]
    lead: str
    partners: tuple[PartnerSeed, ...] = ()
    cooperates_with: tuple[str, ...] = ()
    mobilises_funding_from: tuple[str, ...] = ()
    summary: str = Field(min_length=20)
    summary_da: str = Field(min_length=20)
    themes: tuple[str, ...] = ()
    municipalities: tuple[str, ...]
    tasks: tuple[TaskSeed, ...]

    @property
    def number(self) -> int:
        return int(self.code[2:])


class IndicatorSeed(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name_da: str
    name_en: str
    unit: str
    min: float
    max: float
    better: Literal["higher", "lower"]
    scale: str = Field(min_length=10)
    source: str


class SolutionSeed(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    status: Literal[SOLUTION_STATUSES]  # type: ignore[valid-type]
    summary: str = Field(min_length=20)
    summary_en: str = Field(min_length=20)
    started: str | None = None
    tasks: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    source: str


class ResourceSeed(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    kind: Literal[RESOURCE_KINDS]  # type: ignore[valid-type]
    language: str = Field(pattern=r"^[a-z]{2}$")
    url: str | None = None
    date: str | None = None
    summary: str = Field(min_length=20)
    summary_en: str = Field(min_length=20)
    tasks: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    solutions: tuple[str, ...] = ()
    source: str


@dataclass
class SeedGraph:
    """What the loader writes: node rows per label and relationship rows per shape."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {label: [] for label in LABELS})
    relationships: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def add_node(self, label: str, row: dict[str, Any]) -> None:
        if label in (*KNOWLEDGE_LABELS, "Indicator"):  # every column, so one MERGE text fits seed and written rows
            row = {"property_sources": None, **dict.fromkeys(NODE_PROPERTIES[label]), **row}
        self.nodes[label].append({"kind": label, **row})

    def add_relationship(
        self,
        rel_type: str,
        source: tuple[str, str],
        target: tuple[str, str],
        provenance: str,
        role: str | None = None,
        detail: str | None = None,
    ) -> None:
        key = shape(rel_type, source[0], target[0])
        rows = self.relationships.setdefault((key.type, key.from_label, key.to_label), [])
        rows.append({"source_id": source[1], "target_id": target[1], "role": role, "detail": detail, "source": provenance})

    def node_counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in self.nodes.items()}

    def relationship_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for (rel_type, _, _), rows in self.relationships.items():
            counts[rel_type] += len(rows)
        return dict(sorted(counts.items()))

    def row_count(self) -> int:
        """Nodes plus relationships: what a load writes."""
        return sum(len(rows) for rows in self.nodes.values()) + sum(len(rows) for rows in self.relationships.values())


# Node ids are stable, readable and unique across labels.
def region_id(name: str) -> str:
    return "region:" + name.lower().removeprefix("region ").replace(" ", "-")


def municipality_id(code: int) -> str:
    return f"municipality:{code}"


def organisation_id(key: str) -> str:
    return f"organisation:{key}"


def programme_id(key: str) -> str:
    return f"programme:{key}"


def work_package_id(code: str) -> str:
    return f"workpackage:{code}"


def task_id(code: str) -> str:
    return f"task:{code}"


def theme_id(slug: str) -> str:
    return f"theme:{slug}"


def solution_id(slug: str) -> str:
    return f"solution:{slug}"


def resource_id(slug: str) -> str:
    return f"resource:{slug}"


def indicator_id(slug: str) -> str:
    return f"indicator:{slug}"


def _read_yaml(path: Path, top_key: str) -> list[dict[str, Any]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SeedError(f"{path.name}: file is missing from {path.parent}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SeedError(f"{path.name}: not valid UTF-8 YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get(top_key), list):
        raise SeedError(f"{path.name}: expected a mapping with a list under '{top_key}'")
    return document[top_key]


def _record_label(record: Any, index: int) -> str:
    if isinstance(record, dict):
        for key in ("code", "key", "slug", "name"):
            if key in record:
                return f"record {index + 1} ({key}={record[key]!r})"
    return f"record {index + 1}"


def _validate(model: type[BaseModel], records: list[Any], file_name: str) -> list[Any]:
    parsed = []
    for index, record in enumerate(records):
        try:
            parsed.append(model.model_validate(record))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(record)"
            raise SeedError(
                f"{file_name}: {_record_label(record, index)}: field '{where}': {first['msg']} (got {first.get('input')!r})"
            ) from exc
    return parsed


def _unique(items: list[Any], attribute: str, file_name: str) -> None:
    seen: set[Any] = set()
    for index, item in enumerate(items):
        value = getattr(item, attribute)
        if value in seen:
            raise SeedError(f"{file_name}: record {index + 1}: field '{attribute}': duplicate value {value!r}")
        seen.add(value)


def read_municipalities(path: Path) -> list[MunicipalitySeed]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise SeedError(f"{path.name}: file is missing from {path.parent}") from exc
    except UnicodeDecodeError as exc:
        raise SeedError(f"{path.name}: not valid UTF-8: {exc}") from exc
    municipalities = _validate(MunicipalitySeed, records, path.name)
    _unique(municipalities, "code", path.name)
    _unique(municipalities, "name", path.name)
    codes = {m.code for m in municipalities}
    for m in municipalities:
        for other in m.neighbours:
            if other not in codes:
                raise SeedError(f"{path.name}: record code={m.code}: field 'neighbours': unknown code {other}")
    by_code = {m.code: m for m in municipalities}
    for m in municipalities:
        for other in m.neighbours:
            if m.code not in by_code[other].neighbours:
                raise SeedError(
                    f"{path.name}: record code={m.code}: field 'neighbours': {other} is listed but does not list {m.code} back"
                )
    return municipalities


def load_seed(seed_dir: Path) -> SeedGraph:
    """Validate every seed file and build the graph rows, or raise SeedError."""
    seed_dir = Path(seed_dir)
    documents = _validate(SourceDocument, _read_yaml(seed_dir / "sources.yaml", "documents"), "sources.yaml")
    sections = {d.title: {s.name for s in d.sections} for d in documents}
    regions = _validate(RegionSeed, _read_yaml(seed_dir / "regions.yaml", "regions"), "regions.yaml")
    _unique(regions, "name", "regions.yaml")
    municipalities = read_municipalities(seed_dir / "municipalities.csv")
    organisations = _validate(
        OrganisationSeed, _read_yaml(seed_dir / "organisations.yaml", "organisations"), "organisations.yaml"
    )
    _unique(organisations, "key", "organisations.yaml")
    programmes = _validate(ProgrammeSeed, _read_yaml(seed_dir / "programmes.yaml", "programmes"), "programmes.yaml")
    _unique(programmes, "key", "programmes.yaml")
    themes = _validate(ThemeSeed, _read_yaml(seed_dir / "themes.yaml", "themes"), "themes.yaml")
    _unique(themes, "slug", "themes.yaml")
    work_packages = _validate(WorkPackageSeed, _read_yaml(seed_dir / "work_packages.yaml", "work_packages"), "work_packages.yaml")
    _unique(work_packages, "code", "work_packages.yaml")
    _unique([t for wp in work_packages for t in wp.tasks], "code", "work_packages.yaml")

    def check_source(file_name: str, record: str, value: str, field_name: str = "source") -> None:
        """SeedError unless each claim of the provenance names a document and section of sources.yaml."""
        for claim in provenance.claims(value):
            if claim.kind not in ("stated", "reading"):
                continue
            if claim.document not in sections:
                raise SeedError(
                    f"{file_name}: {record}: field '{field_name}': {value!r} names no document title from sources.yaml"
                    f" ({', '.join(sorted(sections))})"
                )
            if claim.section not in sections[claim.document]:
                raise SeedError(
                    f"{file_name}: {record}: field '{field_name}': {claim.section!r} is not a section of"
                    f" {claim.document!r} in sources.yaml ({', '.join(sorted(sections[claim.document]))})"
                )

    def check_sources(file_name: str, record: str, item: Sourced) -> None:
        for name, value in item.sources.items():
            check_source(file_name, record, value, f"sources.{name}")

    region_names = {r.name for r in regions}
    municipality_by_name = {m.name: m for m in municipalities}
    organisation_keys = {o.key for o in organisations}
    programme_keys = {p.key for p in programmes}
    theme_slugs = {t.slug for t in themes}

    def party(file_name: str, record: str, field_name: str, value: str) -> tuple[str, str]:
        """A lead or partner: a region name, a municipality name or an organisation key."""
        if value in region_names:
            return ("Region", region_id(value))
        if value in municipality_by_name:
            return ("Municipality", municipality_id(municipality_by_name[value].code))
        if value in organisation_keys:
            return ("Organisation", organisation_id(value))
        raise SeedError(
            f"{file_name}: {record}: field '{field_name}': unknown party {value!r};"
            " expected a region name, a municipality name or an organisation key"
        )

    def lookup(file_name: str, record: str, field_name: str, value: str, known: set[str], what: str) -> str:
        if value not in known:
            raise SeedError(f"{file_name}: {record}: field '{field_name}': unknown {what} {value!r}")
        return value

    graph = SeedGraph()
    for r in regions:
        check_source("regions.yaml", r.name, r.source)
        check_sources("regions.yaml", r.name, r)
        graph.add_node(
            "Region",
            {
                "id": region_id(r.name),
                "name": r.name,
                "short_name": r.short_name,
                "name_en": r.name_en,
                "source": r.source,
                "property_sources": r.property_sources(r.source),
            },
        )

    participants = {m for wp in work_packages for m in wp.municipalities}
    municipality_source = f"{REFERENCE_SOURCE}, municipalities.csv"
    for m in municipalities:
        if m.region not in region_names:
            raise SeedError(f"municipalities.csv: record code={m.code}: field 'region': unknown region {m.region!r}")
        graph.add_node(
            "Municipality",
            {
                "id": municipality_id(m.code),
                "name": m.name,
                "code": m.code,
                "official_name": m.official_name,
                "region": m.region,
                "seat_lat": m.seat_lat,
                "seat_lon": m.seat_lon,
                "island": m.island,
                "participating": m.name in participants,
                "source": municipality_source,
                "property_sources": None,
            },
        )
        graph.add_relationship(
            "IN_REGION", ("Municipality", municipality_id(m.code)), ("Region", region_id(m.region)), municipality_source
        )
        for other in m.neighbours:
            if m.code < other:  # one relationship per land border, read in both directions
                graph.add_relationship(
                    "NEIGHBOURS",
                    ("Municipality", municipality_id(m.code)),
                    ("Municipality", municipality_id(other)),
                    f"{REFERENCE_SOURCE}, neighbours",
                )

    for o in organisations:
        check_source("organisations.yaml", o.key, o.source)
        check_sources("organisations.yaml", o.key, o)
        graph.add_node(
            "Organisation",
            {
                "id": organisation_id(o.key),
                "name": o.name,
                "key": o.key,
                "full_name": o.full_name,
                "org_type": o.org_type,
                "description": o.description,
                "description_da": o.description_da,
                "source": o.source,
                "property_sources": o.property_sources(o.source),
            },
        )

    for t in themes:
        graph.add_node(
            "Theme",
            {
                "id": theme_id(t.slug),
                "name": t.name_da,
                "slug": t.slug,
                "name_da": t.name_da,
                "name_en": t.name_en,
                "pillar": t.pillar,
                "source": provenance.VOCABULARY,
                "property_sources": None,
            },
        )

    for p in programmes:
        record = f"key={p.key!r}"
        check_source("programmes.yaml", record, p.source)
        check_sources("programmes.yaml", record, p)
        pid = ("Programme", programme_id(p.key))
        graph.add_node(
            "Programme",
            {
                "id": pid[1],
                "name": p.name,
                "key": p.key,
                "description": p.description,
                "description_da": p.description_da,
                "start_date": p.start,
                "end_date": p.end,
                "goal": p.goal,
                "framework": p.framework,
                "municipality_count": p.municipality_count,
                "duration_years": p.duration_years,
                "rounds": [f"{r.name} ({r.period}): {r.detail}" for r in p.rounds],
                "main_efforts": list(p.main_efforts),
                "source": p.source,
                "property_sources": p.property_sources(p.source),
            },
        )
        if p.lead:
            graph.add_relationship("LEADS", party("programmes.yaml", record, "lead", p.lead), pid, p.source_of("lead", p.source))
        for key in p.funded_by:
            lookup("programmes.yaml", record, "funded_by", key, organisation_keys, "organisation")
            graph.add_relationship("FUNDED_BY", pid, ("Organisation", organisation_id(key)), p.source_of("funded_by", p.source))
        if p.implements_plans_of:
            lookup("programmes.yaml", record, "implements_plans_of", p.implements_plans_of, programme_keys, "programme")
            graph.add_relationship(
                "IMPLEMENTS_PLANS_OF",
                pid,
                ("Programme", programme_id(p.implements_plans_of)),
                p.source_of("implements_plans_of", p.source),
            )
        if p.framework_owner:
            lookup("programmes.yaml", record, "framework_owner", p.framework_owner, organisation_keys, "organisation")
            graph.add_relationship(
                "USES_FRAMEWORK_OF",
                pid,
                ("Organisation", organisation_id(p.framework_owner)),
                p.source_of("framework_owner", p.source),
                detail=p.framework,
            )
        if p.succeeds:
            lookup("programmes.yaml", record, "succeeds", p.succeeds, programme_keys, "programme")
            graph.add_relationship("SUCCEEDS", pid, ("Programme", programme_id(p.succeeds)), p.source_of("succeeds", p.source))
        for who in p.partners:
            graph.add_relationship(
                "PARTNER_IN",
                party("programmes.yaml", record, "partners", who),
                pid,
                p.source_of("partners", p.source),
                role="partner",
            )
        for who in p.knowledge_partners:
            graph.add_relationship(
                "PARTNER_IN",
                party("programmes.yaml", record, "knowledge_partners", who),
                pid,
                p.source_of("knowledge_partners", p.source),
                role="knowledge-partner",
            )
        if p.all_municipalities_members:
            member_source = p.source_of("all_municipalities_members", p.source)
            for m in municipalities:
                graph.add_relationship("MEMBER_OF", ("Municipality", municipality_id(m.code)), pid, member_source)

    if "life-act" not in programme_keys:
        raise SeedError("programmes.yaml: the LIFE ACT programme (key 'life-act') is missing; work packages belong to it")
    life_act = ("Programme", programme_id("life-act"))
    for wp in work_packages:
        record = f"code={wp.code!r}"
        source = f"{LIFEACT_SOURCE}, {wp.code}"
        check_sources("work_packages.yaml", record, wp)
        wid = ("WorkPackage", work_package_id(wp.code))
        if (wp.category == "place-based") != bool(wp.pillars):
            raise SeedError(
                f"work_packages.yaml: {record}: field 'pillars': place-based work packages, and only they, name pillars"
            )
        graph.add_node(
            "WorkPackage",
            {
                "id": wid[1],
                "name": f"{wp.code}: {wp.title_da}",
                "code": wp.code,
                "number": wp.number,
                "title_da": wp.title_da,
                "title_en": wp.title_en,
                "category": wp.category,
                "pillars": list(wp.pillars),
                "summary": wp.summary,
                "summary_da": wp.summary_da,
                "source": source,
                "property_sources": wp.property_sources(source),
            },
        )
        graph.add_relationship("PART_OF", wid, life_act, f"{LIFEACT_SOURCE}, introduction")
        graph.add_relationship("LEADS", party("work_packages.yaml", record, "lead", wp.lead), wid, wp.source_of("lead", source))
        for partner in wp.partners:
            graph.add_relationship(
                "PARTNER_IN",
                party("work_packages.yaml", record, "partners.who", partner.who),
                wid,
                wp.source_of("partners", source),
                role=partner.role,
            )
        for key in wp.cooperates_with:
            if key in programme_keys:
                graph.add_relationship(
                    "COOPERATES_WITH", wid, ("Programme", programme_id(key)), wp.source_of("cooperates_with", source)
                )
            else:
                lookup("work_packages.yaml", record, "cooperates_with", key, organisation_keys, "organisation or programme")
                graph.add_relationship(
                    "COOPERATES_WITH", wid, ("Organisation", organisation_id(key)), wp.source_of("cooperates_with", source)
                )
        for key in wp.mobilises_funding_from:
            lookup("work_packages.yaml", record, "mobilises_funding_from", key, organisation_keys, "organisation")
            graph.add_relationship(
                "MOBILISES_FUNDING_FROM",
                wid,
                ("Organisation", organisation_id(key)),
                wp.source_of("mobilises_funding_from", source),
            )
        # Theme tags are our reading of the work package's text, always.
        wp_themes_source = wp.source_of("themes", provenance.OUR_READING + source)
        for slug in wp.themes:
            lookup("work_packages.yaml", record, "themes", slug, theme_slugs, "theme")
            graph.add_relationship("ADDRESSES", wid, ("Theme", theme_id(slug)), wp_themes_source)
        if len(set(wp.municipalities)) != len(wp.municipalities):
            raise SeedError(f"work_packages.yaml: {record}: field 'municipalities': a municipality is listed twice")
        for name in wp.municipalities:
            municipality = municipality_by_name.get(name)
            if municipality is None:
                raise SeedError(
                    f"work_packages.yaml: {record}: field 'municipalities': unknown municipality {name!r};"
                    " expected a name from municipalities.csv"
                )
            graph.add_relationship(
                "PARTICIPATES_IN",
                ("Municipality", municipality_id(municipality.code)),
                wid,
                wp.source_of("municipalities", source),
            )
        for task in wp.tasks:
            if not task.code.startswith(f"T.{wp.number}."):
                raise SeedError(f"work_packages.yaml: {record}: task {task.code}: field 'code': expected T.{wp.number}.<n>")
            tid = ("Task", task_id(task.code))
            check_sources("work_packages.yaml", f"{record} task {task.code}", task)
            graph.add_node(
                "Task",
                {
                    "id": tid[1],
                    "name": f"{task.code}: {task.title_da}",
                    "code": task.code,
                    "title_da": task.title_da,
                    "title_en": task.title_en,
                    "summary": task.summary,
                    "summary_da": task.summary_da,
                    "work_package": wp.code,
                    "source": source,
                    "property_sources": task.property_sources(source),
                },
            )
            graph.add_relationship("HAS_TASK", wid, tid, wp.source_of("tasks", source))
            task_themes_source = task.source_of("themes", provenance.OUR_READING + source)
            for slug in task.themes:
                lookup("work_packages.yaml", f"{record} task {task.code}", "themes", slug, theme_slugs, "theme")
                graph.add_relationship("ADDRESSES", tid, ("Theme", theme_id(slug)), task_themes_source)
    task_codes = {t.code for wp in work_packages for t in wp.tasks}
    _add_knowledge(graph, seed_dir, check_source, lookup, task_codes, theme_slugs)

    # Whatever wrote it (a seed field or the loader), every provenance names known sections.
    for label, rows in graph.nodes.items():
        for row in rows:
            check_source(label, row["id"], row["source"])
            for prop, value in provenance.decode(row.get("property_sources")).items():
                check_source(label, row["id"], value, f"property_sources.{prop}")
    for (rel_type, _, _), rows in graph.relationships.items():
        for row in rows:
            check_source(rel_type, f"{row['source_id']} -> {row['target_id']}", row["source"])
    return graph


def _add_knowledge(
    graph: SeedGraph, seed_dir: Path, check_source: Any, lookup: Any, task_codes: set[str], theme_slugs: set[str]
) -> None:
    """Indicators (seed/indicators.yaml), and the solutions and resources the sources name (seed/knowledge.yaml)."""
    indicators = _validate(IndicatorSeed, _read_yaml(seed_dir / "indicators.yaml", "indicators"), "indicators.yaml")
    _unique(indicators, "slug", "indicators.yaml")
    for i in indicators:
        check_source("indicators.yaml", f"slug={i.slug!r}", i.source)
        if i.min >= i.max:
            raise SeedError(f"indicators.yaml: slug={i.slug!r}: field 'max': must be above min ({i.min})")
        graph.add_node(
            "Indicator",
            {
                "id": indicator_id(i.slug),
                "name": i.name_da,
                "slug": i.slug,
                "name_da": i.name_da,
                "name_en": i.name_en,
                "unit": i.unit,
                "min_value": i.min,
                "max_value": i.max,
                "better": i.better,
                "scale": i.scale,
                "source": i.source,
            },
        )
    path = seed_dir / "knowledge.yaml"
    solutions = _validate(SolutionSeed, _read_yaml(path, "solutions"), path.name)
    resources = _validate(ResourceSeed, _read_yaml(path, "resources"), path.name)
    _unique(solutions, "slug", path.name)
    _unique(solutions, "name", path.name)
    _unique(resources, "slug", path.name)
    solution_slugs = {s.slug for s in solutions}
    for sol in solutions:
        record = f"slug={sol.slug!r}"
        check_source(path.name, record, sol.source)
        sid = ("Solution", solution_id(sol.slug))
        graph.add_node(
            "Solution",
            {
                "id": sid[1],
                "name": sol.name,
                "slug": sol.slug,
                "summary": sol.summary,
                "summary_en": sol.summary_en,
                "status": sol.status,
                "started": sol.started,
                "source_titles": [],
                "source_urls": [],
                "version": 1,
                "source": sol.source,
            },
        )
        for code in sol.tasks:
            lookup(path.name, record, "tasks", code, task_codes, "task")
            graph.add_relationship("BELONGS_TO", sid, ("Task", task_id(code)), sol.source)
        for slug in sol.themes:
            lookup(path.name, record, "themes", slug, theme_slugs, "theme")
            graph.add_relationship("ABOUT", sid, ("Theme", theme_id(slug)), sol.source)
    for res in resources:
        record = f"slug={res.slug!r}"
        check_source(path.name, record, res.source)
        rid = ("Resource", resource_id(res.slug))
        graph.add_node(
            "Resource",
            {
                "id": rid[1],
                "name": res.title,
                "slug": res.slug,
                "resource_kind": res.kind,
                "url": res.url,
                "language": res.language,
                "date": res.date,
                "summary": res.summary,
                "summary_en": res.summary_en,
                "version": 1,
                "source": res.source,
            },
        )
        for code in res.tasks:
            lookup(path.name, record, "tasks", code, task_codes, "task")
            graph.add_relationship("SERVES", rid, ("Task", task_id(code)), res.source)
        for slug in res.themes:
            lookup(path.name, record, "themes", slug, theme_slugs, "theme")
            graph.add_relationship("SERVES", rid, ("Theme", theme_id(slug)), res.source)
        for slug in res.solutions:
            lookup(path.name, record, "solutions", slug, solution_slugs, "solution")
            graph.add_relationship("SERVES", rid, ("Solution", solution_id(slug)), res.source)
