"""Opens the store the settings ask for. The only place a Neo4j driver is created."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.graph.store import GraphStore
from app.settings import Settings

if TYPE_CHECKING:
    import neo4j


def create_neo4j_driver(settings: Settings) -> neo4j.Driver:
    """One driver per process; bolt://, neo4j:// and neo4j+s:// (Aura, clusters) alike.

    Short connection, acquisition and retry timeouts so that a dead database turns
    into a quick 503 instead of a hanging request.
    """
    import neo4j  # only a Neo4j deployment loads the driver

    driver = neo4j.GraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        connection_timeout=settings.neo4j_connection_timeout,
        connection_acquisition_timeout=settings.neo4j_connection_timeout,
        max_transaction_retry_time=settings.neo4j_retry_time,
        liveness_check_timeout=30.0,
    )
    driver._lifeact_uri = settings.neo4j_uri  # type: ignore[attr-defined]  # shown in error messages
    return driver


class StoreHandle:
    """A store plus whatever it needs closed with it (the driver, for Neo4j)."""

    def __init__(self, store: GraphStore, driver: neo4j.Driver | None = None) -> None:
        self.store = store
        self.driver = driver

    def close(self) -> None:
        self.store.close()
        if self.driver is not None:
            self.driver.close()


def open_store(settings: Settings) -> StoreHandle:
    if settings.backend == "neo4j":
        from app.graph.neo4j_store import Neo4jStore

        driver = create_neo4j_driver(settings)
        return StoreHandle(
            Neo4jStore(driver, settings.neo4j_database, settings.neo4j_query_timeout, settings.neo4j_retry_time), driver
        )
    from app.graph.embedded import EmbeddedStore

    return StoreHandle(
        EmbeddedStore(
            settings.embedded_path,
            pool_size=settings.embedded_connections,
            buffer_pool_mb=settings.embedded_buffer_pool_mb,
            statements=settings.embedded_statements,
        )
    )
