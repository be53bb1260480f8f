"""The explorer from Python, without a server: what the notebooks use.

    from app.explorer import Explorer

    with Explorer.open() as explorer:           # the store the settings name (LIFEACT_*)
        matrix = explorer.overlap_matrix()
        explorer.replication("T.9.1").candidates[0].reasons
        explorer.export("graphml", "exports/lifeact.graphml")

Every method is the service function the API calls, so answers (and errors, raised as
app.services.errors.ServiceError with `message`, `expected` and `suggestions`) are the
same as the API's. Results are the API's pydantic models: `.model_dump()` gives plain data.

Lists come a page at a time, as from the API: `explorer.municipalities()` iterates over every
item, reading the store one page at a time; `explorer.municipalities_page(limit=100, cursor=…)`
gives one `Page` (`data`, `total`, `next_cursor`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from app import models
from app.graph import loader
from app.graph.factory import StoreHandle, open_store
from app.graph.store import GraphStore
from app.services import analytics, entities, exports, knowledge, monitoring, overlap, replication, search, traversal
from app.services.paging import LIMITS, PageRequest, every_item
from app.services.read_model import ReadModel
from app.services.tokens import Principal
from app.settings import Settings
from app.steps import NO_STEPS, Steps

log = logging.getLogger("lifeact")


def open_loaded_store(settings: Settings, steps: Steps = NO_STEPS) -> StoreHandle:
    """Open the configured store; an empty one gets the seed first, as `lifeact serve` does."""
    handle = open_store(settings)
    try:
        if handle.store.is_empty():
            log.info("the %s store is empty; loading the seed from %s", handle.store.backend, settings.seed_path)
            loader.load(handle.store, settings.seed_path, settings.load_batch_size, steps)
    except BaseException:
        handle.close()
        raise
    return handle


class Explorer:
    def __init__(self, handle: StoreHandle, settings: Settings) -> None:
        self.settings = settings
        self._handle = handle
        self.model = ReadModel(handle.store)

    @classmethod
    def open(cls, settings: Settings | None = None) -> Self:
        """The store `settings` name (default: read from the environment and .env now)."""
        settings = settings or Settings()
        return cls(open_loaded_store(settings), settings)

    @property
    def store(self) -> GraphStore:
        return self.model.store

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Explorer {self.store.backend} store, generation {self.store.generation}>"

    # -- entities ------------------------------------------------------------------------
    def stats(self) -> models.Stats:
        return entities.stats(self.store)

    def municipalities(
        self, participating: bool | None = None, region: str | None = None, **scope: str | None
    ) -> Iterator[models.MunicipalitySummary]:
        """Every municipality (or those of a region, work_package=, programme= or theme=), page by page."""
        return every_item(
            lambda page: entities.list_municipalities(self.model, participating, region, page, **scope),
            _page_size("municipalities"),
        )

    def municipalities_page(
        self,
        participating: bool | None = None,
        region: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **scope: str | None,
    ) -> models.Page[models.MunicipalitySummary]:
        page = PageRequest.of("municipalities", limit, cursor)
        return entities.list_municipalities(self.model, participating, region, page, **scope)

    def municipality(self, key: str) -> models.MunicipalityProfile:
        return entities.municipality_profile(self.model, key)

    def work_packages(self) -> Iterator[models.WorkPackage]:
        return every_item(lambda page: entities.list_work_packages(self.model, page), _page_size("work-packages"))

    def work_packages_page(self, limit: int | None = None, cursor: str | None = None) -> models.Page[models.WorkPackage]:
        return entities.list_work_packages(self.model, PageRequest.of("work-packages", limit, cursor))

    def work_package(self, key: str) -> models.WorkPackage:
        return entities.get_work_package(self.model, key)

    def task(self, key: str) -> models.Task:
        return entities.get_task(self.model, key)

    def regions(self) -> Iterator[models.RegionSummary]:
        return every_item(lambda page: entities.list_regions(self.model, page), _page_size("regions"))

    def themes(self) -> Iterator[models.ThemeSummary]:
        return every_item(lambda page: entities.list_themes(self.model, page), _page_size("themes"))

    def programmes(self) -> Iterator[models.Programme]:
        return every_item(lambda page: entities.list_programmes(self.model, page), _page_size("programmes"))

    def organisations(self) -> Iterator[models.Organisation]:
        return every_item(lambda page: entities.list_organisations(self.model, page), _page_size("organisations"))

    def organisation_relations(self, key: str) -> Iterator[models.Relation]:
        """All of an organisation's relations (its record gives the first 100), page by page."""
        return every_item(lambda page: entities.organisation_relations(self.model, key, page), _page_size("relations"))

    # -- relationships -------------------------------------------------------------------
    def overlap(self, a: str, b: str) -> models.Overlap:
        return overlap.overlap(self.model, a, b)

    def overlaps(self, min_shared: int = 1, region: str | None = None) -> Iterator[models.OverlapPair]:
        """Every pair sharing at least `min_shared` work packages, ranked, page by page."""
        return every_item(lambda page: overlap.overlaps(self.model, min_shared, region, page), _page_size("overlaps"))

    def overlaps_page(
        self, min_shared: int = 1, region: str | None = None, limit: int | None = None, cursor: str | None = None
    ) -> models.Page[models.OverlapPair]:
        return overlap.overlaps(self.model, min_shared, region, PageRequest.of("overlaps", limit, cursor))

    def overlap_matrix(
        self, region: str | None = None, work_package: str | None = None, names: str | list[str] | None = None
    ) -> models.OverlapMatrix:
        """The matrix of a bounded set (at most overlap.MATRIX_LIMIT municipalities)."""
        return overlap.overlap_matrix(self.model, region, work_package, names)

    def replication(self, target: str, limit: int = 10) -> models.Replication:
        return replication.replication(self.model, target, limit)

    def paths(self, source: str, target: str, max_hops: int = 6, limit: int = 10) -> models.Paths:
        return traversal.paths(self.model, source, target, max_hops, limit)

    def neighbourhood(self, center: str, depth: int = 1, kinds: str | tuple[str, ...] | None = None) -> models.Neighbourhood:
        return traversal.neighbourhood(self.model, center, depth, kinds)

    def search(self, q: str, limit: int = 10, cursor: str | None = None) -> models.SearchResults:
        page = PageRequest.of("search", limit, cursor)
        return search.search(self.model, q, page.limit, page.offset)

    def gaps(
        self,
        region: str | None = None,
        pillar: str | None = None,
        theme: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> models.Gaps:
        """What is missing; `municipalities_without` is one page of them (`next_cursor` for more)."""
        return analytics.gaps(self.model, region, pillar, theme, PageRequest.of("gaps", limit, cursor))

    def centrality(self, limit: int = 10) -> models.Centrality:
        return analytics.centrality(self.model, limit)

    # -- knowledge (issue 12) and monitoring (issue 13) -----------------------------------------
    # Answers are the API's JSON bodies (plain dicts). Writes are the API's writes, audited under
    # `actor` (someone with the store's files in hand needs no token, as for `lifeact load`).
    def solutions(self) -> list[dict[str, Any]]:
        return monitoring.every_body(lambda page: knowledge.list_solutions(self.model, page), "solutions")

    def solution(self, key: str) -> dict[str, Any]:
        """A solution with its developers, adoption events (its spread), observations and resources."""
        return knowledge.get_solution(self.model, key)

    def create_solution(self, actor: str = "notebook", **body: Any) -> dict[str, Any]:
        return knowledge.create_solution(self.model, Principal(actor, "editor"), knowledge.SolutionIn.model_validate(body))

    def record_adoption(self, solution: str, actor: str = "notebook", **body: Any) -> dict[str, Any]:
        """An adoption event (`municipality, status, date, note, source`) of `solution`."""
        return knowledge.add_adoption(self.model, Principal(actor, "editor"), solution, knowledge.AdoptionIn.model_validate(body))

    def indicators(self) -> list[dict[str, Any]]:
        return monitoring.all_indicators(self.model)

    def resources(self, task: str | None = None, theme: str | None = None, solution: str | None = None) -> list[dict[str, Any]]:
        """Every resource serving all of the task, theme and solution given (every one without a filter), by title."""
        return monitoring.every_body(
            lambda page: knowledge.resources.list_resources(self.model, task, theme, solution, page), "resources"
        )

    def record_observation(self, actor: str = "notebook", **body: Any) -> dict[str, Any]:
        """An observation (`subject, indicator, value, date, source`), checked against the indicator's range."""
        request = knowledge.observations.ObservationIn.model_validate(body)
        return knowledge.observations.record(self.model, Principal(actor, "editor"), request)

    def observations(
        self, subject: str | None = None, indicator: str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[dict[str, Any]]:
        """A time series, oldest first: every page `GET /api/observations` answers, read one at a time."""
        return monitoring.every_body(
            lambda page: knowledge.observations.series(self.model, subject, indicator, start, end, page), "observations"
        )

    def observations_page(
        self,
        subject: str | None = None,
        indicator: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """One page of observations, as `GET /api/observations` answers it (`data`, `total`, `next_cursor`)."""
        page = PageRequest.of("observations", limit, cursor)
        return knowledge.observations.series(self.model, subject, indicator, start, end, page)

    def indicator_on(self, indicator: str, on: dt.date | None = None) -> dict[str, Any]:
        """Each subject's latest value on or before `on`: what the indicator's map shows."""
        return monitoring.indicator_on(self.model, indicator, on)

    def indicator_series(self, indicator: str) -> list[dict[str, Any]]:
        """The indicator's time series, one per subject observed: what its charts show."""
        return monitoring.indicator_series(self.model, indicator)["series"]

    # -- exports -------------------------------------------------------------------------
    def export(self, format: str, output: str | Path | None = None, force: bool = False) -> bytes | Path:
        """The graph as `format` (graphml, gexf, json, csv): the bytes, or written to `output`
        (an existing file is kept unless `force`) and its path returned."""
        if output is None:
            return exports.export_bytes(self.model, format)
        stream = exports.ExportStream(self.store, format)  # written to the file as it is read
        try:
            return exports.save(stream, Path(output), force)
        finally:
            stream.close()

    def export_graph(self) -> exports.ExportGraph:
        """The exported nodes and edges as plain records (what every format is written from)."""
        return exports.export_graph(self.model)


def _page_size(list_name: str) -> int:
    """Iterators read the largest pages the API allows: fewer round trips, same bound."""
    return LIMITS[list_name].maximum
