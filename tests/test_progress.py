"""app/cli/progress.py: one plain line per step off a terminal, a bar per step on one."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest

from app.cli.progress import Progress
from app.i18n import use_language
from app.steps import Prefixed


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The tests below read the English lines; the Danish ones have their own test at the end."""
    with use_language("en"):
        yield


def _load_steps(progress: Progress) -> None:
    progress.begin("validate seed")
    progress.advance(769)
    progress.begin("write", total=769)
    for _ in range(7):
        progress.advance(100)
    progress.advance(69)
    progress.begin("encode graphml", unit="bytes")
    progress.advance(239_956)


def test_off_a_terminal_each_step_is_one_line_with_its_count_and_time() -> None:
    out = io.StringIO()
    with Progress("load", terminal=False, file=out) as progress:
        _load_steps(progress)
    lines = out.getvalue().splitlines()
    assert [line.rsplit(" (", 1)[0] for line in lines] == [
        "lifeact load: validate seed: 769 rows",
        "lifeact load: write: 769/769 rows",
        "lifeact load: encode graphml: 239,956 bytes",
    ]
    assert all(re.search(r" \(\d+\.\d s\)$", line) for line in lines), lines
    assert "\x1b[" not in out.getvalue()


def test_on_a_terminal_each_step_has_a_bar() -> None:
    out = io.StringIO()
    with Progress("load", terminal=True, file=out) as progress:
        _load_steps(progress)
    text = out.getvalue()
    assert "\x1b[" in text and "━" in text  # drawn with control sequences, as bars
    final = text.rsplit("\x1b[2K", 1)[-1]  # the last drawing: every step, each on its line
    for step, count in [("validate seed", "769 rows"), ("write", "769/769 rows"), ("encode graphml", "239,956 bytes")]:
        assert re.search(rf"{step} .*━.*{count}", final), (step, final)
    assert "lifeact load:" not in text  # no plain lines


def test_the_default_follows_whether_the_output_is_a_terminal() -> None:
    assert Progress("load", file=io.StringIO()).terminal is False


@pytest.mark.parametrize("terminal", [False, True])
def test_a_failed_step_says_where_it_stopped(terminal: bool) -> None:
    out = io.StringIO()
    with pytest.raises(RuntimeError), Progress("synth", terminal=terminal, file=out) as progress:
        progress.begin("bulk load", total=10)
        progress.advance(3)
        raise RuntimeError("disk full")
    assert re.search(r"bulk load.*3/10 rows", out.getvalue()) and "stopped" in out.getvalue()


def test_prefixed_steps_and_nothing_before_the_first_step() -> None:
    out = io.StringIO()
    with Progress("bench", terminal=False, file=out) as progress:
        progress.advance(5)  # before any step: counted nowhere, printed nowhere
        scale = Prefixed(progress, "scale: ")
        scale.begin("bulk load", total=2)
        scale.advance(2)
    assert out.getvalue().startswith("lifeact bench: scale: bulk load: 2/2 rows (")
    assert len(out.getvalue().splitlines()) == 1


def test_in_danish_the_steps_units_and_numbers_are_danish() -> None:
    out = io.StringIO()
    with use_language("da"), Progress("load", terminal=False, file=out) as progress:
        _load_steps(progress)
        progress.begin("bulk load", total=1234)
        progress.advance(1234)
    lines = out.getvalue().splitlines()
    assert [line.rsplit(" (", 1)[0] for line in lines] == [
        "lifeact load: valider seed: 769 rækker",
        "lifeact load: skriv: 769/769 rækker",
        "lifeact load: encode graphml: 239.956 byte",  # a name without a translation is shown as written
        "lifeact load: masseindlæsning: 1.234/1.234 rækker",
    ]
    assert all(re.search(r" \(\d+,\d s\)$", line) for line in lines), lines
