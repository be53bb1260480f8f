"""`lifeact bench [--quick] [--json PATH]`: runs the benchmark (app/benchmark/) and prints its table."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from app.benchmark.plan import FULL, QUICK, Profile
from app.benchmark.report import render_table
from app.benchmark.routes import ROUTE_BUDGETS, parse_budget
from app.benchmark.run import run
from app.cli.progress import Progress
from app.i18n import gettext as _


def cmd_bench(args: argparse.Namespace) -> int:
    profile = QUICK if args.quick else FULL
    overrides = {
        key: value
        for key, value in {
            "municipalities": args.municipalities,
            "regions": args.regions,
            "projects": args.projects,
            "http_seconds": args.http_seconds,
            "http_latency_requests": args.http_requests,
            "query_samples": args.samples,
            "scale_samples": args.samples,
        }.items()
        if value is not None
    }
    profile = Profile(**{**profile.__dict__, **overrides})
    try:
        budgets = dict(parse_budget(text) for text in args.budget)
    except ValueError as exc:
        print(f"lifeact bench: --budget: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request, whoever makes them
    with Progress("bench") as progress:
        result = run(profile, http=not args.no_http, scale=not args.no_scale, steps=progress, budgets=budgets)
    flags = [("--quick", args.quick), ("--no-http", args.no_http), ("--no-scale", args.no_scale)]
    result["command"] = "lifeact bench" + "".join(f" {flag}" for flag, on in flags if on)
    result["command"] += "".join(f" --{key.replace('_', '-')} {value}" for key, value in overrides.items())
    result["command"] += "".join(f" --budget {text}" for text in args.budget)
    print(render_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(_("JSON written to {path}").format(path=args.json))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    bench = commands.add_parser("bench", help=_("measure queries, HTTP endpoints, views, loads and EU scale; print a table"))
    bench.add_argument("--quick", action="store_true", help=_("fewer samples and shorter HTTP runs (same graph sizes)"))
    bench.add_argument("--json", type=Path, help=_("also write the results as JSON to this file"))
    bench.add_argument("--no-http", action="store_true", help=_("leave out seed-scale HTTP (the trivial app, every endpoint)"))
    bench.add_argument("--no-scale", action="store_true", help=_("leave out the synthetic-graph section"))
    bench.add_argument("--municipalities", type=int, help=_("scale section: synthetic municipalities"))
    bench.add_argument("--regions", type=int, help=_("scale section: synthetic regions"))
    bench.add_argument("--projects", type=int, help=_("scale section: synthetic projects"))
    bench.add_argument("--http-seconds", type=float, help=_("seconds of load per endpoint for throughput"))
    bench.add_argument("--http-requests", type=int, help=_("sequential requests per endpoint for latency"))
    bench.add_argument("--samples", type=int, help=_("calls per query or service for latency"))
    classes = ", ".join(
        f"{kind} {budget.ms:g} ms" + (f" / {budget.max_bytes // 1024} KB" if budget.max_bytes else "")
        for kind, budget in ROUTE_BUDGETS.items()
    )
    bench.add_argument(
        "--budget",
        action="append",
        default=[],
        metavar="CLASS=MS[:KB]",
        help=_("scale section, every GET route: the budget of a route class (default {classes})").format(classes=classes),
    )
    bench.set_defaults(func=cmd_bench)
