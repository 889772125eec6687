"""Journals in a shared folder: one JSON-lines file per kiosk, for Syncthing or a USB stick."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kiosk.adapters.faults import os_fault
from kiosk.adapters.private_files import create_private_file, private_folder
from kiosk.core.errors import FileFormatError, KioskError, StorageError
from kiosk.core.journal import entry_from_dict, entry_to_dict
from kiosk.core.model import Event, JournalEntry

SUFFIX = ".journal.jsonl"
MARKER = "kiosk-event.json"
MARKER_FORMAT = "kiosk-sync/1"
logger = logging.getLogger(__name__)


class WrongEventFolderError(KioskError):
    """The folder is another event's sync folder: merging it would mix two events."""


class DuplicateKioskError(KioskError):
    """Another kiosk writes under this kiosk's id: its database is a copy of this one."""


class JournalFolder:
    """The `JournalTransport` port over a folder that every kiosk of the event can reach.

    Each kiosk appends only to its own file, `<kiosk id>.journal.jsonl`, one entry per line
    written in one `write()` and flushed to disk, and reads the others' files. A file still
    being copied in (Syncthing can deliver a growing file as a prefix) may end in a broken
    line: it is left for the next exchange. The folder names its event in `kiosk-event.json`;
    a kiosk of another event refuses it. One instance remembers how far it has read each file
    and what it has published, so a desk that exchanges every few seconds reads only what is
    new.
    """

    def __init__(self, folder: Path, event: Event) -> None:
        self.folder = folder
        self.event = event
        self._published: int | None = None  # the highest number in our own file
        self._own: str | None = None  # whose file that is
        self._read_to: dict[Path, tuple[int, int]] = {}  # file -> (inode, offset read up to)
        # How far the last `collect` read, until `collected` says its entries are stored.
        self._reading: dict[Path, tuple[int, int]] = {}
        self._identity: tuple[int, int] | None = None  # the folder's (device, inode) when used

    def _file(self, kiosk_id: str) -> Path:
        return self.folder / f"{kiosk_id}{SUFFIX}"

    def check_event(self) -> None:
        """Make sure the folder is this event's, naming it so when it is new.

        The folder is made on first use, but never its missing parents (a drive not mounted),
        and never again once this instance has used it: a folder gone mid-session (unmounted,
        deleted) is reported until it returns. A folder that returns as another (remounted, or
        made anew without our marker) is read and written again from the start: merging is
        idempotent, and the new one must get every entry.
        """
        marker = self.folder / MARKER
        try:
            if self._identity is not None and not self.folder.is_dir():
                raise StorageError(
                    f"sync folder {self.folder} is gone (unmounted or deleted): check the drive "
                    "or share; check-ins are kept on this kiosk and sent when it is back"
                )
            if not self.folder.parent.is_dir():
                raise FileNotFoundError(self.folder.parent)  # a drive not mounted: said below
            private_folder(self.folder)  # owner-only when made here
            folder = self.folder.stat()
            fresh = not marker.exists()  # made anew (its inode may be the old one's again)
            if fresh or (folder.st_dev, folder.st_ino) != self._identity:
                self._identity = (folder.st_dev, folder.st_ino)
                self._published = None
                self._read_to.clear()
                self._reading.clear()
            if fresh:
                data = {"format": MARKER_FORMAT, "event_id": self.event.id,
                        "event_name": self.event.name}  # fmt: skip
                temporary = marker.with_name(f".{MARKER}.{os.getpid()}.tmp")
                temporary.write_text(json.dumps(data, ensure_ascii=False) + "\n", "utf-8")
                os.replace(temporary, marker)
                return
            data = json.loads(marker.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise StorageError(
                f"sync folder {self.folder} cannot be reached: {self.folder.parent} does not "
                "exist (is the drive mounted, the share connected?)"
            ) from error
        except OSError as error:
            raise os_fault(f"sync folder {self.folder}", error) from error
        except ValueError:
            raise WrongEventFolderError(
                f"sync folder {self.folder}: {MARKER} is not a kiosk sync folder's marker"
            ) from None
        if not isinstance(data, dict) or data.get("event_id") != self.event.id:
            name = data.get("event_name", "?") if isinstance(data, dict) else "?"
            raise WrongEventFolderError(
                f"sync folder {self.folder} belongs to another event ({name!r}); this kiosk "
                f"serves {self.event.name!r} ({self.event.id}): choose this event's folder"
            )

    def publish(self, kiosk_id: str, entries: Sequence[JournalEntry]) -> int:
        """Append to this kiosk's file the entries it does not hold yet (by number); returns
        how many. Refuses when the file holds other entries under our numbers: another kiosk
        writes as this one (a copied database), and its check-ins would be lost.
        """
        self.check_event()
        if kiosk_id != self._own:  # the numbers we remember are another kiosk's
            self._own, self._published = kiosk_id, None
        path = self._file(kiosk_id)
        try:
            if self._published is None:
                own = _numbers(path, self.event.id)
                ours = {entry.seq: entry.uuid for entry in entries}
                clashes = [seq for seq, uuid in own if seq in ours and ours[seq] != uuid]
                if clashes:
                    raise DuplicateKioskError(
                        f"sync folder {self.folder}: another kiosk writes as this one "
                        f"({kiosk_id}; entry {clashes[0]} differs): was this database copied? "
                        "Give the copy its own database (kiosk init --from-event)"
                    )
                self._published = max((seq for seq, _ in own), default=0)
            lines = [
                json.dumps(
                    {**entry_to_dict(entry), "event": self.event.id},
                    ensure_ascii=False,
                    sort_keys=True,
                )
                + "\n"
                for entry in entries
                if entry.seq > self._published
            ]
            if not lines:
                return 0
            create_private_file(path)  # walk-ins' entries carry names and e-mails
            with path.open("a", encoding="utf-8") as file:
                file.write("".join(lines))
                file.flush()
                os.fsync(file.fileno())
            self._published = max(self._published, *(entry.seq for entry in entries))
            return len(lines)
        except OSError as error:
            raise os_fault(f"sync folder {self.folder}", error) from error

    def published(self, kiosk_id: str) -> int:
        """The highest number of ours this instance has seen in the folder; 0 before its first
        exchange, or when the folder returned anew: then it wants every entry, to check them
        against the file and write what the file lacks. Looks at the folder first, so that one
        gone or made anew is known before the store is read.
        """
        self.check_event()
        return (self._published or 0) if kiosk_id == self._own else 0

    def collect(self, kiosk_id: str) -> Iterator[JournalEntry]:
        """The entries in the other kiosks' files that this instance has not handed over
        before, stored (`collected`).
        """
        self.check_event()
        self._reading = {}
        try:
            paths = sorted(self.folder.glob(f"*{SUFFIX}"))
        except OSError as error:
            raise StorageError(f"sync folder {self.folder}: {error.strerror or error}") from error
        for path in paths:
            if path == self._file(kiosk_id):
                continue
            try:
                inode = path.stat().st_ino
            except OSError:
                continue  # gone between the listing and now: next time
            known_inode, offset = self._read_to.get(path, (inode, 0))
            if known_inode != inode:
                offset = 0  # the file was replaced: read it again (merging is idempotent)
            entries, offset = _entries(path, offset, self.event.id)
            yield from entries
            self._reading[path] = (inode, offset)

    def collected(self) -> None:
        """The entries the last `collect` handed over are stored: read on after them."""
        self._read_to.update(self._reading)
        self._reading = {}

    def kiosk_files(self) -> list[Path]:
        """Every kiosk's journal file in the folder."""
        return sorted(self.folder.glob(f"*{SUFFIX}"))


# How `publish` writes the end of a line (its keys sorted): the entry's number, station and
# uuid, after everything else. An own file of a day's entries is read at each first exchange;
# a line that ends otherwise is read as JSON.
_LINE_END = re.compile(rb'"seq": ([0-9]+), "station": "(?:[^"\\]|\\.)*", "uuid": "([^"\\]+)"}\r?$')


def _numbers(path: Path, event_id: str) -> list[tuple[int, str]]:
    """(number, uuid) of each entry in a kiosk's own file: what `publish` compares with the
    store, read without making entries of them (the file holds every entry the kiosk wrote).
    A line that is not an entry of event `event_id` is skipped, as `_entries` skips it.
    """
    try:
        with path.open("rb") as file:
            raw = file.read()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise StorageError(f"journal file {path}: {error.strerror or error}") from error
    found: list[tuple[int, str]] = []
    event = b'"event": ' + json.dumps(event_id).encode() + b', "hlc": '
    slow = False
    for line in raw[: raw.rfind(b"\n") + 1].splitlines():
        end = _LINE_END.search(line)
        # Our own lines: a JSON object of this event's entry (another event's would name it).
        if end is None or not line.startswith(b'{"at": ') or event not in line:
            slow = slow or bool(line.strip())
            continue
        found.append((int(end[1]), end[2].decode("utf-8")))
    if slow:  # a line written otherwise: read the file as `_entries` does
        return _numbers_of_lines(path, event_id)
    return found


def _numbers_of_lines(path: Path, event_id: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for _, data in _lines(path, 0, event_id)[0]:
        try:
            seq, uuid = int(data["seq"]), data["uuid"]
        except (KeyError, TypeError, ValueError):
            continue
        if isinstance(uuid, str) and uuid and seq >= 1:
            found.append((seq, uuid))
    return found


def _entries(path: Path, offset: int, event_id: str) -> tuple[list[JournalEntry], int]:
    """The complete lines of a journal file after `offset` as entries of event `event_id`, and
    the offset after the last complete line; a broken line, or another event's, is skipped.
    """
    lines, end = _lines(path, offset, event_id)
    entries: list[JournalEntry] = []
    for number, data in lines:
        try:
            entries.append(entry_from_dict({k: v for k, v in data.items() if k != "event"}))
        except FileFormatError as error:
            logger.warning("%s: line %d after byte %d: not a journal entry (%s)",
                           path, number, offset, error)  # fmt: skip
    return entries, end


def _lines(path: Path, offset: int, event_id: str) -> tuple[list[tuple[int, dict[str, Any]]], int]:
    """The complete lines of a journal file after `offset` as (line number, JSON object) of
    event `event_id`, and the offset after the last complete line; a line that is not a JSON
    object, or another event's, is skipped.
    """
    try:
        with path.open("rb") as file:
            file.seek(offset)
            raw = file.read()
    except FileNotFoundError:
        return [], offset
    except OSError as error:
        raise StorageError(f"journal file {path}: {error.strerror or error}") from error
    end = raw.rfind(b"\n") + 1  # what follows the last newline is still being written
    found: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(raw[:end].splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode("utf-8"))
        except ValueError as error:
            logger.warning("%s: line %d after byte %d: not a journal entry (%s)",
                           path, number, offset, error)  # fmt: skip
            continue
        if not isinstance(data, dict):
            logger.warning("%s: line %d after byte %d: not a journal entry", path, number, offset)
            continue
        if data.get("event", event_id) != event_id:
            logger.warning("%s: line %d is another event's entry", path, number)
            continue
        found.append((number, data))
    return found, offset + end
