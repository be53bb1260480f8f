"""What one API process keeps beside the store: the lean name index and a bounded cache of
answers keyed by the graph's version.

The store answers every graph question. A process holds nothing else that grows with the
graph, so several API processes can share one Neo4j, and a change written by one of them
(or a new load) reaches the others: every change moves the version, and an answer cached
under an older version is never served again.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from app.graph.budget import current_budget, limited
from app.graph.store import GraphStore, StoreUnavailable
from app.i18n import current_language
from app.i18n import gettext as _
from app.services.errors import ServiceError
from app.services.names import NameIndex, NodeRef
from app.services.text import shorten

T = TypeVar("T")
log = logging.getLogger("lifeact.analyses")

ANSWER_CACHE_SIZE = 512
BACKGROUND_RETRY_AFTER = 10  # seconds a client is told to wait for a background analysis
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
            budget = current_budget()
            building.wait(min(BUILD_WAIT, budget.remaining()) if budget else BUILD_WAIT)
            with self._lock:
                if full_key in self._answers:
                    self._answers.move_to_end(full_key)
                    return self._answers[full_key]
            if budget is not None:
                budget.check()
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

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


class NotReady(ServiceError):
    """An analysis of the whole graph is still being computed for this version, and none is kept."""

    status = 503
    headers: ClassVar[dict[str, str]] = {"Retry-After": str(BACKGROUND_RETRY_AFTER)}


@dataclass(frozen=True)
class Computed(Generic[T]):
    value: T
    version: str | None
    stale: bool  # from an earlier version of the graph: the current one is still being computed
    seconds: float  # how long the computation took


# Analyses of the whole graph whose cost grows with it: name -> compute(model). Each runs once
# per graph version on its own thread, outside any request (app.services.analytics registers).
BACKGROUND: dict[str, Callable[[ReadModel], Any]] = {}


def register_background(name: str, compute: Callable[[ReadModel], Any]) -> None:
    BACKGROUND[name] = compute


class Background(Generic[T]):
    """One analysis computed per graph version on a thread of its own: a request never pays for
    it, and it goes on whoever gives up waiting. The last finished result is kept and served,
    marked stale, while the next version's is computed."""

    def __init__(self, name: str, compute: Callable[[], T]) -> None:
        self.name = name
        self._compute = compute
        self._changed = threading.Condition()
        self._done: Computed[T] | None = None
        self._running: str | None = None
        self._wanted: str | None = None  # the newest version asked for
        self._failure: str | None = None

    def start(self, version: str | None) -> None:
        """Compute for `version` unless that is done or under way. One computation at a time: a
        version that moves meanwhile is computed when the running one ends."""
        with self._changed:
            self._wanted = version
            if self._running is not None or (self._done is not None and self._done.version == version):
                return
            self._running = version
        threading.Thread(target=self._work, args=(version,), name=f"analysis-{self.name}", daemon=True).start()

    def _work(self, version: str | None) -> None:
        started = time.perf_counter()
        done: Computed[T] | None = None
        failure = None
        try:
            done = Computed(self._compute(), version, False, round(time.perf_counter() - started, 3))
            log.info("%s for %s computed in %.1f s", self.name, version, done.seconds)
        except StoreUnavailable as exc:  # the store closed under it (its server stopped): nothing to report
            log.info("%s for %s stopped: %s", self.name, version, exc)
            failure = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # kept for the answer; the next request tries again
            log.exception("computing %s for %s failed", self.name, version)
            failure = f"{type(exc).__name__}: {exc}"
        with self._changed:
            self._running = None
            self._failure = failure
            if done is not None:
                self._done = done
            wanted = self._wanted
            self._changed.notify_all()
        if done is not None and wanted != version:
            self.start(wanted)

    def state(self, version: str | None) -> tuple[str, float | None]:
        """(state, seconds): "ready" for `version` (and how long it took), "computing", "stale"
        (an earlier version's result is served while this one is computed), "failed", or "waiting"
        (not started: a server starts its analyses a few seconds after it starts)."""
        with self._changed:
            done, running, failure = self._done, self._running, self._failure
        if done is not None and done.version == version:
            return "ready", done.seconds
        if running is not None:
            return ("stale" if done is not None else "computing"), None
        if failure is not None:
            return "failed", None
        return "waiting", None

    def get(self, version: str | None, wait: float) -> Computed[T]:
        """The result for `version`, waiting up to `wait` seconds for it; else the previous
        version's, marked stale; else NotReady (503 with Retry-After)."""
        self.start(version)
        with self._changed:
            self._changed.wait_for(
                lambda: self._running is None or (self._done is not None and self._done.version == version), timeout=wait
            )
            done, running, failure = self._done, self._running, self._failure
        if done is not None and done.version == version:
            return done
        if done is not None:
            return Computed(done.value, done.version, True, done.seconds)
        why = (
            _("the last attempt failed ({failure})").format(failure=shorten(failure, 200))
            if failure and running is None
            else _("it is being computed")
        )
        raise NotReady(
            _("{name} is computed once per version of the graph, outside any request, and is not ready yet: {why}").format(
                name=self.name, why=why
            ),
            expected=_("ask again in {seconds} s (Retry-After)").format(seconds=BACKGROUND_RETRY_AFTER),
        )


