"""`lifeact export --format graphml|gexf|json|csv --output PATH [--force]` (app.cli COMMAND_MODULES)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.explorer import open_loaded_store
from app.services import exports
from app.services.errors import ServiceError
from app.settings import get_settings

USAGE_ERROR = 2
OUTPUT_EXISTS = 5
GRAPH_CHANGED = 6


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
    # Check before opening the store, so a refusal costs nothing; save() checks again when writing.
    if output.is_dir():
        print(f"lifeact export: {output} is a folder; give a file path such as {output / fmt.filename}", file=sys.stderr)
        return USAGE_ERROR
    if output.exists() and not args.force:
        print(f"lifeact export: {output} already exists; nothing was written (--force replaces it)", file=sys.stderr)
        return OUTPUT_EXISTS
    settings = get_settings()
    handle = open_loaded_store(settings)
    # Written as it is read, to a temporary file beside the output that takes its name at the end.
    stream = exports.ExportStream(handle.store, fmt.name)
    try:
        written = exports.save(stream, output, force=args.force)
    except exports.OutputExists as exc:
        print(f"lifeact export: {exc.message} ({exc.expected})", file=sys.stderr)
        return OUTPUT_EXISTS
    except exports.GraphChanged as exc:
        print(f"lifeact export: {exc.message}; nothing was written ({exc.expected})", file=sys.stderr)
        return GRAPH_CHANGED
    except ServiceError as exc:
        print(f"lifeact export: {exc.message} ({exc.expected})", file=sys.stderr)
        return USAGE_ERROR
    except OSError as exc:
        print(f"lifeact export: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    finally:
        stream.close()  # a stream stopped by an error lets go of the generation it held
        handle.close()
    print(
        f"wrote {written} ({fmt.name}, {stream.bytes:,} bytes): "
        f"{stream.nodes} nodes, {stream.edges} edges from the {settings.backend} store"
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
