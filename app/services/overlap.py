"""What municipalities share: one pair, every pair, and the matrix for heatmaps."""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from app import models
from app.i18n import gettext as _
from app.i18n import ngettext
from app.seed import work_package_id
from app.services.entities import (
    _theme_ref,
    municipalities_by_id,
    municipality_page,
    resolve_work_package,
    work_package_facts,
    wp_sort_key,
)
from app.services.errors import InvalidParameter
from app.services.paging import PageRequest, read_page
from app.services.read_model import NotReady, ReadModel, register_background
from app.services.text import danish_key


def jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return round(len(a & b) / len(union), 4) if union else 0.0


def overlap(model: ReadModel, a: str, b: str) -> models.Overlap:
    node_a = model.resolve(a, ("Municipality",))
    node_b = model.resolve(b, ("Municipality",))
    return model.cached(("overlap", node_a.id, node_b.id), lambda: _overlap(model, node_a.id, node_b.id))


def _overlap(model: ReadModel, id_a: str, id_b: str) -> models.Overlap:
    rows = municipalities_by_id(model, [id_a, id_b])
    row_a, row_b = rows[id_a], rows[id_b]
    set_a, set_b = set(row_a["work_packages"]), set(row_b["work_packages"])
    facts = work_package_facts(model, sorted(set_a | set_b))
    shared = sorted((row["code"] for row in model.store.read("shared_work_packages", {"a": id_a, "b": id_b})), key=wp_sort_key)
    themes_a, themes_b = (
        facts.reached_themes(sorted(set_a, key=wp_sort_key)),
        facts.reached_themes(sorted(set_b, key=wp_sort_key)),
    )
    shared_themes = [_theme_ref(t) for slug, t in sorted(themes_a.items()) if slug in themes_b]
    score = jaccard(set_a, set_b)
    name_a, name_b = row_a["name"], row_b["name"]
    if id_a == id_b:
        explanation = _("{a} was compared with itself: it takes part in {count} work packages.").format(
            a=name_a, count=len(set_a)
        )
    elif shared:
        explanation = ngettext(
            "{a} and {b} both take part in {count} work package ({codes}), {share} of the work packages either takes part in.",
            "{a} and {b} both take part in {count} work packages ({codes}), {share} of the work packages either takes part in.",
            len(shared),
        ).format(a=name_a, b=name_b, count=len(shared), codes=", ".join(shared), share=f"{score:.0%}")
    elif set_a or set_b:
        explanation = _("{a} and {b} share no work package.").format(a=name_a, b=name_b)
    else:
        explanation = _("{a} and {b} share no work package: neither takes part in LIFE ACT.").format(a=name_a, b=name_b)
    return models.Overlap(
        a=name_a,
        b=name_b,
        shared_work_packages=shared,
        shared_themes=shared_themes,
        only_a=sorted(set_a - set_b, key=wp_sort_key),
        only_b=sorted(set_b - set_a, key=wp_sort_key),
        jaccard=score,
        explanation=explanation,
    )


# The most municipalities a matrix covers: its cells grow with the square of them.
MATRIX_LIMIT = 60
RANKING = "overlap ranking"
# A request does not wait for the ranking: until it is ready the store answers the page.
RANKING_WAIT = 0.0


