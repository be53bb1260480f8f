"""One language at a time: Danish by default, English on request.

Every string a person reads is written in English in the code (the gettext msgid) and
translated through the gettext catalogues in app/locale/{da,en}/LC_MESSAGES/messages.po (Babel).
The .po files are the source: they are compiled in memory (a server does it a moment after it
starts, `load_catalogues`; other callers when first used), so neither the checkout nor the wheel
needs a build step or a .mo file.

The current language lives in a ContextVar: app.api.middleware sets it per request (from
`?lang=`, else `Accept-Language`), the CLI for a whole command (`--lang`, else
`language_from_environment`), and services, views and Jinja's `_()` read it. Each request runs in its own context, and
Starlette copies the context into the worker threads of the sync routes.

To add or change a string: see README "Languages" (`make messages`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.paths import APP_DIR

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
LOCALE_DIR = APP_DIR / "locale"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    code: str = DEFAULT_LANGUAGE
    explicit: bool = False  # chosen with ?lang= (links then carry it, so a click keeps the choice)
    path: str = ""  # the request's path and query, for the switch to the other language ("" outside HTTP)
    query: str = ""


# Language is frozen, so the one default instance can be shared by every context.
_current: ContextVar[Language] = ContextVar("lifeact_language", default=Language())  # noqa: B039


def current_language() -> str:
    return _current.get().code


def language_in_links() -> str | None:
    """The `lang` a link inside a page should carry: the one chosen with `?lang=`. A language that
    came from Accept-Language is not written into links: the next request brings the same header,
    and a permalink passed on opens in its reader's language."""
    state = _current.get()
    return state.code if state.explicit else None


def set_language(code: str, explicit: bool = False, path: str = "", query: str = "") -> Any:
    """Sets the language of this context; returns the token for `reset_language`."""
    return _current.set(Language(code if code in LANGUAGES else DEFAULT_LANGUAGE, explicit, path, query))


def reset_language(token: Any) -> None:
    _current.reset(token)


@contextmanager
def use_language(code: str, explicit: bool = False) -> Iterator[None]:
    token = set_language(code, explicit)
    try:
        yield
    finally:
        reset_language(token)


LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}  # each in its own language, as a switch shows them


def language_switch() -> list[dict[str, str | bool]]:
    """Links to this very page in each language: same path and parameters, `lang` replaced (a
    download asked for is not repeated). Empty outside a request (the CLI's files)."""
    state = _current.get()
    if not state.path:
        return []
    kept = [(name, value) for name, value in parse_qsl(state.query, keep_blank_values=True) if name not in ("lang", "download")]
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "href": f"{state.path}?{urlencode([*kept, ('lang', code)])}",
            "current": code == state.code,
        }
        for code in LANGUAGES
    ]


def parse_accept_language(header: str | None) -> str | None:
    """The first of our languages in an Accept-Language header, by quality then order (RFC 9110)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary == "*":
            primary = DEFAULT_LANGUAGE
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


# POSIX's order: the first of these that is set and not empty names the locale of messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The command line's language: `LIFEACT_LANGUAGE` (da|en), else the locale (`LC_ALL`,
    `LC_MESSAGES`, `LANG`), else Danish. A locale that names Danish (`da_DK.UTF-8`) gives Danish;
    one that names any other language (`en_GB.UTF-8`, `de_DE`) gives English, the language such a
    reader more likely reads; `C`, `POSIX` and nothing at all (CI machines, containers) name no
    language, so Danish stays. An unknown `LIFEACT_LANGUAGE` is passed over here: the settings
    report it as invalid."""
    chosen = environ.get("LIFEACT_LANGUAGE", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if not value:
            continue
        primary = re.split(r"[_.@-]", value, maxsplit=1)[0].lower()
        if primary in ("", "c", "posix"):
            return DEFAULT_LANGUAGE
        return "da" if primary == "da" else "en"
    return DEFAULT_LANGUAGE


def negotiate(query_lang: str | None, accept_language: str | None) -> Language:
    """`?lang=da|en` wins; then Accept-Language; then Danish. An unknown `lang` is ignored here
    (the API declares the parameter as an enum, so a route answers 422 for it)."""
    chosen = (query_lang or "").strip().lower()
    if chosen in LANGUAGES:
        return Language(chosen, explicit=True)
    return Language(parse_accept_language(accept_language) or DEFAULT_LANGUAGE)


@cache
def translations(code: str) -> Translations:
    """The catalogue of a language, compiled from its .po in memory (fuzzy entries left out)."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def load_catalogues() -> None:
    """Compile every language's catalogue now (about 0.1 s each), so that no visitor waits for it:
    a server calls this once it has started."""
    for code in LANGUAGES:
        translations(code)


def gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """gettext's marker: extracted into the catalogues now, translated with `_()` where it is shown."""
    return message


def localized(values: Mapping[str, Any], field: str) -> Any:
    """A description or title in the current language. The seed pairs them two ways: `summary`
    (English) with `summary_da`, or `summary` (Danish) with `summary_en` (knowledge), and
    `title_da` with `title_en`. The other language stands in when one is missing."""
    danish = values.get(f"{field}_da") or (values.get(field) if f"{field}_en" in values else None)
    english = values.get(f"{field}_en") or (values.get(field) if f"{field}_da" in values else None)
    first, second = (danish, english) if current_language() == "da" else (english, danish)
    return first or second or values.get(field)
