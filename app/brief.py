"""Replication briefs: one self-contained, printable HTML page for a replication target (a task,
a work package or a theme), for planners to hand out.

    lifeact brief --target T.9.1 --output brief.html [--limit 10] [--force]
    GET /views/brief?target=T.9.1[&limit=10][&download=1]

The page holds the target and its work packages (title, summary, lead, partners with their
roles, participating municipalities, themes), the ranked candidates with their reasons, a map
of the replication scores, the network picture, how the score is computed, and the source of
every fact shown. Everything is in-line (styles, map and network as SVG, no script), so it opens
from disk with no network, and a print stylesheet lays it out on A4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from app import models
from app.i18n import N_, current_language, localized
from app.i18n import gettext as _
from app.provenance import GENERAL_KNOWLEDGE, OUR_READING, VOCABULARY
from app.seed import REFERENCE_SOURCE, task_id
from app.services import entities, exports, knowledge, replication
from app.services.errors import out_of_range
from app.services.knowledge.words import status_word
from app.services.read_model import ReadModel
from app.services.text import danish_key
from app.views import pages, static_image
from app.views.boundaries import BOUNDARY_SOURCE, boundary_credit
from app.views.graphs import replication_graph
from app.views.render import ENVIRONMENT
from app.views.styles import kind_label, role_label, theme_name, title_of

DEFAULT_LIMIT = 10
MAP_MARKS = 10  # the best candidates get their rank drawn on the map, as in the table

# English msgids, marked here and translated where the brief is rendered (app.i18n).
REASON_LABELS = {
    "neighbour": N_("neighbour"),
    "region": N_("same region"),
    "lead-region": N_("leading region"),
    "theme": N_("theme"),
    "pillar": N_("pillar"),
    "co-participation": N_("cooperation"),
}
PILLAR_LABELS = {"mitigation": N_("mitigation"), "adaptation": N_("adaptation")}
CATEGORY_LABELS = {
    "place-based": N_("place-based"),
    "implementation-driver": N_("implementation driver"),
    "project-management": N_("project management"),
}
# The brief's heading, per kind of target: "Where could the task T.9.1 … spread?" (the template
# translates it and fills in the heading, escaped).
TARGET_QUESTIONS = {
    "Task": N_("Where could the task %(heading)s spread?"),
    "WorkPackage": N_("Where could the work package %(heading)s spread?"),
    "Theme": N_("Where could the theme %(heading)s spread?"),
    "Solution": N_("Where could the solution %(heading)s spread?"),
}
# How dates read in each language (CLDR patterns, formatted by Babel).
DATE_PATTERNS = {"da": "d. MMMM y, 'kl.' HH.mm", "en": "d MMMM y, HH:mm"}
UNKNOWN = N_("(unknown)")


def _label(labels: dict[str, str], key: str) -> str:
    return _(labels[key]) if key in labels else key


def scoring_rules() -> list[dict[str, str]]:
    """How the score is computed, in the current language, from the weights the service uses (so the two cannot drift)."""
    w = {k: local_number(v) for k, v in replication.WEIGHTS.items()}
    return [
        {
            "kind": "neighbour",
            "label": _label(REASON_LABELS, "neighbour"),
            "when": _("borders a participant"),
            "weight": _("{weight}, +{extra} for each further participant, at most {cap}").format(
                weight=w["neighbour"], extra=w["neighbour_extra"], cap=w["neighbour_cap"]
            ),
        },
        {
            "kind": "region",
            "label": _label(REASON_LABELS, "region"),
            "when": _("lies in a region where participants are"),
            "weight": _("{weight} per participant in the region, at most {cap}").format(weight=w["region"], cap=w["region_cap"]),
        },
        {
            "kind": "lead-region",
            "label": _label(REASON_LABELS, "lead-region"),
            "when": _("lies in the region that leads one of the target's work packages"),
            "weight": w["lead-region"],
        },
        {
            "kind": "theme",
            "label": _label(REASON_LABELS, "theme"),
            "when": _("already works on one of the target's themes in another work package"),
            "weight": _("{weight} per theme, at most {cap} together").format(weight=w["theme"], cap=w["theme_cap"]),
        },
        {
            "kind": "pillar",
            "label": _label(REASON_LABELS, "pillar"),
            "when": _("takes part in another work package under the same pillar (mitigation/adaptation)"),
            "weight": w["pillar"],
        },
        {
            "kind": "co-participation",
            "label": _label(REASON_LABELS, "co-participation"),
            "when": _("already works with participants in other work packages"),
            "weight": _("{weight} per participant, at most {cap}").format(
                weight=w["co-participation"], cap=w["co-participation_cap"]
            ),
        },
    ]


def local_number(value: float) -> str:
    """2.5 as the reader writes it: `2,5` in Danish, `2.5` in English (CLDR, through Babel)."""
    return format_decimal(value, format="#,##0.##", locale=current_language())


def local_date(moment: datetime) -> str:
    return format_datetime(moment, DATE_PATTERNS[current_language()], locale=current_language())


def split_source(source: str) -> tuple[str, str]:
    """'LIFE ACT work packages, WP9' -> ('LIFE ACT work packages', 'WP9'): the seed writes a claim as
    '<document>, <section>' (or 'our reading of <document>, <section>', kept together as the
    document); general knowledge and the theme vocabulary have no section."""
    if source in (GENERAL_KNOWLEDGE, VOCABULARY):
        return source, ""
    document, comma, section = (source or "").rpartition(", ")
    return (document, section) if comma else (source or _(UNKNOWN), "")


def source_rows(fact: str, source: str) -> list[dict[str, str]]:
    """One table row per claim: a provenance may join several with '; '."""
    claims = [part.strip() for part in (source or "").split(";") if part.strip()] or [""]
    return [dict(zip(("fact", "document", "section"), (fact, *split_source(claim)), strict=True)) for claim in claims]


# What the provenance table calls the properties of a work package and of a task (msgids).
WORK_PACKAGE_WORDS = {
    "title_da": N_("title"),
    "summary": N_("summary"),
    "category": N_("category"),
    "pillars": N_("pillars"),
    "tasks": N_("tasks"),
}
TASK_WORDS = {"title_da": N_("title"), "summary": N_("description"), "work_package": N_("work package")}


def _property_facts(subject: str, words: dict[str, str], source: str, property_sources: dict[str, str]) -> list[dict[str, str]]:
    """'<subject>: <words>' with the node's source, less the properties that have their own
    provenance, which get a line each (a Danish or English twin of a property goes with it)."""
    twins = {"summary_da": "summary", "title_en": "title_da"}
    words = {name: _(word) for name, word in words.items()}
    own = {words.get(twins.get(name, name), name): text for name, text in property_sources.items()}
    facts = [{"fact": f"{subject}: {', '.join(w for w in words.values() if w not in own)}", "source": source}]
    facts += [{"fact": f"{subject}: {word}", "source": text} for word, text in sorted(own.items())]
    return facts


# -- the map ----------------------------------------------------------------------------------
def _label_point(path: str) -> tuple[float, float]:
    """Where to put a mark in a municipality: the centroid of its largest ring (islands and
    enclaves aside, that lies inside the land)."""
    best: tuple[float, float, float] = (0.0, 0.0, -1.0)
    for ring_text in path.split("Z"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", ring_text)]
        points = list(zip(numbers[0::2], numbers[1::2], strict=False))
        if len(points) < 3:
            continue
        twice_area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            twice_area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(twice_area) > best[2] and twice_area != 0:
            best = (cx / (3 * twice_area), cy / (3 * twice_area), abs(twice_area))
    if best[2] < 0:  # degenerate: fall back to the first point
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)[:2]]
        return numbers[0], numbers[1]
    return best[0], best[1]


@dataclass(frozen=True)
class ReplicationMap:
    """The choropleth of replication scores, as the map view colours it, ready to draw as SVG."""

    title: str
    caption: str
    credit: str
    legend: list[tuple[str, str]]
    svg: Markup  # in-line SVG (no namespace declarations: for HTML)

    def standalone_svg(self) -> str:
        """An SVG document of its own (for a file, or IPython.display.SVG)."""
        return str(self.svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)


def replication_map(model: ReadModel, target: str, marks: int = MAP_MARKS) -> ReplicationMap:
    """Denmark's 98 municipalities coloured by replication score for `target`; the participants in
    blue with their names, the best `marks` candidates numbered by rank, and a legend drawn in."""
    context = pages.map_context(model, target)
    result = replication.replication(model, target, marks)
    participants = set(result.participants)
    ranks = {c.name: rank for rank, c in enumerate(result.candidates, start=1)}
    width, height = context["width"], context["height"]
    x, y, w, h = context["inset"]
    parts = [
        f'<svg class="map" viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{escape(context["title"])}">',
        '<rect class="sea" x="0" y="0" width="100%" height="100%" fill="#eef4f8"/>',
        f'<rect class="inset" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="none" stroke="#8a949e" '
        'stroke-dasharray="4 3"/>',
    ]
    labels: list[str] = []
    for shape in context["shapes"]:
        parts.append(
            f'<path class="municipality" d="{shape["path"]}" fill="{shape["fill"]}" stroke="#ffffff" stroke-width="0.6" '
            f'data-code="{shape["code"]}" data-name="{escape(shape["name"])}"><title>{escape(shape["title"])}</title></path>'
        )
        name = shape["name"]
        if name in participants or name in ranks:
            px, py = _label_point(shape["path"])
            if name in ranks:
                labels.append(
                    f'<g class="rank-mark" data-rank="{ranks[name]}"><circle cx="{px:.1f}" cy="{py:.1f}" r="6.5" '
                    'fill="#ffffff" stroke="#333333" stroke-width="0.8"/>'
                    f'<text x="{px:.1f}" y="{py + 2.6:.1f}" text-anchor="middle" font-size="7.5" font-weight="700" '
                    f'fill="#222222">{ranks[name]}</text></g>'
                )
            else:
                labels.append(
                    f'<text class="participant-label" x="{px:.1f}" y="{py + 2.5:.1f}" text-anchor="middle" font-size="7" '
                    f'fill="#ffffff" stroke="#1b4f9c" stroke-width="2" paint-order="stroke">{escape(name)}</text>'
                )
    parts.extend(labels)
    # The legend goes in the picture, so that the map alone (as a file, in a notebook) still explains itself.
    legend_x, legend_y = 8.0, height - 14.0 * (len(context["legend"]) + 1) - 6
    parts.append(f'<g class="map-legend" font-size="9" fill="#222222"><text x="{legend_x:g}" y="{legend_y:g}" font-weight="700">')
    parts.append(f"{escape(_('Legend'))}</text>")
    for i, (color, label) in enumerate(context["legend"], start=1):
        top = legend_y + 14.0 * i - 9
        parts.append(
            f'<rect x="{legend_x:g}" y="{top:g}" width="10" height="10" fill="{color}" stroke="#555555" stroke-width="0.5"/>'
            f'<text x="{legend_x + 15:g}" y="{top + 8.5:g}">{escape(label)}</text>'
        )
    parts.append("</g>")
    parts.append(f'<text x="{width - 6:g}" y="{height - 6:g}" text-anchor="end" font-size="6.5" fill="#555555">')
    parts.append(f"{escape(boundary_credit())}</text></svg>")
    caption = (
        f"{context['caption']} " + _("The numbers are the candidates' places in the table; Bornholm is shown in the frame.")
        if ranks
        else context["caption"]
    )
    return ReplicationMap(
        title=context["title"], caption=caption, credit=boundary_credit(), legend=context["legend"], svg=Markup("".join(parts))
    )


# -- the network picture ------------------------------------------------------------------------
_XML_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", re.S)
_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')


def inline_svg(svg: str, prefix: str) -> Markup:
    """A matplotlib SVG fit to sit in an HTML page: no XML prologue, metadata or namespace
    declarations (the HTML parser knows SVG), ids prefixed so two pictures cannot collide,
    and sized by the stylesheet rather than in points."""
    text = _XML_PROLOGUE.sub("", svg)
    text = _NAMESPACE.sub("", text)
    text = _SIZE.sub("", text, count=2)
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', text)
    return Markup(text.replace("<svg ", '<svg class="network" role="img" ', 1).strip())


def network_svg(model: ReadModel, target: str, limit: int = DEFAULT_LIMIT) -> tuple[str, str]:
    """The replication view as a static picture (SVG text) and its caption."""
    graph = replication_graph(model, target, limit)
    return static_image.draw(graph, "svg").decode("utf-8"), graph.caption


# -- the brief ---------------------------------------------------------------------------------
def _people(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda p: danish_key(p["name"]))


def _work_package_section(model: ReadModel, code: str, provenance: list[dict[str, str]]) -> dict[str, Any]:
    tables = entities.work_package_facts(model, [code])
    wp = entities.get_work_package(model, code)
    lead = tables.leads[code]
    partner_rows = {p["name"]: p for p in tables.partners.get(code, [])}
    provenance.extend(_property_facts(code, WORK_PACKAGE_WORDS, wp.source, wp.property_sources))
    provenance.append({"fact": _("{name} leads {code}").format(name=lead["name"], code=code), "source": lead["source"]})
    partners = []
    for partner in wp.partners:
        source = partner_rows.get(partner.name, {}).get("source", wp.source)
        role = role_label(partner.role)
        partners.append({"name": partner.name, "kind": kind_label(partner.kind), "role": role, "role_key": partner.role})
        provenance.append(
            {
                "fact": _("{name} is a partner in {code} ({role})").format(name=partner.name, code=code, role=role),
                "source": source,
            }
        )
    participants = []
    for p in _people(tables.participants.get(code, [])):
        participants.append({"name": p["name"], "region": p["region"], "code": p["code"]})
        provenance.append({"fact": _("{name} takes part in {code}").format(name=p["name"], code=code), "source": p["source"]})
    for task in wp.tasks:
        task_source = next((t["source"] for t in tables.tasks.get(code, []) if t["code"] == task.code), wp.source)
        provenance.append({"fact": _("task {code}: title and description").format(code=task.code), "source": task_source})
        for name, source in sorted(_theme_sources(model, task_id(task.code)).items()):  # the themes shown per task
            provenance.append({"fact": _addresses(task.code, name), "source": source})
    return {
        "code": wp.code,
        "title": title_of(wp),
        "title_other": _other_title(wp.title_da, wp.title_en),
        "category": _label(CATEGORY_LABELS, wp.category),
        "pillars": [_label(PILLAR_LABELS, p) for p in wp.pillars],
        "summary": localized(wp.model_dump(include={"summary", "summary_da"}), "summary"),
        "lead": {"name": wp.lead.name, "kind": kind_label(wp.lead.kind)},
        "partners": partners,
        "participants": participants,
        "tasks": [{"code": t.code, "title": title_of(t), "themes": [theme_name(th) for th in t.themes]} for t in wp.tasks],
        "themes": [theme_name(t) for t in wp.themes],
        "source": wp.source,
    }


def _other_title(danish: str, english: str) -> str:
    """The title in the other language, shown beside the reader's (names stay as the sources write them)."""
    return english if current_language() == "da" else danish