class ReadModel:
    """The store, the name index that follows it, the answer cache, and the analyses of the whole
    graph computed in the background (`Background`), each once per version.

    The index is rebuilt only when a load replaces the graph (a new generation); a write
    updates it in place (`NameIndex.put` / `remove`)."""

    def __init__(self, store: GraphStore, answer_cache_size: int = ANSWER_CACHE_SIZE) -> None:
        self.store = store
        self.answers = AnswerCache(answer_cache_size)
        self.responses = ResponseCache()
        self._names: NameIndex | None = None
        self._names_generation: str | None = None
        self._names_lock = threading.Lock()
        self._background: dict[str, Background[Any]] = {
            name: Background(name, functools.partial(compute, self)) for name, compute in BACKGROUND.items()
        }
        self._seen_version: str | None = None
        self._starter: threading.Timer | None = None

    @property
    def version(self) -> str | None:
        """Moves with every change to the graph: a load, or a write. Read for every API answer,
        so a change seen here starts the background analyses for the new version at once."""
        version = self.store.version
        if version != self._seen_version:
            self._seen_version = version
            self.start_background(version)
        return version

    def start_background_later(self, seconds: float) -> None:
        """Start the analyses for the current version in `seconds` (at a server's start, so that its
        first visitors are not answered beside them); a change to the graph meanwhile, or a request
        for one of them, starts it at once."""
        self._seen_version = self.store.version
        self.cancel_pending()
        self._starter = threading.Timer(seconds, self.start_background)
        self._starter.daemon = True
        self._starter.start()

    def cancel_pending(self) -> None:
        """Cancel analyses waiting to start (the server is stopping: its store is about to close)."""
        starter, self._starter = self._starter, None
        if starter is not None:
            starter.cancel()

    def start_background(self, version: str | None = None) -> None:
        """Start computing every background analysis for the current version (at start, on a change)."""
        version = version if version is not None else self.store.version
        if version is None:  # an empty store: nothing to analyse
            return
        for job in self._background.values():
            job.start(version)

    def background(self, name: str, wait: float) -> Computed[Any]:
        """A background analysis's result for the current version (see Background.get)."""
        job = self._background.get(name)
        if job is None:  # registered after this model was made (its module imported later)
            job = self._background.setdefault(name, Background(name, functools.partial(BACKGROUND[name], self)))
        return job.get(self.version, wait)

    def analyses(self) -> dict[str, tuple[str, float | None]]:
        """Each background analysis's state for the version last seen (see Background.state): no
        store access, so /health can ask on every call."""
        return {name: job.state(self._seen_version) for name, job in sorted(self._background.items())}

    def names(self) -> NameIndex:
        generation = self.store.generation
        names = self._names
        if names is not None and generation == self._names_generation:
            return names
        with self._names_lock:
            if self._names is None or generation != self._names_generation:
                # Every later request needs it: built to the end even when this request's time
                # budget runs out meanwhile (that request is answered 503 at its deadline anyway).
                with limited(None):
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

    def cached_facts(self, key: Hashable, build: Callable[[], T]) -> T:
        """Like `cached`, for what holds no text of either language (rows of the store, ids,
        counts): computed once per version for Danish and English readers alike."""
        return self.answers.get(self.version, ("facts", key), build)

    def warm(self) -> float:
        """Build the name index now (before the server answers); seconds it took."""
        import time

        started = time.perf_counter()
        self.names()
        return round(time.perf_counter() - started, 3)
