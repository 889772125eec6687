"""Turn what a scanner read into the ticket codes to look up.

Registration systems put different things in their QR codes: the bare secret (pretix), a numeric
barcode (kept as text: leading zeros matter), Indico's JSON ``{"i": [version, host, secret]}``,
or a URL with the code in its query or last path segment. Kiosk-issued codes are read in
`kiosk.core.signing`.
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.signing import looks_like_kiosk_code

# Longer than any real ticket code (pretix signed secrets reach about 115 characters).
MAX_CODE_LENGTH = 1024
# Query parameters that carry the ticket code in the URLs registration systems print.
_URL_CODE_PARAMS = ("code", "secret", "ticket", "t", "c", "s", "id", "barcode", "qr")


# One word of letters this long or longer is a code, not a name (double surnames run long).
NAME_MAX_CHARS = 32
# A single word of letters shorter than this is the start of a name, never a code prefix: as a
# prefix it would match hundreds of random secrets at a large event.
MIN_CODE_PREFIX = 4
_NAME_PUNCTUATION = frozenset("-'’.,")


class TypedText(StrEnum):
    """What someone typed (or a scanner sent) into the one search-and-scan field."""

    NAME = "name"  # letters, with a space or short: a person to look up
    CODE = "code"  # digits, URL or JSON characters, or one long word: a ticket code
    EITHER = "either"  # one word of letters, 4 to 31 long: a surname or the start of a code


def typed_text(text: str) -> TypedText:
    """Whether `text` is a name, a code, or could be either; the one answer every layer uses."""
    text = text.strip()
    spaced = any(char.isspace() for char in text)
    wordy = all(char.isalpha() or char.isspace() or char in _NAME_PUNCTUATION for char in text)
    if not wordy or (len(text) >= NAME_MAX_CHARS and not spaced):
        return TypedText.CODE
    if spaced or len(text) < MIN_CODE_PREFIX:
        return TypedText.NAME
    return TypedText.EITHER


def code_prefix_of(text: str) -> str | None:
    """`text` as the start of a code to search for, or None when it cannot be one."""
    typed = text.strip()
    if not typed or any(char.isspace() for char in typed):
        return None
    return None if typed_text(typed) is TypedText.NAME else typed


class MalformedCodeError(ValueError):
    """A scan that cannot be a code at all: empty, too long, or a broken known format."""


@dataclass(frozen=True)
class ScannedText:
    """The codes one reading of a scan may be, most specific first; `kiosk` when the reading
    claims to be a kiosk-issued code (its only lookup is then the reading itself).
    """

    lookups: tuple[str, ...]
    kiosk: bool = False


def clean_scan(raw: str) -> str:
    """Strip the line ends, tabs and control characters that scanners add around a code.

    Raises `MalformedCodeError` when nothing usable is left, the text is absurdly long, or it
    holds undecodable bytes (lone surrogates from the command line, U+FFFD from a decoder).
    """
    if raw.isascii() and raw.isprintable():  # most codes: no control character, already NFC
        text = raw.strip()
    else:
        text = "".join(char for char in raw if unicodedata.category(char) != "Cc")
        if any(char == "\ufffd" or "\ud800" <= char <= "\udfff" for char in text):
            # Bytes that were not text (a scanner or terminal in another encoding): no code
            # holds them, and a lone surrogate cannot even be looked up.
            raise MalformedCodeError("the scan holds bytes that are not valid UTF-8 text")
        text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise MalformedCodeError("empty scan")
    if len(text) > MAX_CODE_LENGTH:
        raise MalformedCodeError(f"{len(text)} characters is too long for a ticket code")
    return text


def lookups_for(text: str) -> ScannedText:
    """The codes to look up for one reading of a scan, most specific first.

    The text itself always comes first, so a registration system whose secrets happen to look
    like a URL or JSON still matches exactly. Raises `MalformedCodeError` for broken Indico JSON.
    """
    if looks_like_kiosk_code(text):
        return ScannedText(lookups=(text,), kiosk=True)
    found = [text]
    if text.startswith("{"):
        found.extend(_indico_secrets(text))
    elif "://" in text:
        found.extend(_url_codes(text))
    return ScannedText(lookups=tuple(dict.fromkeys(found)))


def _indico_secrets(text: str) -> list[str]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedCodeError(f"broken JSON: {error.msg}") from error
    secret = _indico_secret(payload)
    found = [secret]
    # Indico puts the secret UUID into the QR code as URL-safe base64 of its 16 bytes.
    try:
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) == 16:
        import uuid  # noqa: PLC0415 (Indico scans only)

        found.append(str(uuid.UUID(bytes=raw)))
    return found


def _indico_secret(payload: object) -> str:
    if isinstance(payload, dict):
        old_style = payload.get("checkin_secret")
        if isinstance(old_style, str):
            # Indico before 3.x: {"registrant_id", "checkin_secret", "event_id", ...}
            return old_style
        items = payload.get("i")
        if isinstance(items, list) and len(items) >= 3 and isinstance(items[-1], str):
            return items[-1]
    raise MalformedCodeError('JSON without an Indico check-in secret ({"i": [v, host, secret]})')


def _url_codes(text: str) -> list[str]:
    from urllib.parse import parse_qs, unquote, urlsplit  # noqa: PLC0415 (URL scans only)

    try:
        parts = urlsplit(text)
    except ValueError:
        # Not a URL after all ("http://[..." from a mangled scan): the text itself is still
        # looked up, and a scan that matches nothing is answered "unknown", not a failure.
        return []
    found: list[str] = []
    query = parse_qs(parts.query)
    for name in _URL_CODE_PARAMS:
        found.extend(value for value in query.get(name, []) if value)
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    if segments:
        found.append(segments[-1])
    if parts.fragment:
        found.append(unquote(parts.fragment))
    return found
