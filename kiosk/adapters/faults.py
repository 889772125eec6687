"""Low-level failures (SQLite's errors, the OS's) as the `StorageError` staff can act on."""

from __future__ import annotations

import errno
import sqlite3

from kiosk.core.errors import DatabaseBusyError, DiskFullError, ReadOnlyError, StorageError

# SQLite's primary result codes (sqlite3.h); an extended code carries one in its low byte.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL = 5, 6, 8, 10, 13
_KEPT = "nothing saved before is lost"


def sqlite_fault(path: object, error: sqlite3.Error) -> StorageError:
    """`error` from the database at `path` as a `StorageError` whose message says what to do."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error)
    where = f"database {path}"
    if code == _SQLITE_FULL or "disk is full" in text:
        return DiskFullError(
            f"{where}: the disk is full, so this was not saved ({_KEPT}); "
            "free space on the disk, then try again"
        )
    if code == _SQLITE_READONLY or "readonly database" in text:
        return ReadOnlyError(
            f"{where} is read-only, so this was not saved ({_KEPT}); make the file and its "
            "folder writable, or copy the database to a writable disk, then try again"
        )
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or text in ("database is locked", "database is busy"):
        return DatabaseBusyError(
            f"{where} is busy: another program kept it locked too long, so this was not saved; "
            "try again, and if it stays busy close the other program that uses this file"
        )
    if code == _SQLITE_IOERR:
        return StorageError(
            f"{where}: the disk could not be read or written ({text}); {_KEPT} unless the disk "
            "is failing: check that it is plugged in and not full, then try again"
        )
    return StorageError(f"{where}: {text}")


def os_fault(what: str, error: OSError) -> StorageError:
    """`error` from the file or folder `what` names ("sync folder /x") as a `StorageError`."""
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"{what}: the disk is full ({reason}); free space, then try again")
    if error.errno == errno.EROFS:
        return ReadOnlyError(
            f"{what}: the disk is read-only ({reason}); make it writable, then try again"
        )
    return StorageError(f"{what}: {reason}")
