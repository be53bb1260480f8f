"""`lifeact load`: build or refresh the graph from seed/ (validated, then verified)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.progress import Progress, number
from app.cli.stats import print_counts
from app.graph import loader
from app.graph.factory import open_store
from app.graph.store import GraphStore, LoadReport
from app.i18n import gettext as _
from app.services.knowledge_backup import read_knowledge
from app.services.load_control import LoadRequest, ServerLock, hand_off
from app.services.read_model import ReadModel
from app.settings import get_settings


def index_names(store: GraphStore, progress: Progress) -> None:
    """Fold every name of the new graph now and save the index beside it, so that a server
    started on it is ready at once (it reads the snapshot instead of folding them itself)."""
    progress.begin("index names")
    progress.advance(len(ReadModel(store).names()))


def run_load(knowledge: Path | None = None) -> LoadReport:
    """The seed (and `knowledge`, an exported folder, for an import) loaded into the store: by the
    server that holds the embedded store when one runs (see app/services/load_control.py), else here."""
    settings = get_settings()
    server = ServerLock.holder(settings.embedded_path) if settings.backend == "embedded" else None
    if server is not None:
        holds = _("a server (pid {pid}) holds {path}; it does the load").format(pid=server.pid, path=settings.embedded_path)
        print(f"lifeact: {holds}", file=sys.stderr)
        return hand_off(server, LoadRequest(settings.seed_path, knowledge))
    extra = read_knowledge(knowledge) if knowledge is not None else None
    with Progress("load") as progress:
        handle = open_store(settings)
        try:
            report = loader.load(handle.store, settings.seed_path, settings.load_batch_size, steps=progress, extra=extra)
            index_names(handle.store, progress)
        finally:
            handle.close()
    return report


def print_report(report: LoadReport) -> None:
    print(
        _("loaded {rows} rows into the {backend} store in {seconds} s (generation {generation})").format(
            rows=number(report.rows),
            backend=get_settings().backend,
            seconds=number(report.seconds, "0.00"),
            generation=report.generation,
        )
    )
    print_counts(report.counts.nodes, report.counts.relationships)


def cmd_load(args: argparse.Namespace) -> int:
    print_report(run_load())
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    load = commands.add_parser("load", help=_("build or refresh the graph from seed/ (validated, verified)"))
    load.set_defaults(func=cmd_load)
