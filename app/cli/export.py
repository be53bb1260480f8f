"""`lifeact export --format graphml|gexf|json|csv --output PATH [--force]`: the whole graph as a file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from app.cli import USAGE_ERROR, CommandFailed
from app.cli.output import check_output, write_output
from app.cli.progress import Progress, number
from app.explorer import open_loaded_store
from app.i18n import gettext as _
from app.services import exports
from app.settings import get_settings
from app.steps import Prefixed

GRAPH_CHANGED = 6  # a load replaced the graph during the export: nothing was written


def counted(stream: exports.ExportStream, progress: Progress) -> Iterator[bytes]:
    for chunk in stream:
        progress.advance(len(chunk))
        yield chunk


def cmd_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    fmt = exports.FORMATS.get(args.format) if args.format else exports.format_for_path(output)
    if fmt is None:
        message = _(
            "cannot tell the format from '{name}'; give --format ({formats}) "
            "or end the file name in .graphml, .gexf, .json or .zip"
        ).format(name=output.name, formats=", ".join(exports.FORMAT_NAMES))
        print(f"lifeact export: {message}", file=sys.stderr)
        return USAGE_ERROR
    check_output("export", output, fmt.filename, args.force)
    settings = get_settings()
    with Progress("export") as progress:
        handle = open_loaded_store(settings, Prefixed(progress, "seed: "))  # an empty store gets the seed first
        # Written as it is read, to a temporary file beside the output that takes its name at the end.
        stream = exports.ExportStream(handle.store, fmt.name)
        try:
            progress.begin(_("read and write {format}").format(format=fmt.name), unit="bytes")
            written = write_output("export", counted(stream, progress), output, args.force)
        except exports.GraphChanged as exc:
            message = _("{reason}; nothing was written ({expected})").format(reason=exc.message, expected=exc.expected)
            raise CommandFailed(GRAPH_CHANGED, f"lifeact export: {message}") from None
        finally:
            stream.close()  # a stream stopped by an error lets go of the generation it held
            handle.close()
    print(
        _("wrote {path} ({format}, {size} bytes): {nodes} nodes, {edges} edges from the {backend} store").format(
            path=written,
            format=fmt.name,
            size=number(stream.bytes),
            nodes=stream.nodes,
            edges=stream.edges,
            backend=settings.backend,
        )
    )
    if fmt.name == "csv" and written.suffix.lower() != ".zip":
        print(_("note: the csv export is a zip of nodes.csv and edges.csv; name it .zip to open it with a double-click"))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help=_("write the whole graph as GraphML, GEXF, node-link JSON or a zip of CSV files"),
        description=_(
            "Write every node and edge to a file for Gephi, yEd, Cytoscape, NetworkX or Excel. "
            "An empty store gets the seed first, as `lifeact serve` does."
        ),
    )
    parser.add_argument(
        "--format",
        choices=exports.FORMAT_NAMES,
        type=str.lower,
        help=_(
            "graphml, gexf, json (node-link) or csv (a zip of nodes.csv and edges.csv); "
            "default: from the --output suffix (.graphml, .gexf, .json, .zip)"
        ),
    )
    parser.add_argument("--output", "-o", required=True, metavar="PATH", help=_("file to write; its folder is created"))
    parser.add_argument("--force", action="store_true", help=_("replace PATH if it exists"))
    parser.set_defaults(func=cmd_export)
