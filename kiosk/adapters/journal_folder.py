"""Journals in a shared folder: one JSON-lines file per kiosk, for Syncthing or a USB stick."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from kiosk.core.errors import FileFormatError, StorageError
from kiosk.core.journal import entry_from_dict, entry_to_dict
from kiosk.core.model import JournalEntry

SUFFIX = ".journal.jsonl"
logger = logging.getLogger(__name__)


class JournalFolder:
    """The `JournalTransport` port over a folder that every kiosk of the event can reach.

    Each kiosk appends only to its own file, `<kiosk id>.journal.jsonl`, one entry per line
    written in one `write()` and flushed to disk, and reads the others' files. A file still
    being copied in (Syncthing can deliver a growing file as a prefix) may end in a broken
    line: it is left for the next exchange.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, kiosk_id: str) -> Path:
        return self.folder / f"{kiosk_id}{SUFFIX}"

    def publish(self, kiosk_id: str, entries: Sequence[JournalEntry]) -> None:
        """Append to this kiosk's file the entries it does not hold yet (by number)."""
        path = self._file(kiosk_id)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            last = max((entry.seq for entry in _read(path)), default=0)
            lines = [
                json.dumps(entry_to_dict(entry), ensure_ascii=False, sort_keys=True) + "\n"
                for entry in entries
                if entry.seq > last
            ]
            if not lines:
                return
            with path.open("a", encoding="utf-8") as file:
                file.write("".join(lines))
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            raise StorageError(
                f"journal folder {self.folder}: {error.strerror or error}"
            ) from error

    def collect(self, kiosk_id: str) -> Iterator[JournalEntry]:
        """Every entry in the other kiosks' files."""
        try:
            paths = sorted(self.folder.glob(f"*{SUFFIX}"))
        except OSError as error:
            raise StorageError(
                f"journal folder {self.folder}: {error.strerror or error}"
            ) from error
        for path in paths:
            if path != self._file(kiosk_id):
                yield from _read(path)


def _read(path: Path) -> Iterator[JournalEntry]:
    """The complete lines of a journal file as entries; a broken line is logged and skipped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    except OSError as error:
        raise StorageError(f"journal file {path}: {error.strerror or error}") from error
    lines = text.split("\n")
    for number, line in enumerate(lines[:-1], start=1):  # the last piece has no newline yet
        if not line.strip():
            continue
        try:
            yield entry_from_dict(json.loads(line))
        except (ValueError, FileFormatError) as error:
            logger.warning("%s: line %d: not a journal entry (%s)", path, number, error)
