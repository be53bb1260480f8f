"""`lifeact tokens create|list|revoke`: who may write (works with or without a running server)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.i18n import gettext as _
from app.services.tokens import ROLES, TokenError, TokenFile
from app.settings import get_settings


def _file() -> TokenFile:
    return TokenFile(get_settings().tokens_file)


def cmd_create(args: argparse.Namespace) -> int:
    try:
        token = _file().create(args.name, args.role)
    except TokenError as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return 2
    print(_("created {role} token {name}; it is shown once, store it now:").format(role=args.role, name=repr(args.name)))
    print(token)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    tokens = _file().list()
    if not tokens:
        print(_("no tokens"))
    for t in tokens:
        state = _("revoked {when}").format(when=t["revoked_at"]) if t.get("revoked_at") else _("live")
        created = _("created {when}").format(when=t["created_at"])
        print(f"{t['name']}\t{t['role']}\t{created}\t{state}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    try:
        _file().revoke(args.name)
    except TokenError as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return 2
    print(_("revoked {name}").format(name=repr(args.name)))
    return 0


def register(subparsers: Any) -> None:
    tokens = subparsers.add_parser("tokens", help=_("create, list and revoke write tokens"))
    commands = tokens.add_subparsers(dest="tokens_command", required=True)
    create = commands.add_parser("create", help=_("create a token; printed once, alone on the last line"))
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.set_defaults(func=cmd_create)
    listing = commands.add_parser("list", help=_("every token's name, role and state (never the token)"))
    listing.set_defaults(func=cmd_list)
    revoke = commands.add_parser("revoke", help=_("revoke a token; it stops working at once"))
    revoke.add_argument("name")
    revoke.set_defaults(func=cmd_revoke)
