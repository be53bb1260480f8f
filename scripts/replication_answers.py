"""Replication's answers and times for random targets, in a new process (README, "Benchmark").

    .venv/bin/python scripts/replication_answers.py /tmp/synth-k /tmp/answers-before.json 40
    (change the code)
    .venv/bin/python scripts/replication_answers.py /tmp/synth-k /tmp/answers-after.json 40
    cmp /tmp/answers-before.json /tmp/answers-after.json

Opens the store as the server does (a copy of it: the store may be open read-write once), asks
for the 100 best candidates of N random work packages and tasks (the same ones every run; `--kind
Theme --kind Solution` chooses among themes and solutions instead) in
Danish, prints the median, p90 and p95 of those times and the first five (the first pays the
facts read once per graph version), then asks them again in English and writes every answer to
OUT (sorted JSON), so that two runs can be compared byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from app.graph.embedded import EmbeddedStore
from app.i18n import use_language
from app.services import replication
from app.services.read_model import ReadModel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=40)
    parser.add_argument(
        "--kind",
        action="append",
        choices=("WorkPackage", "Task", "Theme", "Solution"),
        help="the kinds of target to choose from (repeat it; default: WorkPackage and Task)",
    )
    args = parser.parse_args()
    store = EmbeddedStore(args.store)
    try:
        model = ReadModel(store)
        names = model.names()
        targets = sorted(node.key for kind in args.kind or ("WorkPackage", "Task") for node in names.of_kind(kind))
        chosen = random.Random(11).sample(targets, min(args.count, len(targets)))
        times, answers = [], {}
        for language in ("da", "en"):
            for target in chosen:
                started = time.perf_counter()
                with use_language(language):
                    answer = replication.replication(model, target, limit=100)
                if language == "da":
                    times.append((time.perf_counter() - started) * 1000)
                answers[f"{language}:{target}"] = answer.model_dump(mode="json")
    finally:
        store.close()
    ordered = sorted(times)
    print(
        f"{len(times)} targets: median {statistics.median(times):.0f} ms, p90 {ordered[int(0.9 * len(times)) - 1]:.0f} ms, "
        f"p95 {ordered[int(0.95 * len(times)) - 1]:.0f} ms; the first five {[round(t) for t in times[:5]]}"
    )
    args.output.write_text(json.dumps(answers, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
