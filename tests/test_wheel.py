"""`pip install .` gives a working explorer, away from the checkout.

The wheel is built offline (no build isolation: setuptools comes from the test extra) from exactly
the files the Dockerfile copies, and installed on its own into a fresh venv. That venv gets only
the wheel's declared dependencies, linked in from this environment's site-packages (so nothing is
downloaded and no test-only package is there). From a folder outside the repository, with no
PYTHONPATH, `lifeact load` and `lifeact serve` must work, and `app` must come from the venv.
"""

from __future__ import annotations

import ast
import email
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from app.settings import PROJECT_ROOT
from tests.views.browser import free_port

# Imported by the app only where it copes with their absence, and offered as the `bench` extra.
OPTIONAL = {"playwright": "bench"}


def build_inputs() -> list[str]:
    """What the Dockerfile's build stage copies: the wheel's whole source."""
    inputs: list[str] = []
    in_build_stage = False
    for line in (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words[:1] == ["FROM"]:
            in_build_stage = words[-2:] == ["AS", "build"]
        elif in_build_stage and words[:1] == ["COPY"] and not words[1].startswith("--"):
            inputs += words[1:-1]
    return inputs


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload]
    shown = " ".join(map(str, command))
    assert done.returncode == 0, f"{shown} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in build_inputs():
        origin = PROJECT_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, source / name)
    dist = tmp_path_factory.mktemp("dist")
    offline = ["--no-deps", "--no-build-isolation", "--no-index", "-q"]
    run([sys.executable, "-m", "pip", "wheel", *offline, "-w", str(dist), str(source)])
    (built,) = dist.glob("lifeact_explorer-*.whl")
    return built


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        message = email.message_from_bytes(archive.read(name))
    return [Requirement(line) for line in message.get_all("Requires-Dist") or []]


