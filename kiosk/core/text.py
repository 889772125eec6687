"""Text for people: diacritic-free search keys and sorting in the event's language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter plus a mark, so stripping marks
# leaves them alone (SQLite's remove_diacritics misses them too: "zolc" would not find "Żółć").
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŀ": "l",
        "Ŀ": "l",
        "ŧ": "t",
        "Ŧ": "t",
    }
)
_WORD = re.compile(r"\w+")
# Names, organisations and single letters repeat across an import of thousands of people:
# each is folded once. Bounded, so a long-running desk does not grow without end.
_CACHED = 1 << 14


@lru_cache(maxsize=_CACHED)
def fold(text: str) -> str:
    """Lower-case `text` and remove its diacritics: "Żółć Přikryl" becomes "zolc prikryl"."""
    if text.isascii():  # nothing to decompose or strip (e-mail addresses, most codes)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, as search matches them ("Kühr, Luděk" -> ["kuhr", "ludek"])."""
    return _WORD.findall(fold(text))


# Czech orders č after c, ch after h, ř after r, š after s and ž after z as letters of their
# own; other marks (á, ď, é, ě, í, ň, ó, ť, ú, ů, ý) only break ties.
# Each letter becomes two characters, its base letter and 0 (or 1 for the letter sorted after
# it), so whole letters compare before the rest of the word does.
_CZECH_PRIMARY = {"č": "c1", "ř": "r1", "š": "s1", "ž": "z1"}
_CZECH_CH = "h1"


@lru_cache(maxsize=_CACHED)
def czech_key(text: str) -> tuple[str, str, str]:
    """A sort key that orders `text` as a Czech dictionary does: C < Č < D, H < Ch < I."""
    lowered = unicodedata.normalize("NFC", text).casefold()
    primary: list[str] = []
    index = 0
    while index < len(lowered):
        char = lowered[index]
        if char == "c" and lowered[index + 1 : index + 2] == "h":
            primary.append(_CZECH_CH)
            index += 2
            continue
        primary.append(_CZECH_PRIMARY.get(char) or (fold(char) or char) + "0")
        index += 1
    return ("".join(primary), fold(text), text)


@lru_cache(maxsize=_CACHED)
def generic_key(text: str) -> tuple[str, str, str]:
    """A sort key that ignores case and diacritics, for languages without their own rules."""
    return (fold(text), text.casefold(), text)


def language_of(locale: str) -> str:
    """The language part of a locale name: "cs_CZ", "cs-CZ.UTF-8" and "CS" all give "cs"."""
    return locale.replace("-", "_").split("_")[0].split(".")[0].lower()


def sort_key_for(locale: str) -> Callable[[str], tuple[str, str, str]]:
    """The sort key for names in the event's `locale` ("cs", "cs_CZ", "en", ...)."""
    if language_of(locale) in {"cs", "sk"}:
        # Slovak alphabetical order agrees with Czech on č, ch, š, ž (ř does not occur).
        return czech_key
    return generic_key


def name_sort_key(locale: str, last_name: str, first_name: str) -> str:
    """One string that sorts people by surname, then first name, in the event's language.

    Plain string comparison of these keys (SQLite's BINARY collation included) gives the
    language's order, so the database can sort and page without knowing the language.
    """
    key = sort_key_for(locale)
    last, first = key(last_name), key(first_name)
    # Level by level, as a dictionary does: letters of both names first, so "Novák Adam" comes
    # before "Novak Zdeněk"; accents only then; the exact text last.
    return "\x00".join(part for level in zip(last, first, strict=True) for part in level)


def search_text(*fields: str) -> str:
    """The folded words of `fields`, one space apart: what the search index stores."""
    return " ".join(word for value in fields for word in words(value))
