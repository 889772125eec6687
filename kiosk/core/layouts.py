"""Undo what a keyboard-wedge scanner's text becomes on a non-US keyboard layout.

A USB scanner sends US key positions; the operating system turns them into characters with the
machine's own layout, so on a Czech QWERTZ desk `1234567890` arrives as `+ěščřžýáíé` and Y and Z
swap. Each map below says which character appears for each US character; reading it backwards
gives the characters the scanner meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# The US keyboard, key by key, unshifted then shifted, in the order the layouts below follow.
_US_KEYS = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
_US_SHIFTED = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'

# What each layout types for the same keys. A space marks a dead key or a key with nothing:
# those characters never reach us intact, so they are left out of the map.
_LAYOUTS: dict[str, tuple[str, str]] = {
    "cs": (
        ";+ěščřžýáíé= qwertzuiopú)¨asdfghjklů§yxcvbnm,.-",
        "°1234567890% QWERTZUIOP/('ASDFGHJKL\"!YXCVBNM?:_",
    ),
    "de": (
        " 1234567890ß qwertzuiopü+#asdfghjklöäyxcvbnm,.-",
        "°!\"§$%&/()=? QWERTZUIOPÜ*'ASDFGHJKLÖÄYXCVBNM;:_",
    ),
    "fr": (
        "²&é\"'(-è_çà)=azertyuiop $*qsdfghjklmùwxcvbn,;:!",
        " 1234567890°+AZERTYUIOP £µQSDFGHJKLM%WXCVBN?./§",
    ),
}


def _build(us: str, typed: str) -> Mapping[str, str]:
    meant: dict[str, str] = {}
    for us_char, typed_char in zip(us, typed, strict=True):
        if typed_char != " ":
            meant[typed_char] = us_char
    return MappingProxyType(meant)


# typed character -> the US character the scanner meant, per layout
LAYOUT_NAMES: tuple[str, ...] = tuple(_LAYOUTS)
_MEANT: dict[str, Mapping[str, str]] = {
    name: _build(_US_KEYS + _US_SHIFTED, unshifted + shifted)
    for name, (unshifted, shifted) in _LAYOUTS.items()
}


def typed_on(layout: str, text: str) -> str:
    """What a US-layout scanner's `text` arrives as on a machine set to `layout`.

    Characters the layout cannot produce from that key (dead keys) are kept as they are.
    """
    sent = {us: typed for typed, us in _MEANT[layout].items()}
    return "".join(sent.get(char, char) for char in text)


# The same maps as translation tables: every scan is read on every layout, so this is a
# check-in's hot path (str.translate is a tenth of a per-character join).
_MEANT_TABLES: dict[str, dict[int, str]] = {
    name: str.maketrans(dict(meant)) for name, meant in _MEANT.items()
}


def meant_on(layout: str, text: str) -> str:
    """The text a US-layout scanner sent, given what arrived on a machine set to `layout`."""
    return text.translate(_MEANT_TABLES[layout])


def scanner_readings(text: str) -> list[str]:
    """Every reading of scanned `text`, the exact text first, then layout and caps-lock fixes.

    Caps Lock on the desk machine inverts the case of every letter the scanner types, before or
    together with a layout's changes, so each layout is undone on the text as it came and on
    its case-inverted twin. No reading repeats; the order is the order in which to try them.
    """
    readings = [text, caps_lock(text)]
    for base in (text, caps_lock(text)):
        for layout in LAYOUT_NAMES:
            meant = meant_on(layout, base)
            readings.extend((meant, caps_lock(meant)))
    return list(dict.fromkeys(readings))


def caps_lock(text: str) -> str:
    """`text` with the case of each letter inverted, as Caps Lock types it; a letter whose other
    case is not one letter (ß) stays as it is, as it does on a keyboard.
    """
    swapped = text.swapcase()
    if len(swapped) == len(text):
        return swapped  # every character swapped to exactly one (none becomes two or none)
    return "".join(one if len(one := char.swapcase()) == 1 else char for char in text)


def typeable_on(layout: str) -> frozenset[str]:
    """The US characters a scanner can send intact on `layout` (all but its dead keys)."""
    return frozenset(_MEANT[layout].values())


# The desk's start-up check: a code whose every character lands differently on at least one
# layout (Y/Z swap on QWERTZ, Q/A and W/Z and the digit row on AZERTY, the digits on Czech and
# German keyboards), so the text that arrives tells which layout the desk machine is set to.
SCANNER_TEST_CODE = "KIOSK-TEST-qwyz-1290"
US_LAYOUT = "us"
SCANNER_LAYOUTS: tuple[str, ...] = (US_LAYOUT, *LAYOUT_NAMES)


@dataclass(frozen=True)
class ScannerCheck:
    """What scanning `SCANNER_TEST_CODE` told about the desk: its layout, and whether Caps Lock
    was on. `layout` is None when no known layout turns the test code into what arrived (the
    scanner sends something else: a wrong code, a prefix or suffix, a scanner in another mode).
    """

    received: str
    layout: str | None
    caps_lock: bool = False

    @property
    def recognised(self) -> bool:
        """True when the scan was the test code as some known layout types it."""
        return self.layout is not None

    @property
    def exact(self) -> bool:
        """True when codes arrive exactly as printed: a US layout and no Caps Lock."""
        return self.layout == US_LAYOUT and not self.caps_lock


def check_scanner(received: str, expected: str = SCANNER_TEST_CODE) -> ScannerCheck:
    """Which layout (and Caps Lock state) turns `expected` into `received`, the scanner's text.

    A US layout is tried first, so a layout that types the test code unchanged never hides it.
    """
    text = received.strip()
    for caps in (False, True):
        for layout in SCANNER_LAYOUTS:
            typed = expected if layout == US_LAYOUT else typed_on(layout, expected)
            if (caps_lock(typed) if caps else typed) == text:
                return ScannerCheck(text, layout, caps)
    return ScannerCheck(text, None)


def reading_on(layout: str, text: str) -> str:
    """What a US-layout scanner sent when `text` arrived on a desk set to `layout`."""
    return text if layout == US_LAYOUT else meant_on(layout, text)
