"""`lifeact brief --target T.9.1 --output brief.html [--limit 10] [--lang da|en] [--force]`: a
replication brief written to a file (the page itself is made in app/brief.py), in the command's language
(Danish unless --lang, LIFEACT_LANGUAGE or the locale chooses English)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.brief import DEFAULT_LIMIT, brief_filename, render_brief
from app.cli import USAGE_ERROR
from app.cli.output import check_output, write_output
from app.cli.progress import number
from app.explorer import open_loaded_store
from app.i18n import gettext as _
from app.services.errors import ServiceError
from app.services.read_model import ReadModel
from app.settings import get_settings


def cmd_brief(args: argparse.Namespace) -> int:
    output = Path(args.output).expanduser()
    check_output("brief", output, brief_filename(args.target), args.force)
    if not 1 <= args.limit <= 100:
        print("lifeact brief: " + _("--limit {limit} is out of range (1 to 100)").format(limit=args.limit), file=sys.stderr)
        return USAGE_ERROR
    settings = get_settings()
    handle = open_loaded_store(settings)
    try:
        model = ReadModel(handle.store)
        try:
            # in the command's language (--lang, LIFEACT_LANGUAGE, the locale), as everything it prints
            html = render_brief(model, args.target, args.limit)
        except ServiceError as exc:
            hint = "; " + _("did you mean: {names}").format(names=", ".join(exc.suggestions)) if exc.suggestions else ""
            expected = " (" + _("expected {expected}").format(expected=exc.expected) + ")" if exc.expected else ""
            print(f"lifeact brief: {exc.message}{expected}{hint}. " + _("Nothing was written."), file=sys.stderr)
            return USAGE_ERROR
    finally:
        handle.close()
    written = write_output("brief", html.encode("utf-8"), output, args.force)
    size = number(len(html.encode("utf-8")))
    print(_("wrote {path} ({size} bytes): replication brief for {target}").format(path=written, size=size, target=args.target))
    return 0


def _limit(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number (1 to 100)").format(text=text)) from None


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "brief",
        help=_("write a self-contained, printable replication brief (HTML) for a task, work package, theme or solution"),
        description=_(
            "One page for a replication target: the task and its work package, lead and partners, "
            "ranked candidates with reasons, the map, the network picture and the source of every fact. "
            "It opens offline and prints on A4. An empty store gets the seed first, as `lifeact serve` does."
        ),
    )
    parser.add_argument(
        "--target", "-t", required=True, help=_("a task (T.9.1), work package (WP9), theme (drought) or solution (living-labs)")
    )
    parser.add_argument(
        "--output", "-o", required=True, metavar="PATH", help=_("file to write (e.g. brief.html); its folder is created")
    )
    parser.add_argument("--limit", type=_limit, default=DEFAULT_LIMIT, help=_("candidates listed, 1 to 100 (default 10)"))
    parser.add_argument("--force", action="store_true", help=_("replace PATH if it exists"))
    parser.set_defaults(func=cmd_brief)
