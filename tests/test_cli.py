"""The `lifeact` command as a new user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.i18n import language_from_environment
from app.seed import load_seed
from app.settings import PROJECT_ROOT
from tests.conftest import SEED_DIR

SEED_ROWS = load_seed(SEED_DIR).row_count()  # what a load of the seed writes, whatever the seed holds


def lifeact(
    *args: str, env_path: Path, seed: Path = SEED_DIR, language: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`language`: the variables that choose the CLI's language; by default English, the language
    most tests below read (the language tests at the end give their own, or none for the default)."""
    env = {"LIFEACT_EMBEDDED_PATH": str(env_path), "LIFEACT_SEED_PATH": str(seed), "PATH": "/usr/bin:/bin"}
    env.update({"LIFEACT_LANGUAGE": "en"} if language is None else language)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_load_then_stats(tmp_path: Path) -> None:
    empty = lifeact("stats", "--json", env_path=tmp_path)
    assert empty.returncode == 0 and json.loads(empty.stdout)["generation"] is None
    loaded = lifeact("load", env_path=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "Municipality" in loaded.stdout and "98" in loaded.stdout
    stats = json.loads(lifeact("stats", "--json", env_path=tmp_path).stdout)
    assert stats["nodes"]["Municipality"] == 98 and stats["relationships"]["PARTICIPATES_IN"] == 76


def test_a_broken_seed_exits_2_and_keeps_the_graph(tmp_path: Path) -> None:
    assert lifeact("load", env_path=tmp_path / "graph").returncode == 0
    before = lifeact("stats", "--json", env_path=tmp_path / "graph").stdout
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    text = (seed / "work_packages.yaml").read_text(encoding="utf-8")
    (seed / "work_packages.yaml").write_text(
        text.replace("Frederikssund, Hjørring", "Frederiksund, Hjørring", 1), encoding="utf-8"
    )
    result = lifeact("load", env_path=tmp_path / "graph", seed=seed)
    assert result.returncode == 2
    assert "work_packages.yaml" in result.stderr and "WP4" in result.stderr and "Frederiksund" in result.stderr
    assert lifeact("stats", "--json", env_path=tmp_path / "graph").stdout == before


@pytest.mark.parametrize("args", [["--help"], ["load", "--help"], ["serve", "--help"], ["stats", "--help"]])
def test_help(args: list[str], tmp_path: Path) -> None:
    result = lifeact(*args, env_path=tmp_path)
    assert result.returncode == 0 and "usage: lifeact" in result.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _read_response(connection: Any) -> bytes:
    """One whole HTTP/1.1 response (headers, then Content-Length bytes), however TCP splits it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection before answering"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection mid-answer"
        body += chunk
    assert len(body) == length, "more bytes than the answer: the connection is out of step"
    return head


@pytest.mark.parametrize(("setting", "idle", "open_after"), [(None, 5.5, True), ("1", 2.5, False)])
def test_serve_keeps_idle_connections_as_long_as_the_setting_says(
    embedded_path: Path, setting: str | None, idle: float, open_after: bool
) -> None:
    """uvicorn's own 5 s would close a connection a client (httpx: 5 s) may be reusing just then."""
    import os
    import socket
    import time

    port = _free_port()
    env = {**os.environ, "LIFEACT_EMBEDDED_PATH": str(embedded_path), "LIFEACT_SEED_PATH": str(SEED_DIR)}
    env.pop("LIFEACT_KEEP_ALIVE_SECONDS", None)
    if setting is not None:
        env["LIFEACT_KEEP_ALIVE_SECONDS"] = setting
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "warning"], cwd=PROJECT_ROOT, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "lifeact serve did not start"
                time.sleep(0.2)
        with connection:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert _read_response(connection).startswith(b"HTTP/1.1 200")
            time.sleep(idle)
            connection.settimeout(0.5)
            try:
                closed = connection.recv(1) == b""
            except TimeoutError:
                closed = False
            assert closed is not open_after
            if open_after:  # and the kept connection still serves
                connection.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                assert _read_response(connection).startswith(b"HTTP/1.1 200")
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [("LIFEACT_KEEP_ALIVE_SECONDS", "abc", "is not a number"), ("LIFEACT_WARM_ON_START", "maybe", "is not a yes/no value")],
)
def test_a_bad_setting_is_named_with_what_it_takes(tmp_path: Path, variable: str, value: str, expected: str) -> None:
    env = {"LIFEACT_EMBEDDED_PATH": str(tmp_path), "PATH": "/usr/bin:/bin", "LIFEACT_LANGUAGE": "en", variable: value}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "stats"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert f"the setting {variable}='{value}' {expected}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())  # nothing was opened or written


