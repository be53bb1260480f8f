"""Replication planning (work package 3's job): where could a solution made under a work
package, a task or a theme go next, ranked, with the facts behind every reason.

The store returns the evidence (who borders the participants, who shares their regions,
themes, pillars and partners); Python weighs it, ranks the candidates and writes the
reasons for the best of them."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any

from app import models
from app.i18n import N_, current_language, ngettext
from app.i18n import gettext as _
from app.services.entities import _theme_ref, municipalities_by_id, node_properties, work_package_facts, wp_sort_key
from app.services.errors import out_of_range
from app.services.knowledge import adoptions
from app.services.knowledge.words import status_word
from app.services.names import NodeRef
from app.services.read_model import ReadModel
from app.services.text import danish_key

PILLARS = ("mitigation", "adaptation")
PILLAR_WORDS = {"mitigation": N_("mitigation"), "adaptation": N_("adaptation")}  # the values stay English in the data
MAX_CANDIDATES = 100  # the largest `limit` the API allows
# Views and briefs describe at most this many of a target's work packages (in code order) and
# count the rest: the project's broadest theme has 3, a theme at EU scale several hundred.
DESCRIBED_WORK_PACKAGES = 12

# Replication scoring: each kind of evidence adds weight; see README "Replication scoring".
WEIGHTS = {
    "neighbour": 2.0,  # borders a participant (+0.5 for each further participant it borders)
    "neighbour_extra": 0.5,
    "neighbour_cap": 3.5,
    "region": 0.5,  # per participant in the same region
    "region_cap": 2.0,
    "lead-region": 1.0,  # its region leads a target work package
    "theme": 1.5,  # per target theme it already works on in another work package
    "theme_cap": 4.5,
    "pillar": 1.0,  # takes part in another place-based work package with a target pillar
    "co-participation": 0.25,  # per participant it already works with elsewhere
    "co-participation_cap": 2.0,
    # a solution's target: evidence from those who have it (developed it, or adopt it)
    "adopter-neighbour": 2.0,  # per holder it borders
    "adopter-neighbour_cap": 4.0,
    "adopter-region": 0.5,  # per holder in its region
    "adopter-region_cap": 1.5,
    "adopter-partner": 0.5,  # per holder it already works with in a work package
    "adopter-partner_cap": 2.0,
}


def replication(model: ReadModel, target: str, limit: int = 10) -> models.Replication:
    if not 1 <= limit <= MAX_CANDIDATES:
        raise out_of_range("limit", limit, 1, MAX_CANDIDATES)
    node = model.resolve(target, ("WorkPackage", "Task", "Theme", "Solution"), what=N_("work package, task, theme or solution"))
    build = _solution_replication if node.kind == "Solution" else _replication
    result = model.cached(("replication", node.id), lambda: build(model, node))
    return result.model_copy(update={"candidates": result.candidates[:limit]})


def described_work_packages(result: models.Replication) -> tuple[list[str], list[str]]:
    """A target's work packages as views and briefs show them: the first DESCRIBED_WORK_PACKAGES
    described, and the codes of the rest."""
    return result.work_packages[:DESCRIBED_WORK_PACKAGES], result.work_packages[DESCRIBED_WORK_PACKAGES:]


def target_scope(model: ReadModel, node: NodeRef) -> tuple[list[str], dict[str, dict[str, Any]], list[str]]:
    """The work packages, themes and pillars a replication target stands for."""
    if node.kind == "WorkPackage":
        facts = work_package_facts(model, [node.key])
        wps = [node.key]
        themes = facts.reached_themes(wps)
        pillars = list(facts.work_packages[node.key]["pillars"])
    elif node.kind == "Task":
        wp_code = model.store.read("task_work_package", {"id": node.id})[0]["code"]
        facts = work_package_facts(model, [wp_code])
        wps = [wp_code]
        themes = {t["slug"]: t for t in facts.task_themes.get(node.key, [])}
        pillars = list(facts.work_packages[wp_code]["pillars"])
    else:
        properties = node_properties(model, node)
        wps = list(_theme_work_packages(model).get(node.key, ()))
        themes = {node.key: {**properties, "name": properties["name_da"]}}
        pillars = [properties["pillar"]] if properties["pillar"] in PILLARS else []
    return sorted(wps, key=wp_sort_key), themes, pillars


def _replication(model: ReadModel, node: NodeRef) -> models.Replication:
    """Scores every candidate as a number first, then writes the reasons out for the best
    MAX_CANDIDATES only: at EU scale tens of thousands of municipalities have some evidence."""
    store = model.store
    wps, themes, pillars = target_scope(model, node)
    facts = work_package_facts(model, wps)
    target_wps = set(wps)
    participants = {p["id"]: p for code in wps for p in facts.participants.get(code, [])}
    participant_names = sorted({p["name"] for p in participants.values()}, key=danish_key)
    lead_regions: dict[str, list[str]] = defaultdict(list)
    for code in wps:
        lead = facts.leads.get(code)
        if lead and lead["kind"] == "Region":
            lead_regions[lead["name"]].append(code)
    per_region = Counter(p["region"] for p in participants.values())
    ids = list(participants)

    # Names are sorted only for the candidates listed: a theme has thousands of participants.
    borders = {
        row["id"]: set(row["borders"])
        for row in store.read("neighbours_of_participants", {"participants": ids})
        if row["id"] not in participants
    }
    partners = _co_participants(model, ids)
    region_ids = [model.resolve(name, ("Region",)).id for name in sorted(set(per_region) | set(lead_regions))]
    region_of = _region_members(model, region_ids)
    theme_members = _theme_members(model, sorted(themes))
    # How many of the target's themes each candidate works on. A member of a theme takes part in
    # the work packages it is listed with, so one listed with a target work package is a
    # participant (dropped below), and every other member works on the theme elsewhere.
    theme_counts: Counter[str] = Counter()
    for members in theme_members.values():
        theme_counts.update(members.keys())
    pillar_sets = [_pillar_members(model, pillar) for pillar in pillars]

    scores: dict[str, float] = defaultdict(float)
    for mid, names in borders.items():
        scores[mid] += _neighbour_weight(names)
    for mid, region in region_of.items():
        if region in per_region:
            scores[mid] += min(WEIGHTS["region_cap"], WEIGHTS["region"] * per_region[region])
        if region in lead_regions:
            scores[mid] += WEIGHTS["lead-region"]
    for mid, count in theme_counts.items():
        scores[mid] += min(WEIGHTS["theme_cap"], WEIGHTS["theme"] * count)
    for mid, by_wp in partners.items():
        scores[mid] += _co_participation_weight(by_wp)
    for mid in participants:
        scores.pop(mid, None)
    _add_pillar_weight(scores, pillar_sets, set(participants))

    best = _best_candidates(model, scores)
    pillar_members = {mid for mid, _score in best if any(mid in members for members in pillar_sets)}
    rows = municipalities_by_id(model, [mid for mid, _score in best])
    other_codes = sorted(
        {code for row in rows.values() for code in row["work_packages"] if code not in target_wps}, key=wp_sort_key
    )
    other_ids = [node.id for node in (model.names().find(code, "WorkPackage") for code in other_codes) if node is not None]
    other_pillars = (
        {row["code"]: set(row["pillars"]) for row in store.read("work_packages_by_id", {"ids": other_ids})} if other_ids else {}
    )
    names_in_region: dict[str, list[str]] = defaultdict(list)
    for p in participants.values():
        names_in_region[p["region"]].append(p["name"])
    region_names: dict[str, str] = {}
    theme_names = {slug: _theme_name(t) for slug, t in themes.items()}
    candidates = []
    for mid, score in best:
        m = rows[mid]
        reasons: list[models.Reason] = []
        if mid in borders:
            reasons.append(
                models.Reason.model_construct(
                    kind="neighbour",
                    detail=_("borders {names} (participants)").format(names=", ".join(sorted(borders[mid], key=danish_key))),
                    weight=_neighbour_weight(borders[mid]),
                )
            )
        if m["region"] in per_region:
            count = per_region[m["region"]]
            if m["region"] not in region_names:
                region_names[m["region"]] = ", ".join(sorted(names_in_region[m["region"]], key=danish_key))
            who = region_names[m["region"]]
            reasons.append(
                models.Reason.model_construct(
                    kind="region",
                    detail=ngettext(
                        "in {region}, like {count} participant ({names})",
                        "in {region}, like {count} participants ({names})",
                        count,
                    ).format(region=m["region"], count=count, names=who),
                    weight=min(WEIGHTS["region_cap"], WEIGHTS["region"] * count),
                )
            )
        if m["region"] in lead_regions:
            reasons.append(
                models.Reason.model_construct(
                    kind="lead-region",
                    detail=_("{region} leads {codes}").format(region=m["region"], codes=", ".join(lead_regions[m["region"]])),
                    weight=WEIGHTS["lead-region"],
                )
            )
        for slug, members in theme_members.items():
            if mid not in members:
                continue
            codes = sorted(members[mid], key=wp_sort_key)
            reasons.append(
                models.Reason.model_construct(
                    kind="theme",
                    detail=_("works on {theme} in {codes}").format(theme=theme_names[slug], codes=", ".join(codes)),
                    weight=WEIGHTS["theme"],
                )
            )
        if mid in pillar_members:
            same = [
                code for code in m["work_packages"] if code not in target_wps and other_pillars.get(code, set()) & set(pillars)
            ]
            reasons.append(
                models.Reason.model_construct(
                    kind="pillar",
                    detail=_("takes part in {pillars} work in {codes}").format(
                        pillars="/".join(_(PILLAR_WORDS.get(p, p)) for p in pillars), codes=", ".join(same)
                    ),
                    weight=WEIGHTS["pillar"],
                )
            )
        if mid in partners:
            names = sorted({n for group in partners[mid].values() for n in group}, key=danish_key)
            where = ", ".join(sorted(partners[mid], key=wp_sort_key))
            reasons.append(
                models.Reason.model_construct(
                    kind="co-participation",
                    detail=_("already works with {names} in {codes}").format(names=", ".join(names), codes=where),
                    weight=_co_participation_weight(partners[mid]),
                )
            )
        reasons.sort(key=lambda r: (-r.weight, r.kind, r.detail))
        candidates.append(
            models.Candidate.model_construct(
                code=m["code"], name=m["name"], region=m["region"], score=round(score, 2), reasons=reasons
            )
        )
    return models.Replication(
        target=models.Ref(id=node.id, kind=node.kind, name=node.name),
        work_packages=wps,
        themes=[_theme_ref(t) for t in themes.values()],
        pillars=pillars,
        participants=participant_names,
        candidates=candidates,
    )


def _co_participants(model: ReadModel, ids: list[str]) -> dict[str, dict[str, set[str]]]:
    """Municipality id -> work package -> the given municipalities it shares that work package
    with, for everyone but the given municipalities. (A work package of a replication target is
    never among them: whoever shares it with a participant takes part in it, so is a participant.)"""
    shared: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    given = set(ids)
    for row in model.store.read("co_participants", {"participants": ids}) if ids else []:
        if row["id"] not in given:
            shared[row["id"]][row["work_package"]].update(row["partners"])
    return shared


def _region_members(model: ReadModel, region_ids: list[str]) -> dict[str, str]:
    """Municipality id -> region name, for every municipality of the given regions (participants
    and holders too: the callers leave them out of the candidates)."""
    return {
        mid: row["region"]
        for row in (model.store.read("region_members", {"regions": region_ids}) if region_ids else [])
        for mid in row["ids"]
    }


def _add_pillar_weight(scores: dict[str, float], pillar_sets: list[frozenset[str]], participants: set[str]) -> None:
    """Add the pillar's weight to everyone taking part in work with a target pillar (tens of
    thousands at EU scale). Those with no other evidence all score exactly that weight: they are
    added only when fewer than MAX_CANDIDATES others score more, as then they can be listed."""
    weight = WEIGHTS["pillar"]
    for mid in set().union(*(members.intersection(scores) for members in pillar_sets)):
        scores[mid] += weight
    if not pillar_sets or sum(1 for score in scores.values() if score > weight) >= MAX_CANDIDATES:
        return
    for members in pillar_sets:
        for mid in members:
            if mid not in scores and mid not in participants:
                scores[mid] = weight


# Who works on a theme, or under a pillar, is the same evidence for every target that shares it.
# It is built from two facts read once per graph version for every target (kept in the bounded
# answer cache, for both languages): each work package's participants and pillars, and each
# theme's work packages. At EU scale they take about 5 MB and 150 ms to read; the members of
# the themes themselves (with their work packages) would take ten times the memory, and 20-40 ms
# to read per theme.
def _participation(model: ReadModel) -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Work package code -> (ids of the municipalities taking part in it, its pillars)."""

    def build() -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
        return {
            row["code"]: (tuple(row["ids"]), frozenset(row["pillars"] or ()))
            for row in model.store.read("work_package_participant_ids")
        }

    return model.cached_facts(("participation",), build)


