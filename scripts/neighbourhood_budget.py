"""What a request's time budget costs a depth-2 neighbourhood (README, "Every request bounded").

    .venv/bin/python scripts/neighbourhood_budget.py /tmp/synth-copy [--ladybug-timeout] [--seed 11]

Opens a copy of a store (not one a server holds), then asks `--centres` new neighbourhoods, each
twice: under a budget as a request is, and without one, in alternating order. With
`--ladybug-timeout` the budget also sets LadybugDB's own query timeout on each query, as the store
did before (`Connection.set_query_timeout`), to compare the two ways of bounding a query.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

from app.graph import embedded
from app.graph.budget import Budget, limited
from app.graph.embedded import EmbeddedStore
from app.services import traversal
from app.services.read_model import ReadModel


def _with_ladybug_timeout() -> None:
    bounded = embedded._bounded

    @contextmanager
    def bounded_with_timeout(conn, budget: Budget) -> Iterator[None]:  # type: ignore[no-untyped-def]
        conn.set_query_timeout(max(1, int(budget.remaining() * 1000)))
        try:
            with bounded(conn, budget):
                yield
        finally:
            conn.set_query_timeout(0)

    embedded._bounded = bounded_with_timeout


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--centres", type=int, default=75)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--ladybug-timeout", action="store_true")
    args = parser.parse_args()
    if args.ladybug_timeout:
        _with_ladybug_timeout()
    model = ReadModel(EmbeddedStore(args.store))
    municipalities = [ref.name for ref in model.names().of_kind("Municipality")]
    centres = random.Random(args.seed).sample(municipalities, args.centres + 5)

    def ask(centre: str, budgeted: bool) -> float:
        started = time.perf_counter()
        with limited(Budget(10) if budgeted else None):
            traversal._neighbourhood(model, model.resolve(centre), 2, None, ())
        return (time.perf_counter() - started) * 1000

    for centre in centres[:5]:  # compile every text first
        ask(centre, True)
        ask(centre, False)
    times: dict[bool, list[float]] = {True: [], False: []}
    for i, centre in enumerate(centres[5:]):
        for budgeted in (True, False) if i % 2 else (False, True):
            times[budgeted].append(ask(centre, budgeted))
    for budgeted, label in ((False, "without a budget"), (True, "under a budget")):
        values = times[budgeted]
        print(
            f"{label:18} p50 {statistics.median(values):6.1f} ms  p95 {_percentile(values, 0.95):6.1f} ms"
            f"  mean {statistics.fmean(values):6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
