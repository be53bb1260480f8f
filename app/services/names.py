"""The lean name index: what a process keeps of the graph, and nothing more.

For every node it holds the id, the kind, the name and the other names people call it by
(codes, official names, slugs, Danish and English titles), folded so that `Kobenhavn`,
`københavn` and `Koebenhavn` meet. It resolves what people type to one node, suggests
close matches when nothing fits, and ranks search hits. It holds no properties and no
relationships: the store answers every graph question.

A change to one node (`put`, `remove`) updates it in place; only a new load rebuilds it.
"""

from __future__ import annotations

import bisect
import os
import pickle
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from app.graph.schema import LABELS
from app.graph.store import GraphStore
from app.i18n import N_
from app.i18n import gettext as _
from app.services.errors import InvalidParameter, NotFound
from app.services.text import clean_input, fold, natural_key, shorten

# Older or other spellings found in the sources' cross-checks (shared/reference/SOURCES.md).
MUNICIPALITY_ALIASES = {
    480: ["Nordfyn", "Nordfyn Kommune"],
    820: ["Vesthimmerland", "Vesthimmerland Kommune"],
    810: ["Brønderslev-Dronninglund"],
    751: ["Århus Kommune"],
}

KIND_WORDS = {
    "Region": N_("region"),
    "Municipality": N_("municipality"),
    "Programme": N_("programme"),
    "Organisation": N_("organisation"),
    "WorkPackage": N_("work package"),
    "Task": N_("task"),
    "Theme": N_("theme"),
    "Solution": N_("solution"),
    "Adoption": N_("adoption"),
    "Observation": N_("observation"),
    "Indicator": N_("indicator"),
    "Resource": N_("resource"),
}

# The named query that reads each label's names (cypher/names.cypher).
NAME_QUERIES = {label: f"names_{label.lower()}" for label in LABELS}
# The property that identifies a node of each label in URLs and API answers.
IDENTIFIER = {
    "Municipality": "code",
    "WorkPackage": "code",
    "Task": "code",
    "Theme": "slug",
    "Programme": "key",
    "Organisation": "key",
    "Region": "name",
    "Solution": "slug",
    "Indicator": "slug",
    "Resource": "slug",
    "Adoption": "id",
    "Observation": "id",
}


@dataclass(frozen=True, slots=True)
class NodeRef:
    """A node as the index knows it: `key` is its code, slug or key (the region's name for a region)."""

    id: str
    kind: str
    name: str
    key: str


def aliases(kind: str, row: dict[str, Any]) -> list[str]:
    """Every name a node is called by, its own name first, from a row of its names query."""
    names: list[Any] = [row["name"]]
    if kind == "Municipality":
        code = int(row["code"])
        names += [str(code), f"{code:04d}", row["official_name"], f"{row['name']} Kommune", *MUNICIPALITY_ALIASES.get(code, [])]
    elif kind == "Region":
        names += [row["short_name"], row["name_en"]]
    elif kind == "WorkPackage":
        names += [row["code"], str(row["number"]), row["title_da"], row["title_en"]]
    elif kind == "Task":
        names += [row["code"], row["code"].removeprefix("T."), row["title_da"], row["title_en"]]
    elif kind == "Theme":
        names += [row["slug"], row["name_da"], row["name_en"]]
    elif kind in ("Solution", "Resource"):
        names += [row["slug"]]
    elif kind == "Indicator":
        names += [row["slug"], row["name_da"], row["name_en"]]
    elif kind in ("Organisation", "Programme"):
        names += [row["key"], row.get("full_name")]
    return list(dict.fromkeys(str(n) for n in names if n))


def _add(table: dict[str, Any], key: str, position: int) -> None:
    """Positions per key: an int while there is one (most keys), a list once there are more."""
    present = table.get(key)
    if present is None:
        table[key] = position
    elif isinstance(present, int):
        if present != position:
            table[key] = [present, position]
    elif present[-1] != position:  # positions only grow: a node's keys are added together
        present.append(position)


