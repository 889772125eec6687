"""Header names and cell words folded for comparison: case, accents and punctuation ignored."""

from __future__ import annotations

import re

from kiosk.core.text import fold

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def key(text: str) -> str:
    """`text` folded: lower case, no diacritics, each run of other characters one space, and
    "#" read as "number" ("Příjmení:" -> "prijmeni", "E-Mail" -> "e mail",
    "Attendee #" -> "attendee number", "Name Teilnehmer*in" -> "name teilnehmer in").
    """
    return _NOT_ALNUM.sub(" ", fold(text.replace("#", " number "))).strip()


def keys(*texts: str) -> frozenset[str]:
    """The folded keys of `texts`."""
    return frozenset(key(text) for text in texts)
