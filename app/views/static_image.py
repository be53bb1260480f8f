"""SVG and PNG of a view for Word and PDF reports: drawn server-side with matplotlib (Agg) from the
same nodes and edges as the browser view, laid out by NetworkX, with a legend and a caption."""

from __future__ import annotations

import io
import textwrap
from functools import cache
from types import ModuleType

from app.i18n import gettext as _
from app.views.graphs import ViewGraph
from app.views.styles import DASHED_TYPES, KIND_STYLES, kind_label

LABEL_ALL_BELOW = 60  # larger graphs label only their centre and their best-connected nodes


@cache
def _matplotlib() -> ModuleType:
    """matplotlib, loaded the first time a picture is drawn (it costs a serving process ~60 MB)."""
    import matplotlib

    matplotlib.use("Agg")  # no display, no GUI toolkit: safe in a server thread
    import matplotlib.collections
    import matplotlib.figure
    import matplotlib.lines

    return matplotlib


def layout(graph: ViewGraph) -> dict[str, tuple[float, float]]:
    if graph.positioned:
        return {n["id"]: (n["x"], -n["y"]) for n in graph.nodes}
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in graph.nodes)
    g.add_edges_from((e["from"], e["to"]) for e in graph.edges)
    k = 1.6 / max(len(graph.nodes), 1) ** 0.5
    positions = nx.spring_layout(g, k=k, iterations=80, seed=7)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


def draw(graph: ViewGraph, image_format: str) -> bytes:
    """The view as SVG or PNG bytes."""
    if image_format not in ("svg", "png"):
        raise ValueError(f"unknown image format {image_format!r}")
    matplotlib = _matplotlib()
    Figure, LineCollection, Line2D = matplotlib.figure.Figure, matplotlib.collections.LineCollection, matplotlib.lines.Line2D
    positions = layout(graph)
    figure = Figure(figsize=(11, 8.5), dpi=120 if image_format == "png" else 72)
    axes = figure.add_axes((0.01, 0.13, 0.98, 0.8))
    axes.set_axis_off()
    figure.suptitle(graph.title, fontsize=14, x=0.01, ha="left")

    # edges first, one collection per line style
    for dashed in (False, True):
        segments = [
            (positions[e["from"]], positions[e["to"]])
            for e in graph.edges
            if (e["type"] in DASHED_TYPES) == dashed and e["from"] in positions and e["to"] in positions
        ]
        if segments:
            axes.add_collection(
                LineCollection(segments, colors="#9aa0a6", linewidths=0.6, linestyles="--" if dashed else "-", zorder=1)
            )
    for kind in graph.kinds:
        style = KIND_STYLES[kind]
        members = [n for n in graph.nodes if n["kind"] == kind]
        axes.scatter(
            [positions[n["id"]][0] for n in members],
            [positions[n["id"]][1] for n in members],
            s=[(n["size"] * 0.9) ** 2 / 2.5 for n in members],
            c=style.color,
            marker=style.marker,
            edgecolors="#333333",
            linewidths=0.4,
            zorder=2,
        )
    ranked = sorted(graph.nodes, key=lambda n: -n["degree"])
    labelled = {n["id"] for n in (ranked if len(ranked) < LABEL_ALL_BELOW else ranked[:25])}
    labelled |= {n["id"] for n in graph.nodes if n["kind"] == "Group"}  # "98 kommuner" says what the node is
    if graph.center:
        labelled.add(graph.center)
    for node in graph.nodes:
        if node["id"] in labelled:
            x, y = positions[node["id"]]
            axes.annotate(node["label"], (x, y), xytext=(0, -9), textcoords="offset points", ha="center", va="top", fontsize=6.5)
    axes.autoscale_view()
    axes.margins(0.05)

    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker=KIND_STYLES[k].marker,
            markersize=8,
            markerfacecolor=KIND_STYLES[k].color,
            markeredgecolor="#333333",
            label=kind_label(k),
        )
        for k in graph.kinds
    ]
    axes.legend(handles=handles, loc="upper right", fontsize=8, frameon=True, title=_("Legend"), title_fontsize=8)
    caption = graph.caption + " " + _("Size: number of connections. Source: LIFE ACT Knowledge Explorer.")
    figure.text(0.01, 0.02, "\n".join(textwrap.wrap(caption, 170)[:5]), fontsize=7.5, ha="left", va="bottom", color="#333333")

    buffer = io.BytesIO()
    metadata = {"Date": None} if image_format == "svg" else {"Software": None}
    # text stays text in the SVG: searchable, editable in Word, and a tenth of the size of glyph paths
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format=image_format, metadata=metadata)
    return buffer.getvalue()
