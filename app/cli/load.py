"""`lifeact load`: build or refresh the graph from seed/ (validated, then verified)."""

from __future__ import annotations

import argparse

from app.cli.progress import Progress
from app.cli.stats import print_counts
from app.graph import loader
from app.graph.factory import open_store
from app.graph.store import GraphStore
from app.services.read_model import ReadModel
from app.settings import get_settings


def index_names(store: GraphStore, progress: Progress) -> None:
    """Fold every name of the new graph now and save the index beside it, so that a server
    started on it is ready at once (it reads the snapshot instead of folding them itself)."""
    progress.begin("index names")
    progress.advance(len(ReadModel(store).names()))


def cmd_load(args: argparse.Namespace) -> int:
    settings = get_settings()
    with Progress("load") as progress:
        handle = open_store(settings)
        try:
            report = loader.load(handle.store, settings.seed_path, settings.load_batch_size, steps=progress)
            index_names(handle.store, progress)
        finally:
            handle.close()
    print(
        f"loaded {report.rows} rows into the {settings.backend} store in {report.seconds:.2f} s (generation {report.generation})"
    )
    print_counts(report.counts.nodes, report.counts.relationships)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    load = commands.add_parser("load", help="build or refresh the graph from seed/ (validated, verified)")
    load.set_defaults(func=cmd_load)
