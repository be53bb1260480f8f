"""Run the analyst notebooks top to bottom, as the tests do, and optionally save their outputs.

    .venv/bin/python notebooks/run.py                 # run every notebook; stop at the first error
    .venv/bin/python notebooks/run.py --save          # ... and write the outputs back into the files
    .venv/bin/python notebooks/run.py 01_overlap_analysis.ipynb

The kernel is this Python (the project's venv, with ipykernel installed by `make setup`),
described by a kernel spec written to a temporary folder: no kernel needs registering, and
a `python3` kernel spec elsewhere on the machine (another Python, without the project's
packages) cannot be picked up by mistake. Each notebook runs in its own working folder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = NOTEBOOK_DIR.parent
KERNEL_NAME = "lifeact-python"
CELL_TIMEOUT = 300  # seconds; a cell that takes longer is a bug, not a slow machine


def notebooks() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def kernel_manager(spec_dir: Path) -> AsyncKernelManager:
    """A kernel manager that starts ipykernel in this very Python."""
    kernel = spec_dir / KERNEL_NAME
    kernel.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (LIFE ACT)",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(spec_dir)], ensure_native_kernel=False)
    # TCP on 127.0.0.1 only (jupyter_client's default); ipykernel logs a warning that it is unencrypted.
    return AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs, ip="127.0.0.1")


def execute(path: Path, workdir: Path, env: Mapping[str, str] | None = None) -> nbformat.NotebookNode:
    """Run one notebook in `workdir` with `env` (default: this process's); raise on the first error.

    Returns the notebook with its outputs; the file itself is left alone.
    """
    notebook = nbformat.read(path, as_version=4)
    kernel_env = dict(os.environ if env is None else env)
    kernel_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), kernel_env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory(prefix="lifeact-kernel-") as spec_dir:
        client = NotebookClient(
            notebook,
            km=kernel_manager(Path(spec_dir)),
            timeout=CELL_TIMEOUT,
            allow_errors=False,
            resources={"metadata": {"path": str(workdir)}},
        )
        client.execute(env=kernel_env)
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebook files (default: every notebooks/*.ipynb)")
    parser.add_argument("--save", action="store_true", help="write the outputs back into each notebook")
    args = parser.parse_args(argv)
    paths = [Path(p) if Path(p).exists() else NOTEBOOK_DIR / p for p in args.notebooks] or notebooks()
    for path in paths:
        with tempfile.TemporaryDirectory(prefix="lifeact-notebook-") as workdir:
            print(f"running {path.name} …", flush=True)
            executed = execute(path, Path(workdir))
        if args.save:
            nbformat.write(executed, path)
            print(f"saved {path.name} with its outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
