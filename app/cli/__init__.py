"""The `lifeact` command. One module per command in this package, each with `register(subparsers)`
adding its sub-command and a `cmd_*` function that runs it; COMMANDS lists them in help order."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from pydantic import ValidationError

from app.graph.store import LoadVerificationError, StoreUnavailable
from app.seed import SeedError
from app.settings import get_settings

COMMANDS: list[str] = ["load", "serve", "stats", "export", "bench", "synth", "brief", "tokens", "knowledge"]

# Exit codes every command keeps to.
USAGE_ERROR = 2  # bad arguments or settings, or an invalid seed: nothing was done
LOAD_MISMATCH = 3  # the store did not keep what the loader wrote; the graph is unchanged
STORE_UNAVAILABLE = 4
OUTPUT_EXISTS = 5  # the file is there already and --force was not given


class CommandFailed(Exception):
    """A command stops with `message` (one line for stderr) and the exit code `code`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lifeact", description="LIFE ACT Knowledge Explorer")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"app.cli.{name}").register(commands)
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
        return USAGE_ERROR
    try:
        return args.func(args)
    except CommandFailed as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except SeedError as exc:
        print(f"lifeact: the seed is invalid, nothing was loaded: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except LoadVerificationError as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return LOAD_MISMATCH
    except StoreUnavailable as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return STORE_UNAVAILABLE
