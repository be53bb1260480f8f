"""The `lifeact` command: load, serve, stats."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys

from pydantic import ValidationError

from app.graph import loader
from app.graph.factory import open_store
from app.graph.store import LoadVerificationError, StoreUnavailable
from app.seed import SeedError
from app.settings import get_settings

# Each module has `register(subparsers)`, adding its commands (bench, synth, export, brief …).
COMMAND_MODULES: list[str] = ["app.exports_cli", "app.bench", "app.synth", "app.brief", "app.tokens_cli"]


def cmd_load(args: argparse.Namespace) -> int:
    settings = get_settings()
    handle = open_store(settings)
    try:
        report = loader.load(handle.store, settings.seed_path, settings.load_batch_size)
    finally:
        handle.close()
    print(
        f"loaded {report.rows} rows into the {settings.backend} store in {report.seconds:.2f} s (generation {report.generation})"
    )
    _print_counts(report.counts.nodes, report.counts.relationships)
    return 0


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
    print(f"{settings.backend} store, generation {generation or '(empty: run `lifeact load`)'}")
    _print_counts(counts.nodes, counts.relationships)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    # The app's lifespan loads the seed into an empty store, so a first run needs nothing else.
    # uvicorn's own keep-alive (5 s) equals httpx's pool expiry: a connection idle for just that
    # long is closed by the server while the client sends on it, and the client sees a ReadError.
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=1,
        log_level=args.log_level,
        timeout_keep_alive=get_settings().keep_alive_seconds,
    )
    return 0


def _print_counts(nodes: dict[str, int], relationships: dict[str, int]) -> None:
    width = max(len(k) for k in [*nodes, *relationships])
    print("nodes:")
    for label, count in nodes.items():
        print(f"  {label:<{width}}  {count:>7}")
    print("relationships:")
    for rel_type, count in relationships.items():
        print(f"  {rel_type:<{width}}  {count:>7}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lifeact", description="LIFE ACT Knowledge Explorer")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="build or refresh the graph from seed/ (validated, verified)")
    load.set_defaults(func=cmd_load)
    serve = commands.add_parser("serve", help="start the API and views (loads the seed into an empty store first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(func=cmd_serve)
    stats = commands.add_parser("stats", help="nodes per label and relationships per type")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.set_defaults(func=cmd_stats)
    for module in COMMAND_MODULES:  # commands that live next to the code they drive
        importlib.import_module(module).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"])
            print(f"lifeact: the setting {name}={str(error.get('input'))[:60]!r} is not valid: {error['msg']}", file=sys.stderr)
        print('lifeact: see the "Settings" table in README.md for what each setting takes', file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except SeedError as exc:
        print(f"lifeact: the seed is invalid, nothing was loaded: {exc}", file=sys.stderr)
        return 2
    except LoadVerificationError as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return 3
    except StoreUnavailable as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return 4


if __name__ == "__main__":
    sys.exit(main())
