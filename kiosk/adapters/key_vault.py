"""The event's private signing key, sealed in the database with a key file kept outside it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.adapters.private_files import make_private, private_folder
from kiosk.core.errors import CannotIssueCodesError

KEY_DIR_ENV = "KIOSK_KEY_DIR"
# A sealed key: this prefix, a 12-byte nonce, then AES-256-GCM of the 32-byte key (48 bytes).
SEALED_PREFIX = b"kiosk-sealed/1:"
_NONCE_BYTES = 12
_KEY_BYTES = 32


def key_folder() -> Path:
    """Where the key files live: $KIOSK_KEY_DIR, else `keys` in the per-user config folder."""
    given = os.environ.get(KEY_DIR_ENV)
    if given:
        return Path(given)
    from platformdirs import user_config_dir  # noqa: PLC0415

    return Path(user_config_dir("kiosk", appauthor=False)) / "keys"


def is_sealed(stored: bytes) -> bool:
    """True when `stored` is a sealed key, False for a key stored in the clear (older files)."""
    return bytes(stored).startswith(SEALED_PREFIX)


class KeyVault:
    """Seals and opens event keys with one random key-encryption key per kiosk database,
    kept in `<folder>/<kiosk id>.key` (mode 0600, folder 0700). The database, its backups
    and copies of them hold the event key only sealed: without the key file they cannot
    sign a code. Needs no keyring and no service: a plain file, on every system.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        """The folder of the key files."""
        return self._folder if self._folder is not None else key_folder()

    def key_file(self, kiosk_id: str) -> Path:
        """The key file of the kiosk database with this id."""
        return self.folder / f"{kiosk_id}.key"

    def seal(self, private_key: bytes, *, event_id: str, kiosk_id: str) -> bytes:
        """`private_key` encrypted with this kiosk's key file (made on first use)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self._key(kiosk_id, create=True)).encrypt(
            nonce, bytes(private_key), _context(event_id, kiosk_id)
        )
        return SEALED_PREFIX + nonce + sealed

    def open(self, stored: bytes, *, event_id: str, kiosk_id: str) -> bytes:
        """The private key from what the database stores; a key in the clear (an older
        file) is returned as it is. `CannotIssueCodesError` when the key file is missing or
        is not the one it was sealed with.
        """
        stored = bytes(stored)
        if not is_sealed(stored):
            return stored
        from cryptography.exceptions import InvalidTag  # noqa: PLC0415
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

        body = stored[len(SEALED_PREFIX) :]
        nonce, sealed = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
        try:
            return AESGCM(self._key(kiosk_id, create=False)).decrypt(
                nonce, sealed, _context(event_id, kiosk_id)
            )
        except InvalidTag:
            raise CannotIssueCodesError(
                f"the event's private key cannot be opened with {self.key_file(kiosk_id)} "
                "(another kiosk's key file?): this kiosk can check codes but not issue them; "
                "join again with 'kiosk init --from-event' and a file with the private key"
            ) from None

    def _key(self, kiosk_id: str, *, create: bool) -> bytes:
        path = self.key_file(kiosk_id)
        try:
            if create and not path.exists():
                _new_key_file(path)
            make_private(path)
            key = path.read_bytes()
        except FileNotFoundError:
            raise CannotIssueCodesError(
                f"the event's private key is sealed with {path}, which is not on this "
                "machine: this kiosk can check codes but not issue them; restore that file, "
                "or join again with 'kiosk init --from-event' and a file with the private key"
            ) from None
        except OSError as error:
            raise CannotIssueCodesError(
                f"cannot read the key file {path}: {error.strerror or error}"
            ) from error
        if len(key) != _KEY_BYTES:
            raise CannotIssueCodesError(f"the key file {path} is damaged ({len(key)} bytes)")
        return key


def _new_key_file(path: Path) -> None:
    """A new random key at `path`, whole or not at all: it is written to a private temporary
    file and linked into place, so a kiosk opening the same database at that moment reads
    either no file or the whole key, and the first of two writers wins.
    """
    private_folder(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=".key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(os.urandom(_KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another kiosk made it first: theirs holds
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _context(event_id: str, kiosk_id: str) -> bytes:
    # Bound to the event and the database: a sealed key moved into another file will not open.
    return f"kiosk event key|{event_id}|{kiosk_id}".encode()
