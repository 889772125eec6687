"""Bytes of a text export as lines: in its one encoding, or line by line when it mixes two.

A file is read as a whole when it is consistent: by its byte order mark (UTF-8, UTF-16), else as
UTF-8 when all of it is valid UTF-8, else as cp1250 (what Czech Excel saves) when no line of it
holds UTF-8 text. A file whose lines disagree (most lines UTF-8, some saved by another program
as cp1250; or UTF-8 damaged in a few lines) is decided line by line and never silently:

- a line that is valid UTF-8 is UTF-8;
- a line that is not, holds no UTF-8 sequence of a letter (which would make it damaged UTF-8),
  and decodes as cp1250 to ASCII and letters of Czech, Slovak, German or Polish names only, is
  read as cp1250 and noted;
- any other line cannot be decided: it is noted as bad and its row is left out.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Letters of Czech, Slovak, German and Polish names: what a cp1250 line of names may hold.
NAME_LETTERS = frozenset(
    "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"  # Czech
    + "äĺľôŕÄĹĽÔŔ"  # Slovak
    + "öüßÖÜ"  # German
    + "ąćęłńśźżĄĆĘŁŃŚŹŻ"  # Polish
)
_NAME_LETTER = re.compile(f"[{''.join(sorted(NAME_LETTERS))}]")
_NOT_NAME_TEXT = re.compile(f"[^\\x00-\\x7f{''.join(sorted(NAME_LETTERS))}]")
CP1250 = "cp1250"
CP1250_NOTE = "not UTF-8; read as cp1250 (Windows Czech)"
BAD_NOTE = (
    "neither UTF-8 nor cp1250 (Windows Czech) text of names; the row was left out: "
    "save the file as CSV UTF-8 and import it again"
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(raw: bytes) -> str:
    """An export as text: by its BOM (UTF-8, UTF-16), else strict UTF-8, else cp1250."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(CP1250, errors="replace")


@dataclass(frozen=True)
class DecodedLines:
    """The lines of a text file, each with its line end; `encoding` is the file's, or "mixed".

    `cp1250_lines` and `bad_lines` hold the indexes (from 0) of the lines of a mixed file that
    were read as cp1250, and of those that could not be decided (read as UTF-8 with U+FFFD for
    each undecodable byte).
    """

    lines: tuple[str, ...]
    encoding: str
    cp1250_lines: frozenset[int] = field(default_factory=frozenset)
    bad_lines: frozenset[int] = field(default_factory=frozenset)


def split_lines(text: str) -> tuple[str, ...]:
    """`text` split after each line end (CR LF, LF or CR), as the csv module reads lines."""
    return tuple(io.StringIO(text, newline="").readlines())


# A large file is decoded and split a piece at a time: one call over all of it holds the
# interpreter (and a desk's check-in on another thread) for as long as it takes.
_PIECE = 1 << 18


def _pieces(raw: bytes) -> Iterator[bytes]:
    """`raw` in pieces of about `_PIECE` bytes, each ending after a LF (so no line end, CR LF
    included, and no UTF-8 character is cut), the last one with whatever is left.
    """
    start = 0
    while start < len(raw):
        end = raw.find(b"\n", start + _PIECE)
        end = len(raw) if end < 0 else end + 1
        yield raw[start:end]
        start = end


def _decoded_lines(raw: bytes, encoding: str, errors: str = "strict") -> tuple[str, ...]:
    """`split_lines(raw.decode(encoding, errors))`, a piece at a time."""
    return tuple(
        line for piece in _pieces(raw) for line in split_lines(piece.decode(encoding, errors))
    )


def decode_lines(raw: bytes) -> DecodedLines:
    """The lines of `raw`, decoded as the module docstring describes."""
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        wide = split_lines(raw.decode("utf-16", errors="replace"))
        broken = frozenset(index for index, line in enumerate(wide) if "\ufffd" in line)
        return DecodedLines(wide, "utf-16", bad_lines=broken)
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        return DecodedLines(_decoded_lines(raw, "utf-8"), encoding)
    except UnicodeDecodeError:
        pass
    chunks = [chunk for piece in _pieces(raw) for chunk in piece.splitlines(keepends=True)]
    kinds = [_kind(chunk) for chunk in chunks]
    if encoding == "utf-8" and "utf-8" not in kinds and "damaged" not in kinds:
        # Consistent cp1250, as Czech Excel saves "CSV (oddělený středníkem)".
        return DecodedLines(_decoded_lines(raw, CP1250, "replace"), CP1250)
    lines: list[str] = []
    cp1250: set[int] = set()
    bad: set[int] = set()
    for index, (chunk, kind) in enumerate(zip(chunks, kinds, strict=True)):
        if kind in ("ascii", "utf-8"):
            lines.append(chunk.decode("utf-8"))
        elif kind == "cp1250":
            lines.append(chunk.decode(CP1250))
            cp1250.add(index)
        else:
            lines.append(chunk.decode("utf-8", errors="replace"))
            bad.add(index)
    return DecodedLines(tuple(lines), "mixed", frozenset(cp1250), frozenset(bad))


def _kind(chunk: bytes) -> str:
    """The line's kind: ascii, utf-8, cp1250 (names in cp1250), damaged (UTF-8 with bad
    bytes) or unknown.
    """
    if chunk.isascii():
        return "ascii"
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if _NAME_LETTER.search(chunk.decode("utf-8", errors="replace")):
        return "damaged"
    try:
        text = chunk.decode(CP1250)
    except UnicodeDecodeError:
        return "unknown"
    return "unknown" if _NOT_NAME_TEXT.search(text) else "cp1250"
