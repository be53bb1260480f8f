"""How each kind of node and relationship looks, in the browser views and in SVG/PNG alike,
with the words the views show: English msgids marked with N_, translated where shown
(`kind_label`, `kind_plural`, `edge_label`, `role_label`, `property_label`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.i18n import N_, current_language
from app.i18n import gettext as _


@dataclass(frozen=True)
class KindStyle:
    label: str  # an English msgid: show it through kind_label()
    plural: str
    color: str  # Okabe–Ito palette: tells the kinds apart for colour-blind readers too
    shape: str  # vis-network shape
    marker: str  # matplotlib marker of the same shape


KIND_STYLES: dict[str, KindStyle] = {
    "Region": KindStyle(N_("Region"), N_("Regions"), "#D55E00", "diamond", "D"),
    "Municipality": KindStyle(N_("Municipality"), N_("Municipalities"), "#0072B2", "dot", "o"),
    "Programme": KindStyle(N_("Programme"), N_("Programmes"), "#CC79A7", "star", "*"),
    "Organisation": KindStyle(N_("Organisation"), N_("Organisations"), "#999999", "square", "s"),
    "WorkPackage": KindStyle(N_("Work package"), N_("Work packages"), "#E69F00", "hexagon", "h"),
    "Task": KindStyle(N_("Task"), N_("Tasks"), "#F0E442", "triangle", "^"),
    "Theme": KindStyle(N_("Theme"), N_("Themes"), "#009E73", "triangleDown", "v"),
    # A hub's many relationships of one type, collapsed (app.services.traversal.HUB_LIMIT): a click unfolds them.
    "Group": KindStyle(N_("Collapsed group"), N_("Collapsed groups"), "#56B4E9", "box", "P"),
    "Solution": KindStyle(N_("Solution"), N_("Solutions"), "#332288", "box", "X"),
    "Adoption": KindStyle(N_("Adoption"), N_("Adoptions"), "#000000", "dot", "."),
    "Observation": KindStyle(N_("Observation"), N_("Observations"), "#666666", "dot", "."),
    "Indicator": KindStyle(N_("Indicator"), N_("Indicators"), "#882255", "ellipse", "8"),
    "Resource": KindStyle(N_("Resource"), N_("Resources"), "#117733", "database", "p"),
}

EDGE_LABELS: dict[str, str] = {
    "IN_REGION": N_("lies in"),
    "NEIGHBOURS": N_("borders"),
    "PARTICIPATES_IN": N_("takes part in"),
    "LEADS": N_("leads"),
    "PARTNER_IN": N_("partner in"),
    "HAS_TASK": N_("has the task"),
    "ADDRESSES": N_("addresses"),
    "PART_OF": N_("part of"),
    "MEMBER_OF": N_("member of"),
    "SUCCEEDS": N_("succeeds"),
    "IMPLEMENTS_PLANS_OF": N_("carries out the plans of"),
    "FUNDED_BY": N_("funded by"),
    "USES_FRAMEWORK_OF": N_("uses the framework of"),
    "COOPERATES_WITH": N_("cooperates with"),
    "MOBILISES_FUNDING_FROM": N_("seeks funding from"),
    "CANDIDATE_FOR": N_("candidate for"),
    "DEVELOPED": N_("developed"),
    "BELONGS_TO": N_("belongs to"),
    "ABOUT": N_("is about"),
    "ADOPTS": N_("takes up"),
    "OF_SOLUTION": N_("of the solution"),
    "MEASURES": N_("measures"),
    "OBSERVES": N_("concerns"),
    "SERVES": N_("serves"),
}

ROLE_LABELS: dict[str, str] = {
    "lead": N_("lead"),
    "co-lead": N_("co-lead"),
    "collaborates": N_("collaborates"),
    "supports": N_("supports"),
    "assists": N_("assists"),
    "partner": N_("partner"),
    "knowledge-partner": N_("knowledge partner"),
}

# Property names as the details panel and tooltips show them; others keep their own name.
PROPERTY_LABELS: dict[str, str] = {
    "code": N_("code"),
    "official_name": N_("official name"),
    "region": N_("region"),
    "island": N_("island municipality"),
    "participating": N_("takes part in LIFE ACT"),
    "seat_lat": N_("town hall, latitude"),
    "seat_lon": N_("town hall, longitude"),
    "short_name": N_("short name"),
    "name_en": N_("English name"),
    "name_da": N_("Danish name"),
    "title": N_("title"),  # the details show one title, in the page's language
    "title_da": N_("Danish title"),
    "title_en": N_("English title"),
    "category": N_("category"),
    "pillars": N_("pillars"),
    "pillar": N_("pillar"),
    "summary": N_("summary"),
    "summary_da": N_("summary"),
    "description": N_("description"),
    "description_da": N_("description"),
    "work_package": N_("work package"),
    "full_name": N_("full name"),
    "org_type": N_("type"),
    "key": N_("key"),
    "slug": N_("key"),
    "number": N_("number"),
    "start_date": N_("start"),
    "end_date": N_("end"),
    "goal": N_("goal"),
    "framework": N_("framework"),
    "municipality_count": N_("number of municipalities"),
    "duration_years": N_("duration (years)"),
    "rounds": N_("rounds"),
    "main_efforts": N_("main efforts"),
    "score": N_("replication score"),
    "reasons": N_("reasons"),
    "role": N_("role"),
}

# Not worth a line in a tooltip: coordinates and internal bookkeeping. The provenance
# (`source`, `property_sources`) is shown on its own, below the facts.
HIDDEN_PROPERTIES = {"seat_lat", "seat_lon", "generation", "source", "property_sources", "id", "kind", "name", "number"}


def kind_label(kind: str) -> str:
    style = KIND_STYLES.get(kind)
    return _(style.label) if style else kind


def kind_plural(kind: str) -> str:
    style = KIND_STYLES.get(kind)
    return _(style.plural) if style else kind


def edge_label(rel_type: str) -> str:
    label = EDGE_LABELS.get(rel_type)
    return _(label) if label else rel_type.lower()


def role_label(role: str) -> str:
    label = ROLE_LABELS.get(role)
    return _(label) if label else role


def property_label(key: str) -> str:
    label = PROPERTY_LABELS.get(key)
    return _(label) if label else key.replace("_", " ")


# Drawn with dashes and without arrows: borders have no direction; candidacy is a proposal, not a fact.
DASHED_TYPES = frozenset({"NEIGHBOURS", "CANDIDATE_FOR"})
UNDIRECTED_TYPES = frozenset({"NEIGHBOURS"})

MAX_SIZED_DEGREE = 150
# Grows with the square root of the degree, so hubs stand out without swamping the rest (a table: called per node).
_SIZES = [round(10.0 + 4.0 * d**0.5, 1) for d in range(MAX_SIZED_DEGREE + 1)]


def node_size(degree: int) -> float:
    return _SIZES[degree if degree < MAX_SIZED_DEGREE else MAX_SIZED_DEGREE]


def _value(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def theme_name(theme: Any) -> str:
    """A theme's name in the current language (the vocabulary is ours, in both languages)."""
    english = _value(theme, "name_en")
    return str(english) if current_language() == "en" and english else str(_value(theme, "name_da") or _value(theme, "name"))


def title_of(item: Any) -> str:
    """A work package's or task's title in the current language (`title` is the Danish one)."""
    english = _value(item, "title_en")
    return str(english) if current_language() == "en" and english else str(_value(item, "title_da") or _value(item, "title"))
