"""An event's definition as a file, so a second kiosk can join the event another one set up."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.adapters.file_limits import MAX_EVENT_FILE_BYTES, read_limited
from kiosk.core.errors import EventSetupError, FileFormatError
from kiosk.core.events import check_event, retired_keys_from_json, retired_keys_json
from kiosk.core.model import Event
from kiosk.core.ports import EventFileContent, Passphrase
from kiosk.core.signing import EventKeys

FORMAT = "kiosk-event/1"
_KEY_BYTES = 32
# The private key encrypted with a passphrase: scrypt (a random 16-byte salt) derives a
# 256-bit key, AES-256-GCM encrypts the 32-byte Ed25519 key, bound to the event id and its
# public key. n = 2^17, r = 8: 128 MiB and about half a second per try, on purpose.
ENCRYPTED_FIELD = "private_key_encrypted"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
# What a file may ask of the reader: enough for any sane setting, not a memory bomb.
_MAX_SCRYPT_N, _MAX_SCRYPT_R, _MAX_SCRYPT_P = 2**18, 8, 2
_SALT_BYTES, _NONCE_BYTES = 16, 12


class EventFileError(FileFormatError):
    """The event file cannot be read; the message names the file and the field."""


def write_event_file(
    path: Path,
    event: Event,
    private_key: bytes | None = None,
    protected: Sequence[Path] = (),
    passphrase: str | None = None,
) -> None:
    """Write the event (id, name, days, time zone, public key, retired keys) to `path`; with
    `private_key`, the receiving kiosk may issue codes too: the key is then encrypted with a
    key derived from `passphrase`, which is required. The file is readable by its owner alone
    and never written over the database (`protected`), a journal or any other kiosk file but
    an older event file.
    """
    if event.public_key is None:
        raise EventFileError(f"{path}: the event has no public key to share")
    data: dict[str, Any] = {
        "format": FORMAT,
        **event.to_dict(),
        "public_key": base64.b64encode(event.public_key).decode("ascii"),
    }
    if event.retired_keys:
        data["retired_keys"] = retired_keys_json(event.retired_keys)
    if private_key is not None:
        if not passphrase:
            raise EventFileError(f"{path}: a private key is written only under a passphrase")
        data[ENCRYPTED_FIELD] = encrypt_key(private_key, passphrase, event)
    from kiosk.adapters.output_files import write_private_file  # noqa: PLC0415 (it reads ours)

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_private_file(path, text.encode("utf-8"), protected, event_file=True)


def read_event_file(path: Path, passphrase: Passphrase | None = None) -> EventFileContent:
    """The event and its keys (the private one only if the file has it) from `path`, every
    field checked (`check_event`): a private key that does not match the public one, an
    unknown time zone or a broken id is refused here, not found out at the first scan. An
    encrypted private key is opened with what `passphrase` answers (asked only then); a wrong
    one is refused naming the file. A key in the clear (an older kiosk's file) is read, and
    said so in `key_in_clear`.
    """
    try:
        raw = read_limited(path, MAX_EVENT_FILE_BYTES, "an event file")
    except OSError as error:
        raise EventFileError(f"{path}: cannot read the file: {error.strerror}") from error
    try:
        data = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise EventFileError(f"{path}: not an event file (not JSON: {error})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise EventFileError(f"{path}: field format: not a {FORMAT} file")
    public = _key(path, data, "public_key")
    if public is None:
        raise EventFileError(f"{path}: field public_key: missing")
    event = Event(
        id=_text(path, data, "id"),
        name=_text(path, data, "name"),
        venue=_text(path, data, "venue", required=False),
        timezone=_text(path, data, "timezone"),
        days=_days(path, data),
        locale=_text(path, data, "locale", required=False) or "en",
        public_key=public,
    )
    try:
        if "retired_keys" in data:
            event = replace(event, retired_keys=retired_keys_from_json(data["retired_keys"]))
        # The event's own fields now, so a broken file is refused before a passphrase is
        # asked for; the private key is checked against the public one below, once opened.
        check_event(event)
    except EventSetupError as error:
        raise EventFileError(f"{path}: field {error}") from error
    clear = _key(path, data, "private_key")
    if clear is not None and ENCRYPTED_FIELD in data:
        raise EventFileError(f"{path}: field private_key: both in the clear and encrypted")
    private = clear
    if ENCRYPTED_FIELD in data:
        if passphrase is None:
            raise EventFileError(
                f"{path}: field {ENCRYPTED_FIELD}: the private key is protected by a "
                "passphrase, and none was given"
            )
        private = decrypt_key(path, data[ENCRYPTED_FIELD], event, passphrase)
    keys = EventKeys(private=private, public=public)
    try:
        check_event(event, keys)
    except EventSetupError as error:
        raise EventFileError(f"{path}: field {error}") from error
    return EventFileContent(event, keys, key_in_clear=clear is not None)


def encrypt_key(private_key: bytes, passphrase: str, event: Event) -> dict[str, Any]:
    """`private_key` encrypted under `passphrase`, as the event file's JSON object."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, bytes(private_key), _context(event))
    return {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": _b64(salt),
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "ciphertext": _b64(sealed),
    }


def decrypt_key(path: Path, sealed: object, event: Event, passphrase: Passphrase) -> bytes:
    """The private key from the event file's encrypted object, with the passphrase asked
    for; `EventFileError` naming the file for a wrong passphrase or a damaged object.
    """
    where = f"{path}: field {ENCRYPTED_FIELD}"
    if (
        not isinstance(sealed, dict)
        or sealed.get("kdf") != "scrypt"
        or (sealed.get("cipher") != "aes-256-gcm")
    ):
        raise EventFileError(f"{where}: not a scrypt and AES-256-GCM encrypted key")
    n, r, p = (sealed.get(name) for name in ("n", "r", "p"))
    if not (
        isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
        and 2 <= n <= _MAX_SCRYPT_N and n & (n - 1) == 0
        and 1 <= r <= _MAX_SCRYPT_R and 1 <= p <= _MAX_SCRYPT_P
    ):  # fmt: skip
        raise EventFileError(f"{where}: scrypt settings out of range")
    try:
        salt, nonce, ciphertext = (
            base64.b64decode(str(sealed.get(name, "")), validate=True)
            for name in ("salt", "nonce", "ciphertext")
        )
    except (binascii.Error, ValueError) as error:
        raise EventFileError(f"{where}: not base64") from error
    if len(nonce) != _NONCE_BYTES or not salt:
        raise EventFileError(f"{where}: salt or nonce missing or of the wrong size")
    from cryptography.exceptions import InvalidTag  # noqa: PLC0415
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

    key = _derive(passphrase(path), salt, n, r, p)
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, _context(event))
    except InvalidTag:
        raise EventFileError(
            f"{path}: wrong passphrase for the event's private key (or the file was changed); "
            "nothing was changed"
        ) from None


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    text = passphrase.encode("utf-8", "surrogateescape")
    # scrypt needs 128 * n * r bytes, and a little more.
    return hashlib.scrypt(text, salt=salt, n=n, r=r, p=p, maxmem=129 * n * r * p, dklen=32)


