"""The written knowledge as files (`lifeact knowledge export|import`): the backup, and the way to
review additions in a pull request.

A folder holds one JSON Lines file per kind: `nodes/<Label>.jsonl` for every label that has
written nodes, `relationships/<TYPE>.jsonl` for every relationship type, `changes.jsonl` (the
audit trail, oldest first) and `manifest.json` (the format and the write counter). Every line is
one record with sorted keys, the lines sorted by id (relationships by their ends), so that the
same knowledge always gives the same bytes and an addition is a one-line diff. The files are
generic over the graph model (app/graph/schema.py): a new written label or relationship type is
exported and imported without a change here.

Every record is validated by pydantic both ways; a broken file is refused naming the file, the
line and the field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from app.graph.schema import LABELS, RELATIONSHIP_TYPES, WRITTEN, node_columns, shape
from app.graph.store import GraphStore
from app.graph.writer import CHANGE_FIELDS, RELATIONSHIP_FIELDS, WrittenKnowledge, read_written

FORMAT = 1
MANIFEST = "manifest.json"
CHANGES = "changes.jsonl"
NODES = "nodes"
RELATIONSHIPS = "relationships"

_COLUMN_TYPES: dict[str, Any] = {
    "STRING": str,
    "INT64": int,
    "DOUBLE": float,
    "BOOLEAN": bool,
    "STRING[]": list[str],
}


class KnowledgeFileError(Exception):
    """A knowledge folder that cannot be exported into or imported; the message names the file,
    the line and the field."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


@cache
def node_record(label: str) -> type[BaseModel]:
    """The record of one written node of `label`: every column of the model, nothing else."""
    fields: dict[str, Any] = {
        name: (_COLUMN_TYPES[kind] | None, None) for name, kind in node_columns(label).items() if kind in _COLUMN_TYPES
    }
    fields |= {
        "id": (str, Field(min_length=1)),
        "kind": (Literal[label], ...),  # type: ignore[valid-type]
        "name": (str, Field(min_length=1)),
        "generation": (Literal[WRITTEN], ...),  # type: ignore[valid-type]
    }
    return create_model(f"{label}Record", __base__=_Record, **fields)


class RelationshipRecord(_Record):
    from_label: str
    to_label: str
    source_id: str = Field(min_length=1)
    target_id: str = Field(min_length=1)
    role: str | None = None
    detail: str | None = None
    source: str | None = None


class ChangeRecordFile(_Record):
    id: str = Field(min_length=1)
    seq: int = Field(ge=1)
    at: dt.datetime
    actor: str = Field(min_length=1)
    action: str = Field(min_length=1)
    entity: str = Field(min_length=1)
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @model_validator(mode="after")
    def id_is_seq(self) -> ChangeRecordFile:
        if self.id != str(self.seq):
            raise ValueError(f"id {self.id!r} must be the sequence number {self.seq}")
        return self


class Manifest(_Record):
    format: Literal[1]
    writes: int = Field(ge=0)


# -- export -------------------------------------------------------------------------------------
def _line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def knowledge_files(knowledge: WrittenKnowledge) -> dict[str, str]:
    """Relative path -> file content, every record validated on the way out."""
    files: dict[str, str] = {}
    for label in LABELS:
        rows = sorted(knowledge.nodes.get(label, []), key=lambda row: row["id"])
        if rows:
            columns = node_columns(label)
            records = [_checked(node_record(label), {c: row.get(c) for c in columns}, f"{label} {row['id']}") for row in rows]
            files[f"{NODES}/{label}.jsonl"] = "".join(_line(r) + "\n" for r in records)
    for rel_type in RELATIONSHIP_TYPES:
        lines = []
        for rel, rows in knowledge.relationships.items():
            if rel.type == rel_type:
                for row in rows:
                    record = {"from_label": rel.from_label, "to_label": rel.to_label} | {
                        f: row.get(f) for f in RELATIONSHIP_FIELDS
                    }
                    _checked(RelationshipRecord, record, f"{rel_type} {row['source_id']} -> {row['target_id']}")
                    lines.append(record)
        if lines:
            lines.sort(key=lambda r: (r["from_label"], r["to_label"], r["source_id"], r["target_id"]))
            files[f"{RELATIONSHIPS}/{rel_type}.jsonl"] = "".join(_line(r) + "\n" for r in lines)
    changes = []
    for change in sorted(knowledge.changes, key=lambda c: int(c["seq"])):
        record = {f: change.get(f) for f in CHANGE_FIELDS} | {"seq": int(change["seq"])}
        for side in ("before", "after"):
            record[side] = json.loads(record[side]) if record[side] else None
        _checked(ChangeRecordFile, record, f"change {change['seq']}")
        changes.append(record)
    files[CHANGES] = "".join(_line(r) + "\n" for r in changes)
    files[MANIFEST] = json.dumps({"format": FORMAT, "writes": knowledge.writes}, indent=2, sort_keys=True) + "\n"
    return files


def _checked(model: type[BaseModel], record: dict[str, Any], what: str) -> dict[str, Any]:
    try:
        model.model_validate(record)
    except ValidationError as exc:
        raise KnowledgeFileError(f"the store holds a record that does not validate ({what}): {_first_error(exc)}") from exc
    return record