def dependency_closure(requirements: list[Requirement]) -> set[str]:
    """The distributions a plain install brings: the unconditional requirements, transitively."""
    seen: set[str] = set()
    pending = [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(requirement.name) or []:
            child = Requirement(line)
            if child.marker is None or child.marker.evaluate({"extra": ""}):
                pending.append(child)
    return seen


def link_distributions(names: set[str], site_packages: Path) -> None:
    """Each distribution's top-level files and folders, linked from this environment."""
    for name in sorted(names):
        dist = metadata.distribution(name)
        assert dist.files is not None, f"{name} has no RECORD; cannot tell its files"
        for top in sorted({Path(str(file)).parts[0] for file in dist.files}):
            if top.startswith("..") or top == "__pycache__" or (site_packages / top).exists():
                continue
            (site_packages / top).symlink_to(Path(str(dist.locate_file(top))))


@dataclass(frozen=True)
class Installed:
    venv: Path
    site_packages: Path
    workdir: Path  # outside the repository
    env: dict[str, str]

    def lifeact(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run([str(self.venv / "bin" / "lifeact"), *args], cwd=self.workdir, env={**self.env, **env})

    def python(self, code: str) -> str:
        return run([str(self.venv / "bin" / "python"), "-c", code], cwd=self.workdir, env=self.env).stdout


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", "--clear", str(venv)])
    python = venv / "bin" / "python"
    site_packages = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)])
    link_distributions(dependency_closure(wheel_requirements(wheel)), site_packages)
    workdir = tmp_path_factory.mktemp("elsewhere")
    assert not workdir.resolve().is_relative_to(PROJECT_ROOT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIFEACT_", "NEO4J_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(LIFEACT_LANGUAGE="en", PYTHONNOUSERSITE="1", PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return Installed(venv, site_packages, workdir, env)


def relative_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_the_wheel_carries_queries_seed_static_files_and_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {
        "cypher": "app/bundled/cypher",
        "seed": "app/bundled/seed",
        "app/static": "app/static",
        "app/templates": "app/templates",
    }
    for folder, inside in expected.items():
        files = relative_files(PROJECT_ROOT / folder)
        assert files, folder
        missing = sorted(f"{inside}/{f}" for f in files if f"{inside}/{f}" not in names)
        assert not missing, f"the wheel lacks {missing}"
    assert not any(name.startswith(("tests/", "cypher/", "seed/", "notebooks/")) for name in names)


def test_the_fresh_venv_imports_app_from_the_wheel(installed: Installed) -> None:
    report = json.loads(
        installed.python(
            "import json, sys, app, app.paths as p; from app.settings import Settings; s = Settings(); "
            "print(json.dumps({'app': app.__file__, 'checkout': p.IN_CHECKOUT, 'seed': str(p.SEED_DIR), "
            "'cypher': str(p.CYPHER_DIR), 'seed_setting': str(s.seed_path), 'store': str(s.embedded_path), "
            "'path': sys.path}))"
        )
    )
    assert Path(report["app"]).is_relative_to(installed.site_packages), report["app"]
    assert not report["checkout"]
    assert Path(report["seed"]).is_relative_to(installed.site_packages) and Path(report["seed"], "municipalities.csv").is_file()
    assert Path(report["cypher"], "neo4j").is_dir() and Path(report["seed_setting"]) == Path(report["seed"])
    assert report["store"] == "data/graph"  # under the working directory, never inside site-packages
    assert not any(entry and Path(entry).resolve().is_relative_to(PROJECT_ROOT) for entry in report["path"]), report["path"]


def test_every_third_party_import_is_installed_by_a_plain_install(installed: Installed, wheel: Path) -> None:
    """Each module the app imports (at the top or inside a function) imports in the fresh venv,
    which has only the declared dependencies: what `lifeact bench` needs is not test-only."""
    modules: set[str] = set()
    for path in (PROJECT_ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)
    third_party = sorted(m for m in modules if m.split(".")[0] not in {*sys.stdlib_module_names, "app", *OPTIONAL})
    assert "networkx" in third_party  # imported only inside the functions that draw or analyse
    failed = json.loads(
        installed.python(
            "import importlib, json, sys\nfailed = {}\n"
            f"for name in {third_party!r}:\n"
            "    try:\n        importlib.import_module(name)\n"
            "    except Exception as exc:\n        failed[name] = f'{type(exc).__name__}: {exc}'\n"
            "print(json.dumps(failed))"
        )
    )
    assert failed == {}, f"a plain install cannot import these: {failed}"
    offered = [(canonicalize_name(r.name), r.marker) for r in wheel_requirements(wheel) if r.marker is not None]
    for package, extra in OPTIONAL.items():
        assert any(name == package and marker.evaluate({"extra": extra}) for name, marker in offered), (
            f"{package} is not offered as the {extra} extra"
        )


def test_every_command_answers_help(installed: Installed) -> None:
    usage = installed.lifeact("--help").stdout  # the console script itself
    # the choices of the command, not of `--lang {da,en}` that comes before it
    choices = [group.split(",") for group in re.findall(r"\{([a-z,]+)\}", usage)]
    commands = next((names for names in choices if "load" in names), [])
    assert {"load", "serve", "stats", "export", "bench", "synth", "brief"} <= set(commands)
    # Each command's own --help, in one process (an interpreter start costs seconds here).
    codes = json.loads(
        installed.python(
            "import contextlib, io, json\nfrom app.cli import build_parser\ncodes = {}\n"
            f"for command in {commands!r}:\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try:\n            build_parser().parse_args([command, '--help'])\n"
            "        except SystemExit as exit:\n            codes[command] = exit.code\n"
            "print(json.dumps(codes))"
        )
    )
    assert codes == dict.fromkeys(commands, 0)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[str]:
    """`lifeact load` into a store in the working folder, then `lifeact serve` on it."""
    store = str(installed.workdir / "graph")
    loaded = installed.lifeact("load", LIFEACT_EMBEDDED_PATH=store)
    assert "loaded" in loaded.stdout and "Municipality" in loaded.stdout
    port = free_port()
    process = subprocess.Popen(
        [str(installed.venv / "bin" / "lifeact"), "serve", "--port", str(port), "--log-level", "warning"],
        cwd=installed.workdir,
        env={**installed.env, "LIFEACT_EMBEDDED_PATH": store},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"lifeact serve stopped: {process.stderr.read()[-3000:]}")  # type: ignore[union-attr]
            try:
                if get(origin + "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "lifeact serve did not answer within 60 s"
            time.sleep(0.2)
        yield origin
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_installed_server_answers(served: str) -> None:
    status, _, body = get(served + "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"

    status, _, body = get(served + "/api/municipalities/Sams%C3%B8")
    assert status == 200 and json.loads(body)["name"] == "Samsø"

    status, headers, body = get(served + "/views/graph?center=Sams%C3%B8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"/static/vendor/vis-network-9.1.2/vis-network.min.js" in body

    vendored = "vendor/vis-network-9.1.2/vis-network.min.js"
    status, _, body = get(f"{served}/static/{vendored}")
    assert status == 200 and body == (PROJECT_ROOT / "app" / "static" / vendored).read_bytes()

    for page in ("/docs", "/redoc"):
        status, _, body = get(served + page)
        assert status == 200
        assets = re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', body.decode())
        assert assets
        for asset in assets:
            assert get(served + asset)[0] == 200, asset
