"""The `lifeact` command. One module per command in this package, each with `register(subparsers)`
adding its sub-command and a `cmd_*` function that runs it; COMMANDS lists them in help order.

One language at a time: `--lang da|en` (before or after the command), else LIFEACT_LANGUAGE, else
the locale, else Danish (app.i18n.language_from_environment). It is chosen before the parser is
built, so the help texts, argparse's own words and every line a command prints follow it."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from app.api.errors import VALIDATION_MESSAGES
from app.cli import argparse_text
from app.graph.store import LoadVerificationError, StoreUnavailable
from app.i18n import LANGUAGES, language_from_environment, use_language
from app.i18n import gettext as _
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


def chosen_language(argv: Sequence[str]) -> str:
    """`--lang` if the command line gives a valid one, else the environment's choice. Read ahead of
    the real parser, which is built in this language; a wrong `--lang` is left for it to report."""
    ahead = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    ahead.add_argument("--lang")
    known, _rest = ahead.parse_known_args(list(argv))
    if known.lang in LANGUAGES:
        return str(known.lang)
    return language_from_environment(os.environ)


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    """`--lang` on the parser and every (sub-)command below it, so it may stand anywhere. It
    stores nothing (SUPPRESS): chosen_language read it already, and a command's default must not
    overwrite the one given before the command."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of what lifeact prints and writes (default: LIFEACT_LANGUAGE, else the locale, else da)"),
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                _add_language_option(child)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lifeact", description="LIFE ACT Knowledge Explorer")
    commands = parser.add_subparsers(dest="command", required=True, title=_("commands"))
    for name in COMMANDS:
        importlib.import_module(f"app.cli.{name}").register(commands)
    _add_language_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    arguments = sys.argv[1:] if argv is None else argv
    argparse_text.install()
    with use_language(chosen_language(arguments)):
        return _run(build_parser().parse_args(arguments))


def bad_setting(error: Any) -> str:
    """A setting pydantic refused, in the command's language: worded from the error's type as the
    API words its 422s (pydantic's own `msg` is English), with the values allowed where it has them."""
    name = ".".join(str(part) for part in error["loc"])
    value = repr(str(error.get("input"))[:60])
    known = VALIDATION_MESSAGES.get(error.get("type", ""))
    if known is None:
        return _("the setting {name}={value} is not valid: {reason}").format(name=name, value=value, reason=error["msg"])
    line = _("the setting {name}={value} {reason}").format(name=name, value=value, reason=_(known))
    allowed = str((error.get("ctx") or {}).get("expected", ""))
    if not allowed:
        return line
    head, _or, last = allowed.rpartition(" or ")  # pydantic's "'a', 'b' or 'c'": its "or" is English
    return line + "; " + _("one of {values}").format(values=f"{head}, {last}" if head else allowed)


def _run(args: argparse.Namespace) -> int:
    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            print(f"lifeact: {bad_setting(error)}", file=sys.stderr)
        print("lifeact: " + _('see the "Settings" table in README.md for what each setting takes'), file=sys.stderr)
        return USAGE_ERROR
    try:
        return args.func(args)
    except CommandFailed as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except SeedError as exc:
        print("lifeact: " + _("the seed is invalid, nothing was loaded: {reason}").format(reason=exc), file=sys.stderr)
        return USAGE_ERROR
    except LoadVerificationError as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return LOAD_MISMATCH
    except StoreUnavailable as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return STORE_UNAVAILABLE
