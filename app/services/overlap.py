"""What municipalities share: one pair, every pair, and the matrix for heatmaps."""

from __future__ import annotations

from app import models
from app.i18n import gettext as _
from app.i18n import ngettext
from app.services.entities import _theme_ref, municipalities_by_id, municipality_rows, work_package_facts, wp_sort_key
from app.services.errors import InvalidParameter
from app.services.read_model import ReadModel
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


def _pairs(model: ReadModel) -> list[models.OverlapPair]:
    def build() -> list[models.OverlapPair]:
        wps = {m["name"]: set(m["work_packages"]) for m in municipality_rows(model) if m["work_packages"]}
        pairs = [
            models.OverlapPair(
                a=row["a"],
                b=row["b"],
                a_region=row["a_region"],
                b_region=row["b_region"],
                shared_work_packages=sorted(row["shared"], key=wp_sort_key),
                jaccard=jaccard(wps[row["a"]], wps[row["b"]]),
            )
            for row in model.store.read("municipality_pairs")
        ]
        pairs.sort(key=lambda p: (-len(p.shared_work_packages), -p.jaccard, danish_key(p.a), danish_key(p.b)))
        return pairs

    return model.cached("overlap-pairs", build)


def overlaps(model: ReadModel, min_shared: int = 1, region: str | None = None) -> models.ListResponse[models.OverlapPair]:
    if min_shared < 1:
        raise InvalidParameter(
            _("{name}={value} is below 1").format(name="min_shared", value=min_shared), expected="min_shared ≥ 1"
        )
    pairs = [p for p in _pairs(model) if len(p.shared_work_packages) >= min_shared]
    if region is not None:
        name = model.resolve(region, ("Region",)).name
        pairs = [p for p in pairs if p.a_region == name and p.b_region == name]
    return models.ListResponse[models.OverlapPair](data=pairs, count=len(pairs))


def overlap_matrix(model: ReadModel, region: str | None = None) -> models.OverlapMatrix:
    name = model.resolve(region, ("Region",)).name if region is not None else None

    def build() -> models.OverlapMatrix:
        rows = [m for m in municipality_rows(model, name) if m["participating"]]
        rows.sort(key=lambda m: danish_key(m["name"]))
        sets = [set(m["work_packages"]) for m in rows]
        return models.OverlapMatrix(
            municipalities=[m["name"] for m in rows],
            shared=[[len(a & b) for b in sets] for a in sets],
            jaccard=[[jaccard(a, b) for b in sets] for a in sets],
        )

    return model.cached(("overlap-matrix", name), build)
