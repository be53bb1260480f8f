"""`lifeact stats [--json]`: nodes per label, relationships per type."""

from __future__ import annotations

import argparse
import json

from app.graph.factory import open_store
from app.i18n import gettext as _
from app.settings import get_settings


def cmd_stats(args: argparse.Namespace) -> int:
    settings = get_settings()
    handle = open_store(settings)
    try:
        counts = handle.store.counts()
        generation = handle.store.generation
    finally:
        handle.close()
    if args.json:
        print(
            json.dumps(
                {
                    "backend": settings.backend,
                    "generation": generation,
                    "nodes": counts.nodes,
                    "relationships": counts.relationships,
                },
                ensure_ascii=False,
            )
        )
        return 0
    shown = generation or _("(empty: run `lifeact load`)")
    print(_("{backend} store, generation {generation}").format(backend=settings.backend, generation=shown))
    print_counts(counts.nodes, counts.relationships)
    return 0


def print_counts(nodes: dict[str, int], relationships: dict[str, int]) -> None:
    width = max(len(k) for k in [*nodes, *relationships])
    print(_("nodes:"))
    for label, count in nodes.items():
        print(f"  {label:<{width}}  {count:>7}")
    print(_("relationships:"))
    for rel_type, count in relationships.items():
        print(f"  {rel_type:<{width}}  {count:>7}")


def register(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser("stats", help=_("nodes per label and relationships per type"))
    stats.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    stats.set_defaults(func=cmd_stats)