@dataclass(frozen=True)
class OverlapRanking:
    """Every sharing pair of the graph in /api/overlaps' order, computed once per graph version
    outside any request (ranking them in the store took 1.5 s at 100,000 municipalities, and every
    unscoped page asked for it). Compact: a pair is five numbers, its shared work packages an index
    into the distinct sets (161,138 pairs at that scale take about 3 MB)."""

    municipalities: list[tuple[str, str]]  # (name, region), indexed by a and b
    shared_sets: list[tuple[str, ...]]  # distinct sets of shared work package codes, indexed by shared
    a: array[int]
    b: array[int]
    shared: array[int]
    a_count: array[int]
    b_count: array[int]
    at_least: dict[int, int]  # min_shared -> how many pairs share at least that many (the ranking's prefix)

    def total(self, min_shared: int) -> int:
        return self.at_least.get(min_shared, 0)

    def pairs(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Rows as overlap_pair_page gives them, for positions start to stop of the ranking."""
        rows = []
        for i in range(start, min(stop, len(self.a))):
            (a, a_region), (b, b_region) = self.municipalities[self.a[i]], self.municipalities[self.b[i]]
            shared = list(self.shared_sets[self.shared[i]])
            rows.append({"a": a, "a_region": a_region, "b": b, "b_region": b_region, "shared": shared,
                         "a_count": self.a_count[i], "b_count": self.b_count[i]})  # fmt: skip
        return rows


def _overlap_ranking(model: ReadModel) -> OverlapRanking:
    """The unscoped ranking from every participation (one read of small rows), ranked here as
    overlap_pair_page ranks in the store: ranking all pairs in the store took LadybugDB 1.5 s and
    some 300 MB of working memory that its buffer pool keeps."""
    places: dict[str, int] = {}
    municipalities: list[tuple[str, str, str]] = []  # (code, name, region)
    members: dict[str, list[int]] = defaultdict(list)
    for row in model.store.read("overlap_participations"):
        place = places.setdefault(row["code"], len(places))
        if place == len(municipalities):
            municipalities.append((row["code"], row["name"], row["region"]))
        members[row["work_package"]].append(place)
    counts = [0] * len(municipalities)
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for code, places_in in members.items():
        for place in places_in:
            counts[place] += 1
        ordered = sorted(places_in, key=lambda place: municipalities[place][0])
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if municipalities[a][0] < municipalities[b][0]:
                    shared[(a, b)].append(code)
    ranked = sorted(
        shared.items(),
        key=lambda item: (
            -len(item[1]),
            counts[item[0][0]] + counts[item[0][1]],
            municipalities[item[0][0]][1],
            municipalities[item[0][1]][1],
        ),
    )
    sets: dict[tuple[str, ...], int] = {}
    columns: dict[str, array[int]] = {name: array("I") for name in ("a", "b", "shared", "a_count", "b_count")}
    sizes: dict[int, int] = defaultdict(int)
    for (a, b), codes in ranked:
        sizes[len(codes)] += 1
        columns["a"].append(a)
        columns["b"].append(b)
        columns["shared"].append(sets.setdefault(tuple(sorted(codes, key=wp_sort_key)), len(sets)))
        columns["a_count"].append(counts[a])
        columns["b_count"].append(counts[b])
    at_least, running = {}, 0
    for size in range(max(sizes, default=0), 0, -1):
        running += sizes.get(size, 0)
        at_least[size] = running
    return OverlapRanking([(name, region) for _, name, region in municipalities], list(sets), **columns, at_least=at_least)


register_background(RANKING, _overlap_ranking)


def overlaps(
    model: ReadModel, min_shared: int = 1, region: str | None = None, page: PageRequest | None = None
) -> models.Page[models.OverlapPair]:
    """One page of the pairs sharing at least `min_shared` work packages, most shared first,
    then by Jaccard. Unscoped, from the ranking computed once per graph version in the
    background (`OverlapRanking`); scoped to a region, or while the ranking for the current
    version is not ready, ranked and cut in the store (the same order, the same pairs)."""
    if min_shared < 1:
        raise InvalidParameter(
            _("{name}={value} is below 1").format(name="min_shared", value=min_shared), expected="min_shared ≥ 1"
        )
    page = page or PageRequest.first("overlaps")
    name = model.resolve(region, ("Region",)).name if region is not None else None
    params = {"any_region": name is None, "region": name or "", "min_shared": min_shared}

    def build() -> models.Page[models.OverlapPair]:
        ranking = _current_ranking(model) if name is None else None
        if ranking is not None:
            total = ranking.total(min_shared)
            rows = ranking.pairs(page.offset, min(page.offset + page.limit, total))
        else:
            rows, total = read_page(model, page, "overlap_pair_page", "overlap_pair_total", params)
        pairs = [
            models.OverlapPair(
                a=row["a"],
                b=row["b"],
                a_region=row["a_region"],
                b_region=row["b_region"],
                shared_work_packages=sorted(row["shared"], key=wp_sort_key),
                jaccard=round(len(row["shared"]) / (int(row["a_count"]) + int(row["b_count"]) - len(row["shared"])), 4),
            )
            for row in rows
        ]
        return page.page(pairs, total)

    return model.cached(("overlap-page", min_shared, name, page), build)


def _current_ranking(model: ReadModel) -> OverlapRanking | None:
    """The ranking of the current graph version, if it is computed; never an older one's (a
    write may have changed who takes part in what), and never waited for."""
    try:
        computed = model.background(RANKING, RANKING_WAIT)
    except NotReady:
        return None
    return None if computed.stale else computed.value


def overlap_matrix(
    model: ReadModel, region: str | None = None, work_package: str | None = None, names: str | list[str] | None = None
) -> models.OverlapMatrix:
    """Shared work packages and Jaccard between every two of a bounded set of municipalities:
    the participating ones (of a region, or all), a work package's, or the named ones; at most
    MATRIX_LIMIT, checked with a count before anything is read."""
    scopes = [k for k, v in (("region", region), ("work_package", work_package), ("names", names)) if v is not None]
    if len(scopes) > 1:
        raise InvalidParameter(
            _("{names} were both given").format(names=" + ".join(scopes)),
            expected=_("one of region, work_package and names"),
        )
    if names is not None:
        wanted = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        wanted = [n for n in wanted if n]
        if not wanted:
            raise InvalidParameter(_("names is empty"), expected="names=<municipality>,<municipality>,…")
        _check_matrix_size(len(dict.fromkeys(wanted)), "names")
        ids = list(dict.fromkeys(model.resolve(n, ("Municipality",)).id for n in wanted))
        return model.cached(
            ("overlap-matrix-names", tuple(ids)), lambda: _matrix(list(municipalities_by_id(model, ids).values()))
        )
    if work_package is not None:
        code = resolve_work_package(model, work_package)
        page = municipality_page(model, PageRequest(MATRIX_LIMIT), via=("work_package", work_package_id(code)))
        _check_matrix_size(page.total, _("work package {code}").format(code=code))
        return _matrix_of_page(model, page)
    name = model.resolve(region, ("Region",)).name if region is not None else None
    page = municipality_page(model, PageRequest(MATRIX_LIMIT), participating=True, region_name=name)
    _check_matrix_size(
        page.total,
        _("the participating municipalities of {region}").format(region=name) if name else _("the participating municipalities"),
    )
    return _matrix_of_page(model, page)


def _check_matrix_size(count: int, what: str) -> None:
    if count > MATRIX_LIMIT:
        raise InvalidParameter(
            _("the matrix of {what} would cover {count} municipalities, more than {limit}").format(
                what=what, count=count, limit=MATRIX_LIMIT
            ),
            expected=_(
                "at most {limit} municipalities: narrow it with region=<region>, work_package=<code> "
                "or names=<a>,<b>,… (up to {limit} names); /api/overlaps ranks every pair, a page at a time"
            ).format(limit=MATRIX_LIMIT),
        )


def _matrix_of_page(model: ReadModel, page: models.Page[models.MunicipalitySummary]) -> models.OverlapMatrix:
    return _matrix([{"name": m.name, "work_packages": m.work_packages} for m in page.data])


def _matrix(rows: list[dict[str, Any]]) -> models.OverlapMatrix:
    rows = sorted(rows, key=lambda m: danish_key(m["name"]))
    sets = [set(m["work_packages"]) for m in rows]
    return models.OverlapMatrix(
        municipalities=[m["name"] for m in rows],
        shared=[[len(a & b) for b in sets] for a in sets],
        jaccard=[[jaccard(a, b) for b in sets] for a in sets],
    )
