"""The search index reads only the head of each key's rows (a common word can match 100,000 names);
its answers must equal a plain reading of every row of the same index, on a graph where words are
shared a lot."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from app.graph.schema import LABELS
from app.services.index import NodeRef
from app.services.relationships import SearchIndex
from app.services.text import fold, natural_key

WORDS = ["Nørre", "Søndre", "Vester", "Øster", "Store", "Lille", "Ny", "Gammel"]
STEMS = ["Ålbæk", "Egeby", "Havnsø", "Skovlund", "Bjerg", "Vandløse", "Engehede", "Mølleby"]


def make_nodes(count: int, rng: random.Random) -> list[NodeRef]:
    nodes = []
    for i in range(1, count + 1):
        name = f"{rng.choice(WORDS)} {rng.choice(STEMS)}{rng.choice(['', 'holm', 'strup', ' by'])}"
        properties = {"name": name, "code": 1000 + i, "official_name": f"{name} Kommune"}
        nodes.append(NodeRef(id=f"municipality:{1000 + i}", kind="Municipality", name=name, properties=properties))
    for i in range(1, 30):
        name = f"Region {rng.choice(STEMS)} {i}"
        properties = {"name": name, "short_name": name.split()[1], "name_en": f"{name} Region"}
        nodes.append(NodeRef(id=f"region:{i}", kind="Region", name=name, properties=properties))
    return nodes


Rows = dict[str, list[tuple[NodeRef, str, bool]]]


def every_row_search(entries: Rows, query: str, limit: int) -> list[tuple[str, float, str]]:
    """The search as plainly as it can be written: every row offered, everything sorted."""
    keys = sorted(entries)
    key = fold(query)
    best: dict[str, tuple[float, NodeRef, str]] = {}

    def offer(node: NodeRef, alias: str, score: float) -> None:
        if node.id not in best or score > best[node.id][0]:
            best[node.id] = (round(score, 1), node, alias)

    for node, alias, whole in entries.get(key, []):
        offer(node, alias, 100.0 if whole else 95.0)
    for candidate in [k for k in keys if k.startswith(key)][:200]:
        for node, alias, whole in entries[candidate]:
            offer(node, alias, (85.0 if whole else 78.0) + 10.0 * len(key) / len(candidate))
    if len(key) >= 3:
        for candidate, score, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=70):
            for node, alias, _whole in entries[candidate]:
                offer(node, alias, score * 0.75)
    ranked = sorted(best.values(), key=lambda h: (-h[0], LABELS.index(h[1].kind), natural_key(h[1].name)))
    return [(node.id, score, alias) for score, node, alias in ranked[:limit]]


@pytest.fixture(scope="module")
def nodes() -> list[NodeRef]:
    return make_nodes(3_000, random.Random(11))


@pytest.fixture(scope="module")
def index(nodes: list[NodeRef]) -> SearchIndex:
    return SearchIndex(nodes)


@pytest.fixture(scope="module")
def rows(index: SearchIndex) -> Rows:
    return index.entries


@pytest.mark.parametrize("limit", [1, 3, 10, 50])
@pytest.mark.parametrize(
    "query", ["kommune", "nørre", "norre", "ost", "vester ålbæk", "alb", "egeby", "region", "Region Bjerg 7", "molleby", "havnso"]
)
def test_the_index_answers_as_reading_every_row_would(index: SearchIndex, rows: Rows, query: str, limit: int) -> None:
    got = [(hit.id, hit.score, hit.matched) for hit in index.search(query, limit)]
    assert got == every_row_search(rows, query, limit)
    assert got, "every query here has matches"
    if query == "kommune":  # in every official name: the page is always full
        assert len(got) == limit
