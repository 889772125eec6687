"""Files and folders kiosk makes for itself: readable by their owner alone, whatever the umask."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

# Attendee data, keys and logs: the owner reads and writes, nobody else. (On Windows only the
# read-only bit follows a mode; the per-user folders kiosk uses are private there already.)
FILE_MODE = 0o600
FOLDER_MODE = 0o700
# The files SQLite keeps beside a database; it makes them with the database's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
# And the one kiosk keeps: touched by whoever waits for the write lock (`LockWaiters`).
WAIT_SIGNAL = "-waiting"
DATABASE_COMPANIONS = (*SQLITE_COMPANIONS, WAIT_SIGNAL)
SQLITE_HEADER = b"SQLite format 3\x00"


def private_folder(path: Path) -> Path:
    """Make the folder `path` with any missing parents; each folder made here is mode 0700.

    A folder that is already there keeps its mode: it may be a shared one the user chose.
    """
    missing: list[Path] = []
    folder = path.absolute()
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        try:
            made.mkdir(FOLDER_MODE)
        except FileExistsError:
            continue  # another kiosk made it meanwhile: it is theirs to set
        # mkdir's mode passes through the umask: set it exactly.
        os.chmod(made, FOLDER_MODE)
    return path


def create_private_file(path: Path) -> bool:
    """Create the empty file `path` with mode 0600 unless something is there; True when made.

    O_EXCL: an existing file (or a link an attacker left) is never opened, truncated or
    followed here.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        if hasattr(os, "fchmod"):  # the mode passed to open went through the umask
            os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return True


def make_private(path: Path) -> None:
    """Take group and others' access away from an existing file (one an older kiosk made)."""
    with contextlib.suppress(OSError):
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, FILE_MODE)


def prepare_database(path: Path, *, is_database: Callable[[Path], bool]) -> bool:
    """Before SQLite opens the database `path`: its folder made private, the file created
    mode 0600 when new (SQLite then makes its -wal and -shm files with the same mode), an
    existing one and its companions made owner-only. True when the file was created here.

    `is_database` tells an existing file that is a database from another file given as --db,
    which is not kiosk's to change; it must not open the file itself
    (`storage.connection.is_sqlite_database` says why).
    """
    private_folder(path.parent)
    if create_private_file(path):
        return True
    if _not_empty(path) and is_database(path):
        for suffix in ("", *DATABASE_COMPANIONS):
            make_private(Path(f"{path}{suffix}"))
    return False


def _not_empty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
