"""Every string a person reads exists in both languages: Babel's extraction over app/ (with the
project's babel.cfg, as `make messages` runs it) against app/locale/{da,en}/LC_MESSAGES/messages.po.

A msgid missing from a catalogue, or present with an empty or fuzzy translation, fails here,
naming the string; so does a placeholder the translation drops or invents (`{name}`, `%(a)s`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app import i18n
from app.settings import PROJECT_ROOT

PLACEHOLDER = re.compile(r"\{\w*(?:![rs])?\}|%\(\w+\)s")


def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """msgid -> where it is used, as pybabel extract finds them (keywords _, gettext, ngettext, N_)."""
    method_map, options_map = _babel_config(PROJECT_ROOT / "babel.cfg")
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT, method_map, options_map, keywords=keywords
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _babel_config(path: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    from babel.messages.frontend import parse_mapping_cfg

    with path.open(encoding="utf-8") as handle:
        return parse_mapping_cfg(handle, filename=str(path))


def catalogue(language: str) -> Catalog:
    with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module")
def strings() -> dict[str | tuple[str, ...], list[str]]:
    found = extracted()
    assert len(found) > 200, f"extraction found only {len(found)} strings: is babel.cfg still right?"
    return found


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_extracted_string_is_translated(language: str, strings: dict[str | tuple[str, ...], list[str]]) -> None:
    entries = {(m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalogue(language) if m.id}
    problems = []
    for msgid, where in sorted(strings.items(), key=lambda item: str(item[0])):
        entry = entries.get(msgid)
        translations = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None:
            problems.append(f"missing: {msgid!r} ({where[0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({where[0]})")
        elif not translations or not all(translations):
            problems.append(f"untranslated: {msgid!r} ({where[0]})")
        else:
            wanted = sorted(set(PLACEHOLDER.findall(msgid if isinstance(msgid, str) else msgid[-1])))
            for text in translations:
                if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                    problems.append(f"placeholders differ: {msgid!r} -> {text!r}")
    assert not problems, f"app/locale/{language}: run `make messages` and translate:\n" + "\n".join(problems)


def test_the_runtime_catalogues_translate(strings: dict[str | tuple[str, ...], list[str]]) -> None:
    """What app.i18n compiles from the .po files is what the pages show."""
    with i18n.use_language("da"):
        assert i18n.gettext("Legend") == "Signaturforklaring"
        assert i18n.ngettext("{count} work package", "{count} work packages", 2) == "{count} arbejdspakker"
    with i18n.use_language("en"):
        assert i18n.gettext("Legend") == "Legend"
    assert "Legend" in strings


def test_a_fuzzy_entry_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A translation marked fuzzy (a guess by `pybabel update`) must not reach a reader."""
    folder = tmp_path / "da" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "Legend"\nmsgstr "Gæt"\n\nmsgid "Search"\nmsgstr "Søg"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        with i18n.use_language("da"):
            assert i18n.gettext("Search") == "Søg"
            assert i18n.gettext("Legend") == "Legend"
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()
