"""Folding Danish names so that people find them however they type them."""

from __future__ import annotations

import re
import unicodedata

# Text that can name something holds at least one of these: a Latin letter (ASCII, Latin-1 such as
# æ, ø, å, é, and Latin Extended-A/B) or a digit. Explicit ranges, not \w, because the same pattern
# is read by pydantic-core (which enforces it), JSON Schema's ECMA dialect and Python's re, whose
# \w differ. app.api.params puts it in the schema.
NAME_PATTERN = "[0-9A-Za-zÀ-ÖØ-öø-ɏ]"
# A new solution's name must give a slug (knowledge.slugify): an ASCII letter or digit, or æ, ø, å.
SLUG_NAME_PATTERN = "[0-9A-Za-zÆØÅæøå]"

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


# Precomposed letters whose fold is known: they skip Unicode normalisation, which is most of
# the cost when the name index folds a few hundred thousand names at start.
_PRECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "å": "a",
        "ä": "a",
        "á": "a",
        "à": "a",
        "â": "a",
        "é": "e",
        "è": "e",
        "ê": "e",
        "ë": "e",
        "ö": "o",
        "ó": "o",
        "ô": "o",
        "ü": "u",
        "ú": "u",
        "í": "i",
        "ï": "i",
        "ñ": "n",
        "ç": "c",
    }
)


_ASCII_PUNCTUATION = str.maketrans({chr(c): None for c in range(128) if not chr(c).isdigit() and not "a" <= chr(c) <= "z"})


def fold(text: str) -> str:
    """A key that ignores case, accents, spacing and the usual Danish spelling variants.

    `København`, `københavn`, `Kobenhavn` and `Koebenhavn` fold alike, and so do `Århus`
    and `Aarhus` (å, aa and a), `Ærø` and `Aero`, and an å typed as a + combining ring.
    """
    quick = text.casefold()
    if not quick.isascii():
        quick = quick.translate(_PRECOMPOSED)
    if quick.isascii():
        return quick.replace("aa", "a").replace("oe", "o").translate(_ASCII_PUNCTUATION)
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("ø", "o").replace("æ", "ae").replace("œ", "oe")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("aa", "a").replace("oe", "o")
    return _NOT_ALNUM.sub("", text)


def clean_input(text: str) -> str:
    """Trim, NFC-normalise and drop control and bidi-override characters from user input."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def shorten(text: str, limit: int = 60) -> str:
    """Echo at most `limit` characters of user input back in a message."""
    text = clean_input(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def natural_key(text: str) -> tuple[object, ...]:
    """Sorts "WP2" before "WP10" and "T.10.1" after "T.9.2", Danish letters folded."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", fold(text)))


_DANISH_LAST = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def danish_key(text: str) -> str:
    """Danish alphabetical order: æ, ø and å (and aa, as in Aalborg) come after z."""
    text = unicodedata.normalize("NFC", text).casefold().replace("aa", "å")
    text = text.translate(_DANISH_LAST)
    if text.isascii():  # most names, once æ, ø and å are replaced: no accents to strip
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
