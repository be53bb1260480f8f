"""The servers the bench starts keep their stderr, so a run can say why an answer was slow."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from app.benchmark.server import serve
from app.seed import SeedGraph
from tests.conftest import SEED_DIR, seeded_store


def test_a_served_store_that_finds_its_pool_full_says_so_in_the_warnings_the_bench_keeps(
    tmp_path_factory: pytest.TempPathFactory, seed_graph: SeedGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a store of its own: where another app of this test run serves the shared one, the server
    # rightly warns that it is not the one `lifeact load` hands loads to
    store_path = seeded_store(tmp_path_factory, seed_graph, "pool-full")
    monkeypatch.setenv("LIFEACT_EMBEDDED_BUFFER_POOL_MB", "24")  # too small for shortest paths (75 MB on the seed)
    with serve(store_path, SEED_DIR) as server:
        assert server.warnings() == []
        query = urllib.parse.urlencode({"source": "Samsø", "target": "Vejle"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server.base_url}/api/paths?{query}", timeout=60)
        assert refused.value.code == 503
        warnings = server.warnings()
    assert len(warnings) == 2, warnings  # the store's, then the API's for the 503
    assert warnings[0].startswith("WARNING lifeact.store: the 24 MB buffer pool of gen-")
    assert ": failed after 2 retries and " in warnings[0]
    assert warnings[1].startswith("WARNING lifeact.api: store memory exceeded on /api/paths")
