"""What municipalities share: one pair, every pair, and the matrix for heatmaps."""

from __future__ import annotations

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


# The most municipalities a matrix covers: its cells grow with the square of them.
MATRIX_LIMIT = 60


def overlaps(
    model: ReadModel, min_shared: int = 1, region: str | None = None, page: PageRequest | None = None
) -> models.Page[models.OverlapPair]:
    """One page of the pairs sharing at least `min_shared` work packages, most shared first,
    then by Jaccard: ranked and cut in the store."""
    if min_shared < 1:
        raise InvalidParameter(
            _("{name}={value} is below 1").format(name="min_shared", value=min_shared), expected="min_shared ≥ 1"
        )
    page = page or PageRequest.first("overlaps")
    name = model.resolve(region, ("Region",)).name if region is not None else None
    params = {"any_region": name is None, "region": name or "", "min_shared": min_shared}

    def build() -> models.Page[models.OverlapPair]:
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
