"""Exporting check-ins for the central registration system: compute the rows, write the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.export import CheckinRow, ExportFormat, checkin_rows, export_format
from kiosk.core.ports import OutputRecord, Store


class CheckinWriter(Protocol):
    """Writes the check-in export to a file (`kiosk.adapters.exporters.CheckinFiles`)."""

    def write_checkins(
        self,
        path: Path,
        format: ExportFormat | str,
        days: Sequence[date],
        rows: Sequence[CheckinRow],
        protected: Sequence[Path],
    ) -> Path:
        """Write `rows` (with a column pair for each of `days`) to `path` in `format`,
        readable by its owner alone; refuse (`InvalidInputError`) a path that is one of
        `protected` or its SQLite companions, or any other kiosk file. Returns the path written.
        """
        ...


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: how many attendee rows, where, in which format."""

    rows: int
    path: Path
    format: ExportFormat
    since: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {
            "file": str(self.path),
            "format": str(self.format),
            "rows": self.rows,
            "since": self.since.isoformat() if self.since else None,
        }


def export_checkins(
    store: Store,
    writer: CheckinWriter,
    path: Path,
    format: ExportFormat | str,
    *,
    since: datetime | None = None,
    protected_paths: Sequence[Path] = (),
    record: OutputRecord | None = None,
) -> ExportReport:
    """Write one row per attendee (cancelled ones and walk-ins too) with each event day's
    first check-in that counts and the number of badge prints, to `path` in `format`.

    With `since` (no offset: the event's time), only attendees with a check-in, undo or print
    at or after it. `protected_paths` (the database) are never written over, nor are the files
    SQLite keeps beside them. Reads only, but for `record`, which remembers the file written
    for `kiosk purge`.
    """
    chosen = export_format(format)
    event = store.event()
    rows = checkin_rows(event, store.attendees(), store.journal(), since)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=event.tz)  # checked by checkin_rows: one moment
    written = writer.write_checkins(path, chosen, event.days, rows, protected_paths)
    if record is not None:
        record.record_output("export", written)
    return ExportReport(len(rows), written, chosen, since)