def _context(event: Event) -> bytes:
    # Bound to the event and its public key: the encrypted key moved into another event's
    # file, or beside another public key, does not open.
    public = _b64(event.public_key or b"")
    return f"kiosk event file|{event.id}|{public}".encode()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _text(path: Path, data: dict[str, Any], field: str, *, required: bool = True) -> str:
    value = data.get(field, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise EventFileError(f"{path}: field {field}: missing, empty or not text")
    return value


def _days(path: Path, data: dict[str, Any]) -> tuple[date, ...]:
    days = data.get("days")
    if not isinstance(days, list) or not days:
        raise EventFileError(f"{path}: field days: no event days")
    try:
        return tuple(date.fromisoformat(day) for day in days)
    except (ValueError, TypeError) as error:
        raise EventFileError(f"{path}: field days: not dates like 2023-10-23 ({error})") from error


def _key(path: Path, data: dict[str, Any], field: str) -> bytes | None:
    if field not in data:
        return None
    if not isinstance(data[field], str):
        raise EventFileError(f"{path}: field {field}: not base64 text")
    try:
        key = base64.b64decode(data[field], validate=True)
    except (binascii.Error, ValueError) as error:
        raise EventFileError(f"{path}: field {field}: not base64") from error
    if len(key) != _KEY_BYTES:
        raise EventFileError(f"{path}: field {field}: {len(key)} bytes where 32 belong")
    return key


class EventFileCodec:
    """Event files as the `EventFiles` port: `kiosk export-event`, `kiosk init --from-event`
    and `kiosk rotate-key --from-event`.
    """

    def read(self, path: Path, passphrase: Passphrase | None = None) -> EventFileContent:
        """The event and its keys from `path`, the private key opened with `passphrase`."""
        return read_event_file(path, passphrase)

    def write(
        self,
        path: Path,
        event: Event,
        private_key: bytes | None,
        protected: Sequence[Path] = (),
        passphrase: str | None = None,
    ) -> None:
        """Write the event to `path`, with the private key (encrypted) only when given."""
        write_event_file(path, event, private_key, protected, passphrase)
