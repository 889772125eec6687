"""`kiosk purge`'s files: what this kiosk wrote outside its database, found in known places."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk.adapters.inbox_folder import DONE, FAILED
from kiosk.adapters.journal_folder import SUFFIX
from kiosk.adapters.log_file import FILE_NAME, log_folder
from kiosk.core.ports import KioskFile

# The folder `printer.Printer.submit` hands a badge PDF to `lp` from; a crash may leave one.
PRINT_TEMP_PREFIX = "kiosk-print-"
_LOG_FILE = re.compile(rf"{re.escape(FILE_NAME)}(\.[0-9]+)?")

SYNC_JOURNAL = "sync journal"
INBOX_DONE = "inbox done"
INBOX_FAILED = "inbox failed"
LOG = "log"
PRINT_TEMP = "print temporary folder"


class KioskFileSweep:
    """The `PersonalFiles` port: looks only where kiosk writes, deletes only what it wrote.

    - the sync folder: this kiosk's own journal file (other kiosks' files are theirs);
    - the inbox folder: the exports kiosk moved into `done/` and `failed/`, with the reasons;
    - the outputs the store recorded (check-in exports, badge PDFs), while each is still the
      file written (device, inode, size, modification time);
    - the log folder: `kiosk.log` and its rotated copies;
    - the temporary folder: `kiosk-print-*` folders a print left behind (this user's).
    """

    def __init__(
        self, logs: Callable[[], Path] = log_folder, temporary: Path | None = None
    ) -> None:
        self._logs = logs
        self._temporary = temporary

    def find(
        self, *, kiosk_id: str, sync_dir: str, inbox_dir: str, outputs: Sequence[KioskFile]
    ) -> tuple[list[KioskFile], list[str]]:
        """What is there to remove, and a sentence for each place or file left alone."""
        found: list[KioskFile] = []
        left: list[str] = []
        if sync_dir:
            self._sync(Path(sync_dir), kiosk_id, found, left)
        if inbox_dir:
            self._inbox(Path(inbox_dir), found, left)
        for output in outputs:
            if _same(output):
                found.append(output)
            elif output.path.exists():
                left.append(
                    f"{output.path} ({output.kind}) changed since kiosk wrote it: left there; "
                    "delete it yourself if it still holds the data"
                )
        found += [KioskFile(LOG, path) for path in _files(self._logs(), _LOG_FILE.fullmatch)]
        temporary = self._temporary or Path(tempfile.gettempdir())
        found += [
            KioskFile(PRINT_TEMP, path)
            for path in _entries(temporary)
            if path.name.startswith(PRINT_TEMP_PREFIX) and _own_folder(path)
        ]
        return found, left

    def remove(self, files: Sequence[KioskFile]) -> tuple[list[KioskFile], list[str]]:
        """Delete `files` (a print folder with what is in it); those deleted, and a sentence
        for each that could not be.
        """
        removed: list[KioskFile] = []
        failures: list[str] = []
        for file in files:
            try:
                if file.identity is not None and not _same(file):
                    continue  # replaced since it was found: not ours any more
                if file.kind == PRINT_TEMP:
                    shutil.rmtree(file.path)
                else:
                    file.path.unlink()
            except FileNotFoundError:
                continue  # already gone
            except OSError as error:
                failures.append(f"{file.path} ({file.kind}): {error.strerror or error}")
                continue
            removed.append(file)
        return removed, failures

    @staticmethod
    def _sync(folder: Path, kiosk_id: str, found: list[KioskFile], left: list[str]) -> None:
        own = folder / f"{kiosk_id}{SUFFIX}"
        if own.is_file() and not own.is_symlink():
            found.append(KioskFile(SYNC_JOURNAL, own))
        others = [path for path in _entries(folder) if path.name.endswith(SUFFIX) and path != own]
        if others:
            left.append(
                f"{folder}: {len(others)} other kiosk(s)' journal file(s), which hold the same "
                "personal data: each kiosk's purge removes its own; delete the rest by hand"
            )

    @staticmethod
    def _inbox(folder: Path, found: list[KioskFile], left: list[str]) -> None:
        for where, kind in ((DONE, INBOX_DONE), (FAILED, INBOX_FAILED)):
            found += [KioskFile(kind, path) for path in _files(folder / where, lambda _: True)]
        waiting = [path for path in _entries(folder) if path.is_file()]
        if waiting:
            left.append(
                f"{folder}: {len(waiting)} file(s) not imported yet (staff put them there): "
                "delete them by hand"
            )


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []  # no such folder (never used, a drive not mounted): nothing found there


def _files(folder: Path, wanted: Callable[[str], object]) -> list[Path]:
    """Files (and links, never what they point to) directly in `folder` whose name is wanted."""
    return [
        path
        for path in _entries(folder)
        if wanted(path.name) and (path.is_symlink() or path.is_file())
    ]


def _own_folder(path: Path) -> bool:
    try:
        found = path.lstat()
    except OSError:
        return False
    import stat  # noqa: PLC0415

    getuid = getattr(os, "getuid", None)
    return stat.S_ISDIR(found.st_mode) and (getuid is None or found.st_uid == getuid())


def _same(output: KioskFile) -> bool:
    """True while the recorded output is still the file kiosk wrote."""
    try:
        found = output.path.lstat()
    except OSError:
        return False
    now = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)
    return output.identity is not None and now == output.identity