def _positions(value: int | list[int] | None) -> list[int]:
    if value is None:
        return []
    return [value] if isinstance(value, int) else value


# The least fuzz.ratio (0-100) a close spelling needs to be offered.
FUZZY_CUTOFF = 70
# A close spelling's score is its ratio times this: at most 75, under every exact match (100, 95)
# and every start of a name or word (78 and up).
FUZZY_WEIGHT = 0.75


def _length_window(length: int) -> range:
    """The key lengths that can reach FUZZY_CUTOFF against a key of `length` (see _fuzzy_choices)."""
    low = -(-length * FUZZY_CUTOFF // (200 - FUZZY_CUTOFF))  # ceil(len · 70 / 130)
    high = length * (200 - FUZZY_CUTOFF) // FUZZY_CUTOFF  # floor(len · 130 / 70)
    return range(low, high + 1)


def _page_is_full(best: dict[int, tuple[float, int, str]], limit: int) -> bool:
    """Close spellings score at most 100 · FUZZY_WEIGHT: when `limit` hits already score more,
    none could change the page, so the costly fuzzy pass (40-110 ms over 250,000 keys at EU
    scale) is left out. A typed start of a name usually fills the page."""
    return sum(1 for hit in best.values() if hit[0] > 100 * FUZZY_WEIGHT) >= limit


# The fuzzy pass first drops the keys that cannot reach FUZZY_CUTOFF by their letters alone: the
# letters two keys share (each as often as both have it) bound their longest common subsequence,
# and fuzz.ratio is 200 · that subsequence / (the sum of their lengths). At EU scale this keeps about
# 2 % of the 140,000-250,000 keys of the right lengths: 12 ms instead of 70 ms for a typed name.
# Below this many keys of the right lengths the whole pass takes a few ms and the filter (numpy,
# 9 MB once imported; the letter counts, 40 bytes a key) is not worth its memory.
LETTER_FILTER_FROM = 20_000
_LETTER_BUCKETS = "abcdefghijklmnopqrstuvwxyz0123456789"
_OTHER_BUCKETS = 4  # any other character: one of these, by code point (sharing one only loosens the bound)
_BUCKET_COUNT = len(_LETTER_BUCKETS) + _OTHER_BUCKETS


def _bucket(code_point: int) -> int:
    position = _LETTER_BUCKETS.find(chr(code_point))
    return position if position >= 0 else len(_LETTER_BUCKETS) + code_point % _OTHER_BUCKETS


class _LetterCounts:
    """Per key of one length, how often each letter bucket occurs (uint8: keys of at most 255
    characters); made when a search first needs that length, dropped when its keys change."""

    def __init__(self, keys: list[str], length: int) -> None:
        import numpy as np

        self.keys = keys
        if not keys:
            self.counts = np.zeros((0, _BUCKET_COUNT), dtype=np.uint8)
            return
        code_points = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).reshape(len(keys), length)
        table = np.array([_bucket(c) for c in range(128)], dtype=np.int64)
        others = len(_LETTER_BUCKETS) + code_points % _OTHER_BUCKETS
        buckets = np.where(code_points < 128, table[np.minimum(code_points, 127)], others)
        cells = (np.arange(len(keys), dtype=np.int64)[:, None] * _BUCKET_COUNT + buckets).ravel()
        self.counts = np.bincount(cells, minlength=len(keys) * _BUCKET_COUNT).reshape(len(keys), _BUCKET_COUNT).astype(np.uint8)

    def reaching(self, wanted: Any, query_length: int, length: int) -> list[str]:
        """The keys whose shared letters with the query (`wanted`: its bucket counts) can reach the cutoff."""
        import numpy as np

        shared = np.minimum(self.counts, wanted).sum(axis=1, dtype=np.int64)
        # 200 · shared >= FUZZY_CUTOFF · (query + key length), less one: never drop a key on a rounding
        keep = np.flatnonzero(200 * shared >= FUZZY_CUTOFF * (query_length + length) - 1)
        keys = self.keys
        return [keys[i] for i in keep.tolist()]