@pytest.mark.parametrize(
    ("args", "steps"),
    [
        (
            ["load"],
            [f"validate seed: {SEED_ROWS} rows", f"write: {SEED_ROWS}/{SEED_ROWS} rows", f"verify: {SEED_ROWS}/{SEED_ROWS} rows"],
        ),
        (
            ["export", "--format", "graphml", "--output", "{tmp}/graph.graphml"],
            [
                f"seed: validate seed: {SEED_ROWS} rows",
                f"seed: verify: {SEED_ROWS}/{SEED_ROWS} rows",
                "read and write graphml: ",  # streamed: read a page, write it, in one step
            ],
        ),
        (
            ["synth", "--municipalities", "100", "--regions", "2", "--projects", "3", "--out", "{tmp}/synth"],
            ["build graph: 103/103 projects and municipalities", "bulk load: ", "verify: "],
        ),
    ],
    ids=["load", "export", "synth"],
)
def test_long_commands_print_a_line_per_step_to_a_pipe(tmp_path: Path, args: list[str], steps: list[str]) -> None:
    result = lifeact(*[a.replace("{tmp}", str(tmp_path)) for a in args], env_path=tmp_path / "graph")
    assert result.returncode == 0, result.stderr
    command = args[0]
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"lifeact {command}: ")]
    for step in steps:
        assert any(line.startswith(f"lifeact {command}: {step}") for line in lines), (step, result.stderr)
    assert all(line.endswith(" s)") for line in lines)  # each with its time
    assert "\x1b[" not in result.stderr  # no bars off a terminal
    assert "HTTP Request" not in result.stderr and "Warning" not in result.stderr
    assert f"lifeact {command}:" not in result.stdout  # progress on stderr; stdout keeps the answer


# One language at a time: Danish by default and with LIFEACT_LANGUAGE=da or a Danish locale,
# English with LIFEACT_LANGUAGE=en, an English locale or --lang en; machine output the same in both.
DANISH: list[dict[str, str]] = [{}, {"LIFEACT_LANGUAGE": "da"}, {"LANG": "da_DK.UTF-8"}, {"LANG": "C.UTF-8"}]
ENGLISH: list[dict[str, str]] = [
    {"LIFEACT_LANGUAGE": "en"},
    {"LANG": "en_GB.UTF-8"},
    {"LC_ALL": "en_US.UTF-8", "LANG": "da_DK.UTF-8"},  # LC_ALL before LANG, as POSIX orders them
    {"LIFEACT_LANGUAGE": "en", "LANG": "da_DK.UTF-8"},  # the setting before the locale
]
CHOICES = [("da", env) for env in DANISH] + [("en", env) for env in ENGLISH]
TOKEN_CREATED = {
    "da": "oprettede editor-token 'ann'; det vises kun én gang",
    "en": "created editor token 'ann'; it is shown once",
}


@pytest.mark.parametrize(("language", "env"), CHOICES, ids=[f"{lang}-{env}" for lang, env in CHOICES])
def test_tokens_create_speaks_the_chosen_language_and_keeps_the_token_last(
    tmp_path: Path, language: str, env: dict[str, str]
) -> None:
    result = lifeact("tokens", "create", "--name", "ann", "--role", "editor", env_path=tmp_path, language=env)
    assert result.returncode == 0, result.stderr
    *said, token = result.stdout.rstrip("\n").splitlines()
    assert TOKEN_CREATED[language] in said[-1] and TOKEN_CREATED["da" if language == "en" else "en"] not in result.stdout
    assert token.startswith("lifeact_") and " " not in token  # `tail -n 1` gives the token in either language


