"""Municipality boundaries for the map view: a simplified copy of the DAGI 2014 GeoJSON,
projected to SVG path data once per process.

The copy in app/static/data/ is made from /work/shared/reference/kommuner-dagi-2014.geojson by
`python -m app.views.boundaries SOURCE` (Douglas–Peucker, then coordinates rounded to about 10 m).
It keeps every one of the 98 municipalities; 0411 Christiansø, which is no municipality, is left out.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.i18n import gettext as _
from app.paths import STATIC_DIR

BOUNDARY_FILE = STATIC_DIR / "data" / "kommuner-dagi-2014-simplified.geojson"
BOUNDARY_SOURCE = "Geodatastyrelsen og Danske Kommuner, FOT-datasæt (DAGI), 2014-02-13, 1:500.000, via Neogeografen/dagi"
BOUNDARY_CREDIT = f"Kommunegrænser: {BOUNDARY_SOURCE}"  # the Danish credit (pages show boundary_credit(), in their language)


def boundary_credit() -> str:
    return _("Municipal boundaries: {source}").format(source=BOUNDARY_SOURCE)


NOT_A_MUNICIPALITY = {"0411"}  # Christiansø: outside the division into municipalities

Ring = list[tuple[float, float]]


def _perpendicular(point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker on a closed ring (iterative, so long coastlines do not hit the recursion limit)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # A closed ring's first and last points coincide: split it at its farthest point first.
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            distance = _perpendicular(ring[i], ring[first], ring[last])
            if distance > best:
                best, index = distance, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(ring, keep, strict=True) if k]


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def build_simplified(source: Path, target: Path, tolerance: float = 0.0025) -> dict[str, int]:
    """Write the simplified copy; returns vertices before and after."""
    data = json.loads(source.read_text(encoding="utf-8"))
    features, before, after = [], 0, 0
    for feature in data["features"]:
        code = feature["properties"]["KOMKODE"]
        if code in NOT_A_MUNICIPALITY:
            continue
        polygons = []
        for polygon in _polygons(feature["geometry"]):
            rings = []
            for ring in polygon:
                before += len(ring)
                simple = [(round(x, 4), round(y, 4)) for x, y in simplify_ring([(p[0], p[1]) for p in ring], tolerance)]
                simple = [p for i, p in enumerate(simple) if i == 0 or p != simple[i - 1]]
                if len(simple) >= 4:
                    rings.append(simple)
            if rings:
                polygons.append(rings)
        if not polygons:  # an islet that simplifies away entirely: keep it unsimplified
            polygons = _polygons(feature["geometry"])
        after += sum(len(r) for p in polygons for r in p)
        features.append(
            {
                "type": "Feature",
                "properties": {"KOMKODE": code, "KOMNAVN": feature["properties"]["KOMNAVN"]},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    result = {
        "type": "FeatureCollection",
        "attribution": BOUNDARY_CREDIT + f"; simplified (Douglas–Peucker, {tolerance}°) for the LIFE ACT Knowledge Explorer",
        "features": features,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {"features": len(features), "vertices_before": before, "vertices_after": after}


# -- projection ------------------------------------------------------------------------------
# Equirectangular with the x axis shrunk by cos(56°): true enough at Denmark's scale.
LAT0 = 56.0
X_SCALE = math.cos(math.radians(LAT0))
PIXELS_PER_DEGREE = 160.0
# Bornholm (400) sits far east; like most Danish maps we draw it in a framed inset in the Kattegat.
INSET_CODE = 400
INSET_SHIFT = (-2.55, 2.0)


@dataclass(frozen=True)
class MunicipalityShape:
    code: int
    name: str
    path: str


@dataclass(frozen=True)
class ProjectedMap:
    shapes: tuple[MunicipalityShape, ...]
    width: float
    height: float
    inset_frame: tuple[float, float, float, float]  # x, y, width, height of Bornholm's frame


@lru_cache(maxsize=1)
def projected_map(path: Path = BOUNDARY_FILE) -> ProjectedMap:
    data = json.loads(path.read_text(encoding="utf-8"))
    raw: dict[int, tuple[str, list[list[tuple[float, float]]]]] = {}
    for feature in data["features"]:
        code = int(feature["properties"]["KOMKODE"])
        shift = INSET_SHIFT if code == INSET_CODE else (0.0, 0.0)
        rings = [
            [((p[0] + shift[0]) * X_SCALE, p[1] + shift[1]) for p in ring]
            for polygon in _polygons(feature["geometry"])
            for ring in polygon
        ]
        name, existing = raw.get(code, (feature["properties"]["KOMNAVN"], []))
        raw[code] = (name, existing + rings)
    xs = [x for _, rings in raw.values() for ring in rings for x, _ in ring]
    ys = [y for _, rings in raw.values() for ring in rings for _, y in ring]
    margin = 0.1
    min_x, max_y = min(xs) - margin, max(ys) + margin

    def to_svg(x: float, y: float) -> tuple[float, float]:
        return round((x - min_x) * PIXELS_PER_DEGREE, 1), round((max_y - y) * PIXELS_PER_DEGREE, 1)

    shapes = []
    for code, (name, rings) in sorted(raw.items()):
        parts = []
        for ring in rings:
            points = [to_svg(x, y) for x, y in ring]
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        shapes.append(MunicipalityShape(code=code, name=name, path="".join(parts)))
    inset = [to_svg(x, y) for x, y in raw[INSET_CODE][1][0]] if INSET_CODE in raw else [(0.0, 0.0)]
    bornholm = [to_svg(x, y) for ring in raw.get(INSET_CODE, ("", []))[1] for x, y in ring] or inset
    bx = [p[0] for p in bornholm]
    by = [p[1] for p in bornholm]
    frame = (min(bx) - 8, min(by) - 8, max(bx) - min(bx) + 16, max(by) - min(by) + 16)
    width = round((max(xs) + margin - min_x) * PIXELS_PER_DEGREE, 1)
    height = round((max_y - (min(ys) - margin)) * PIXELS_PER_DEGREE, 1)
    return ProjectedMap(shapes=tuple(shapes), width=width, height=height, inset_frame=frame)


if __name__ == "__main__":  # python -m app.views.boundaries /work/shared/reference/kommuner-dagi-2014.geojson
    print(build_simplified(Path(sys.argv[1]), BOUNDARY_FILE))
