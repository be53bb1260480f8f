"""`lifeact tokens create|list|revoke`: who may write (works with or without a running server)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

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
    print(f"created {args.role} token {args.name!r}; it is shown once, store it now:")
    print(token)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    tokens = _file().list()
    if not tokens:
        print("no tokens")
    for t in tokens:
        state = f"revoked {t['revoked_at']}" if t.get("revoked_at") else "live"
        print(f"{t['name']}\t{t['role']}\tcreated {t['created_at']}\t{state}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    try:
        _file().revoke(args.name)
    except TokenError as exc:
        print(f"lifeact: {exc}", file=sys.stderr)
        return 2
    print(f"revoked {args.name!r}")
    return 0


def register(subparsers: Any) -> None:
    tokens = subparsers.add_parser("tokens", help="create, list and revoke write tokens")
    commands = tokens.add_subparsers(dest="tokens_command", required=True)
    create = commands.add_parser("create", help="create a token; printed once, alone on the last line")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.set_defaults(func=cmd_create)
    listing = commands.add_parser("list", help="every token's name, role and state (never the token)")
    listing.set_defaults(func=cmd_list)
    revoke = commands.add_parser("revoke", help="revoke a token; it stops working at once")
    revoke.add_argument("name")
    revoke.set_defaults(func=cmd_revoke)
