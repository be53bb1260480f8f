"""Settings, read from environment variables (and a .env file if present).

Every setting is listed in README.md under "Settings"; tests/test_settings.py checks it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.paths import DEFAULT_EMBEDDED_PATH, PROJECT_ROOT, SEED_DIR

__all__ = ["PROJECT_ROOT", "Settings", "get_settings"]


def env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    backend: Literal["embedded", "neo4j"] = Field("embedded", validation_alias=env("LIFEACT_BACKEND"))
    embedded_path: Path = Field(DEFAULT_EMBEDDED_PATH, validation_alias=env("LIFEACT_EMBEDDED_PATH"))
    # The seed that ships with the explorer (the checkout's seed/, or the installed package's copy).
    seed_path: Path = Field(SEED_DIR, validation_alias=env("LIFEACT_SEED_PATH"))
    load_batch_size: int = Field(1000, ge=1, le=100_000, validation_alias=env("LIFEACT_LOAD_BATCH_SIZE"))
    warm_on_start: bool = Field(True, validation_alias=env("LIFEACT_WARM_ON_START"))
    # 0: sized per graph (app/graph/embedded.py auto_pool_mb).
    embedded_buffer_pool_mb: int = Field(0, ge=0, le=65536, validation_alias=env("LIFEACT_EMBEDDED_BUFFER_POOL_MB"))
    # LadybugDB connections per open graph, and compiled statements each keeps (app/graph/embedded.py).
    embedded_connections: int = Field(2, ge=1, le=64, validation_alias=env("LIFEACT_EMBEDDED_CONNECTIONS"))
    embedded_statements: int = Field(96, ge=0, le=10_000, validation_alias=env("LIFEACT_EMBEDDED_STATEMENTS"))
    # Write tokens (hashes only); empty: tokens.json in the embedded store's folder.
    tokens_path: Path | None = Field(None, validation_alias=env("LIFEACT_TOKENS_PATH"))
    auth_failure_limit: int = Field(10, ge=1, le=10_000, validation_alias=env("LIFEACT_AUTH_FAILURE_LIMIT"))
    # Seconds a read (GET) may take before it is stopped and answered 503 (app/api/budget.py).
    request_time_budget: float = Field(10.0, gt=0, le=600, validation_alias=env("LIFEACT_REQUEST_TIME_BUDGET"))
    # Signed-in sessions of the pages (a cookie); the key signs them, empty: session.key beside the tokens.
    session_hours: float = Field(12.0, gt=0, le=24 * 90, validation_alias=env("LIFEACT_SESSION_HOURS"))
    session_secret: SecretStr | None = Field(None, validation_alias=env("LIFEACT_SESSION_SECRET"))
    # Behind a TLS-terminating proxy: believe its X-Forwarded-Proto when deciding on Secure cookies.
    trust_proxy_headers: bool = Field(False, validation_alias=env("LIFEACT_TRUST_PROXY_HEADERS"))
    keep_alive_seconds: float = Field(75.0, gt=0, le=3600, validation_alias=env("LIFEACT_KEEP_ALIVE_SECONDS"))

    frame_ancestors: str = Field("'self'", validation_alias=env("LIFEACT_FRAME_ANCESTORS"))
    cors_origins: str = Field("", validation_alias=env("LIFEACT_CORS_ORIGINS"))
    max_request_bytes: int = Field(65_536, ge=1_024, validation_alias=env("LIFEACT_MAX_REQUEST_BYTES"))
    cypher_console: bool = Field(False, validation_alias=env("LIFEACT_CYPHER_CONSOLE"))
    cypher_timeout: float = Field(5.0, gt=0, le=60, validation_alias=env("LIFEACT_CYPHER_TIMEOUT"))
    cypher_row_limit: int = Field(1000, ge=1, le=100_000, validation_alias=env("LIFEACT_CYPHER_ROW_LIMIT"))

    # The command line's language (app.i18n.language_from_environment reads it before the settings,
    # so --help follows it too); declared here so that a wrong value is reported like any setting.
    language: Literal["da", "en"] | None = Field(None, validation_alias=env("LIFEACT_LANGUAGE"))

    neo4j_uri: str = Field("bolt://localhost:7687", validation_alias=env("NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=env("NEO4J_USER"))
    neo4j_password: SecretStr = Field(SecretStr("lifeact-dev-password"), validation_alias=env("NEO4J_PASSWORD"))
    neo4j_database: str = Field("neo4j", validation_alias=env("NEO4J_DATABASE"))
    neo4j_connection_timeout: float = Field(2.0, gt=0, validation_alias=env("NEO4J_CONNECTION_TIMEOUT"))
    neo4j_retry_time: float = Field(1.0, ge=0, validation_alias=env("NEO4J_RETRY_TIME"))
    neo4j_query_timeout: float = Field(10.0, gt=0, validation_alias=env("NEO4J_QUERY_TIMEOUT"))

    @property
    def tokens_file(self) -> Path:
        return self.tokens_path or self.embedded_path / "tokens.json"

    @property
    def session_key_file(self) -> Path:
        return self.tokens_file.with_name("session.key")


@lru_cache
def get_settings() -> Settings:
    return Settings()
