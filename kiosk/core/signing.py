"""Kiosk-issued codes: Ed25519-signed, compact, readable offline by any kiosk of the event.

Format (see docs/CODES.md): ``K1:`` + base32 (no padding) of
``version (1 byte) | event id (5 bytes) | attendee id (8 bytes) | issued, minutes since
2020-01-01 UTC (4 bytes, big-endian) | Ed25519 signature of the 18 bytes before it (64 bytes)``.
Base32 uses only capitals and digits, so the QR code stays in alphanumeric mode.
"""

from __future__ import annotations

import binascii
import os
import struct
from base64 import b32decode, b32encode
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.core.model import ATTENDEE_ID_BYTES, utc

# cryptography is imported where a key is used, not here: it is a third of a command-line
# check-in's start-up time, and most scans are registration codes that need no key.

PREFIX = "K1:"
VERSION = 1
EVENT_ID_BYTES = 5
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_HEADER = struct.Struct(f">B{EVENT_ID_BYTES}s{ATTENDEE_ID_BYTES}sI")
_SIGNATURE_BYTES = 64


class CodeError(ValueError):
    """A kiosk code that cannot be read or whose signature does not hold."""


@dataclass(frozen=True)
class SignedCode:
    """What a kiosk code says, once read; check it with `verify_code` before trusting it."""

    event_id: str
    attendee_id: str
    issued_at: datetime
    payload: bytes
    signature: bytes


@dataclass(frozen=True)
class EventKeys:
    """An event's Ed25519 key pair, 32 raw bytes each; a kiosk without the private half can
    only verify codes.
    """

    private: bytes | None
    public: bytes


def new_event_id() -> str:
    """A fresh event id: 5 random bytes in base32, 8 capitals and digits."""
    return _b32(os.urandom(EVENT_ID_BYTES))


def new_event_keys() -> EventKeys:
    """A fresh Ed25519 key pair for a new event."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PrivateKey,
    )
    from cryptography.hazmat.primitives.serialization import (  # noqa: PLC0415
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return EventKeys(private=private, public=public)


def is_event_id(text: str) -> bool:
    """True when `text` is an event id as `new_event_id` makes them: 8 capitals and digits,
    the canonical base32 of 5 bytes (another text could not go into a code).
    """
    try:
        raw = _unb32(text)
    except ValueError:
        return False
    return len(raw) == EVENT_ID_BYTES and _b32(raw) == text


def keys_match(keys: EventKeys) -> bool:
    """True when the private key is the other half of the public one (or there is none): a
    private key that is not signs codes that no kiosk of the event accepts.
    """
    if keys.private is None:
        return True
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PrivateKey,
    )
    from cryptography.hazmat.primitives.serialization import (  # noqa: PLC0415
        Encoding,
        PublicFormat,
    )

    try:
        key = Ed25519PrivateKey.from_private_bytes(keys.private)
    except ValueError:
        return False
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) == keys.public


def looks_like_kiosk_code(text: str) -> bool:
    """True when `text` claims to be a kiosk-issued code (it may still be forged)."""
    return text.upper().startswith(PREFIX)


def issue_code(private_key: bytes, event_id: str, attendee_id: str, issued_at: datetime) -> str:
    """Sign a code admitting `attendee_id` to `event_id`, issued at `issued_at`."""
    minutes = int((utc(issued_at) - _EPOCH).total_seconds() // 60)
    payload = _HEADER.pack(VERSION, _unb32(event_id), _unb32(attendee_id), max(minutes, 0))
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PrivateKey,
    )

    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(payload)
    return PREFIX + _b32(payload + signature)


def read_code(text: str) -> SignedCode:
    """Read a kiosk code without checking its signature; raises `CodeError` when malformed."""
    if not looks_like_kiosk_code(text):
        raise CodeError("not a kiosk code")
    body = text[len(PREFIX) :].upper()
    try:
        raw = _unb32(body)
    except ValueError as error:
        raise CodeError("not valid base32") from error
    if _b32(raw) != body:
        # The last character carries spare bits; only the one canonical spelling is valid.
        raise CodeError("not in canonical base32")
    if len(raw) != _HEADER.size + _SIGNATURE_BYTES:
        raise CodeError(f"{len(raw)} bytes where {_HEADER.size + _SIGNATURE_BYTES} belong")
    payload, signature = raw[: _HEADER.size], raw[_HEADER.size :]
    version, event, attendee, minutes = _HEADER.unpack(payload)
    if version != VERSION:
        raise CodeError(f"unknown version {version}")
    return SignedCode(
        event_id=_b32(event),
        attendee_id=_b32(attendee),
        issued_at=_EPOCH + timedelta(minutes=minutes),
        payload=payload,
        signature=signature,
    )


def verify_code(code: SignedCode, public_key: bytes) -> bool:
    """True when `code` was signed with the private half of `public_key`."""
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PublicKey,
    )

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(code.signature, code.payload)
    except (InvalidSignature, ValueError):
        return False
    return True


def _b32(raw: bytes) -> str:
    return b32encode(raw).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    try:
        return b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"not base32: {text!r}") from error
