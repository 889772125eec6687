"""An inbox folder for registration exports: files that stopped growing, moved once handled."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters.private_files import create_private_file, private_folder
from kiosk.core.errors import StorageError

DONE, FAILED = "done", "failed"
# Files that are never exports: partial copies, editors' lock files, our own reason notes.
_IGNORED_PREFIXES = (".", "~$")
_IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".reason.txt")


class InboxFolder:
    """The `Inbox` port over a folder where staff drop the registration system's exports.

    A file is ready once its size and modification time are the same at two looks (a copy
    from a USB stick or a share is still growing before that). Handled files leave the inbox:
    into `done/`, or into `failed/` beside a `.reason.txt` note, so each is handled once.
    One instance remembers the sizes it saw; a desk keeps one and looks every few seconds.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: dict[Path, tuple[int, int]] = {}

    def _candidates(self) -> dict[Path, tuple[int, int]]:
        try:
            private_folder(self.folder)
            found = {}
            for path in self.folder.iterdir():
                name = path.name
                if name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES):
                    continue
                stat = path.stat()
                if path.is_file():
                    found[path] = (stat.st_size, stat.st_mtime_ns)
            return found
        except OSError as error:
            raise StorageError(f"inbox {self.folder}: {error.strerror or error}") from error

    def ready(self) -> list[Path]:
        """The files that have not changed since the last look, oldest first."""
        now = self._candidates()
        ready = [path for path, seen in now.items() if seen[0] and self._seen.get(path) == seen]
        self._seen = now
        return sorted(ready, key=lambda path: (now[path][1], path.name))

    def settle(self, seconds: float) -> list[Path]:
        """Look, wait `seconds`, look again: the ready files, for a one-off run."""
        self.ready()
        time.sleep(seconds)
        return self.ready()

    def done(self, path: Path) -> Path:
        """Move a file that was imported into `done/`."""
        return self._move(path, DONE)

    def failed(self, path: Path, reason: str) -> Path:
        """Move a file that could not be imported into `failed/`, with the reason beside it."""
        moved = self._move(path, FAILED)
        try:
            note = moved.with_name(moved.name + ".reason.txt")
            create_private_file(note)  # the reason may quote the export's rows
            note.write_text(reason + "\n", "utf-8")
        except OSError as error:
            raise StorageError(f"inbox {self.folder}: {error.strerror or error}") from error
        return moved

    def _move(self, path: Path, where: str) -> Path:
        target_folder = self.folder / where
        target = target_folder / path.name
        try:
            private_folder(target_folder)
            if target.exists():  # the same name again: keep both
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
                target = target_folder / f"{path.stem}.{stamp}{path.suffix}"
            os.replace(path, target)
        except OSError as error:
            raise StorageError(f"inbox {self.folder}: {error.strerror or error}") from error
        self._seen.pop(path, None)
        return target
