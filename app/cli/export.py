"""`lifeact export --format graphml|gexf|json|csv --output PATH [--force]`: the whole graph as a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import USAGE_ERROR
from app.cli.output import check_output, write_output
from app.cli.progress import Progress
from app.explorer import open_loaded_store
from app.services import exports
from app.settings import get_settings
from app.steps import Prefixed


def cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    fmt = exports.FORMATS.get(args.format) if args.format else exports.format_for_path(output)
    if fmt is None:
        print(
            f"lifeact export: cannot tell the format from '{output.name}'; give --format "
            f"({', '.join(exports.FORMAT_NAMES)}) or end the file name in .graphml, .gexf, .json or .zip",
            file=sys.stderr,
        )
        return USAGE_ERROR
    check_output("export", output, fmt.filename, args.force)
    settings = get_settings()
    with Progress("export") as progress:
        handle = open_loaded_store(settings, Prefixed(progress, "seed: "))  # an empty store gets the seed first
        try:
            progress.begin("read graph")
            graph = exports.collect(handle.store)
            progress.advance(len(graph.nodes) + len(graph.edges))
        finally:
            handle.close()
        progress.begin(f"encode {fmt.name}", unit="bytes")
        data = exports.render(graph, fmt.name)
        progress.advance(len(data))
        progress.begin("write file", total=len(data), unit="bytes")
        written = write_output("export", data, output, args.force)
        progress.advance(len(data))
    print(
        f"wrote {written} ({fmt.name}, {len(data):,} bytes): "
        f"{len(graph.nodes)} nodes, {len(graph.edges)} edges from the {settings.backend} store"
    )
    if fmt.name == "csv" and written.suffix.lower() != ".zip":
        print("note: the csv export is a zip of nodes.csv and edges.csv; name it .zip to open it with a double-click")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help="write the whole graph as GraphML, GEXF, node-link JSON or a zip of CSV files",
        description="Write every node and edge to a file for Gephi, yEd, Cytoscape, NetworkX or Excel. "
        "An empty store gets the seed first, as `lifeact serve` does.",
    )
    parser.add_argument(
        "--format",
        choices=exports.FORMAT_NAMES,
        type=str.lower,
        help="graphml, gexf, json (node-link) or csv (a zip of nodes.csv and edges.csv); "
        "default: from the --output suffix (.graphml, .gexf, .json, .zip)",
    )
    parser.add_argument("--output", "-o", required=True, metavar="PATH", help="file to write; its folder is created")
    parser.add_argument("--force", action="store_true", help="replace PATH if it exists")
    parser.set_defaults(func=cmd_export)
