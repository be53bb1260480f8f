"""The named-query catalog: complete, described, and never built from input."""

from __future__ import annotations

import ast
import re

import pytest

from app.graph.queries import CYPHER_DIR, DIALECTS, QueryCatalog, catalog, parse_file
from app.graph.schema import LABELS, RelationshipShape, node_columns
from app.settings import PROJECT_ROOT

# The embedded store builds a fresh file per load, so it needs no constraints or pruning.
NEO4J_ONLY = {"create_id_constraint", "prune_nodes", "prune_relationships"}


def test_both_dialects_answer_the_same_reads() -> None:
    neo4j, ladybug = set(catalog("neo4j").names()), set(catalog("ladybug").names())
    assert neo4j - ladybug == NEO4J_ONLY
    assert ladybug <= neo4j


def test_every_query_has_a_description() -> None:
    for path in CYPHER_DIR.rglob("*.cypher"):
        for query in parse_file(path):
            assert len(query.description) > 10, f"{path.name}:{query.name}"


@pytest.mark.parametrize("label", LABELS)
def test_each_merge_query_sets_every_column_of_its_label(label: str) -> None:
    text = catalog("ladybug").text(f"merge_{label.lower()}_nodes")
    set_columns = set(re.findall(r"n\.(\w+) = ", text))
    assert set_columns == set(node_columns(label)) - {"id"}  # id is the MERGE key


def test_templates_take_identifiers_only_from_the_allowlist() -> None:
    queries = catalog("neo4j")
    with pytest.raises(ValueError):
        queries.node_template("node_by_id", "Municipality) DETACH DELETE (n")
    with pytest.raises(ValueError):
        queries.relationship_template("merge_relationships", RelationshipShape("LEADS`]->() DELETE x//", "Region", "WorkPackage"))
    with pytest.raises(ValueError):
        queries.relationship_template("merge_relationships", RelationshipShape("LEADS", "Theme", "Region"))


def test_values_are_always_parameters() -> None:
    """No query text holds a quoted value other than the constant kind stamp (and LadybugDB's
    `properties(nodes(p), 'id')`, where 'id' names a property)."""
    for dialect in DIALECTS:
        for name, text in catalog(dialect).concrete_texts().items():
            literals = re.findall(r"'([^']*)'", text)
            assert all(lit in LABELS or lit == "id" for lit in literals), f"{dialect}:{name} has literal {literals}"


def test_a_duplicate_name_is_refused(tmp_path) -> None:
    (tmp_path / "a.cypher").write_text("// name: x\n// Reads x.\nRETURN 1 AS x\n")
    (tmp_path / "b.cypher").write_text("// name: x\n// Reads x again.\nRETURN 2 AS x\n")
    with pytest.raises(ValueError, match="defined twice"):
        QueryCatalog("neo4j", tmp_path)


def test_a_query_without_description_is_refused(tmp_path) -> None:
    (tmp_path / "a.cypher").write_text("// name: x\nRETURN 1 AS x\n")
    with pytest.raises(ValueError, match="description"):
        QueryCatalog("neo4j", tmp_path)


def _names_the_app_can_ask_for() -> list[re.Pattern[str]]:
    """Every string literal in app/, and every f-string as a pattern (`merge_{label}_nodes`)."""
    patterns = []
    for path in (PROJECT_ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                patterns.append(re.compile(re.escape(node.value)))
            elif isinstance(node, ast.JoinedStr):
                parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z0-9_]+" for v in node.values]
                patterns.append(re.compile("".join(parts)))
    return patterns


@pytest.mark.parametrize("dialect", ["neo4j", "ladybug"])
def test_every_named_query_is_used_by_the_app(dialect: str) -> None:
    """A query nothing calls is dead text that a newcomer would edit in vain: delete it instead."""
    patterns = _names_the_app_can_ask_for()
    unused = [name for name in catalog(dialect).names() if not any(p.fullmatch(name) for p in patterns)]
    assert unused == []