def _owned(folder: Path) -> list[Path]:
    """The files an export writes into `folder` (and so may replace)."""
    return [
        *(folder / NODES).glob("*.jsonl"),
        *(folder / RELATIONSHIPS).glob("*.jsonl"),
        *(p for p in (folder / CHANGES, folder / MANIFEST) if p.exists()),
    ]


def export_knowledge(store: GraphStore, folder: Path) -> dict[str, int]:
    """Writes the written knowledge into `folder` (a new or empty folder, or an earlier export,
    whose files are replaced); the number of records per file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise KnowledgeFileError(f"{folder} is a file; give a folder")
    if folder.exists() and any(folder.iterdir()) and not (folder / MANIFEST).exists():
        raise KnowledgeFileError(f"{folder} holds other files and no {MANIFEST}: give a new folder or an earlier export")
    with store.pinned() as run:
        knowledge = read_written(run, store.queries)
    files = knowledge_files(knowledge)
    for stale in _owned(folder):
        if stale.relative_to(folder).as_posix() not in files:
            stale.unlink()
    for relative, content in files.items():
        _write_atomically(folder / relative, content)
    return {relative: content.count("\n") for relative, content in files.items() if relative != MANIFEST}


def _write_atomically(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


# -- import -------------------------------------------------------------------------------------
def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "the record"
    return f"field {where}: {error['msg']}"


def _records(path: Path, model: type[BaseModel], errors: list[str]) -> Iterable[tuple[int, BaseModel, dict[str, Any]]]:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name} line {number}: not JSON ({exc.msg})")
            continue
        try:
            yield number, model.model_validate(raw), raw
        except ValidationError as exc:
            errors.append(f"{path.parent.name}/{path.name} line {number}: {_first_error(exc)}")


def read_knowledge(folder: Path) -> WrittenKnowledge:
    """The knowledge in an exported folder, every record validated; KnowledgeFileError naming
    every broken file, line and field (nothing is written then)."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise KnowledgeFileError(f"{folder} has no {MANIFEST}: is it a folder written by `lifeact knowledge export`?")
    errors: list[str] = []
    try:
        manifest = Manifest.model_validate_json((folder / MANIFEST).read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise KnowledgeFileError(f"{MANIFEST}: {_first_error(exc)}") from exc
    knowledge = WrittenKnowledge(writes=manifest.writes)
    for path in sorted((folder / NODES).glob("*.jsonl")):
        label = path.stem
        if label not in LABELS:
            errors.append(f"{NODES}/{path.name}: no label {label!r} in the graph model (expected one of {', '.join(LABELS)})")
            continue
        ids: set[str] = set()
        for number, _, raw in _records(path, node_record(label), errors):
            row = _node_row(label, raw)
            if row["id"] in ids:
                errors.append(f"{NODES}/{path.name} line {number}: field id: {row['id']!r} appears twice")
            ids.add(row["id"])
            knowledge.nodes.setdefault(label, []).append(row)
    for path in sorted((folder / RELATIONSHIPS).glob("*.jsonl")):
        if path.stem not in RELATIONSHIP_TYPES:
            errors.append(f"{RELATIONSHIPS}/{path.name}: no relationship type {path.stem!r} in the graph model")
            continue
        for number, record, _ in _records(path, RelationshipRecord, errors):
            assert isinstance(record, RelationshipRecord)
            try:
                rel = shape(path.stem, record.from_label, record.to_label)
            except ValueError as exc:
                errors.append(f"{RELATIONSHIPS}/{path.name} line {number}: field from_label/to_label: {exc}")
                continue
            knowledge.relationships.setdefault(rel, []).append(record.model_dump(include=set(RELATIONSHIP_FIELDS)))
    if (folder / CHANGES).is_file():
        seen: set[int] = set()
        for number, record, raw in _records(folder / CHANGES, ChangeRecordFile, errors):
            assert isinstance(record, ChangeRecordFile)
            if record.seq in seen:
                errors.append(f"{CHANGES} line {number}: field seq: {record.seq} appears twice")
            seen.add(record.seq)
            knowledge.changes.append(_change_row(raw))
        if seen and max(seen) > manifest.writes:
            errors.append(f"{MANIFEST}: field writes: {manifest.writes} is below the last change ({max(seen)})")
    if errors:
        raise KnowledgeFileError(f"{folder} cannot be imported; nothing was changed:\n  " + "\n  ".join(errors))
    return knowledge


def _node_row(label: str, raw: dict[str, Any]) -> dict[str, Any]:
    """As the store holds it: every column, absent ones None; doubles as floats (JSON may write 3 for 3.0)."""
    columns = node_columns(label)
    return {c: float(raw[c]) if columns[c] == "DOUBLE" and raw.get(c) is not None else raw.get(c) for c in columns}


def _change_row(raw: dict[str, Any]) -> dict[str, Any]:
    """As record_change stores it: before and after as sorted JSON text."""
    row = {f: raw.get(f) for f in CHANGE_FIELDS}
    for side in ("before", "after"):
        row[side] = json.dumps(row[side], ensure_ascii=False, sort_keys=True) if row[side] is not None else None
    return row
