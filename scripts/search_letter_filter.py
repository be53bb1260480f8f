"""Search with and without the letter filter of close spellings, in one process (README, "Benchmark").

    .venv/bin/python scripts/search_letter_filter.py /tmp/synth-k 100

Opens the store (a copy of it: the store may be open read-write once), types N municipality
names as the bench does (the start of a name, or the name with a letter left out), and asks each
twice, with the filter on and off in random order (`LETTER_FILTER_FROM`), printing the median, p90
and p95 of each and how many pages were the same.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import app.services.names as names_module
from app.graph.embedded import EmbeddedStore
from app.services.read_model import ReadModel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=100)
    args = parser.parse_args()
    store = EmbeddedStore(args.store)
    try:
        index = ReadModel(store).names()
    finally:
        store.close()
    rng = random.Random(7)
    municipalities = [node.name for node in index.of_kind("Municipality")]
    queries = []
    for _ in range(args.count):
        name = rng.choice(municipalities)
        gap = rng.randrange(len(name))
        queries.append(name[: rng.randint(3, max(3, len(name) - 1))] if rng.random() < 0.5 else name[:gap] + name[gap + 1 :])
    threshold = names_module.LETTER_FILTER_FROM
    index.search("vestrsorting", 10)  # makes the letter counts, as the warm-up does on a server
    times: dict[str, list[float]] = {"filter on": [], "filter off": []}
    same = 0
    for query in queries:
        pages = {}
        for mode in rng.sample(sorted(times), 2):
            names_module.LETTER_FILTER_FROM = threshold if mode == "filter on" else 10**12
            started = time.perf_counter()
            pages[mode] = [(score, node.id, matched) for score, node, matched in index.search(query, 10)]
            times[mode].append((time.perf_counter() - started) * 1000)
        same += pages["filter on"] == pages["filter off"]
    names_module.LETTER_FILTER_FROM = threshold
    for mode, taken in times.items():
        taken.sort()
        print(
            f"{mode}: median {statistics.median(taken):.1f} ms, p90 {taken[int(0.9 * len(taken)) - 1]:.1f} ms, "
            f"p95 {taken[int(0.95 * len(taken)) - 1]:.1f} ms"
        )
    print(f"the same page for {same} of {len(queries)} queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
