"""Files kiosk writes for people (exports): private from the start, never over kiosk's own."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from kiosk.adapters.event_file import FORMAT as EVENT_FORMAT
from kiosk.adapters.file_limits import MAX_EVENT_FILE_BYTES as _EVENT_FILE_LIMIT
from kiosk.adapters.journal_folder import SUFFIX as JOURNAL_SUFFIX
from kiosk.adapters.private_files import DATABASE_COMPANIONS, SQLITE_HEADER
from kiosk.core.errors import InvalidInputError, KioskError


class UnsafeOutputError(InvalidInputError):
    """The output path would overwrite kiosk's own data; the message names the path and why."""


class OutputWriteError(KioskError):
    """The output file could not be written; the message names the file and the reason."""


def check_output_path(
    path: Path, protected: Sequence[Path] = (), *, event_file: bool = False
) -> Path:
    """Where `path` will be written (its folder's real path and its name), once it is known
    to be safe to replace with an export.

    Refused (`UnsafeOutputError`): a folder; any of `protected` (the database) or the files
    SQLite keeps beside it, also through a symbolic or hard link; any SQLite database; a kiosk
    journal file (`*.journal.jsonl`); a kiosk event file, unless an `event_file` is being
    written (a new export of the event replaces the old). A missing file, or any other file
    (an earlier export), is fine.
    """
    # A link at `path` is replaced, not written through; both it and what it points at count.
    place = Path(os.path.realpath(path.absolute().parent)) / path.name
    target = Path(os.path.realpath(path))
    if any(p.name.casefold().endswith(JOURNAL_SUFFIX) for p in (place, target)):
        raise UnsafeOutputError(f"{path}: refusing to write over a kiosk journal file")
    for database in protected:
        for suffix, companion in _with_companions(database):
            if _same_file(place, companion) or _same_file(target, companion):
                what = f" (its {suffix} file)" if suffix else ""
                raise UnsafeOutputError(
                    f"{path}: refusing to write over the kiosk database {database}{what}"
                )
    if target.is_dir():
        raise UnsafeOutputError(f"{path}: is a folder, not a file")
    try:
        with target.open("rb") as file:
            head = file.read(_EVENT_FILE_LIMIT + 1)
    except FileNotFoundError:
        return place
    except OSError as error:
        raise OutputWriteError(f"{path}: cannot read the file there: {_reason(error)}") from error
    if head.startswith(SQLITE_HEADER):
        raise UnsafeOutputError(f"{path}: refusing to write over an SQLite database")
    if _is_event_file(head) and not event_file:
        raise UnsafeOutputError(f"{path}: refusing to write over a kiosk event file")
    return place


def write_private_file(
    path: Path, data: bytes, protected: Sequence[Path] = (), *, event_file: bool = False
) -> Path:
    """Write `data` to `path`, readable by its owner alone (mode 0600), after
    `check_output_path`; returns the absolute path written.

    The bytes go to a new temporary file in the same folder, created with mode 0600 (never
    readable by others, not even for a moment), flushed to disk, then renamed over `path` in
    one step: a reader sees the old file or the new one, never half of one. A symbolic link at
    `path` is replaced, not written through.
    """
    place = check_output_path(path, protected, event_file=event_file)
    folder = place.parent
    try:
        # mkstemp opens with O_CREAT | O_EXCL and mode 0600, whatever the umask says.
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name[:64]}.", suffix=".tmp", dir=folder
        )
    except OSError as error:
        raise OutputWriteError(
            f"{path}: cannot create a file in {folder}: {_reason(error)}"
        ) from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, place)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputWriteError(f"{path}: cannot write the file: {_reason(error)}") from error
    _sync_folder(folder)
    return place


def _with_companions(database: Path) -> Iterator[tuple[str, Path]]:
    """The database and the files SQLite keeps beside it, as (suffix, real path)."""
    real = Path(os.path.realpath(database))
    yield "", real
    for suffix in DATABASE_COMPANIONS:
        yield suffix, real.with_name(real.name + suffix)


def _same_file(target: Path, other: Path) -> bool:
    """True when `target` is `other`: the same file on disk, or the same name in the same
    folder ignoring case (a case-insensitive disk makes them one file once either exists).
    """
    with contextlib.suppress(OSError):
        if os.path.samefile(target, other):
            return True
    if target.name.casefold() != other.name.casefold():
        return False
    try:
        return os.path.samefile(target.parent, other.parent)
    except OSError:
        return target.parent == other.parent


def _is_event_file(head: bytes) -> bool:
    if len(head) > _EVENT_FILE_LIMIT or not head.lstrip().startswith(b"{"):
        return False
    try:
        data = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == EVENT_FORMAT


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder and needs no such step."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse to sync a folder; the data itself is on disk
    finally:
        os.close(descriptor)


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return f"{error.strerror or error} (is it open in another program, or read-only?)"
    return str(error.strerror or error)