def _theme_work_packages(model: ReadModel) -> dict[str, frozenset[str]]:
    """Theme slug -> the codes of the work packages addressing it, as a whole or through a task."""

    def build() -> dict[str, frozenset[str]]:
        codes: dict[str, set[str]] = defaultdict(set)
        for row in model.store.read("theme_work_packages"):
            codes[row["theme"]].add(row["code"])
        return {slug: frozenset(found) for slug, found in codes.items()}

    return model.cached_facts(("theme-work-packages",), build)


def _theme_members(model: ReadModel, slugs: list[str]) -> dict[str, dict[str, set[str]]]:
    """For each theme: municipality id -> the codes of its work packages that address the theme,
    for everyone taking part in one."""
    participation = _participation(model)
    by_theme = _theme_work_packages(model)
    members: dict[str, dict[str, set[str]]] = {}
    for slug in slugs:
        codes_of: dict[str, set[str]] = defaultdict(set)
        for code in by_theme.get(slug, ()):
            for mid in participation.get(code, ((), frozenset()))[0]:
                codes_of[mid].add(code)
        members[slug] = codes_of
    return members


def _pillar_members(model: ReadModel, pillar: str) -> frozenset[str]:
    """Everyone taking part in a work package with the pillar."""

    def build() -> frozenset[str]:
        return frozenset(mid for ids, pillars in _participation(model).values() if pillar in pillars for mid in ids)

    return model.cached_facts(("pillar-members", pillar), build)


