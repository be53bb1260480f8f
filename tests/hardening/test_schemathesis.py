"""The API contract, checked whole by schemathesis: every check (`checks all`) in every phase
(examples, coverage, fuzzing, stateful through the schema's links), in-process, and zero failures.

The run is the one `schemathesis run` makes (its engine, configured by the repository's
schemathesis.toml, which says where a check is set otherwise and why), so this test and the CLI
against a live server agree. It reads the operations from the app's own schema, so a route added
later is checked without touching this file.

The store is this module's own copy of the seed, since the run writes (solutions, adoptions,
deletes) with an admin token made here (admins may do all an editor does, and write the
indicators); the auth checks send no token and a wrong one as well.
The failed-authentication limit is raised for the run: the auth checks fail to authenticate on
purpose, many times a minute, and a 429 would hide the 401 they look for.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from schemathesis.python import asgi

from app.graph.embedded import EmbeddedStore
from app.main import create_app
from app.seed import SeedGraph
from app.services.tokens import TokenFile
from app.settings import PROJECT_ROOT
from tests.conftest import embedded_settings

CONFIG = PROJECT_ROOT / "schemathesis.toml"
PHASES = ("examples", "coverage", "fuzzing", "stateful")


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph) -> Iterator[tuple[Any, str]]:
    path = tmp_path_factory.mktemp("contract-graph")
    store = EmbeddedStore(path)
    store.replace_graph(seed_graph)
    store.close()
    settings = embedded_settings(path, cypher_console=True, cypher_timeout=2.0, auth_failure_limit=10_000)
    token = TokenFile(settings.tokens_file).create("schemathesis", "admin")  # admin: the indicators are written by admins only
    yield create_app(settings), token
    asgi.shutdown_lifespans()  # closes the store the run opened


def _config(token: str) -> SchemathesisConfig:
    config = SchemathesisConfig.from_path(CONFIG)
    config.projects.override.update(headers={"Authorization": f"Bearer {token}"})
    return config


class Run:
    """What one schemathesis run found and did."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.checks_per_phase: dict[str, int] = dict.fromkeys(PHASES, 0)
        self.tested: set[str] = set()
        self.statuses: dict[str, set[int]] = {}  # operation -> every status it answered


def _run(app: Any, config: SchemathesisConfig) -> Run:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    run = Run()
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            phase = str(event.phase.value if hasattr(event.phase, "value") else event.phase).lower()
            if event.label:
                run.tested.add(event.label)
            for case_id, interaction in event.recorder.interactions.items():
                node = event.recorder.cases.get(case_id)
                if node is not None and interaction.response is not None:
                    label = node.value.operation.label
                    run.statuses.setdefault(label, set()).add(interaction.response.status_code)
            for case_id, checks in event.recorder.checks.items():
                case = event.recorder.cases.get(case_id)
                for check in checks:
                    run.checks_per_phase[phase] = run.checks_per_phase.get(phase, 0) + 1
                    if check.status == Status.FAILURE:
                        failure = check.failure_info.failure if check.failure_info else None
                        request = case.value.as_curl_command() if case is not None else ""
                        title = getattr(failure, "title", "")
                        message = getattr(failure, "message", "")
                        run.failures.append(f"[{phase}] {event.label}: {check.name}: {title}\n    {message}\n    {request}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            run.errors.append(f"{getattr(event, 'label', '')}: {getattr(event, 'value', event)!r}")
    return run


def test_every_check_in_every_phase_passes(contract_app: tuple[Any, str]) -> None:
    app, token = contract_app
    run = _run(app, _config(token))
    assert not run.errors, "\n".join(run.errors)
    assert not run.failures, f"{len(run.failures)} contract failures:\n" + "\n".join(dict.fromkeys(run.failures))
    # The run really ran: every phase checked answers, and every operation of the schema was tested.
    assert all(run.checks_per_phase[phase] > 0 for phase in PHASES), run.checks_per_phase
    operations = {
        f"{method.upper()} {path}": operation
        for path, items in app.openapi()["paths"].items()
        for method, operation in items.items()
        if method in ("get", "put", "post", "patch", "delete")
    }
    assert set(operations) <= run.tested, sorted(set(operations) - run.tested)
    # The token was used: every operation that needs one got past authentication (its own answer:
    # done, not found, conflict …), writes were made, and without the token each one was refused.
    secured = [label for label, operation in operations.items() if operation.get("security")]
    assert secured
    for label in secured:
        codes = run.statuses.get(label, set())
        assert codes - {401, 403, 405, 429}, (label, codes)
        assert 401 in codes, (label, codes)
    assert any(code in (201, 204) for label in secured for code in run.statuses.get(label, ())), run.statuses


def test_a_check_is_set_otherwise_only_on_the_operations_named(contract_app: tuple[Any, str]) -> None:
    """An `[[operations]]` block with include-path and include-method selects every operation matching
    either (schemathesis ORs its filters), which once switched a check off for every POST."""
    app, token = contract_app
    blocks = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["operations"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(token))
    for result in schema.get_all_operations():
        operation = result.ok()
        checks = schema.config.checks_config_for(operation=operation)
        for check in ("positive_data_acceptance", "unsupported_method", "allow_header_conformance"):
            naming = [
                block
                for block in blocks
                if block.get("checks", {}).get(check, {}).get("enabled") is False
                and _names(block, operation.label, operation.path)
            ]
            assert getattr(checks, check).enabled == (not naming), (operation.label, check)


def _names(block: dict[str, Any], label: str, path: str) -> bool:
    """Whether a block names the operation: by `include-name` ("METHOD path"), or by path alone."""
    names = block.get("include-name", [])
    paths = block.get("include-path", []) if "include-method" not in block else []
    return label in ([names] if isinstance(names, str) else names) or path in ([paths] if isinstance(paths, str) else paths)
