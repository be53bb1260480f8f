"""The lean name index: resolution, search that reads only the head of each key's positions
(a common word can match 100,000 names) and changes made in place, without a rebuild."""

from __future__ import annotations

import random
from typing import Any

import pytest
from rapidfuzz import fuzz, process

from app.graph.schema import LABELS
from app.services.errors import NotFound
from app.services.names import FUZZY_CUTOFF, NameIndex, aliases
from app.services.text import fold, natural_key

WORDS = ["Nørre", "Søndre", "Vester", "Øster", "Store", "Lille", "Ny", "Gammel"]
STEMS = ["Ålbæk", "Egeby", "Havnsø", "Skovlund", "Bjerg", "Vandløse", "Engehede", "Mølleby"]


def make_rows(count: int, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    for i in range(1, 30):
        name = f"Region {rng.choice(STEMS)} {i}"
        rows.append(("Region", {"id": f"region:{i}", "name": name, "short_name": name.split()[1], "name_en": f"{name} Region"}))
    for i in range(1, count + 1):
        name = f"{rng.choice(WORDS)} {rng.choice(STEMS)}{rng.choice(['', 'holm', 'strup', ' by'])}"
        rows.append(
            (
                "Municipality",
                {"id": f"municipality:{1000 + i}", "name": name, "code": 1000 + i, "official_name": f"{name} Kommune"},
            )
        )
    return rows


def every_row_search(rows: list[tuple[str, dict[str, Any]]], query: str, limit: int) -> list[tuple[str, float, str]]:
    """The search as plainly as it can be written: every (key, node, alias, whole) row offered, everything sorted."""
    entries: dict[str, list[tuple[str, str, str, bool]]] = {}
    for kind, row in rows:
        for alias in aliases(kind, row):
            whole = fold(alias)
            entries.setdefault(whole, []).append((row["id"], kind, alias, True))
            for word in alias.split():
                key = fold(word)
                if len(word) > 2 and key and key != whole:
                    entries.setdefault(key, []).append((row["id"], kind, alias, False))
    names = {row["id"]: row["name"] for _, row in rows}
    keys = sorted(entries)
    key = fold(query)
    best: dict[str, tuple[float, str, str, str]] = {}

    def offer(node_id: str, kind: str, alias: str, score: float) -> None:
        if node_id not in best or score > best[node_id][0]:
            best[node_id] = (round(score, 1), node_id, kind, alias)

    for node_id, kind, alias, whole in entries.get(key, []):
        offer(node_id, kind, alias, 100.0 if whole else 95.0)
    for candidate in [k for k in keys if k.startswith(key)][:200]:
        for node_id, kind, alias, whole in entries[candidate]:
            offer(node_id, kind, alias, (85.0 if whole else 78.0) + 10.0 * len(key) / len(candidate))
    if len(key) >= 3:
        for candidate, score, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=70):
            for node_id, kind, alias, _whole in entries[candidate]:
                offer(node_id, kind, alias, score * 0.75)
    ranked = sorted(best.values(), key=lambda h: (-h[0], LABELS.index(h[2]), natural_key(names[h[1]])))
    return [(node_id, score, alias) for score, node_id, _kind, alias in ranked[:limit]]


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, dict[str, Any]]]:
    return make_rows(3_000, random.Random(11))


@pytest.fixture(scope="module")
def index(rows: list[tuple[str, dict[str, Any]]]) -> NameIndex:
    return NameIndex.from_rows(rows)


@pytest.mark.parametrize("limit", [1, 3, 10, 50])
@pytest.mark.parametrize(
    "query", ["kommune", "nørre", "norre", "ost", "vester ålbæk", "alb", "egeby", "region", "Region Bjerg 7", "molleby", "havnso"]
)
def test_the_index_answers_as_reading_every_row_would(
    index: NameIndex, rows: list[tuple[str, dict[str, Any]]], query: str, limit: int
) -> None:
    got = [(node.id, score, matched) for score, node, matched in index.search(query, limit)]
    expected = every_row_search(rows, query, limit)
    assert got == expected
    assert got, "every query here has matches"
    if query == "kommune":  # in every official name: the page is always full
        assert len(got) == limit