def _theme_name(theme: dict[str, Any]) -> str:
    english = theme.get("name_en")
    return str(english) if current_language() == "en" and english else str(theme.get("name_da") or theme["name"])


def _best_candidates(model: ReadModel, scores: dict[str, float]) -> list[tuple[str, float]]:
    """The MAX_CANDIDATES best by (score to two decimals, Danish name order).

    Rounding keeps the order of scores, so everything at or above the rounded score of the
    MAX_CANDIDATES-th best holds the answer; only those few get the costly name key.
    """
    if len(scores) > MAX_CANDIDATES:
        cutoff = round(heapq.nlargest(MAX_CANDIDATES, scores.values())[-1], 2)
        below = cutoff - 0.006  # no score under it rounds to the cutoff: round() only the few above
        contenders = [(mid, score) for mid, score in scores.items() if score > below and round(score, 2) >= cutoff]
    else:
        contenders = list(scores.items())
    names = model.names()

    def name_of(mid: str) -> str:
        node = names.get(mid)
        return node.name if node is not None else mid

    contenders.sort(key=lambda item: (-round(item[1], 2), danish_key(name_of(item[0]))))
    return contenders[:MAX_CANDIDATES]


def _neighbour_weight(borders: Collection[str]) -> float:
    return min(WEIGHTS["neighbour_cap"], WEIGHTS["neighbour"] + WEIGHTS["neighbour_extra"] * (len(borders) - 1))


