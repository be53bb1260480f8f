"""Every analyst notebook runs top to bottom against a fresh embedded store, with no server,
through notebooks/run.py (nbclient and an ipykernel in this venv): any error fails the test."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from app.settings import PROJECT_ROOT
from tests.conftest import SEED_DIR


def _load_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lifeact_notebook_runner", PROJECT_ROOT / "notebooks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
NOTEBOOKS = runner.notebooks()


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment a notebook kernel gets: an empty embedded store of its own, and
    IPython's and Jupyter's files in the test's folder rather than the home directory."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "jupyter-runtime"))  # connection files
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIFEACT_", "NEO4J_"))}
    env.update(
        {
            "LIFEACT_BACKEND": "embedded",
            "LIFEACT_EMBEDDED_PATH": str(tmp_path / "graph"),
            "LIFEACT_SEED_PATH": str(SEED_DIR),
            "IPYTHONDIR": str(tmp_path / "ipython"),
            "MPLCONFIGDIR": str(tmp_path / "matplotlib"),
        }
    )
    return env


def test_the_analyst_notebooks_are_there() -> None:
    assert "01_overlap_analysis.ipynb" in [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, kernel_env: dict[str, str]) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    before = path.read_bytes()
    executed = runner.execute(path, workdir, kernel_env)
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert code_cells and all(cell.execution_count for cell in code_cells)
    assert not [out for cell in code_cells for out in cell.outputs if out.output_type == "error"]
    # It used the store it was given (loading the seed into it), not the project's data/graph.
    assert (tmp_path / "graph" / "CURRENT").is_file()
    assert path.read_bytes() == before, "running a notebook in the tests must not change the file"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_saved_with_its_outputs(path: Path) -> None:
    """Readers see the results without running anything (e.g. on a code host)."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["language"] == "python"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1)), "run it top to bottom, then save"
    outputs = [out for cell in code_cells for out in cell.outputs]
    assert outputs and not [out for out in outputs if out.output_type == "error"]
    assert any("image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {}) for out in outputs)


def test_the_runner_fails_on_an_error(tmp_path: Path, kernel_env: dict[str, str]) -> None:
    broken = tmp_path / "broken.ipynb"
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("from app.explorer import Explorer"),
            nbformat.v4.new_code_cell("Explorer.open().overlap('Samsø', 'Atlantis')"),
        ]
    )
    nbformat.write(notebook, broken)
    # The explorer speaks the default language (Danish): "ukendt kommune: 'Atlantis'"
    with pytest.raises(CellExecutionError, match=r"NotFound.*: ukendt kommune: 'Atlantis'"):
        runner.execute(broken, tmp_path, kernel_env)