@pytest.mark.parametrize("limit", [1, 5, 10, 25])
def test_typed_starts_and_typos_answer_as_reading_every_row_would(
    index: NameIndex, rows: list[tuple[str, dict[str, Any]]], limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What people type (the start of a name, or a name with a letter left out or changed): the
    page is the same whether the fuzzy pass runs or is skipped because the page is full already,
    and its nodes and scores are those of reading every row. (The name shown for a hit can differ
    from every_row_search's where two of a node's names tie: that plain version keeps the last.)"""
    rng = random.Random(limit)
    names = [row["name"] for _kind, row in rows]
    queries = []
    for name in rng.sample(names, 60):
        gap = rng.randrange(len(name))
        queries += [name[: rng.randint(3, len(name))], name[:gap] + name[gap + 1 :], name[:gap] + "q" + name[gap + 1 :]]
    pages = {query: [(node.id, score, matched) for score, node, matched in index.search(query, limit)] for query in queries}
    monkeypatch.setattr("app.services.names._page_is_full", lambda best, limit: False)
    for query, page in pages.items():
        assert page == [(node.id, score, matched) for score, node, matched in index.search(query, limit)], query
        assert [hit[:2] for hit in page] == [hit[:2] for hit in every_row_search(rows, query, limit)], query


def test_the_fuzzy_pass_is_skipped_only_when_the_page_is_full(index: NameIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_extract = process.extract

    def counting_extract(query: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return real_extract(query, *args, **kwargs)

    monkeypatch.setattr("app.services.names.process.extract", counting_extract)
    index.search("kommune", 10)  # in every official name: ten exact word matches
    index.search("vest", 10)  # the start of hundreds of names
    assert calls == []
    index.search("vestr", 10)  # a typo: nothing starts with it
    index.search("kommune", 5000)  # more than there are exact and starting matches
    assert calls == ["vestr", "kommune"]
    # two names start with "skovb"; a third is a close spelling, the last on a page of three
    small = NameIndex.from_rows(
        [
            ("Municipality", {"id": f"municipality:{code}", "name": name, "code": code, "official_name": f"{name} Kommune"})
            for code, name in [(1, "Skovby"), (2, "Skovbjerg"), (3, "Skavby"), (4, "Ålbæk")]
        ]
    )
    calls.clear()
    assert [node.name for _, node, _ in small.search("skovb", 2)] == ["Skovby", "Skovbjerg"] and calls == []
    assert [node.name for _, node, _ in small.search("skovb", 3)] == ["Skovby", "Skovbjerg", "Skavby"] and calls == ["skovb"]


def test_a_node_is_added_changed_and_removed_in_place(
    rows: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = NameIndex.from_rows(rows)
    monkeypatch.setattr(NameIndex, "from_store", lambda *a: pytest.fail("a change must not rebuild the index"))
    size = len(index)
    index.put("Municipality", {"id": "municipality:9001", "name": "Æblehavn", "code": 9001, "official_name": "Æblehavn Kommune"})
    assert len(index) == size + 1
    assert index.resolve("Aeblehavn").id == "municipality:9001"
    assert index.resolve("9001", ("Municipality",)).name == "Æblehavn"
    assert next(node.id for _, node, _ in index.search("æblehav", 3)) == "municipality:9001"
    index.put("Municipality", {"id": "municipality:9001", "name": "Pærehavn", "code": 9001, "official_name": "Pærehavn Kommune"})
    assert len(index) == size + 1
    assert index.resolve("Pærehavn").id == "municipality:9001"
    with pytest.raises(NotFound):
        index.resolve("Æblehavn")
    assert all(node.id != "municipality:9001" for _, node, _ in index.search("æblehavn", 10) if _ == 100.0)
    index.remove("municipality:9001")
    assert len(index) == size and index.get("municipality:9001") is None
    with pytest.raises(NotFound) as error:
        index.resolve("Pærehavn")
    assert "municipality:9001" not in [node.id for _, node, _ in index.search("pærehavn", 10)]
    assert isinstance(error.value.suggestions, list)


def test_unknown_names_get_close_suggestions_of_the_asked_kind(index: NameIndex, rows: list[tuple[str, dict[str, Any]]]) -> None:
    name = next(row["name"] for kind, row in rows if kind == "Municipality")
    with pytest.raises(NotFound) as error:
        index.resolve(name + "x", ("Region",))
    assert all(s.startswith("Region") for s in error.value.suggestions)
    with pytest.raises(NotFound) as error:
        index.resolve(name[:-1] + "q" + "zz", ("Municipality",))
    assert error.value.suggestions and not any(s.startswith("Region") for s in error.value.suggestions)


def test_the_length_prefilter_keeps_every_key_close_enough(index: NameIndex) -> None:
    """Only keys whose length can reach the cutoff are scored; none that does is left out."""
    rng = random.Random(11)
    keys = index._sorted_all
    queries = [k[: rng.randint(3, len(k))] + rng.choice(["", "e", "xq"]) for k in rng.sample(keys, 200) if len(k) >= 3]
    for query in [*queries, "abc", "kommune", "a" * 40]:
        choices = index._fuzzy_choices(query)
        close = {k for k in keys if fuzz.ratio(query, k) >= FUZZY_CUTOFF}
        assert close <= set(choices), (query, sorted(close - set(choices))[:5])
        # exactly the keys of a length that can reach it (7/13 to 13/7 of the query's length)
        assert set(choices) == {k for k in keys if len(query) * 7 <= len(k) * 13 and len(k) * 7 <= len(query) * 13}


def typed_queries(names: list[str], rng: random.Random, count: int) -> list[str]:
    """Starts of names, and names with a letter left out, changed or doubled; some with digits or other scripts."""
    queries = []
    for name in rng.sample(names, count):
        gap = rng.randrange(len(name))
        queries += [
            name[: rng.randint(3, len(name))],
            name[:gap] + name[gap + 1 :],
            name[:gap] + rng.choice("qxæ7Ω") + name[gap + 1 :],
            name + name[-1],
        ]
    return queries


def test_the_letter_filter_keeps_every_key_close_enough(
    index: NameIndex, rows: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys dropped by their letters alone could never reach the cutoff, and most keys are dropped."""
    monkeypatch.setattr("app.services.names.LETTER_FILTER_FROM", 0)
    rng = random.Random(5)
    kept = total = 0
    for query in [*typed_queries([row["name"] for _kind, row in rows], rng, 40), "kommune", "ΩΩΩ kommune", "a" * 40, "7000"]:
        key = fold(query)
        choices = index._fuzzy_choices(key)
        candidates = index._close_candidates(key)
        close = {k for k in choices if fuzz.ratio(key, k) >= FUZZY_CUTOFF}
        assert close <= set(candidates) <= set(choices), (query, sorted(close - set(candidates))[:5])
        kept, total = kept + len(candidates), total + len(choices)
    assert kept < total / 4, (kept, total)


@pytest.mark.parametrize("limit", [3, 10])
def test_search_pages_are_the_same_with_and_without_the_letter_filter(
    index: NameIndex, rows: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    queries = typed_queries([row["name"] for _kind, row in rows], random.Random(limit), 30)
    monkeypatch.setattr("app.services.names.LETTER_FILTER_FROM", 10**9)
    plain = {query: index.search(query, limit) for query in queries}
    monkeypatch.setattr("app.services.names.LETTER_FILTER_FROM", 0)
    for query, page in plain.items():
        assert index.search(query, limit) == page, query


def test_the_letter_counts_follow_every_change(rows: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    """A name added after the counts were made is found by a close spelling; a removed one is not."""
    monkeypatch.setattr("app.services.names.LETTER_FILTER_FROM", 0)
    index = NameIndex.from_rows(rows)
    assert index.search("vestr skovlundx", 10)  # makes the counts of the lengths it reaches
    index.put("Municipality", {"id": "municipality:9002", "name": "Qzyxholm", "code": 9002, "official_name": "Qzyxholm Kommune"})
    assert [node.id for _, node, _ in index.search("qzyxhlm", 3)][:1] == ["municipality:9002"]
    index.remove("municipality:9002")
    assert "municipality:9002" not in [node.id for _, node, _ in index.search("qzyxhlm", 3)]


def test_the_keys_by_length_follow_every_change(rows: list[tuple[str, dict[str, Any]]]) -> None:
    """put and remove keep the lengths' lists as a rebuild would make them (no rebuild per write)."""
    index = NameIndex.from_rows(rows)

    def rebuilt() -> dict[int, list[str]]:
        by_length: dict[int, list[str]] = {}
        for key in index._sorted_all:
            by_length.setdefault(len(key), []).append(key)
        return by_length

    def kept() -> dict[int, list[str]]:
        return {length: keys for length, keys in index._lengths().items() if keys}

    index.put(
        "Municipality",
        {"id": "municipality:9001", "name": "Æblehavnsbjergby", "code": 9001, "official_name": "Æblehavnsbjergby Kommune"},
    )
    assert kept() == rebuilt() and "aeblehavnsbjergby" in index._fuzzy_choices("aeblehavnsbjerg")
    index.put("Municipality", {"id": "municipality:9001", "name": "Pærehavn", "code": 9001, "official_name": "Pærehavn Kommune"})
    assert kept() == rebuilt()
    index.remove("municipality:9001")
    index.remove(rows[0][1]["id"])
    assert kept() == rebuilt()
    assert all(node.id != "municipality:9001" for _, node, _ in index.search("aeblehavnsbjergby", 5))


def test_nodes_put_one_by_one_answer_as_an_index_built_from_all_of_them(
    rows: list[tuple[str, dict[str, Any]]], tmp_path: Any
) -> None:
    """Each key's positions stay in rank order (kind, then name) through puts in any order, and a
    snapshot answers as the index it was saved from: the order is made from the node when needed,
    not kept beside it."""
    rng = random.Random(5)
    municipalities = [row for row in rows if row[0] == "Municipality"]
    late = rng.sample(municipalities, 300)
    late_ids = {row["id"] for _kind, row in late}
    index = NameIndex.from_rows([row for row in rows if row[1]["id"] not in late_ids])
    rng.shuffle(late)
    for kind, row in late:
        index.put(kind, row)
    renamed = []
    for kind, row in rng.sample(municipalities, 50):  # and some change their names
        name = f"{rng.choice(WORDS)} {rng.choice(STEMS)}sted"
        renamed.append((kind, {**row, "name": name, "official_name": f"{name} Kommune"}))
        index.put(*renamed[-1])
    final = {row["id"]: (kind, row) for kind, row in rows} | {row["id"]: (kind, row) for kind, row in renamed}
    rebuilt = NameIndex.from_rows(sorted(final.values(), key=lambda pair: LABELS.index(pair[0])))
    snapshot = tmp_path / "names.snapshot"
    index.save(snapshot, "v1")
    loaded = NameIndex.load(snapshot, "v1")
    assert loaded is not None and NameIndex.load(snapshot, "v2") is None
    queries = ["kommune", "nørre", "vester", "ålbæk", "bjerg", "ny", "skovlund by", "egebystrup", "vestr ålbk"]
    queries += [row["name"] for _kind, row in renamed[:10]] + [row["name"][:-2] for _kind, row in renamed[10:20]]
    for query in queries:
        for limit in (1, 10, 40):
            expected = [(node.id, score, matched) for score, node, matched in rebuilt.search(query, limit)]
            assert expected, query
            for built in (index, loaded):
                assert [(node.id, score, matched) for score, node, matched in built.search(query, limit)] == expected, query
    assert [hit[1].id for hit in index.search("kommune", 40)] == [hit[1].id for hit in rebuilt.search("kommune", 40)]
    by_id = {row["id"]: row for _kind, row in final.values()}
    for _kind, row in renamed:
        assert index.resolve(row["name"]).id in {i for i, r in by_id.items() if r["name"] == row["name"]}


def test_a_code_is_one_string_for_its_key_its_name_and_its_fold() -> None:
    index = NameIndex.from_rows(
        [("Municipality", {"id": "municipality:4321", "name": "Nyby", "code": 4321, "official_name": "Nyby Kommune"})]
    )
    node = index.get("municipality:4321")
    assert node is not None and node.key == "4321"
    (code_key,) = [key for key in index._whole if key == "4321"]
    assert code_key is node.key and any(alias is node.key for alias in index._aliases[0])