def _co_participation_weight(by_wp: dict[str, set[str]]) -> float:
    partners = {name for group in by_wp.values() for name in group}
    return min(WEIGHTS["co-participation_cap"], WEIGHTS["co-participation"] * len(partners))


def participant_borders(model: ReadModel, result: models.Replication) -> list[tuple[str, str]]:
    """(participant id, candidate id) for each land border between a participant and a listed candidate."""
    facts = work_package_facts(model, result.work_packages)
    participant_by_name = {p["name"]: p["id"] for code in result.work_packages for p in facts.participants.get(code, [])}
    candidate_ids = {model.resolve(str(c.code), ("Municipality",)).id for c in result.candidates}
    pairs = []
    for row in model.store.read("neighbours_of_participants", {"participants": sorted(participant_by_name.values())}):
        if row["id"] in candidate_ids:
            pairs.extend((participant_by_name[name], row["id"]) for name in row["borders"])
    return pairs


# -- a solution as the target ---------------------------------------------------------------
def _holders(model: ReadModel, solution_id: str) -> dict[str, str]:
    """Municipality id -> how it has the solution: developed it, or its latest adoption event is
    not 'dropped' (considering, planning and piloting count: it is taking the solution up)."""
    held = {
        row["id"]: _("developed it")
        for row in model.store.read("solution_developers", {"id": solution_id})
        if row["kind"] == "Municipality"
    }
    for mid, row in adoptions.latest_events(model, solution_id).items():
        if row["status"] != "dropped" and mid not in held:
            held[mid] = _("{status} since {date}").format(status=status_word(row["status"]), date=row["date"])
    return held


