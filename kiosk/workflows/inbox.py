"""The inbox: import every export that has arrived in a folder, once, whatever happens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.errors import KioskError, StorageError
from kiosk.core.ports import RegistrationFile, Store
from kiosk.core.registrations import ImportReport
from kiosk.workflows.registration import import_registrations


class Inbox(Protocol):
    """A folder that export files arrive in."""

    def ready(self) -> list[Path]:
        """The files complete enough to import (their copy has finished)."""
        ...

    def done(self, path: Path) -> Path:
        """Put an imported file aside; returns where it went."""
        ...

    def failed(self, path: Path, reason: str) -> Path:
        """Put a file that could not be imported aside, with the reason."""
        ...


@dataclass(frozen=True)
class InboxReport:
    """What one look at the inbox did: the files imported, and the files that failed."""

    imported: tuple[tuple[Path, ImportReport], ...] = ()
    failed: tuple[tuple[Path, str], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {
            "imported": [{"file": str(p), **report.to_dict()} for p, report in self.imported],
            "failed": [{"file": str(p), "reason": reason} for p, reason in self.failed],
        }


def process_inbox(
    store: Store,
    source: RegistrationFile,
    inbox: Inbox,
    files: list[Path] | None = None,
    *,
    station: str = "",
) -> InboxReport:
    """Import each ready file (or `files`), oldest first, then move it to done/, or to
    failed/ with the reason when it could not be imported at all. Rows with errors do not fail
    a file: its good rows are imported and the errors are in its report.
    """
    imported: list[tuple[Path, ImportReport]] = []
    failed: list[tuple[Path, str]] = []
    for path in inbox.ready() if files is None else files:
        try:
            report = import_registrations(store, source, path, station=station)
        except StorageError:
            raise  # this kiosk's trouble, not the file's: it stays in the inbox for next time
        except KioskError as error:
            failed.append((inbox.failed(path, str(error)), str(error)))
            continue
        imported.append((inbox.done(path), report))
    return InboxReport(tuple(imported), tuple(failed))
