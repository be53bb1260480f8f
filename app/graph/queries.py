"""Named Cypher queries, read once from cypher/ (in the spirit of aiosql; app.paths finds the folder).

A file holds one or more blocks:

    // name: municipalities
    // Every municipality with its region and the codes of its work packages.
    MATCH ...

cypher/*.cypher is shared by both stores; cypher/neo4j/ and cypher/ladybug/ hold a
block of the same name only where the dialects differ, and it wins for that store.
A few load queries are templates over graph identifiers (__LABEL__, __REL_TYPE__,
__FROM_LABEL__, __TO_LABEL__); they are filled only from the schema allowlist.

The one word the dialects spell differently in otherwise equal texts is the function that
names a relationship's type: a shared text writes `__TYPE_OF__(r)`, which becomes `type(r)`
for Neo4j and `label(r)` for LadybugDB (DIALECT_WORDS). Anything else that differs lives in
cypher/<dialect>/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from app.graph.schema import LABELS, RELATIONSHIP_SHAPES, RelationshipShape, shape
from app.paths import CYPHER_DIR

Dialect = Literal["neo4j", "ladybug"]
DIALECTS: tuple[Dialect, ...] = ("neo4j", "ladybug")
_NAME_LINE = re.compile(r"^//\s*name:\s*([a-z][a-z0-9_]*)\s*$")
_PLACEHOLDER = re.compile(r"__(LABEL|REL_TYPE|FROM_LABEL|TO_LABEL|MAX_HOPS)__")
MAX_HOPS_LIMIT = 8
DIALECT_WORDS: dict[str, dict[str, str]] = {"neo4j": {"__TYPE_OF__": "type"}, "ladybug": {"__TYPE_OF__": "label"}}


class QueryNotFound(KeyError):
    pass


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    path: Path

    @property
    def is_template(self) -> bool:
        return bool(_PLACEHOLDER.search(self.text))


def parse_file(path: Path, words: dict[str, str] | None = None) -> list[NamedQuery]:
    queries: list[NamedQuery] = []
    name: str | None = None
    description: list[str] = []
    body: list[str] = []

    def finish() -> None:
        if name is None:
            return
        text = "\n".join(body).strip()
        for word, replacement in (words or {}).items():
            text = text.replace(word, replacement)
        if not text:
            raise ValueError(f"{path}: query {name!r} has no text")
        if not description:
            raise ValueError(f"{path}: query {name!r} needs a '// description' line after its name")
        queries.append(NamedQuery(name, " ".join(description), text, path))

    for line in path.read_text(encoding="utf-8").splitlines():
        match = _NAME_LINE.match(line.strip())
        if match:
            finish()
            name, description, body = match.group(1), [], []
        elif name is None:
            continue  # file header comments
        elif line.strip().startswith("//") and not body:
            description.append(line.strip().lstrip("/").strip())
        else:
            body.append(line)
    finish()
    return queries


class QueryCatalog:
    """The queries one dialect runs, by name."""

    def __init__(self, dialect: Dialect, directory: Path = CYPHER_DIR) -> None:
        self.dialect = dialect
        self._queries: dict[str, NamedQuery] = {}
        for folder, may_override in ((directory, False), (directory / dialect, True)):
            for path in sorted(folder.glob("*.cypher")):
                for query in parse_file(path, DIALECT_WORDS[dialect]):
                    if query.name in self._queries and not may_override:
                        raise ValueError(f"{path}: query {query.name!r} is defined twice")
                    self._queries[query.name] = query

    def __contains__(self, name: str) -> bool:
        return name in self._queries

    def names(self) -> list[str]:
        return sorted(self._queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryNotFound(f"no query named {name!r} for {self.dialect}") from None

    def text(self, name: str) -> str:
        query = self.get(name)
        if query.is_template:
            raise ValueError(f"query {name!r} is a template; use node_template() or relationship_template()")
        return query.text

    def render(
        self,
        name: str,
        *,
        label: str | None = None,
        rel: RelationshipShape | None = None,
        path: tuple[str, str, int] | None = None,
    ) -> str:
        """The text to send for `name`, its template filled from the allowlist where it has one."""
        if path is not None:
            return self.path_template(name, *path)
        if label is not None:
            return self.node_template(name, label)
        if rel is not None:
            return self.relationship_template(name, rel)
        return self.text(name)

    def node_template(self, name: str, label: str) -> str:
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        return _PLACEHOLDER.sub(lambda m: label if m.group(1) == "LABEL" else m.group(0), self.get(name).text)

    def relationship_template(self, name: str, rel: RelationshipShape) -> str:
        rel = shape(rel.type, rel.from_label, rel.to_label)
        values = {"REL_TYPE": rel.type, "FROM_LABEL": rel.from_label, "TO_LABEL": rel.to_label}
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.get(name).text)

    def path_template(self, name: str, from_label: str, to_label: str, max_hops: int) -> str:
        """A path query between two labels with a literal hop bound (Cypher cannot take it as a parameter)."""
        if from_label not in LABELS or to_label not in LABELS:
            raise ValueError(f"unknown label in {from_label!r}, {to_label!r}")
        if not isinstance(max_hops, int) or not 1 <= max_hops <= MAX_HOPS_LIMIT:
            raise ValueError(f"max_hops must be an integer from 1 to {MAX_HOPS_LIMIT}")
        values = {"FROM_LABEL": from_label, "TO_LABEL": to_label, "MAX_HOPS": str(max_hops)}
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.get(name).text)

    def concrete_texts(self) -> dict[str, str]:
        """Every text this dialect can send, templates filled over the whole allowlist."""
        texts: dict[str, str] = {}
        for name, query in self._queries.items():
            if not query.is_template:
                texts[name] = query.text
            elif "__MAX_HOPS__" in query.text:
                for from_label in LABELS:
                    for to_label in LABELS:
                        for hops in (1, MAX_HOPS_LIMIT):
                            key = f"{name}[{from_label}->{to_label},{hops}]"
                            texts[key] = self.path_template(name, from_label, to_label, hops)
            elif "__REL_TYPE__" in query.text:
                for rel in RELATIONSHIP_SHAPES:
                    texts[f"{name}[{rel.from_label}-{rel.type}->{rel.to_label}]"] = self.relationship_template(name, rel)
            else:
                for label in LABELS:
                    texts[f"{name}[{label}]"] = self.node_template(name, label)
        return texts


@cache
def catalog(dialect: Dialect) -> QueryCatalog:
    return QueryCatalog(dialect)


def neo4j_texts() -> dict[str, str]:
    """Every Cypher text the Neo4j store can run: what CI lints with Neo4j's parser."""
    return catalog("neo4j").concrete_texts()