class NameIndex:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._nodes: list[NodeRef | None] = []  # by position; None once removed
        self._aliases: list[tuple[str, ...]] = []
        self._position: dict[str, int] = {}
        self._whole: dict[str, Any] = {}  # fold of a whole name -> positions
        self._words: dict[str, Any] = {}  # fold of one word of a name -> positions
        self._sorted_whole: list[str] = []
        self._sorted_all: list[str] = []
        self._word_folds: dict[str, str] = {}  # while building: words repeat ("Kommune", "Nørre")
        self._by_length: dict[int, list[str]] | None = None  # _sorted_all by length, made when first needed
        self._letter_counts: dict[int, _LetterCounts] = {}  # by length, made when a large search first needs it

    # -- building and changing ---------------------------------------------------------
    @classmethod
    def from_store(cls, store: GraphStore) -> NameIndex:
        return cls.from_rows((label, row) for label in LABELS for row in store.read(NAME_QUERIES[label]))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, dict[str, Any]]]) -> NameIndex:
        """From (kind, row of that kind's names query) pairs, in kind order."""
        index = cls()
        for kind, row in rows:
            index._insert(kind, row)
        index._finish()
        return index

    def _insert(self, kind: str, row: dict[str, Any]) -> int:
        names = aliases(kind, row)
        key = row.get(IDENTIFIER[kind])
        key_text = str(key) if key is not None else row["id"]
        # one string object per text: a code is the key, an alias and its own fold (about 10 MB at EU scale)
        key_text = next((alias for alias in names if alias == key_text), key_text)
        node = NodeRef(row["id"], kind, row["name"], key_text)
        position = len(self._nodes)
        self._nodes.append(node)
        self._aliases.append(tuple(names))
        self._position[node.id] = position
        words = self._word_folds
        for alias in names:
            whole = fold(alias)
            if not whole:
                continue
            _add(self._whole, alias if whole == alias else whole, position)
            if " " not in alias:
                continue  # one word: its fold is the whole's
            for word in alias.split():
                folded = words.get(word)
                if folded is None:
                    folded = words[word] = fold(word)
                if len(word) > 2 and folded and folded != whole:
                    _add(self._words, folded, position)
        return position

    def _rank(self, position: int) -> tuple[Any, ...]:
        """Search ties and the order of each key's positions: kind, then name in natural order, then
        id, so that the order depends on the nodes alone, never on the order they were written in
        (an index updated by writes answers as one rebuilt from the store). Made when asked, not
        kept: it was a tuple and a folded name per node (23 MB at EU scale)."""
        node = self._nodes[position]
        assert node is not None, "a removed node is in no key's positions"
        name = node.name
        return (
            LABELS.index(node.kind),
            natural_key(name) if any(c.isdigit() for c in name) else (fold(name),),
            natural_key(node.id),
        )

    def _finish(self) -> None:
        rank: dict[int, tuple[Any, ...]] = {}  # while sorting: only the positions that share a key

        def rank_of(position: int) -> tuple[Any, ...]:
            found = rank.get(position)
            if found is None:
                found = rank[position] = self._rank(position)
            return found

        for table in (self._whole, self._words):
            for positions in table.values():
                if isinstance(positions, list):
                    positions.sort(key=rank_of)
        self._sorted_whole = sorted(self._whole)
        self._sorted_all = sorted(set(self._whole) | set(self._words))
        self._by_length = None
        self._letter_counts = {}
        self._lengths()  # now, not on the first search
        self._word_folds = {}

    # -- a snapshot beside the store, so that a restart does not fold every name again ----------
    SNAPSHOT_FORMAT = 2

    def save(self, path: Path, version: str) -> None:
        """Write the index for graph `version` to `path` (atomically; a failure only costs a rebuild)."""
        with self._lock:
            state = (
                self.SNAPSHOT_FORMAT,
                version,
                [None if n is None else (n.id, n.kind, n.name, n.key) for n in self._nodes],
                self._aliases,
                self._whole,
                self._words,
                self._sorted_whole,
                self._sorted_all,
            )
            data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path, version: str) -> NameIndex | None:
        """The index saved for exactly this graph `version`, or None (missing, stale or unreadable)."""
        try:
            state = pickle.loads(path.read_bytes())  # our own file, written by save() beside the store
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(state, tuple) or len(state) != 8 or state[0] != cls.SNAPSHOT_FORMAT or state[1] != version:
            return None
        index = cls()
        nodes = state[2]
        index._aliases, index._whole, index._words, index._sorted_whole, index._sorted_all = state[3:]
        index._nodes = [None if n is None else NodeRef(*n) for n in nodes]
        index._position = {n.id: i for i, n in enumerate(index._nodes) if n is not None}
        index._lengths()
        return index

    def put(self, kind: str, row: dict[str, Any]) -> None:
        """Add a node, or replace what the index knows of it (after a write)."""
        with self._lock:
            self.remove(row["id"])
            position = self._insert(kind, row)
            for table, keys in ((self._whole, self._sorted_whole), (self._words, None)):
                for key in self._keys_of(position, table):
                    listed = table[key]
                    if isinstance(listed, list):
                        listed.remove(position)
                        bisect.insort(listed, position, key=self._rank)
                    if keys is not None:
                        self._insort_key(keys, key)
                    self._insort_key(self._sorted_all, key)
                    if self._by_length is not None:
                        self._insort_key(self._by_length.setdefault(len(key), []), key)
                    self._letter_counts.pop(len(key), None)

    def remove(self, node_id: str) -> None:
        with self._lock:
            position = self._position.pop(node_id, None)
            if position is None:
                return
            dropped: set[str] = set()
            for table in (self._whole, self._words):
                for key in self._keys_of(position, table):
                    listed = _positions(table[key])
                    rest = [p for p in listed if p != position]
                    if rest:
                        table[key] = rest if len(rest) > 1 else rest[0]
                    else:
                        del table[key]
                        dropped.add(key)
            self._nodes[position] = None
            self._sorted_whole = [k for k in self._sorted_whole if k in self._whole] if self._sorted_whole else []
            self._sorted_all = [k for k in self._sorted_all if k in self._whole or k in self._words]
            for key in dropped:
                bucket = self._by_length.get(len(key)) if self._by_length is not None else None
                if bucket is not None and key not in self._whole and key not in self._words:
                    at = bisect.bisect_left(bucket, key)
                    if at < len(bucket) and bucket[at] == key:
                        del bucket[at]
                self._letter_counts.pop(len(key), None)

    def _keys_of(self, position: int, table: dict[str, Any]) -> Iterator[str]:
        for alias in self._aliases[position]:
            whole = fold(alias)
            if table is self._whole:
                if whole and position in _positions(table.get(whole)):
                    yield whole
                continue
            for word in alias.split():
                folded = fold(word)
                if folded and position in _positions(table.get(folded)):
                    yield folded

    @staticmethod
    def _insort_key(keys: list[str], key: str) -> None:
        at = bisect.bisect_left(keys, key)
        if at == len(keys) or keys[at] != key:
            keys.insert(at, key)

    # -- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._position)

    def get(self, node_id: str) -> NodeRef | None:
        position = self._position.get(node_id)
        return self._nodes[position] if position is not None else None

    def find(self, key: str, kind: str) -> NodeRef | None:
        """The node of `kind` whose code, slug or key is exactly `key`, if there is one."""
        for node in self._nodes_at(_positions(self._whole.get(fold(key))), (kind,)):
            if node.key == key:
                return node
        return None

    def of_kind(self, kind: str) -> list[NodeRef]:
        return [n for n in self._nodes if n is not None and n.kind == kind]

    def _nodes_at(self, positions: Iterable[int], kinds: tuple[str, ...] | None) -> list[NodeRef]:
        found = []
        for position in positions:
            node = self._nodes[position]
            if node is not None and (kinds is None or node.kind in kinds) and node not in found:
                found.append(node)
        return found

    def suggestions(self, text: str, kinds: tuple[str, ...] | None = None, limit: int = 5) -> list[str]:
        key = fold(text)
        if not key:
            return []
        names: list[str] = []
        wanted = limit * 2 if kinds is None else limit * 20
        for match, score, _index in process.extract(key, self._sorted_whole, scorer=fuzz.WRatio, limit=wanted):
            if score < 60:
                continue
            for node in self._nodes_at(_positions(self._whole.get(match)), kinds):
                if node.name not in names:
                    names.append(node.name)
            if len(names) >= limit:
                break
        return names[:limit]

    def _unique_prefix(self, key: str, kinds: tuple[str, ...] | None) -> list[NodeRef]:
        """The one node whose name starts with `key` (`hedebølger` → the heat-wave theme), else []."""
        found: list[NodeRef] = []
        start = bisect.bisect_left(self._sorted_whole, key)
        for candidate in self._sorted_whole[start:]:
            if not candidate.startswith(key):
                break
            for node in self._nodes_at(_positions(self._whole[candidate]), kinds):
                if node not in found:
                    found.append(node)
            if len(found) > 1:
                return []
        return found

    def resolve(self, text: str, kinds: tuple[str, ...] | None = None, what: str | None = None) -> NodeRef:
        """The one node `text` names, or NotFound with suggestions."""
        # `what` is an English phrase marked with N_ (KIND_WORDS, or the caller's), shown translated.
        what = _(what) if what else (_(" or ").join(_(KIND_WORDS.get(k, k.lower())) for k in kinds) if kinds else _("node"))
        cleaned = clean_input(text or "")
        if not cleaned:
            raise InvalidParameter(
                _("an empty {what} name was given").format(what=what),
                expected=_("the name or code of a {what}").format(what=what),
            )
        if len(cleaned) > 200:
            raise InvalidParameter(
                _("the {what} name is {count} characters long").format(what=what, count=len(cleaned)),
                expected=_("at most 200 characters"),
            )
        with self._lock:
            by_id = self.get(cleaned)
            if by_id is not None and (kinds is None or by_id.kind in kinds):
                return by_id
            key = fold(cleaned)
            candidates = self._nodes_at(_positions(self._whole.get(key)), kinds)
            if not candidates and len(key) >= 3:
                candidates = self._unique_prefix(key, kinds)
            if len(candidates) == 1:
                return candidates[0]
            if len(candidates) > 1:
                typed = cleaned.casefold()
                # `sea-level-rise` is the theme's slug, not WP9's English title
                by_identifier = [
                    n for n in candidates if typed == n.id.casefold() or (n.kind != "Region" and typed == n.key.casefold())
                ]
                if len(by_identifier) == 1:
                    return by_identifier[0]
                preferred = sorted(candidates, key=lambda n: LABELS.index(n.kind))
                exact = [n for n in preferred if fold(n.name) == key]
                return (exact or preferred)[0]
            suggestions = self.suggestions(cleaned, kinds)
        raise NotFound(
            _("no {what} called '{name}'").format(what=what, name=shorten(cleaned, 40)),
            expected=_("the name or code of a {what}").format(what=what),
            suggestions=suggestions,
        )

    # -- search -------------------------------------------------------------------------
    def _leading(self, positions: list[int], limit: int) -> list[int]:
        found = []
        for position in positions:
            if self._nodes[position] is not None:
                found.append(position)
                if len(found) == limit:
                    break
        return found

    def search(self, query: str, limit: int) -> list[tuple[float, NodeRef, str]]:
        """Ranked (score, node, the name that matched): exact names, then starts of names and
        words, then close spellings. Each key's positions are kept in rank order, so a word
        such as "kommune", in every official name, costs only the first `limit` of them."""
        key = fold(query)
        best: dict[int, tuple[float, int, str]] = {}  # position -> (score, position, matched key)

        def offer(position: int, matched: str, score: float) -> None:
            current = best.get(position)
            if current is None or score > current[0]:
                best[position] = (round(score, 1), position, matched)

        with self._lock:
            for position in self._leading(_positions(self._whole.get(key)), limit):
                offer(position, key, 100.0)
            for position in self._leading(_positions(self._words.get(key)), limit):
                offer(position, key, 95.0)
            start = bisect.bisect_left(self._sorted_all, key)
            for candidate in self._sorted_all[start : start + 200]:
                if not candidate.startswith(key):
                    break
                # the start of a whole name beats the start of a word inside one
                bonus = 10.0 * len(key) / len(candidate)
                for position in self._leading(_positions(self._whole.get(candidate)), limit):
                    offer(position, candidate, 85.0 + bonus)
                for position in self._leading(_positions(self._words.get(candidate)), limit):
                    offer(position, candidate, 78.0 + bonus)
            if len(key) >= 3 and not _page_is_full(best, limit):
                candidates = self._close_candidates(key)
                close = process.extract(key, candidates, scorer=fuzz.ratio, limit=None, score_cutoff=FUZZY_CUTOFF)
                close.sort(key=lambda match: (-match[1], match[0]))  # ties alphabetical, as over the whole sorted list
                for candidate, score, _index in close[: limit * 3]:
                    for table in (self._whole, self._words):
                        for position in self._leading(_positions(table.get(candidate)), limit):
                            offer(position, candidate, score * FUZZY_WEIGHT)
            ranked = sorted(best.values(), key=lambda hit: (-hit[0], self._rank(hit[1])))[:limit]
            return [(score, self._nodes[p], self._matched_alias(p, matched)) for score, p, matched in ranked]  # type: ignore[misc]

    def _fuzzy_choices(self, key: str) -> list[str]:
        """The keys long or short enough to reach FUZZY_CUTOFF against `key`: fuzz.ratio is at most
        100 · (1 − |a − b| / (a + b)) for lengths a and b, so with a cutoff of 70 only lengths
        from 7/13 to 13/7 of the key's can (at 100,000 municipalities, 40-60 % of the 371,236
        keys, and the shorter ones: the pass over all of them took 140-250 ms, this 15-60 ms)."""
        by_length = self._lengths()
        choices: list[str] = []
        for length in _length_window(len(key)):
            choices.extend(by_length.get(length, ()))
        return choices

    def _close_candidates(self, key: str) -> list[str]:
        """The keys that can reach FUZZY_CUTOFF against `key`: those of a length that can
        (_fuzzy_choices), less, when they are many, those whose letters alone cannot (_LetterCounts)."""
        by_length = self._lengths()
        if sum(len(by_length.get(length, ())) for length in _length_window(len(key))) < LETTER_FILTER_FROM:
            return self._fuzzy_choices(key)
        import numpy as np

        wanted = np.bincount([_bucket(ord(c)) for c in key], minlength=_BUCKET_COUNT)
        wanted = np.minimum(wanted, 255).astype(np.uint8)  # a key of at most 255 has no count above it
        candidates: list[str] = []
        for length in _length_window(len(key)):
            keys = by_length.get(length)
            if not keys:
                continue
            if length > 255:  # its counts could pass 255: every key of it is scored
                candidates.extend(keys)
                continue
            counts = self._letter_counts.get(length)
            if counts is None:
                counts = self._letter_counts[length] = _LetterCounts(keys, length)
            candidates.extend(counts.reaching(wanted, len(key), length))
        return candidates

    def _lengths(self) -> dict[int, list[str]]:
        """_sorted_all by length, each alphabetical; kept up to date by put and remove."""
        if self._by_length is None:
            by_length: dict[int, list[str]] = {}
            for candidate in self._sorted_all:
                by_length.setdefault(len(candidate), []).append(candidate)
            self._by_length = by_length
        return self._by_length

    def _matched_alias(self, position: int, key: str) -> str:
        """The name as written (not folded) whose whole or one of whose words gave `key`."""
        names = self._aliases[position]
        for alias in names:
            if fold(alias) == key:
                return alias
        for alias in names:
            if any(fold(word) == key for word in alias.split()):
                return alias
        return names[0]
