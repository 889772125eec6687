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


_INVISIBLE = {"Cc", "Cf"}  # control and format characters: soft hyphens, bidi marks, BOMs


def display_text(text: str) -> str:
    """`text` as a badge prints it and a desk stores what staff type: composed (NFC: the same
    letters as registered, drawn as the font's precomposed glyphs), without invisible control
    and format characters, its spaces collapsed to single ones.
    """
    if (
        text.isprintable()
        and unicodedata.is_normalized("NFC", text)
        and " ".join(text.split()) == text
    ):
        return text  # the usual case, without a look at every character
    composed = unicodedata.normalize("NFC", text)
    visible = "".join(
        " " if char.isspace() else char
        for char in composed
        if char.isspace() or unicodedata.category(char) not in _INVISIBLE
    )
    return " ".join(visible.split())


# Characters no field of a record may hold: C0 controls (NUL, ESC, line breaks), DEL and C1
# controls, lone surrogates (bytes that were not valid UTF-8) and the invisible direction
# overrides that make a name display as another.
_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
_NOT_TEXT = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_OVERRIDES}]")
# What a terminal must not receive raw: the same, but line breaks and tabs of the output's own
# layout are fine.
_NOT_FOR_TERMINAL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_OVERRIDES}]")
# In a JSON document json.dumps has escaped the C0 controls already, and its line breaks
# are layout.
_NOT_FOR_JSON = re.compile(f"[\x7f-\x9f\ud800-\udfff{_OVERRIDES}]")


def clean_field(text: str) -> str:
    """`text` as a one-line field of a record (a name, an organisation): line breaks and tabs
    become spaces, other control characters (NUL, ESC) and direction overrides go, undecodable
    bytes become the replacement character;
    runs of white space one space, none at the ends. Every attendee and event text goes
    through it on the way in, so no NUL or terminal escape is ever stored.
    """
    if _NOT_TEXT.search(text):
        text = _NOT_TEXT.sub(_cleaned, text)
    return " ".join(text.split())


def _cleaned(found: re.Match[str]) -> str:
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    # A line break or tab separated words; NUL, ESC and the rest separated nothing.
    return " " if char.isspace() else ""


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    r"""`text` with every control character, escape sequence start, undecodable byte and
    direction override written out as a visible escape (ESC as ``\x1b``), so that data
    printed on a terminal cannot move the cursor, recolour or retitle it; line breaks and
    tabs stay.
    """
    return _NOT_FOR_TERMINAL.sub(_escaped, text)


def json_safe(document: str) -> str:
    r"""A JSON document from ``json.dumps(..., ensure_ascii=False)`` with the characters it
    leaves raw that a terminal or a UTF-8 encoder cannot take (C1 controls, lone surrogates,
    direction overrides) written as JSON ``\uXXXX`` escapes: still the same JSON value.
    """
    return _NOT_FOR_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", document)