@pytest.mark.parametrize(
    ("env", "args", "said"),
    [
        ({"LANG": "en_GB.UTF-8"}, ["--lang", "da", "tokens", "list"], "ingen tokens"),  # --lang before the command
        ({}, ["tokens", "list", "--lang", "en"], "no tokens"),  # or after it
        ({"LIFEACT_LANGUAGE": "da"}, ["tokens", "--lang=en", "list"], "no tokens"),
    ],
)
def test_the_lang_option_wins_wherever_it_stands(tmp_path: Path, env: dict[str, str], args: list[str], said: str) -> None:
    result = lifeact(*args, env_path=tmp_path, language=env)
    assert result.returncode == 0 and result.stdout.strip() == said, result


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", ["brug: lifeact tokens create", "lifeact tokens create: fejl: argument --role: ugyldigt valg: 'owner'"]),
        ("en", ["usage: lifeact tokens create", "lifeact tokens create: error: argument --role: invalid choice: 'owner'"]),
    ],
)
def test_a_bad_argument_is_reported_in_the_chosen_language(tmp_path: Path, language: str, expected: list[str]) -> None:
    env = {"LIFEACT_LANGUAGE": language}
    result = lifeact("tokens", "create", "--name", "x", "--role", "owner", env_path=tmp_path, language=env)
    assert result.returncode == 2 and result.stdout == ""
    for line in expected:
        assert line in result.stderr, result.stderr
    assert "'editor', 'admin'" in result.stderr  # the values themselves as the command spells them
    missing = lifeact("tokens", "create", "--role", "editor", env_path=tmp_path, language=env)
    required = {"da": "følgende argumenter er påkrævet: --name", "en": "the following arguments are required: --name"}
    assert missing.returncode == 2 and required[language] in missing.stderr


@pytest.mark.parametrize(
    ("language", "words"),
    [("da", ["brug: lifeact", "tilvalg:", "kommandoer:"]), ("en", ["usage: lifeact", "options:", "commands:"])],
)
def test_help_in_the_chosen_language(tmp_path: Path, language: str, words: list[str]) -> None:
    result = lifeact("--help", env_path=tmp_path, language={"LIFEACT_LANGUAGE": language})
    assert result.returncode == 0 and all(word in result.stdout for word in words), result.stdout


def test_an_unknown_language_is_a_bad_setting(tmp_path: Path) -> None:
    result = lifeact("stats", env_path=tmp_path, language={"LIFEACT_LANGUAGE": "fr"})
    assert result.returncode == 2
    assert "indstillingen LIFEACT_LANGUAGE='fr' " in result.stderr and "'da', 'en'" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_and_stats_in_danish_by_default_and_the_same_json_in_english(tmp_path: Path) -> None:
    loaded = lifeact("load", env_path=tmp_path, language={})
    assert loaded.returncode == 0, loaded.stderr
    assert f"indlæste {SEED_ROWS} rækker i embedded-lageret på " in loaded.stdout and "\nknuder:\n" in loaded.stdout
    assert "relationer:" in loaded.stdout and "loaded" not in loaded.stdout
    assert f"lifeact load: valider seed: {SEED_ROWS} rækker (" in loaded.stderr
    assert f"lifeact load: verificér: {SEED_ROWS}/{SEED_ROWS} rækker (" in loaded.stderr
    danish = lifeact("stats", env_path=tmp_path, language={"LANG": "da_DK.UTF-8"}).stdout
    english = lifeact("stats", env_path=tmp_path, language={"LANG": "en_GB.UTF-8"}).stdout
    assert danish.startswith("embedded-lager, generation ") and english.startswith("embedded store, generation ")
    # the table's rows are names from the graph, the same in both languages
    rows_da = [line for line in danish.splitlines() if line.startswith("  ")]
    assert rows_da and rows_da == [line for line in english.splitlines() if line.startswith("  ")]
    assert "\nknuder:\n" in danish and "\nrelationer:\n" in danish and "\nnodes:\n" in english
    json_da = lifeact("stats", "--json", env_path=tmp_path, language={"LIFEACT_LANGUAGE": "da"}).stdout
    json_en = lifeact("stats", "--json", env_path=tmp_path, language={"LIFEACT_LANGUAGE": "en"}).stdout
    assert json_da == json_en and json.loads(json_da)["nodes"]["Municipality"] == 98


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "da"),
        ({"LANG": "C.UTF-8"}, "da"),
        ({"LANG": "POSIX"}, "da"),
        ({"LANG": "da_DK.UTF-8"}, "da"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # a reader of another language more likely reads English
        ({"LC_MESSAGES": "en_US", "LANG": "da_DK.UTF-8"}, "en"),
        ({"LC_ALL": "", "LC_MESSAGES": "da_DK", "LANG": "en_GB"}, "da"),  # an empty variable is passed over
        ({"LIFEACT_LANGUAGE": "EN", "LC_ALL": "da_DK.UTF-8"}, "en"),
        ({"LIFEACT_LANGUAGE": "fr", "LANG": "en_GB"}, "en"),  # left for the settings to refuse
    ],
)
def test_the_language_from_the_environment(environ: dict[str, str], language: str) -> None:
    assert language_from_environment(environ) == language
