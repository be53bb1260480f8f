"""`lifeact synth`: a synthetic graph at national or EU scale, in the seed's schema.

Made for the benchmark's scale section (`lifeact bench`) and for trying the explorer on a
graph the size of the EU's LAU list. Deterministic: the same sizes and `--seed` give the
same graph, node for node.

Design (see README, "Benchmark"):
- Municipalities sit on a square grid (seat coordinates spread over Europe's latitudes and
  longitudes); NEIGHBOURS joins grid neighbours (right and down, and a diagonal for about
  a third of the cells), except for about 1 % of them, which are islands without land borders.
- Regions are contiguous blocks of the grid (bands of rows split into columns); IN_REGION.
- Every region has a climate network, a Programme every one of its municipalities is a
  MEMBER_OF (as every Danish municipality is in Klimaalliancen), led by the region.
- Each project is a Programme with 2–4 work packages (PART_OF), codes WP1…WPn numbered
  across all projects; each work package has 1–3 tasks (T.<n>.<k>, HAS_TASK), addresses a
  theme itself and through its tasks (ADDRESSES), is led by the region of its place or by
  that municipality (LEADS), has 3–12 participating municipalities clustered around a place
  (PARTICIPATES_IN), the other regions of its participants as partners and sometimes an
  organisation (PARTNER_IN), and sometimes cooperates with one (COOPERATES_WITH).
- Themes: a fixed vocabulary of 45 (mitigation, adaptation, cross-cutting).
- What people add while the explorer runs (`_knowledge`): a solution for every 20th project,
  developed by its centre, belonging to its first task and about its first theme, taken up
  (ADOPTS/OF_SOLUTION) by 2–6 municipalities nearby; a guide, course or tool for every 10th
  project serving its first task (and its solution); three indicators, observed for every 100th
  municipality in three years.
Names are unique (also with æ, ø and å folded) and Danish-looking: `Nørre Ravnstrup`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from app.graph.schema import ADOPTION_STATUSES, RESOURCE_KINDS, SOLUTION_STATUSES
from app.seed import (
    SeedGraph,
    indicator_id,
    municipality_id,
    organisation_id,
    programme_id,
    resource_id,
    solution_id,
    task_id,
    theme_id,
    work_package_id,
)
from app.services.text import fold
from app.steps import NO_STEPS, Steps

SOURCE = "synthetic benchmark graph (lifeact synth)"
CODE_BASE = 100_000  # municipality codes start here: never equal to a work package number

_FIRST = [
    "Ny",
    "Øster",
    "Vester",
    "Nørre",
    "Sønder",
    "Hvid",
    "Rød",
    "Grøn",
    "Sort",
    "Hede",
    "Skov",
    "Mose",
    "Eng",
    "Sø",
    "Bjerg",
    "Holm",
    "Strand",
    "Kirke",
    "Mølle",
    "Kongs",
    "Frede",
    "Hammer",
    "Bøge",
    "Ege",
    "Aske",
    "Birke",
    "Elle",
    "Hassel",
    "Lyng",
    "Ravn",
    "Ulv",
    "Ørne",
    "Hjorte",
    "Svane",
    "Trane",
    "Vand",
    "Fjord",
    "Bro",
    "Kær",
    "Dal",
    "Lange",
    "Brede",
    "Hald",
    "Sten",
    "Sand",
    "Ler",
    "Tjørne",
    "Rose",
    "Lille",
    "Store",
    "Gammel",
    "Hjem",
    "Vinde",
    "Sol",
    "Løv",
    "Fugle",
    "Ål",
    "Hav",
    "Næs",
    "Odde",
]
_JOIN = ("", "s", "e", "ing", "ager", "bæk", "mark", "ris")
_LAST = [
    "by",
    "borg",
    "rup",
    "strup",
    "lev",
    "løse",
    "købing",
    "sted",
    "høj",
    "holm",
    "bjerg",
    "vig",
    "lund",
    "inge",
    "toft",
    "tved",
    "skov",
    "hus",
    "gård",
    "minde",
    "næs",
    "havn",
    "dal",
    "vang",
    "rød",
    "bølle",
    "balle",
    "hede",
    "huse",
]
_QUALIFIER = ("", "Nørre ", "Sønder ", "Øster ", "Vester ", "Store ", "Lille ", "Ny ")
_REGION_SUFFIX = ("landet", "egnen", "kysten", "sletten", "bakkerne", "dalen", "øerne", "skovene")

THEMES: dict[str, list[tuple[str, str]]] = {
    "mitigation": [
        ("Havvind", "Offshore wind"),
        ("Solceller på tage", "Rooftop solar"),
        ("Fjernvarme", "District heating"),
        ("Varmepumper", "Heat pumps"),
        ("Biogas", "Biogas"),
        ("Energirenovering", "Energy renovation"),
        ("Elbiler og ladestandere", "Electric cars and chargers"),
        ("Cykelinfrastruktur", "Cycling infrastructure"),
        ("Kollektiv trafik", "Public transport"),
        ("Grøn godstransport", "Green freight"),
        ("Lavbundsjorde", "Low-lying soils"),
        ("Skovrejsning", "Afforestation"),
        ("Cirkulær økonomi", "Circular economy"),
        ("Grønne indkøb", "Green procurement"),
        ("Overskudsvarme", "Waste heat"),
    ],
    "adaptation": [
        ("Skybrudssikring", "Cloudburst protection"),
        ("Stormflod", "Storm surge"),
        ("Kystbeskyttelse", "Coastal protection"),
        ("Stigende grundvand", "Rising groundwater"),
        ("Tørke i landbruget", "Drought in farming"),
        ("Hedebølger", "Heatwaves"),
        ("Vandløbsrestaurering", "River restoration"),
        ("Regnvandshåndtering", "Rainwater management"),
        ("Grønne tage", "Green roofs"),
        ("Bynatur", "Urban nature"),
        ("Klimarobuste veje", "Climate-proof roads"),
        ("Oversvømmede enge", "Flooded meadows"),
        ("Vandforsyning", "Water supply"),
        ("Digitale varsler", "Digital warnings"),
        ("Sikring af kulturarv", "Protecting heritage"),
    ],
    "cross-cutting": [
        ("Borgerinddragelse", "Citizen involvement"),
        ("Partnerskaber", "Partnerships"),
        ("Kompetenceudvikling", "Capacity building"),
        ("Finansiering af klimaindsatser", "Financing climate action"),
        ("Monitorering", "Monitoring"),
        ("Formidling", "Communication"),
        ("Strategisk planlægning", "Strategic planning"),
        ("Datadeling", "Data sharing"),
        ("Erhvervssamarbejde", "Business cooperation"),
        ("Uddannelse", "Education"),
        ("Frivillige fællesskaber", "Volunteer communities"),
        ("Innovation i kommuner", "Municipal innovation"),
        ("Grøn omstilling af landdistrikter", "Green transition of rural areas"),
        ("Ungdomsinddragelse", "Youth involvement"),
        ("Tværkommunalt samarbejde", "Inter-municipal cooperation"),
    ],
}
ORG_TYPES = ("foundation", "knowledge-institution", "utility", "eu-office")


@dataclass(frozen=True)
class SynthSizes:
    municipalities: int = 100_000
    regions: int = 250
    projects: int = 2_000

    def check(self) -> None:
        if self.municipalities < 4:
            raise ValueError("at least 4 municipalities")
        if not 1 <= self.regions <= self.municipalities // 4:
            raise ValueError("regions from 1 to a quarter of the municipalities (each region needs a block of the grid)")
        if self.projects < 1:
            raise ValueError("at least 1 project")


def _unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    candidates = [f"{q}{f}{j}{last}" for q in _QUALIFIER for f in _FIRST for j in _JOIN for last in _LAST]
    rng.shuffle(candidates)
    names: list[str] = []
    round_number = 1
    while len(names) < count:
        for candidate in candidates:
            name = candidate if round_number == 1 else f"{candidate} {round_number}"
            key = fold(name)
            if key in taken:
                continue
            taken.add(key)
            names.append(name.strip())
            if len(names) == count:
                break
        round_number += 1
    return names


def _region_layout(width: int, height: int, regions: int) -> tuple[int, list[int]]:
    """Bands of grid rows, each split into columns, so that there are exactly `regions` blocks."""
    bands = max(1, min(height, round(math.sqrt(regions * height / width))))
    bands = min(bands, regions)
    columns = [regions // bands + (1 if b < regions % bands else 0) for b in range(bands)]
    return bands, columns


def synth_graph(sizes: SynthSizes, seed: int = 7, steps: Steps = NO_STEPS) -> SeedGraph:
    """Step "build graph", counted in projects and municipalities placed."""
    sizes.check()
    steps.begin("build graph", total=sizes.projects + sizes.municipalities, unit="projects and municipalities")
    rng = random.Random(seed)
    graph = SeedGraph()
    taken: set[str] = set()

    # -- themes
    theme_rows: list[dict[str, Any]] = []
    for pillar, themes in THEMES.items():
        for name_da, name_en in themes:
            slug = fold(name_en).replace(" ", "-")
            theme_rows.append({"slug": slug, "pillar": pillar})
            taken.add(fold(name_da))
            graph.add_node(
                "Theme",
                {
                    "id": theme_id(slug),
                    "name": name_da,
                    "slug": slug,
                    "name_da": name_da,
                    "name_en": name_en,
                    "pillar": pillar,
                    "source": SOURCE,
                },
            )
    themes_by_pillar = {p: [t["slug"] for t in theme_rows if t["pillar"] == p] for p in THEMES}

    # -- regions: blocks of the grid
    width = math.ceil(math.sqrt(sizes.municipalities))
    height = math.ceil(sizes.municipalities / width)
    bands, columns = _region_layout(width, height, sizes.regions)
    offsets = [sum(columns[:b]) for b in range(bands)]
    stems = [f"{first}{suffix}".lower().capitalize() for first in _FIRST for suffix in _REGION_SUFFIX]
    random.Random(seed + 1).shuffle(stems)
    region_names: list[str] = []
    for i in range(sizes.regions):
        short = stems[i % len(stems)] + ("" if i < len(stems) else f" {i // len(stems) + 1}")
        taken.add(fold(short))
        taken.add(fold(f"Region {short}"))
        name = f"Region {short}"
        region_names.append(name)
        graph.add_node(
            "Region",
            {"id": f"region:syn-{i + 1}", "name": name, "short_name": short, "name_en": f"{short} Region", "source": SOURCE},
        )

    def region_of(x: int, y: int) -> int:
        band = min(bands - 1, y * bands // height)
        return offsets[band] + min(columns[band] - 1, x * columns[band] // width)

    # -- municipalities on the grid
    names = _unique_names(rng, sizes.municipalities, taken)
    cells: list[tuple[int, int]] = [(i % width, i // width) for i in range(sizes.municipalities)]
    at: dict[tuple[int, int], int] = {cell: i for i, cell in enumerate(cells)}
    island = [rng.random() < 0.01 for _ in cells]
    muni_region = [region_of(x, y) for x, y in cells]
    muni_ids = [municipality_id(CODE_BASE + i + 1) for i in range(sizes.municipalities)]
    region_ids = [f"region:syn-{i + 1}" for i in range(sizes.regions)]

    # -- projects and their work packages (participation decides `participating`)
    organisations = []
    for k in range(12):
        key = f"org-{k + 1}"
        name = f"{_FIRST[(k * 7) % len(_FIRST)]}{('fonden', 'instituttet', 'forsyningen', 'kontoret')[k % 4]}"
        organisations.append((key, name, ORG_TYPES[k % 4]))
        taken.add(fold(name))
    participating = [False] * sizes.municipalities
    wp_number = 0
    rels: list[tuple[str, tuple[str, str], tuple[str, str], str | None]] = []

    def rel(rel_type: str, source: tuple[str, str], target: tuple[str, str], role: str | None = None) -> None:
        rels.append((rel_type, source, target, role))

    projects: list[tuple[int, str, str]] = []  # (centre, its first task, the theme its first work package addresses)
    for p in range(sizes.projects):
        steps.advance()
        key = f"projekt-{p + 1}"
        pillar = rng.choice(("mitigation", "adaptation", "mitigation", "adaptation", "cross-cutting"))
        center = rng.randrange(sizes.municipalities)
        cx, cy = cells[center]
        title = f"Klimaprojekt {names[center]}"
        while fold(title) in taken:  # two projects around the same place
            title += " II" if not title.endswith("I") else "I"
        taken.add(fold(title))
        graph.add_node(
            "Programme",
            {
                "id": programme_id(key),
                "name": title,
                "key": key,
                "description": f"Synthetic climate project around {names[center]} ({pillar}).",
                "description_da": f"Syntetisk klimaprojekt omkring {names[center]} ({pillar}).",
                "start_date": f"{2020 + p % 6}-01-01",
                "end_date": None,
                "goal": None,
                "framework": None,
                "municipality_count": None,
                "duration_years": 3 + p % 4,
                "rounds": [],
                "main_efforts": [],
                "source": SOURCE,
            },
        )
        rel("LEADS", ("Region", region_ids[muni_region[center]]), ("Programme", programme_id(key)))
        for w in range(rng.randint(2, 4)):
            wp_number += 1
            code = f"WP{wp_number}"
            wid = work_package_id(code)
            direct = rng.choice(themes_by_pillar[pillar])
            if w == 0:
                projects.append((center, f"T.{wp_number}.1", direct))
            theme_name = next(t for group in THEMES.values() for t in group if fold(t[1]).replace(" ", "-") == direct)
            category = (
                "project-management"
                if w == 0 and p % 5 == 0
                else rng.choice(("place-based", "place-based", "implementation-driver"))
            )
            # the place: near the project's centre; participants: a cluster around it
            px = min(width - 1, max(0, cx + rng.randint(-4, 4)))
            py = min(height - 1, max(0, cy + rng.randint(-4, 4)))
            place = at.get((px, py), center)
            window = [(px + dx, py + dy) for dx in range(-3, 4) for dy in range(-3, 4) if (px + dx, py + dy) in at]
            members = sorted({place, *(at[c] for c in rng.sample(window, min(len(window), rng.randint(2, 11))))})
            task_count = rng.randint(1, 3)
            task_themes = [
                rng.sample(themes_by_pillar[pillar] + themes_by_pillar["cross-cutting"], rng.randint(1, 2))
                for _ in range(task_count)
            ]
            pillar_of = {t["slug"]: t["pillar"] for t in theme_rows}
            reached = {pillar} | {pillar_of[s] for group in task_themes for s in group}
            pillars = sorted(reached & {"mitigation", "adaptation"}, key=("mitigation", "adaptation").index)
            title_da = f"{theme_name[0]} i {names[place]}"
            graph.add_node(
                "WorkPackage",
                {
                    "id": wid,
                    "name": f"{code}: {title_da}",
                    "code": code,
                    "number": wp_number,
                    "title_da": title_da,
                    "title_en": f"{theme_name[1]} in {names[place]}",
                    "category": category,
                    "pillars": pillars,
                    "summary": f"Work package {w + 1} of {title}.",
                    "summary_da": f"Arbejdspakke {w + 1} i {title}.",
                    "source": SOURCE,
                },
            )
            rel("PART_OF", ("WorkPackage", wid), ("Programme", programme_id(key)))
            rel("ADDRESSES", ("WorkPackage", wid), ("Theme", theme_id(direct)))
            if rng.random() < 0.75:
                rel("LEADS", ("Region", region_ids[muni_region[place]]), ("WorkPackage", wid))
            else:
                rel("LEADS", ("Municipality", muni_ids[place]), ("WorkPackage", wid))
            for other in sorted({muni_region[m] for m in members} - {muni_region[place]}):
                rel("PARTNER_IN", ("Region", region_ids[other]), ("WorkPackage", wid), "collaborates")
            if rng.random() < 0.1:
                org = rng.choice(organisations)
                rel("PARTNER_IN", ("Organisation", organisation_id(org[0])), ("WorkPackage", wid), "supports")
            if rng.random() < 0.05:
                org = rng.choice(organisations)
                rel("COOPERATES_WITH", ("WorkPackage", wid), ("Organisation", organisation_id(org[0])))
            for m in members:
                participating[m] = True
                rel("PARTICIPATES_IN", ("Municipality", muni_ids[m]), ("WorkPackage", wid))
            for k, slugs in enumerate(task_themes, start=1):
                tcode = f"T.{wp_number}.{k}"
                first = next(t for group in THEMES.values() for t in group if fold(t[1]).replace(" ", "-") == slugs[0])
                graph.add_node(
                    "Task",
                    {
                        "id": task_id(tcode),
                        "name": f"{tcode}: {first[0]}",
                        "code": tcode,
                        "title_da": first[0],
                        "title_en": first[1],
                        "summary": f"Task {k} of {code}.",
                        "summary_da": f"Opgave {k} i {code}.",
                        "work_package": code,
                        "source": SOURCE,
                    },
                )
                rel("HAS_TASK", ("WorkPackage", wid), ("Task", task_id(tcode)))
                for slug in slugs:
                    rel("ADDRESSES", ("Task", task_id(tcode)), ("Theme", theme_id(slug)))

    for key, name, org_type in organisations:
        graph.add_node(
            "Organisation",
            {
                "id": organisation_id(key),
                "name": name,
                "key": key,
                "full_name": name,
                "org_type": org_type,
                "description": f"Synthetic organisation ({org_type}).",
                "description_da": f"Syntetisk organisation ({org_type}).",
                "source": SOURCE,
            },
        )

    # -- climate networks, one per region
    for i, region_name in enumerate(region_names):
        key = f"netvaerk-{i + 1}"
        graph.add_node(
            "Programme",
            {
                "id": programme_id(key),
                "name": f"Klimanetværk {region_name.removeprefix('Region ')}",
                "key": key,
                "description": f"Every municipality of {region_name} works together on its climate plans.",
                "description_da": f"Alle kommuner i {region_name} arbejder sammen om deres klimaplaner.",
                "start_date": None,
                "end_date": None,
                "goal": None,
                "framework": None,
                "municipality_count": None,
                "duration_years": None,
                "rounds": [],
                "main_efforts": [],
                "source": SOURCE,
            },
        )
        graph.add_relationship("LEADS", ("Region", region_ids[i]), ("Programme", programme_id(key)), SOURCE)

    lat_step, lon_step = 35.0 / max(1, height), 45.0 / max(1, width)
    for i, (x, y) in enumerate(cells):
        steps.advance()
        graph.add_node(
            "Municipality",
            {
                "id": muni_ids[i],
                "name": names[i],
                "code": CODE_BASE + i + 1,
                "official_name": f"{names[i]} Kommune",
                "region": region_names[muni_region[i]],
                "seat_lat": round(71.0 - y * lat_step, 5),
                "seat_lon": round(-10.0 + x * lon_step, 5),
                "island": island[i],
                "participating": participating[i],
                "source": SOURCE,
            },
        )
        graph.add_relationship("IN_REGION", ("Municipality", muni_ids[i]), ("Region", region_ids[muni_region[i]]), SOURCE)
        graph.add_relationship(
            "MEMBER_OF", ("Municipality", muni_ids[i]), ("Programme", programme_id(f"netvaerk-{muni_region[i] + 1}")), SOURCE
        )
        if island[i]:
            continue
        directions = [(1, 0), (0, 1)] + ([(1, 1)] if (x * 31 + y * 17) % 3 == 0 else [])
        for dx, dy in directions:
            j = at.get((x + dx, y + dy))
            if j is not None and not island[j]:
                graph.add_relationship("NEIGHBOURS", ("Municipality", muni_ids[i]), ("Municipality", muni_ids[j]), SOURCE)
    for rel_type, source, target, role in rels:
        graph.add_relationship(rel_type, source, target, SOURCE, role=role)
    _knowledge(graph, random.Random(seed + 2), projects, names, muni_ids, cells, at, theme_rows)
    return graph


# Indicators of the synthetic graph: (slug, Danish name, English name, unit, least, most, which is better).
SYNTH_INDICATORS = [
    ("readiness", "Parathed til klimahandling", "Readiness for climate action", "level", 1.0, 9.0, "higher"),
    ("co2e-avoided", "Undgået udledning", "Emissions avoided", "t CO2e", 0.0, 1_000_000.0, "higher"),
    ("flooded-homes", "Oversvømmede boliger", "Homes flooded", "homes", 0.0, 100_000.0, "lower"),
]
SOLUTION_EVERY = 20  # projects per solution (100 at 2,000 projects)
RESOURCE_EVERY = 10  # projects per guide, course or tool
OBSERVED_EVERY = 100  # municipalities per one observed (3 indicators, 3 years each)


def _knowledge(
    graph: SeedGraph,
    rng: random.Random,
    projects: list[tuple[int, str, str]],
    names: list[str],
    muni_ids: list[str],
    cells: list[tuple[int, int]],
    at: dict[tuple[int, int], int],
    theme_rows: list[dict[str, Any]],
) -> None:
    """What people add while the explorer runs, at the graph's scale: solutions developed around a
    project's centre and taken up nearby, guides that serve tasks and solutions, and yearly
    observations of a few indicators (a separate random stream: the rest of the graph is unchanged)."""
    from app.services.knowledge.adoptions import adoption_name
    from app.services.knowledge.observations import observation_name

    for slug, name_da, name_en, unit, least, most, better in SYNTH_INDICATORS:
        graph.add_node(
            "Indicator",
            {
                "id": indicator_id(slug),
                "name": name_da,
                "slug": slug,
                "name_da": name_da,
                "name_en": name_en,
                "unit": unit,
                "min_value": least,
                "max_value": most,
                "better": better,
                "scale": f"Synthetic values between {least:g} and {most:g} {unit}.",
                "source": SOURCE,
            },
        )
    theme_names = {t["slug"]: t for t in theme_rows}
    solution_of: dict[int, str] = {}  # project -> its solution's id
    for n, (center, task_code, theme_slug) in enumerate(projects[::SOLUTION_EVERY], start=1):
        slug = f"synth-solution-{n}"
        name = f"Løsning {n} fra {names[center]}"
        sid = ("Solution", solution_id(slug))
        solution_of[(n - 1) * SOLUTION_EVERY] = sid[1]
        graph.add_node(
            "Solution",
            {
                "id": sid[1],
                "name": name,
                "slug": slug,
                "summary": f"En syntetisk løsning på {theme_slug}, udviklet i {names[center]}.",
                "summary_en": f"A synthetic solution for {theme_slug}, developed in {names[center]}.",
                "status": rng.choice(SOLUTION_STATUSES),
                "started": f"{2021 + n % 4}-0{1 + n % 9}-01",
                "source_titles": [],
                "source_urls": [],
                "version": 1,
                "source": SOURCE,
            },
        )
        graph.add_relationship("DEVELOPED", ("Municipality", muni_ids[center]), sid, SOURCE)
        graph.add_relationship("BELONGS_TO", sid, ("Task", task_id(task_code)), SOURCE)
        if theme_slug in theme_names:
            graph.add_relationship("ABOUT", sid, ("Theme", theme_id(theme_slug)), SOURCE)
        cx, cy = cells[center]
        nearby = sorted({at[c] for c in ((cx + dx, cy + dy) for dx in range(-3, 4) for dy in range(-3, 4)) if c in at} - {center})
        for k, taker in enumerate(rng.sample(nearby, min(len(nearby), rng.randint(2, 6))), start=1):
            status = rng.choice(ADOPTION_STATUSES)
            date = f"{2023 + k % 3}-{1 + (n + k) % 12:02d}-15"
            adoption = ("Adoption", f"adoption:synth-{n}-{k}")
            graph.add_node(
                "Adoption",
                {
                    "id": adoption[1],
                    "name": adoption_name(names[taker], name, status, date),
                    "status": status,
                    "date": date,
                    "version": 1,
                    "source": SOURCE,
                },
            )
            graph.add_relationship("ADOPTS", ("Municipality", muni_ids[taker]), adoption, SOURCE)
            graph.add_relationship("OF_SOLUTION", adoption, sid, SOURCE)
    for n, (center, task_code, _theme) in enumerate(projects[::RESOURCE_EVERY], start=1):
        slug = f"synth-guide-{n}"
        rid = ("Resource", resource_id(slug))
        graph.add_node(
            "Resource",
            {
                "id": rid[1],
                "name": f"Vejledning {n}: {task_code} i {names[center]}",
                "slug": slug,
                "resource_kind": rng.choice(RESOURCE_KINDS),
                "url": f"https://example.org/lifeact-synth/{slug}",
                "language": rng.choice(("da", "en")),
                "date": f"{2024 + n % 2}-0{1 + n % 9}-01",
                "summary": f"En syntetisk vejledning til {task_code}.",
                "summary_en": f"A synthetic guide to {task_code}.",
                "version": 1,
                "source": SOURCE,
            },
        )
        graph.add_relationship("SERVES", rid, ("Task", task_id(task_code)), SOURCE)
        solution = solution_of.get((n - 1) * RESOURCE_EVERY)
        if solution is not None:
            graph.add_relationship("SERVES", rid, ("Solution", solution), SOURCE)
    for i in range(0, len(muni_ids), OBSERVED_EVERY):
        for slug, _da, _en, _unit, least, most, _better in SYNTH_INDICATORS:
            for year in (2023, 2024, 2025):
                date = f"{year}-12-31"
                value = round(least + (most - least) * rng.random() * 0.5, 1)
                observation = ("Observation", f"observation:synth-{slug}-{i + 1}-{year}")
                graph.add_node(
                    "Observation",
                    {
                        "id": observation[1],
                        "name": observation_name(slug, names[i], date),
                        "value": value,
                        "date": date,
                        "source_title": SOURCE,
                        "version": 1,
                        "source": SOURCE,
                    },
                )
                graph.add_relationship("OBSERVES", observation, ("Municipality", muni_ids[i]), SOURCE)
                graph.add_relationship("MEASURES", observation, ("Indicator", indicator_id(slug)), SOURCE)
