"""Schemathesis against the app's own OpenAPI schema, in-process: generated valid and invalid
input for every operation, and no server error allowed.

Deterministic and small (a fixed number of examples per operation) so that the suite stays quick
and a failure reproduces. The console is on here so that its endpoint is fuzzed too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import PROJECT_ROOT
from tests.conftest import embedded_settings

MAX_EXAMPLES = 15


# The schema comes from the app at import (no store is opened for that); the app that answers,
# on the shared embedded store, is reached through the session the fixture below opens.
OPENAPI = create_app(embedded_settings(PROJECT_ROOT / "data" / "not-opened", cypher_console=True)).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, no_shrink=True)


@pytest.fixture(scope="module")
def asgi_session(embedded_path: Path) -> Iterator[Any]:
    """An in-process client (requests API) for the app on the shared embedded store; entering it
    runs the lifespan, leaving it and shutting the lifespans down closes the store."""
    from schemathesis.python import asgi

    app = create_app(embedded_settings(embedded_path, cypher_console=True, cypher_timeout=2.0))
    with asgi.get_client(app) as client:
        yield client
    asgi.shutdown_lifespans()


def _declares_a_file(operation: dict[str, Any]) -> bool:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    return any(media.get("schema", {}).get("format") == "binary" for media in content.values())


# Downloads are declared as binary strings; their bodies are checked by their own tests, not here.
DOWNLOADS = {path for path, operations in OPENAPI["paths"].items() for op in operations.values() if _declares_a_file(op)}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error(case: Any, asgi_session: Any) -> None:
    response = case.call(session=asgi_session, base_url="http://testserver")
    # A 5xx is the failure this test exists for; the others keep answers honest to the schema.
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code < 500 and case.operation.path not in DOWNLOADS and not case.operation.path.startswith("/views"):
        case.validate_response(response, checks=[content_type_conformance, response_schema_conformance, status_code_conformance])