def _addresses(code: str, theme: str) -> str:
    return _("{code} addresses {theme}").format(code=code, theme=theme)


def _theme_sources(model: ReadModel, node_id: str) -> dict[str, str]:
    """The source of each ADDRESSES relationship of a task or work package, by theme name."""
    node = model.node(node_id)
    if node is None:
        return {}
    return {r.other.name: r.source or "" for r in entities.node_relations(model, node) if r.type == "ADDRESSES"}


def _solution_subject(model: ReadModel, solution_id: str, provenance: list[dict[str, str]]) -> dict[str, Any]:
    """A solution as the brief's target: its facts, who developed it, its spread (every adoption
    event, oldest first, and the current adopters) and the resources that serve it."""
    solution = knowledge.get_solution(model, solution_id)
    source = solution["provenance"] or "LIFE ACT Knowledge Explorer"
    provenance.append({"fact": _("the solution {name}").format(name=solution["name"]), "source": source})
    spread = sorted(solution["adoptions"], key=lambda a: (a["date"] or "", a["municipality"]))
    for event in spread:
        fact = _("{municipality}: {status} ({date})").format(
            municipality=event["municipality"], status=status_word(event["status"]), date=event["date"]
        )
        provenance.append({"fact": fact, "source": event["source"]["title"] if event.get("source") else source})
    return {
        "code": solution["slug"],
        "title": solution["name"],
        "title_other": "",
        "summary": solution["summary"] or "",
        "source": source,
        "heading": solution["name"],
        "solution": {
            "status": solution["status"],
            "started": solution["started"],
            "developed_by": [d["name"] for d in solution["developed_by"]],
            "adoptions": [e | {"label": status_word(e["status"])} for e in spread],
            "adopters": solution["current_adopters"],
            "sources": solution["sources"],
            "resources": knowledge.resources.list_resources(model, solution=solution_id)["data"],
        },
    }


