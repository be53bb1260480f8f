"""Indicators: what an observation measures. Data, not code (seed/indicators.yaml, and those an
admin adds): Danish and English names, a unit, the range a value must lie in, which direction is
better, and the scale (for `carl`, the readiness levels themselves)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from app.graph.schema import WRITTEN
from app.graph.store import ChangeRecord, WriteTx
from app.i18n import gettext as _
from app.seed import indicator_id
from app.services.errors import Conflict, InvalidParameter, NotFound
from app.services.knowledge import observations
from app.services.knowledge.writes import Strict, WriteVerificationError, absent, blank_row, empty_not_allowed, find
from app.services.paging import PageRequest, read_page
from app.services.read_model import ReadModel
from app.services.tokens import Principal

SEED_FILE = "seed/indicators.yaml"
FIELDS = ("slug", "name_da", "name_en", "unit", "min", "max", "better", "scale")


class IndicatorIn(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]{2,60}$")
    name_da: str = Field(min_length=2, max_length=200)
    name_en: str = Field(min_length=2, max_length=200)
    unit: str = Field(min_length=1, max_length=50)
    min: float = Field(allow_inf_nan=False)
    max: float = Field(allow_inf_nan=False)
    better: Literal["higher", "lower"]
    scale: str = Field(min_length=10, max_length=5000)

    @model_validator(mode="after")
    def ordered(self) -> IndicatorIn:
        if self.min >= self.max:
            raise ValueError(_("max ({max}) must be above min ({min})").format(max=f"{self.max:g}", min=f"{self.min:g}"))
        return self


class IndicatorPatch(Strict):
    name_da: str = absent(min_length=2, max_length=200)
    name_en: str = absent(min_length=2, max_length=200)
    unit: str = absent(min_length=1, max_length=50)
    min: float = absent(allow_inf_nan=False)
    max: float = absent(allow_inf_nan=False)
    better: Literal["higher", "lower"] = absent()
    scale: str = absent(min_length=10, max_length=5000)


def body(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "slug": node["slug"],
        "name_da": node["name_da"],
        "name_en": node["name_en"],
        "unit": node["unit"],
        "min": node["min_value"],
        "max": node["max_value"],
        "better": node["better"],
        "scale": node["scale"],
        "written": node.get("generation") == WRITTEN,
        "provenance": node.get("source"),
    }


def list_indicators(model: ReadModel, page: PageRequest | None = None) -> dict[str, Any]:
    """One page of indicators by slug (SKIP/LIMIT in the store)."""
    page = page or PageRequest.first("indicators")
    rows, total = read_page(model, page, "indicator_page", "indicator_total")
    return page.page([body(row["node"]) for row in rows], total).model_dump()


def get(model: ReadModel, key: str) -> dict[str, Any]:
    return body(find(model, key, "Indicator", "indicator")[1])


def _row(values: dict[str, Any], node_id: str, source: str) -> dict[str, Any]:
    return blank_row("Indicator") | {
        "id": node_id,
        "name": values["name_da"],
        "slug": values["slug"],
        "name_da": values["name_da"],
        "name_en": values["name_en"],
        "unit": values["unit"],
        "min_value": float(values["min"]),
        "max_value": float(values["max"]),
        "better": values["better"],
        "scale": values["scale"],
        "source": source,
    }


def _write(tx: WriteTx, row: dict[str, Any]) -> None:
    tx.run("merge_indicator_nodes", {"rows": [row], "generation": WRITTEN})
    stored = tx.run("node_by_id", {"id": row["id"]}, label="Indicator")
    if not stored or any(stored[0]["node"].get(k) != v for k, v in row.items() if k != "property_sources"):
        raise WriteVerificationError(f"the store did not keep indicator {row['id']}")


def _index(model: ReadModel, row: dict[str, Any]) -> None:
    model.names().put("Indicator", {k: row[k] for k in ("id", "name", "slug", "name_da", "name_en")})


def create(model: ReadModel, who: Principal, request: IndicatorIn) -> dict[str, Any]:
    node_id = indicator_id(request.slug)
    values = request.model_dump()

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        if tx.run("node_by_id", {"id": node_id}, label="Indicator"):
            raise Conflict(
                _("an indicator '{slug}' exists").format(slug=request.slug),
                expected=_("another slug"),
                suggestions=[request.slug],
            )
        row = _row(values, node_id, f"written by {who.name} through the API")
        _write(tx, row)
        return row, ChangeRecord(who.name, "create", node_id, None, values)

    row = model.store.write_transaction(write)
    _index(model, row)
    return get(model, node_id)


def update(model: ReadModel, who: Principal, key: str, request: IndicatorPatch) -> dict[str, Any]:
    ref, _stored = find(model, key, "Indicator", "indicator")
    changes = request.model_dump(exclude_unset=True)
    empty_not_allowed(changes, tuple(changes))

    def write(tx: WriteTx) -> tuple[dict[str, Any], ChangeRecord]:
        stored = tx.run("node_by_id", {"id": ref.id}, label="Indicator")
        if not stored:
            raise NotFound(_("no indicator '{key}'").format(key=key), expected=_("an indicator of GET /api/indicators"))
        node = stored[0]["node"]
        if node.get("generation") != WRITTEN:
            raise Conflict(
                _("indicator '{slug}' comes from the seed; change it in {file}").format(slug=node["slug"], file=SEED_FILE),
                expected=_("a written indicator"),
            )
        before = {k: v for k, v in body(node).items() if k in FIELDS}
        after = before | changes
        if after["min"] >= after["max"]:
            raise InvalidParameter(
                _("max ({max}) must be above min ({min})").format(max=f"{after['max']:g}", min=f"{after['min']:g}"),
                expected=_("min below max"),
            )
        outside = [
            r["observation"]["id"]
            for r in tx.run("observations_of", observations.series_params(indicator=ref.id))
            if not after["min"] <= r["observation"]["value"] <= after["max"]
        ]
        if outside:
            raise Conflict(
                _("{count} observations would lie outside the new range").format(count=len(outside)),
                expected=_("a range that holds them"),
                suggestions=outside[:5],
            )
        row = _row(after, ref.id, node.get("source") or "")
        _write(tx, row)
        return row, ChangeRecord(who.name, "update", ref.id, before, after)

    row = model.store.write_transaction(write)
    _index(model, row)
    return get(model, ref.id)