def _solution_replication(model: ReadModel, node: NodeRef) -> models.Replication:
    """Candidates for a solution: the evidence of its task or theme (as for that target), less
    those who have it, plus evidence from those who have it (each named): a candidate borders
    one, lies in its region, or already works with it in a work package."""
    store = model.store
    scope = [f"task:{r['code']}" for r in store.read("solution_tasks", {"id": node.id})]
    scope += [f"theme:{r['slug']}" for r in store.read("solution_themes", {"id": node.id})]
    base_node = next((model.node(i) for i in scope if model.node(i) is not None), None)
    base = _replication(model, base_node) if base_node is not None else None
    holders = _holders(model, node.id)
    holder_rows = municipalities_by_id(model, list(holders))
    label = {mid: f"{row['name']} ({holders[mid]})" for mid, row in holder_rows.items()}
    ids = list(holders)

    evidence: dict[str, list[models.Reason]] = defaultdict(list)
    for row in store.read("neighbours_of_participants", {"participants": ids}) if ids else []:
        if row["id"] in holders:
            continue
        bordered = sorted(mid for mid in ids if holder_rows[mid]["name"] in set(row["borders"]))
        weight = min(WEIGHTS["adopter-neighbour_cap"], WEIGHTS["adopter-neighbour"] * len(bordered))
        detail = _("borders {names}").format(names=", ".join(label[mid] for mid in bordered))
        evidence[row["id"]].append(models.Reason.model_construct(kind="adopter-neighbour", detail=detail, weight=weight))
    by_region: dict[str, list[str]] = defaultdict(list)
    for mid, row in holder_rows.items():
        by_region[row["region"]].append(mid)
    region_ids = [model.resolve(name, ("Region",)).id for name in sorted(by_region)]
    reason_of_region = {}
    for region, same in by_region.items():
        weight = min(WEIGHTS["adopter-region_cap"], WEIGHTS["adopter-region"] * len(same))
        detail = _("in {region}, like {names}").format(region=region, names=", ".join(label[mid] for mid in same))
        reason_of_region[region] = models.Reason.model_construct(kind="adopter-region", detail=detail, weight=weight)
    for mid, region in _region_members(model, region_ids).items():
        evidence[mid].append(reason_of_region[region])
    for mid, by_wp in _co_participants(model, ids).items():
        partners = sorted({name for group in by_wp.values() for name in group}, key=danish_key)
        weight = min(WEIGHTS["adopter-partner_cap"], WEIGHTS["adopter-partner"] * len(partners))
        where = ", ".join(sorted(by_wp, key=wp_sort_key))
        detail = _("already works with {names} in {codes}").format(names=", ".join(partners), codes=where)
        evidence[mid].append(models.Reason.model_construct(kind="adopter-partner", detail=detail, weight=weight))

    candidates = {c.name: c for c in (base.candidates if base else [])}
    extra = municipalities_by_id(model, [mid for mid in evidence if mid not in holders])
    merged = []
    for mid, row in extra.items():
        found = candidates.pop(row["name"], None)
        reasons = [*(found.reasons if found else []), *evidence[mid]]
        reasons.sort(key=lambda r: (-r.weight, r.kind, r.detail))
        score = round((found.score if found else 0.0) + sum(r.weight for r in evidence[mid]), 2)
        merged.append(
            models.Candidate.model_construct(
                code=row["code"], name=row["name"], region=row["region"], score=score, reasons=reasons
            )
        )
    holder_names = {row["name"] for row in holder_rows.values()}
    merged += [c for c in candidates.values() if c.name not in holder_names]
    merged.sort(key=lambda c: (-c.score, danish_key(c.name)))
    return models.Replication(
        target=models.Ref(id=node.id, kind=node.kind, name=node.name),
        work_packages=base.work_packages if base else [],
        themes=base.themes if base else [],
        pillars=base.pillars if base else [],
        participants=base.participants if base else [],
        holders=sorted((label[mid] for mid in holder_rows), key=danish_key),
        candidates=merged[:MAX_CANDIDATES],
    )