def brief_context(
    model: ReadModel, target: str, limit: int = DEFAULT_LIMIT, generated_at: datetime | None = None
) -> dict[str, Any]:
    """Everything the brief shows, from the services (raises their NotFound / InvalidParameter)."""
    result: models.Replication = replication.replication(model, target, limit)
    described, more = replication.described_work_packages(result)
    tables = entities.work_package_facts(model, described)
    node = model.resolve(result.target.id)
    provenance: list[dict[str, str]] = []

    subject: dict[str, Any] = {"kind": node.kind, "kind_label": kind_label(node.kind)}
    if node.kind == "Task":
        task = entities.get_task(model, node.id)
        subject |= {
            "code": task.code,
            "title": title_of(task),
            "title_other": _other_title(task.title, task.title_en),
            "summary": localized(task.model_dump(include={"summary", "summary_da"}), "summary"),
            "source": task.source,
            "heading": f"{task.code} {title_of(task)}",
        }
        subject_words = _("task {code}").format(code=task.code)
        provenance.extend(_property_facts(subject_words, TASK_WORDS, task.source, task.property_sources))
        theme_sources = _theme_sources(model, node.id)
        for theme in task.themes:
            source = theme_sources.get(theme.name) or "seed/themes.yaml"
            provenance.append({"fact": _addresses(task.code, theme_name(theme)), "source": source})
    elif node.kind == "WorkPackage":
        code = node.key
        wp = tables.work_packages[code]
        subject |= {
            "code": code,
            "title": title_of(wp),
            "title_other": _other_title(wp["title_da"], wp["title_en"]),
            "summary": localized(wp, "summary"),
            "source": wp["source"],
            "heading": f"{code} {title_of(wp)}",
        }
        theme_sources = _theme_sources(model, node.id)
        for name, source in sorted(theme_sources.items()):
            provenance.append({"fact": _addresses(code, name), "source": source})
    elif node.kind == "Solution":
        subject |= _solution_subject(model, node.id, provenance)
    else:
        p = entities.node_properties(model, node)
        pillar = _label(PILLAR_LABELS, p["pillar"])
        subject |= {
            "code": p["slug"],
            "title": theme_name(p),
            "title_other": _other_title(p["name_da"], p["name_en"]),
            "summary": _("A theme in the project's controlled vocabulary ({pillar}); it is addressed in {work_packages}.").format(
                pillar=pillar, work_packages=", ".join(result.work_packages) or _("no work package")
            ),
            "source": p["source"],
            "heading": theme_name(p),
        }
        provenance.append({"fact": _("the theme {name}").format(name=theme_name(p)), "source": p["source"]})
        for code in described:
            for task in tables.tasks.get(code, []):
                if any(t["slug"] == p["slug"] for t in tables.task_themes.get(task["code"], [])):
                    source = _theme_sources(model, task["id"]).get(node.name) or p["source"]
                    provenance.append({"fact": _addresses(task["code"], theme_name(p)), "source": source})
    subject["question"] = TARGET_QUESTIONS[node.kind]

    work_packages = [_work_package_section(model, code, provenance) for code in described]

    by_name = {
        m["name"]: m
        for m in entities.municipality_rows_by_name(model, [*result.participants, *(c.name for c in result.candidates)])
    }
    target_codes = set(result.work_packages)
    participants = []
    for name in result.participants:
        m = by_name[name]
        participants.append(
            {"name": name, "region": m["region"], "work_packages": [c for c in m["work_packages"] if c in target_codes]}
        )
    candidates = []
    for rank, candidate in enumerate(result.candidates, start=1):
        m = by_name[candidate.name]
        others = [c for c in m["work_packages"] if c not in target_codes]
        candidates.append(
            {
                "rank": rank,
                "code": candidate.code,
                "name": candidate.name,
                "region": candidate.region,
                "score": local_number(candidate.score),
                "reasons": [
                    {
                        "kind": r.kind,
                        "label": _label(REASON_LABELS, r.kind),
                        "detail": r.detail,
                        "weight": local_number(r.weight),
                    }
                    for r in candidate.reasons
                ],
                "work_packages": others,
            }
        )
        other_facts = entities.work_package_facts(model, others)
        for code in others:
            source = next(p["source"] for p in other_facts.participants[code] if p["code"] == candidate.code)
            fact = _("{name} takes part in {code} (candidate no. {rank})").format(name=candidate.name, code=code, rank=rank)
            provenance.append({"fact": fact, "source": source})

    shown = sorted({p["name"] for p in participants} | {c["name"] for c in candidates}, key=danish_key)
    reference = sorted({by_name[n]["source"] for n in shown})
    for source in reference:
        fact = _("municipality codes, names and regions of the {count} municipalities shown").format(count=len(shown))
        provenance.append({"fact": fact, "source": source})
    provenance.append(
        {"fact": _("land borders between municipalities (the reason neighbour)"), "source": f"{REFERENCE_SOURCE}, neighbours"}
    )
    provenance.append({"fact": _("municipal boundaries on the map"), "source": BOUNDARY_SOURCE})
    provenance.append(
        {"fact": _("the replication score (the weights below)"), "source": "LIFE ACT Knowledge Explorer, scoring model"}
    )
    rows = []
    seen: set[tuple[str, str]] = set()
    for item in provenance:
        key = (item["fact"], item["source"])
        if key in seen:
            continue
        seen.add(key)
        rows.extend(source_rows(item["fact"], item["source"]))
    documents = sorted({row["document"].removeprefix(OUR_READING) for row in rows})

    figure = replication_map(model, target, min(MAP_MARKS, limit))
    network, network_caption = network_svg(model, target, limit)
    moment = generated_at or datetime.now().astimezone()
    themes = [
        {"name": theme_name(t), "name_other": _other_title(t.name, t.name_en), "pillar": _label(PILLAR_LABELS, t.pillar)}
        for t in result.themes
    ]
    generation = model.store.generation or _(UNKNOWN)
    iso = moment.isoformat(timespec="seconds")
    return {
        "target": result.target,
        "subject": subject,
        "work_packages": work_packages,
        "more_work_packages": more,
        "themes": themes,
        "pillars": [_label(PILLAR_LABELS, p) for p in result.pillars],
        "participants": participants,
        "candidates": candidates,
        "limit": limit,
        "map": figure,
        "network": inline_svg(network, "net-"),
        "network_caption": network_caption,
        "rules": scoring_rules(),
        "provenance": rows,
        "documents": documents,
        "credit": boundary_credit(),
        "generated": local_date(moment),
        "generated_iso": iso,
        "iso_time": Markup('<time datetime="{0}">{0}</time>').format(iso),
        "generation": generation,
        "generation_code": Markup("<code>{}</code>").format(generation),
        "backend": model.store.backend,
    }


def render_brief(model: ReadModel, target: str, limit: int = DEFAULT_LIMIT, generated_at: datetime | None = None) -> str:
    """The brief's HTML: one self-contained page."""
    if not 1 <= limit <= 100:
        raise out_of_range("limit", limit, 1, 100)
    return ENVIRONMENT.get_template("brief.html").render(**brief_context(model, target, limit, generated_at))


def write_brief(model: ReadModel, target: str, output: Path, force: bool = False, limit: int = DEFAULT_LIMIT) -> Path:
    """Render, then write atomically (folders created; an existing file kept unless `force`)."""
    html = render_brief(model, target, limit)
    return exports.save(html.encode("utf-8"), Path(output), force)


def brief_filename(target: str) -> str:
    slug = re.sub(r"[^a-z0-9.]+", "-", target.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))).strip("-")
    return f"lifeact-brief-{slug[:60] or 'target'}.html"
