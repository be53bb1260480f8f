"""Exports are written as they are read: bounded pages from the store, bytes out in chunks, in
memory that does not grow with the graph, from one generation of the graph."""

from __future__ import annotations

import io
import struct
import threading
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedStore
from app.graph.store import GraphStore
from app.main import create_app
from app.seed import SeedGraph, load_seed
from app.services import exports
from app.synth import SynthSizes, synth_graph
from tests.conftest import SEED_DIR, embedded_settings
from tests.exports.test_exports import READERS

FORMATS = list(exports.FORMAT_NAMES)

SEED_NODES = sum(load_seed(SEED_DIR).node_counts().values())  # every node the seed loads


# -- the same file, whatever the page size ------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_small_pages_give_the_same_bytes_as_one_read(embedded_path: Path, fmt: str) -> None:
    """Keyset pagination loses and repeats nothing: 7 rows a page (many page boundaries, some
    between two relationships of one source) gives the same file as pages bigger than the graph,
    and the in-memory path (collect, render) gives it too."""
    store = EmbeddedStore(embedded_path)
    try:
        whole = b"".join(exports.ExportStream(store, fmt, page_size=100_000))
        assert b"".join(exports.ExportStream(store, fmt, page_size=7)) == whole
        assert exports.render(exports.collect(store, page_size=7), fmt) == whole
        graph = READERS[fmt](whole)
        assert len(graph.nodes) == SEED_NODES and len(graph.edges) == sum(store.counts().relationships.values())
    finally:
        store.close()


def test_the_csv_zip_is_streamed_with_data_descriptors_and_can_be_zip64(
    embedded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(embedded_path)
    try:
        with zipfile.ZipFile(io.BytesIO(b"".join(exports.ExportStream(store, "csv")))) as archive:
            assert archive.testzip() is None
            assert all(info.flag_bits & 0x08 for info in archive.infolist())  # sizes after the data
        monkeypatch.setattr(exports, "ZIP64_ROWS", 10)  # as if the graph had millions of rows
        data = b"".join(exports.ExportStream(store, "csv"))
        assert struct.unpack_from("<4sH", data) == (b"PK\x03\x04", zipfile.ZIP64_VERSION)  # a Zip64 entry
        assert len(READERS["csv"](data).nodes) == SEED_NODES
    finally:
        store.close()


# -- constant memory ----------------------------------------------------------------------------------
PAGE = 1_000
SIZES = (1_000, 10_000)  # municipalities; everything else grows with them


@pytest.fixture(scope="module")
def synthetic_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, EmbeddedStore]]:
    stores = {}
    for municipalities in SIZES:
        store = EmbeddedStore(tmp_path_factory.mktemp(f"synth-{municipalities}"))
        store.bulk_replace_graph(synth_graph(SynthSizes(municipalities, municipalities // 400, municipalities // 50)))
        stores[municipalities] = store
    yield stores
    for store in stores.values():
        store.close()


def export_peak(store: GraphStore, fmt: str) -> tuple[float, int]:
    """Peak Python allocation (MiB) while the export is consumed into a sink that keeps nothing."""
    tracemalloc.start()
    try:
        size = 0
        for chunk in exports.ExportStream(store, fmt, page_size=PAGE):
            size += len(chunk)
        return tracemalloc.get_traced_memory()[1] / 2**20, size
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", FORMATS)
def test_memory_does_not_grow_with_the_graph(synthetic_stores: dict[int, EmbeddedStore], fmt: str) -> None:
    small, large = (synthetic_stores[n] for n in SIZES)
    assert sum(large.counts().nodes.values()) > 9 * sum(small.counts().nodes.values())
    small_peak, small_size = export_peak(small, fmt)
    large_peak, large_size = export_peak(large, fmt)
    assert large_size > 8 * small_size  # ten times the graph, about ten times the file ...
    print(f"{fmt}: peak {small_peak:.2f} MiB for {small_size:,} bytes, {large_peak:.2f} MiB for {large_size:,} bytes")
    assert large_peak < 1.5 * small_peak + 1.0, (small_peak, large_peak)  # ... in the same memory
    assert large_peak < 16, large_peak  # a page of PAGE rows and a chunk or two, not the file


# -- the API streams ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_download_starts_before_the_export_is_read(
    embedded_client: TestClient, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The export is held before it reads its first relationship until the client has the file's
    first bytes: so they were sent while the rest was still to be read (and no Content-Length)."""
    held, release = threading.Event(), threading.Event()
    read_edges = exports.PagedReader.edges

    def held_edges(reader: exports.PagedReader) -> Iterator[exports.NamedEdge]:
        held.set()
        if not release.wait(20):
            raise AssertionError("the client never got the first bytes: the response is not streamed")
        yield from read_edges(reader)

    monkeypatch.setattr(exports.PagedReader, "edges", held_edges)
    with embedded_client.stream("GET", "/api/export", params={"format": fmt}) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        chunks = response.iter_bytes()
        first = next(chunks)
        assert first and not release.is_set()
        release.set()
        data = first + b"".join(chunks)
    assert held.is_set()
    assert len(READERS[fmt](data).nodes) == SEED_NODES


def test_a_download_keeps_its_generation_through_a_reload(tmp_path: Path, seed_graph: SeedGraph) -> None:
    """Another process reloads the graph while a download is under way: the file is still whole
    and from the generation it started on (the embedded store holds that generation)."""
    path = tmp_path / "graph"
    with TestClient(create_app(embedded_settings(path))) as client:
        before = client.get("/health").json()["generation"]
        with client.stream("GET", "/api/export", params={"format": "graphml"}) as response:
            assert response.headers["etag"] == f'"{before}-graphml"'
            chunks = response.iter_bytes()
            first = next(chunks)
            loader = EmbeddedStore(path)  # as `lifeact load` in another process
            try:
                after = loader.replace_graph(seed_graph).generation
            finally:
                loader.close()
            data = first + b"".join(chunks)
        assert after != before
        graph = nx.read_graphml(io.BytesIO(data))
        assert graph.graph["generation"] == before and graph.number_of_nodes() == SEED_NODES
        assert client.get("/health").json()["generation"] == after
        latest = nx.read_graphml(io.BytesIO(client.get("/api/export", params={"format": "graphml"}).content))
        assert latest.graph["generation"] == after and latest.number_of_nodes() == SEED_NODES


class UnpinnedStore(EmbeddedStore):
    """An embedded store that does not hold a generation for an export, as Neo4j cannot."""

    pinned = GraphStore.pinned


def test_a_reload_during_an_export_that_cannot_hold_its_generation_stops_it(tmp_path: Path, seed_graph: SeedGraph) -> None:
    store = UnpinnedStore(tmp_path / "graph")
    try:
        first = store.replace_graph(seed_graph).generation
        stream = exports.ExportStream(store, "json", page_size=50)
        head = next(stream)
        assert stream.generation == first and head.startswith(b"{")
        store.replace_graph(seed_graph)
        with pytest.raises(exports.GraphChanged, match="reloaded while it was being exported"):
            for _ in stream:
                pass
        # The command writes nothing in that case.
        stream = exports.ExportStream(store, "json", page_size=50)
        next(stream)
        store.replace_graph(seed_graph)
        output = tmp_path / "out" / "graph.json"
        with pytest.raises(exports.GraphChanged):
            exports.save(stream, output)
        assert list(output.parent.iterdir()) == []
    finally:
        store.close()
