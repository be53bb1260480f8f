"""`lifeact knowledge export|import`: the written knowledge and its audit trail as files.

Export, import into a store freshly loaded from the seed, export again: identical files. An
import of what the store holds already changes nothing; a broken file is refused naming the
file, the line and the field; an import that contradicts the store is refused naming the fact.
"""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedStore
from app.graph.loader import load
from app.graph.store import LoadVerificationError
from app.main import create_app
from app.seed import SeedGraph
from app.services.knowledge_backup import KnowledgeFileError, export_knowledge, read_knowledge
from app.services.tokens import TokenFile
from tests.conftest import SEED_DIR, embedded_settings
from tests.knowledge.served import cli
from tests.knowledge.test_knowledge_api import SOLUTION


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, embedded_path: Path) -> Path:
    """A store with every kind of knowledge written through the API: created, changed, adopted, deleted."""
    folder = tmp_path_factory.mktemp("backup") / "graph"
    shutil.copytree(embedded_path, folder)
    editor = {"Authorization": f"Bearer {TokenFile(folder / 'tokens.json').create('ed', 'editor')}"}
    with TestClient(create_app(embedded_settings(folder))) as api:
        created = api.post("/api/solutions", json={**SOLUTION, "developed_by": ["Ærø", "Region Syddanmark"]}, headers=editor)
        assert created.status_code == 201, created.text
        slug = created.json()["slug"]
        assert api.patch(
            f"/api/solutions/{slug}", json={"status": "implemented"}, headers={**editor, "If-Match": '"1"'}
        ).is_success
        adoption = {"municipality": "Køge", "status": "adopted", "date": "2025-06-01", "note": "«vedtaget»"}
        assert api.post(f"/api/solutions/{slug}/adoptions", json=adoption, headers=editor).status_code == 201
        gone = api.post("/api/solutions", json={**SOLUTION, "name": "Kortlivet løsning"}, headers=editor).json()
        assert api.delete(f"/api/solutions/{gone['slug']}", headers={**editor, "If-Match": '"1"'}).status_code == 204
        source = {"title": "Måling i pilotkommunen", "url": "https://example.dk/maaling"}
        observation = {"subject": "Ærø", "indicator": "carl", "value": 3, "date": "2025-05-01", "source": source}
        assert api.post("/api/observations", json=observation, headers=editor).status_code == 201
        resource = {"title": "Vejledning om skovrejsning", "kind": "guide", "url": "https://example.dk/guide", "language": "da"}
        resource |= {"tasks": ["T.5.3"], "solutions": [slug]}
        assert api.post("/api/resources", json=resource, headers=editor).status_code == 201
    gc.unfreeze()
    return folder


def test_export_import_export_gives_identical_files(written: Path, tmp_path: Path, seed_graph: SeedGraph) -> None:
    first = tmp_path / "first"
    done = cli(written, "knowledge", "export", "--output", str(first))
    assert done.returncode == 0, done.stderr
    exported = files(first)
    assert set(exported) == {
        "manifest.json",
        "changes.jsonl",
        "nodes/Solution.jsonl",
        "nodes/Adoption.jsonl",
        "nodes/Observation.jsonl",
        "nodes/Resource.jsonl",
        "relationships/ABOUT.jsonl",
        "relationships/ADOPTS.jsonl",
        "relationships/BELONGS_TO.jsonl",
        "relationships/DEVELOPED.jsonl",
        "relationships/OF_SOLUTION.jsonl",
        "relationships/MEASURES.jsonl",
        "relationships/OBSERVES.jsonl",
        "relationships/SERVES.jsonl",
    }
    changes = [json.loads(line) for line in exported["changes.jsonl"].decode().splitlines()]
    assert [(c["seq"], c["action"]) for c in changes] == [
        (1, "create"),
        (2, "update"),
        (3, "create"),
        (4, "create"),
        (5, "delete"),
        (6, "create"),
        (7, "create"),
    ]
    assert changes[1]["before"]["status"] == "piloting" and changes[1]["after"]["status"] == "implemented"
    developed = exported["relationships/DEVELOPED.jsonl"].decode()
    assert "Region" in developed and "Municipality" in developed  # one file per type, every shape in it
    assert "«vedtaget»" in exported["nodes/Adoption.jsonl"].decode()  # text kept as text, not \u-escaped
    for line in exported["nodes/Solution.jsonl"].decode().splitlines():
        assert list(json.loads(line)) == sorted(json.loads(line))

    fresh = tmp_path / "fresh"
    EmbeddedStore(fresh).replace_graph(seed_graph)
    done = cli(fresh, "knowledge", "import", str(first))
    assert done.returncode == 0, done.stderr
    assert "imported 4 nodes" in done.stdout
    second = tmp_path / "second"
    assert cli(fresh, "knowledge", "export", "--output", str(second)).returncode == 0
    assert files(second) == exported

    # Importing again changes nothing, and the next write continues the audit trail's numbering.
    store = EmbeddedStore(fresh)
    try:
        load(store, SEED_DIR, extra=read_knowledge(first))
        export_knowledge(store, second)
        assert files(second) == exported
        assert store.version.endswith("#7")
    finally:
        store.close()


def test_a_broken_file_is_refused_naming_file_line_and_field(written: Path, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    store = EmbeddedStore(written)
    try:
        export_knowledge(store, folder)
        generation = store.generation
    finally:
        store.close()
    path = folder / "nodes" / "Adoption.jsonl"
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**record, "version": "two"}) + "\n", encoding="utf-8")
    (folder / "relationships" / "SERVES.jsonl").write_text(
        json.dumps({"from_label": "Task", "to_label": "Solution", "source_id": "a", "target_id": "b"}) + "\n", encoding="utf-8"
    )
    done = cli(written, "knowledge", "import", str(folder))
    assert done.returncode == 2, done.stderr
    assert "nodes/Adoption.jsonl line 1: field version" in done.stderr
    assert "relationships/SERVES.jsonl line 1: field from_label/to_label" in done.stderr
    store = EmbeddedStore(written)
    try:
        assert store.generation == generation  # nothing was loaded
    finally:
        store.close()
    with pytest.raises(KnowledgeFileError, match=r"no manifest\.json"):
        read_knowledge(tmp_path)


def test_an_import_that_contradicts_the_store_changes_nothing(written: Path, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    store = EmbeddedStore(written)
    try:
        export_knowledge(store, folder)
        path = folder / "nodes" / "Solution.jsonl"
        record = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**record, "summary": "En anden tekst"}, sort_keys=True) + "\n", encoding="utf-8")
        generation = store.generation
        with pytest.raises(LoadVerificationError, match=rf"Solution {record['id']} exists with other values \(summary\)"):
            load(store, SEED_DIR, extra=read_knowledge(folder))
        assert store.generation == generation
    finally:
        store.close()
    other = tmp_path / "not-an-export"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    done = cli(written, "knowledge", "export", "--output", str(other))
    assert done.returncode == 2 and "holds other files" in done.stderr
