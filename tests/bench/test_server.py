"""The servers the bench starts keep their stderr, so a run can say why an answer was slow."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app.benchmark.server import serve
from tests.conftest import SEED_DIR


def test_a_served_store_that_finds_its_pool_full_says_so_in_the_warnings_the_bench_keeps(
    embedded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIFEACT_EMBEDDED_BUFFER_POOL_MB", "24")  # too small for shortest paths (75 MB on the seed)
    with serve(embedded_path, SEED_DIR) as server:
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
