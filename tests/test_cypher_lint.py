"""Every Cypher text the app sends to Neo4j must pass Neo4j's own parser.

The linter is tools/cypher-lint/lint.mjs, built on the npm package
@neo4j-cypher/language-support (lintCypherQuery). It runs offline once
installed; `make setup` installs it with `npm ci --prefix tools/cypher-lint`.
A missing node or a missing install is a failure, never a skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_DIR = REPO / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
LINT_PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
SETUP_HINT = "run `make setup` (it installs the Cypher linter with `npm ci --prefix tools/cypher-lint`)"


def run_cypher_lint(queries: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Lint ``{name: cypher_text}`` with Neo4j's parser; return the finished process."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"`node` is not on PATH: the Cypher linter needs Node.js; {SETUP_HINT}", pytrace=False)
    if not LINT_PACKAGE.is_dir():
        pytest.fail(f"{LINT_PACKAGE.relative_to(REPO)} is missing; {SETUP_HINT}", pytrace=False)

    queries_file = tmp_path / "cypher_queries.json"
    payload = [{"name": name, "text": text} for name, text in queries.items()]
    queries_file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    from app.graph.schema import LABELS, RELATIONSHIP_TYPES

    model_file = tmp_path / "graph_model.json"
    model_file.write_text(json.dumps({"labels": list(LABELS), "relationshipTypes": list(RELATIONSHIP_TYPES)}), encoding="utf-8")
    return subprocess.run(
        [node, str(LINT_SCRIPT), str(queries_file), str(model_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _output(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {proc.returncode}\n--- stdout ---\n{proc.stdout}--- stderr ---\n{proc.stderr}"


def test_neo4j_queries_pass_neo4j_parser(tmp_path: Path) -> None:
    from app.graph.queries import neo4j_texts

    texts = neo4j_texts()
    assert texts, "neo4j_texts() returned no queries: nothing would be linted"
    bad = {name: type(text).__name__ for name, text in texts.items() if not isinstance(text, str)}
    assert not bad, f"neo4j_texts() values must be str: {bad}"

    proc = run_cypher_lint(texts, tmp_path)
    assert proc.returncode == 0, "Cypher sent to Neo4j does not pass Neo4j's parser:\n" + _output(proc)
    # Guard against the linter silently skipping input.
    assert f"cypher-lint: {len(texts)} queries, 0 errors" in proc.stdout, _output(proc)


def test_cypher_lint_reports_broken_query(tmp_path: Path) -> None:
    proc = run_cypher_lint(
        {
            "good": "MATCH (n:Municipality {id: $id}) RETURN n.name AS name",
            "broken": "MATCH (n RETURN n",
        },
        tmp_path,
    )
    assert proc.returncode == 1, "the linter did not flag a broken query:\n" + _output(proc)
    assert "broken:1:10: error:" in proc.stdout, _output(proc)
    assert "good:" not in proc.stdout, _output(proc)
    assert "cypher-lint: 2 queries, 1 errors" in proc.stdout, _output(proc)
