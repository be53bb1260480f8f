"""What one API process keeps beside the store: the lean name index and a bounded cache of
answers keyed by the graph's version.

The store answers every graph question. A process holds nothing else that grows with the
graph, so several API processes can share one Neo4j, and a change written by one of them
(or a new load) reaches the others: every change moves the version, and an answer cached
under an older version is never served again.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from app.graph.store import GraphStore
from app.i18n import current_language
from app.services.names import NameIndex, NodeRef

T = TypeVar("T")

ANSWER_CACHE_SIZE = 512
BUILD_WAIT = 30.0  # seconds a request waits for the same answer being built by another
# The collector's default first threshold (700) moves a request's short-lived objects into the
# oldest generation, and every full collection then walks all of it, the name index included.
# A larger first threshold lets temporaries die young; the index is frozen out of collection.
GC_THRESHOLDS = (10_000, 10, 10)


def tune_garbage_collection() -> None:
    """For a process that serves the graph (the API, the benchmark): set once at start."""
    gc.set_threshold(*GC_THRESHOLDS)


class AnswerCache:
    """The last `size` answers, each under the graph version it was computed from."""

    def __init__(self, size: int = ANSWER_CACHE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._building: dict[Hashable, threading.Event] = {}

    def get(self, version: str | None, key: Hashable, build: Callable[[], T]) -> T:
        """The answer for `key` at `version`; built once even when many ask at the same moment
        (the others wait for the first, up to BUILD_WAIT seconds, then build it themselves)."""
        full_key = (version, key)
        with self._lock:
            if full_key in self._answers:
                self._answers.move_to_end(full_key)
                return self._answers[full_key]
            building = self._building.get(full_key)
            if building is None:
                self._building[full_key] = threading.Event()
        if building is not None:
            building.wait(BUILD_WAIT)
            with self._lock:
                if full_key in self._answers:
                    self._answers.move_to_end(full_key)
                    return self._answers[full_key]
            return build()  # the first build failed or is very slow: answer this caller anyway
        try:
            value = build()
            with self._lock:
                self._answers[full_key] = value
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._building.pop(full_key).set()

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


class ResponseCache:
    """Finished HTTP answers (status, headers, body) under the graph version they were computed
    at, least recently used out first, within a byte budget."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024, max_entry_bytes: int = 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0

    def get(self, version: str | None, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get((version, key))
            if entry is None:
                return None
            self._entries.move_to_end((version, key))
            return entry[0]

    def put(self, version: str | None, key: Hashable, answer: tuple[int, list[Any], bytes], version_now: str | None) -> None:
        """Keep `answer` if it is small enough and the graph did not change while it was computed."""
        size = len(answer[2])
        if version is None or version != version_now or size > self.max_entry_bytes:
            return
        with self._lock:
            old = self._entries.pop((version, key), None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[(version, key)] = (answer, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)


class ReadModel:
    """The store, the name index that follows it, and the answer cache.

    The index is rebuilt only when a load replaces the graph (a new generation); a write
    updates it in place (`NameIndex.put` / `remove`)."""

    def __init__(self, store: GraphStore, answer_cache_size: int = ANSWER_CACHE_SIZE) -> None:
        self.store = store
        self.answers = AnswerCache(answer_cache_size)
        self.responses = ResponseCache()
        self._names: NameIndex | None = None
        self._names_generation: str | None = None
        self._names_lock = threading.Lock()

    @property
    def version(self) -> str | None:
        """Moves with every change to the graph: a load, or (later) a write."""
        return self.store.version

    def names(self) -> NameIndex:
        generation = self.store.generation
        names = self._names
        if names is not None and generation == self._names_generation:
            return names
        with self._names_lock:
            if self._names is None or generation != self._names_generation:
                index = self._load_or_build_names()
                gc.collect()
                gc.freeze()  # long-lived: keep it out of every later collection's walk
                self._names, self._names_generation = index, generation
            return self._names

    def _load_or_build_names(self) -> NameIndex:
        """From the snapshot the store keeps for this graph version, else from the store (then saved)."""
        version = self.store.version
        path = self.store.cache_file("names")
        if path is not None and version is not None:
            index = NameIndex.load(path, version)
            if index is not None:
                return index
        index = NameIndex.from_store(self.store)
        if path is not None and version is not None and self.store.version == version:
            index.save(path, version)
        return index

    def resolve(self, text: str, kinds: tuple[str, ...] | None = None, what: str | None = None) -> NodeRef:
        return self.names().resolve(text, kinds, what)

    def node(self, node_id: str) -> NodeRef | None:
        return self.names().get(node_id)

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """The answer for `key` at the current version, computed at most once per version and
        language (answers carry text in the language they were built in: reasons, explanations)."""
        return self.answers.get(self.version, (current_language(), key), build)

    def warm(self) -> float:
        """Build the name index now (before the server answers); seconds it took."""
        import time

        started = time.perf_counter()
        self.names()
        return round(time.perf_counter() - started, 3)
