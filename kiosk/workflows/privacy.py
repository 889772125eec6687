"""`kiosk purge`: after the event, remove the personal data and keep anonymous counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.errors import InvalidInputError
from kiosk.core.ports import BackupFiles, PersonalDataStore, Store
from kiosk.workflows.config import current_settings


class PurgeStore(Store, PersonalDataStore, Protocol):
    """A store that can also say what personal data it holds and remove it."""


class PurgeNotConfirmedError(InvalidInputError):
    """A purge asked for without confirmation; the message says what it would remove."""


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or would remove), and where personal data may still be."""

    rows: dict[str, int]
    backups: int
    wal_emptied: bool
    elsewhere: tuple[Path, ...]

    def describe(self) -> str:
        """The rows and files, in words."""
        rows = self.rows
        entries = rows.get("journal_entries", 0)
        return (
            f"the names, e-mails, organisations and notes of {rows.get('attendees', 0)} "
            f"attendee(s), {rows.get('codes', 0)} code(s), the personal fields of "
            f"{entries} journal {'entry' if entries == 1 else 'entries'}, "
            f"{rows.get('print_jobs', 0)} print job(s), {rows.get('imports', 0)} import "
            f"record(s) and {self.backups} backup(s)"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON object of the command-line contract."""
        return {
            "removed": {**self.rows, "backups": self.backups},
            "wal_emptied": self.wal_emptied,
            "elsewhere": [str(path) for path in self.elsewhere],
        }


def purge_personal_data(
    store: PurgeStore, backups: BackupFiles, *, confirmed: bool = False
) -> PurgeReport:
    """Remove every attendee's name, e-mail, organisation, country, notes and codes, the
    personal fields journal entries carry, the print queue, the import records and the
    backups; attendees stay as anonymous rows with their category and status and check-ins
    with their day, so `kiosk stats` gives the same counts. Unless `confirmed`, removes
    nothing and raises `PurgeNotConfirmedError` saying what it would remove.

    The sync and inbox folders are other kiosks' too: they are named in the report, not
    emptied.
    """
    settings = current_settings(store)
    elsewhere = tuple(Path(folder) for folder in (settings.sync_dir, settings.inbox_dir) if folder)
    planned = PurgeReport(store.personal_data(), len(backups.files()), False, elsewhere)
    if not confirmed:
        raise PurgeNotConfirmedError(
            f"purge would remove {planned.describe()}, and cannot be undone: "
            "run it again with --yes"
        )
    wal_emptied = store.purge_personal_data()
    return PurgeReport(planned.rows, backups.delete(), wal_emptied, elsewhere)
