"""How each kind of node and relationship looks, in the browser views and in SVG/PNG alike,
with the Danish words the views show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindStyle:
    label: str  # Danish, shown in the legend and the details
    plural: str
    color: str  # Okabe–Ito palette: tells the kinds apart for colour-blind readers too
    shape: str  # vis-network shape
    marker: str  # matplotlib marker of the same shape


KIND_STYLES: dict[str, KindStyle] = {
    "Region": KindStyle("Region", "Regioner", "#D55E00", "diamond", "D"),
    "Municipality": KindStyle("Kommune", "Kommuner", "#0072B2", "dot", "o"),
    "Programme": KindStyle("Program", "Programmer", "#CC79A7", "star", "*"),
    "Organisation": KindStyle("Organisation", "Organisationer", "#999999", "square", "s"),
    "WorkPackage": KindStyle("Arbejdspakke", "Arbejdspakker", "#E69F00", "hexagon", "h"),
    "Task": KindStyle("Opgave", "Opgaver", "#F0E442", "triangle", "^"),
    "Theme": KindStyle("Tema", "Temaer", "#009E73", "triangleDown", "v"),
    # A hub's many relationships of one type, collapsed (app.services.traversal.HUB_LIMIT): a click unfolds them.
    "Group": KindStyle("Samlet gruppe", "Samlede grupper", "#56B4E9", "box", "P"),
    "Solution": KindStyle("Løsning", "Løsninger", "#332288", "box", "X"),
    "Adoption": KindStyle("Udbredelse", "Udbredelser", "#000000", "dot", "."),
    "Observation": KindStyle("Måling", "Målinger", "#666666", "dot", "."),
    "Indicator": KindStyle("Indikator", "Indikatorer", "#882255", "ellipse", "8"),
    "Resource": KindStyle("Ressource", "Ressourcer", "#117733", "database", "p"),
}

EDGE_LABELS: dict[str, str] = {
    "IN_REGION": "ligger i",
    "NEIGHBOURS": "grænser op til",
    "PARTICIPATES_IN": "deltager i",
    "LEADS": "leder",
    "PARTNER_IN": "partner i",
    "HAS_TASK": "har opgaven",
    "ADDRESSES": "handler om",
    "PART_OF": "del af",
    "MEMBER_OF": "medlem af",
    "SUCCEEDS": "afløser",
    "IMPLEMENTS_PLANS_OF": "gennemfører planerne fra",
    "FUNDED_BY": "finansieres af",
    "USES_FRAMEWORK_OF": "bruger rammen fra",
    "COOPERATES_WITH": "samarbejder med",
    "MOBILISES_FUNDING_FROM": "søger midler fra",
    "CANDIDATE_FOR": "kandidat til",
    "DEVELOPED": "udviklede",
    "BELONGS_TO": "hører til",
    "ABOUT": "handler om",
    "ADOPTS": "tager op",
    "OF_SOLUTION": "af løsningen",
    "MEASURES": "måler",
    "OBSERVES": "gælder",
    "SERVES": "tjener",
}

ROLE_LABELS: dict[str, str] = {
    "lead": "leder",
    "co-lead": "medleder",
    "collaborates": "samarbejder",
    "supports": "støtter",
    "assists": "assisterer",
    "partner": "partner",
    "knowledge-partner": "videnspartner",
}

# Property names as the details panel and tooltips show them; others keep their own name.
PROPERTY_LABELS: dict[str, str] = {
    "code": "kode",
    "official_name": "officielt navn",
    "region": "region",
    "island": "ø-kommune",
    "participating": "deltager i LIFE ACT",
    "seat_lat": "rådhus, bredde",
    "seat_lon": "rådhus, længde",
    "short_name": "kort navn",
    "name_en": "engelsk navn",
    "name_da": "dansk navn",
    "title_da": "titel",
    "title_en": "engelsk titel",
    "category": "kategori",
    "pillars": "søjler",
    "pillar": "søjle",
    "summary": "resumé (engelsk)",
    "summary_da": "resumé",
    "description": "beskrivelse (engelsk)",
    "description_da": "beskrivelse",
    "work_package": "arbejdspakke",
    "full_name": "fulde navn",
    "org_type": "type",
    "key": "nøgle",
    "slug": "nøgle",
    "number": "nummer",
    "start_date": "start",
    "end_date": "slut",
    "goal": "mål",
    "framework": "ramme",
    "municipality_count": "antal kommuner",
    "duration_years": "varighed (år)",
    "rounds": "runder",
    "main_efforts": "hovedindsatser",
    "score": "replikationsscore",
    "reasons": "begrundelser",
    "role": "rolle",
}

# Not worth a line in a tooltip: coordinates and internal bookkeeping. The provenance
# (`source`, `property_sources`) is shown on its own, below the facts.
HIDDEN_PROPERTIES = {"seat_lat", "seat_lon", "generation", "source", "property_sources", "id", "kind", "name", "number"}


def kind_label(kind: str) -> str:
    style = KIND_STYLES.get(kind)
    return style.label if style else kind


# Drawn with dashes and without arrows: borders have no direction; candidacy is a proposal, not a fact.
DASHED_TYPES = frozenset({"NEIGHBOURS", "CANDIDATE_FOR"})
UNDIRECTED_TYPES = frozenset({"NEIGHBOURS"})

MAX_SIZED_DEGREE = 150
# Grows with the square root of the degree, so hubs stand out without swamping the rest (a table: called per node).
_SIZES = [round(10.0 + 4.0 * d**0.5, 1) for d in range(MAX_SIZED_DEGREE + 1)]


def node_size(degree: int) -> float:
    return _SIZES[degree if degree < MAX_SIZED_DEGREE else MAX_SIZED_DEGREE]
