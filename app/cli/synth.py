"""`lifeact synth [--municipalities N] [--regions N] [--projects N] [--out DIR]`: a synthetic graph
(app/synth.py) bulk-loaded into an embedded store or Neo4j."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from app.cli.load import index_names
from app.cli.progress import Progress, number
from app.graph.bulk import bulk_load
from app.graph.embedded import EmbeddedStore
from app.graph.factory import StoreHandle, open_store
from app.i18n import gettext as _
from app.settings import get_settings
from app.synth import SynthSizes, synth_graph


def cmd_synth(args: argparse.Namespace) -> int:
    sizes = SynthSizes(args.municipalities, args.regions, args.projects)
    with Progress("synth") as progress:
        started = time.perf_counter()
        graph = synth_graph(sizes, seed=args.seed, steps=progress)
        built = time.perf_counter() - started
        progress.end()
        if args.neo4j:
            settings = get_settings().model_copy(update={"backend": "neo4j"})
            handle = open_store(settings)
            target = settings.neo4j_uri
        else:
            handle = StoreHandle(EmbeddedStore(Path(args.out)))
            target = str(args.out)
        try:
            report = bulk_load(handle.store, graph, steps=progress)  # bulk load, verify
            index_names(handle.store, progress)
        finally:
            handle.close()
    rows = graph.row_count()
    summary = {
        "sizes": sizes.__dict__,
        "seed": args.seed,
        "target": target,
        "generation": report.generation,
        "build_seconds": round(built, 3),
        "load_seconds": round(report.seconds, 3),
        "rows": rows,
        "rows_per_second": round(rows / report.seconds),
        "nodes": report.counts.nodes,
        "relationships": report.counts.relationships,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(
        _("built {rows} rows in {built} s; bulk-loaded into {target} in {seconds} s ({rate} rows/s), counts verified").format(
            rows=number(rows),
            built=number(built, "0.0"),
            target=target,
            seconds=number(report.seconds, "0.0"),
            rate=number(summary["rows_per_second"]),
        )
    )
    print(_("nodes:") + " " + ", ".join(f"{k} {v}" for k, v in report.counts.nodes.items()))
    print(_("relationships:") + " " + ", ".join(f"{k} {v}" for k, v in report.counts.relationships.items()))
    if not args.neo4j:
        print(_("serve it with:") + f" LIFEACT_EMBEDDED_PATH={args.out} lifeact serve")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    synth = commands.add_parser("synth", help=_("build a synthetic graph at national/EU scale and bulk-load it (verified)"))
    synth.add_argument("--municipalities", type=int, default=SynthSizes.municipalities)
    synth.add_argument("--regions", type=int, default=SynthSizes.regions)
    synth.add_argument("--projects", type=int, default=SynthSizes.projects)
    synth.add_argument("--seed", type=int, default=7, help=_("random seed: the same seed gives the same graph"))
    synth.add_argument("--out", type=Path, default=Path("data/synth"), help=_("embedded store folder to load into"))
    synth.add_argument("--neo4j", action="store_true", help=_("load into the Neo4j of NEO4J_URI instead (batched UNWIND)"))
    synth.add_argument("--json", action="store_true", help=_("print a JSON summary"))
    synth.set_defaults(func=cmd_synth)
