"""Online backups of a kiosk database with SQLite's backup API, kept as a rotating set."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters.private_files import (
    SQLITE_COMPANIONS,
    create_private_file,
    prepare_database,
    private_folder,
)
from kiosk.adapters.storage.connection import is_sqlite_database, read_only, storage_errors
from kiosk.core.errors import StorageError

# How many backups are kept beside the database; the oldest goes first.
KEEP = 12
FOLDER = "backups"
SUFFIX = ".sqlite3"


def backup_folder(database: Path) -> Path:
    """Where the backups of `database` live: a folder beside it."""
    return database.parent / FOLDER


def check(path: Path) -> str:
    """'ok', or what SQLite's integrity check found wrong with the file at `path`."""
    if not path.is_file():
        return "no such file"
    try:
        conn = read_only(path)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM event").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        return str(error)
    answer = "; ".join(str(row[0]) for row in rows[:3])
    return "ok" if answer == "ok" else answer


def make_backup(database: Path, folder: Path | None = None, keep: int = KEEP) -> Path:
    """Copy `database` while kiosks keep using it (SQLite's online backup), check the copy,
    and drop the oldest backups beyond `keep`; returns the new backup's path.
    """
    folder = folder or backup_folder(database)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{database.stem}-{stamp}{SUFFIX}"
    with storage_errors(database):
        private_folder(folder)
        source = read_only(database)
        partial = target.with_suffix(".partial")
        # A backup holds everything the database does: owner-only.
        prepare_database(partial, is_database=is_sqlite_database)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        problem = check(partial)
        if problem != "ok":
            partial.unlink(missing_ok=True)
            raise StorageError(f"backup of {database} failed its check: {problem}")
        partial.replace(target)
    for old in backups(database, folder)[keep:]:
        old.unlink(missing_ok=True)
    return target


def backups(database: Path, folder: Path | None = None) -> list[Path]:
    """The backups of `database`, newest first."""
    folder = folder or backup_folder(database)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{database.stem}-*{SUFFIX}"), reverse=True)


def newest_good(database: Path, folder: Path | None = None) -> Path | None:
    """The newest backup of `database` that passes the integrity check."""
    return next((path for path in backups(database, folder) if check(path) == "ok"), None)


def restore(backup: Path, database: Path) -> Path | None:
    """Put `backup` in place of `database`'s content (after backing up what is there, when it
    can still be read); returns that safety copy, if one was made.

    The backup API writes into the live file under its locks, so a desk that has it open
    sees the restored content at its next read.
    """
    problem = check(backup)
    if problem != "ok":
        raise StorageError(f"{backup} is not a good kiosk backup: {problem}")
    safety = make_backup(database) if check(database) == "ok" else None
    if safety is None:
        # Nothing good to keep, and SQLite may not open what is there: swap the file whole.
        _replace_file(backup, database)
        return None
    with storage_errors(database):
        source = read_only(backup)
        target = sqlite3.connect(database)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    return safety


def _replace_file(backup: Path, database: Path) -> None:
    temporary = database.with_name(f".{database.name}.restoring")
    try:
        temporary.unlink(missing_ok=True)
        create_private_file(temporary)
        temporary.write_bytes(backup.read_bytes())
        for companion in ("-wal", "-shm"):
            Path(f"{database}{companion}").unlink(missing_ok=True)
        temporary.replace(database)
    except OSError as error:
        raise StorageError(f"cannot restore {database}: {error.strerror or error}") from error


class BackupSet:
    """The backups beside one database, as the purge workflow sees them."""

    def __init__(self, database: Path, folder: Path | None = None) -> None:
        self.database = database
        self.folder = folder or backup_folder(database)

    def files(self) -> list[Path]:
        """Every backup of the database, newest first, with any half-made one."""
        partial = sorted(self.folder.glob(f"{self.database.stem}-*.partial"))
        return backups(self.database, self.folder) + partial

    def delete(self) -> int:
        """Delete every backup of the database; returns how many."""
        found = self.files()
        try:
            for path in found:
                for suffix in ("", *SQLITE_COMPANIONS):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(f"cannot delete the backups in {self.folder}: {error}") from error
        return len(found)
