"""`lifeact knowledge export --output DIR` and `lifeact knowledge import DIR`: the written
knowledge and its audit trail as reviewable, validated files (app/services/knowledge_backup.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import USAGE_ERROR, CommandFailed
from app.cli.load import print_report, run_load
from app.graph.factory import open_store
from app.i18n import gettext as _
from app.services.knowledge_backup import KnowledgeFileError, export_knowledge, read_knowledge
from app.settings import get_settings


def cmd_export(args: argparse.Namespace) -> int:
    handle = open_store(get_settings())
    try:
        counts = export_knowledge(handle.store, args.output)
    except KnowledgeFileError as exc:
        raise CommandFailed(USAGE_ERROR, f"lifeact: {exc}") from exc
    finally:
        handle.close()
    for relative, count in counts.items():
        print(f"{relative}\t{count}")
    print(_("exported the written knowledge into {path}").format(path=args.output))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        knowledge = read_knowledge(args.folder)  # refused here, naming file, line and field, before any store is touched
        report = run_load(args.folder)
    except KnowledgeFileError as exc:
        raise CommandFailed(USAGE_ERROR, f"lifeact: {exc}") from exc
    nodes = sum(knowledge.node_counts().values())
    rels = sum(knowledge.relationship_counts().values())
    line = _("imported {nodes} nodes, {relationships} relationships and {changes} change records from {path}")
    print(line.format(nodes=nodes, relationships=rels, changes=len(knowledge.changes), path=args.folder))
    print_report(report)
    return 0


def register(subparsers: Any) -> None:
    knowledge = subparsers.add_parser("knowledge", help=_("export or import the written knowledge and its audit trail"))
    commands = knowledge.add_subparsers(dest="knowledge_command", required=True)
    export = commands.add_parser("export", help=_("write every written fact and the audit trail as files, one per kind"))
    export.add_argument("--output", required=True, type=Path, help=_("a new folder, or an earlier export to replace"))
    export.set_defaults(func=cmd_export)
    load = commands.add_parser(
        "import", help=_("add an exported folder's knowledge (reloads the seed; facts already there are skipped)")
    )
    load.add_argument("folder", type=Path)
    load.set_defaults(func=cmd_import)
