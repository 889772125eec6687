"""`kiosk purge`: after the event, remove the personal data and keep anonymous counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.errors import InvalidInputError
from kiosk.core.ports import BackupFiles, KioskFile, PersonalDataStore, PersonalFiles, Store
from kiosk.workflows.config import current_settings


class PurgeStore(Store, PersonalDataStore, Protocol):
    """A store that can also say what personal data it holds and remove it."""


class PurgeNotConfirmedError(InvalidInputError):
    """A purge asked for without confirmation; the message says what it would remove."""


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or would remove), and where personal data may still be:
    `files` kiosk wrote outside the database (removed, or to remove), `left` a sentence for
    each place or file it leaves to the operator, `failures` the files it could not delete.
    """

    rows: dict[str, int]
    backups: int
    wal_emptied: bool
    elsewhere: tuple[Path, ...]
    files: tuple[KioskFile, ...] = ()
    left: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()

    def describe(self) -> str:
        """The rows and files, in words."""
        rows = self.rows
        entries = rows.get("journal_entries", 0)
        return (
            f"the names, e-mails, organisations and notes of {rows.get('attendees', 0)} "
            f"attendee(s), {rows.get('codes', 0)} code(s), the personal fields of "
            f"{entries} journal {'entry' if entries == 1 else 'entries'}, "
            f"{rows.get('print_jobs', 0)} print job(s), {rows.get('imports', 0)} import "
            f"record(s), {self.backups} backup(s) and {len(self.files)} other file(s) kiosk "
            f"wrote{_kinds(self.files)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON object of the command-line contract."""
        return {
            "removed": {**self.rows, "backups": self.backups},
            "files": [{"kind": file.kind, "path": str(file.path)} for file in self.files],
            "left": list(self.left),
            "failures": list(self.failures),
            "wal_emptied": self.wal_emptied,
            "elsewhere": [str(path) for path in self.elsewhere],
        }


def _kinds(files: tuple[KioskFile, ...]) -> str:
    counts = Counter(file.kind for file in files)
    return f" ({', '.join(f'{n} {kind}' for kind, n in counts.items())})" if counts else ""


def purge_personal_data(
    store: PurgeStore,
    backups: BackupFiles,
    files: PersonalFiles | None = None,
    *,
    confirmed: bool = False,
) -> PurgeReport:
    """Remove every attendee's name, e-mail, organisation, country, notes and codes, the
    personal fields journal entries carry, the print queue, the import records and the
    backups; attendees stay as anonymous rows with their category and status and check-ins
    with their day, so `kiosk stats` gives the same counts. With `files`, also what this
    kiosk wrote outside the database, in the places it knows (its sync journal, the inbox's
    done/ and failed/, the exports and badge PDFs it recorded, its logs, print leftovers).
    Unless `confirmed`, removes nothing and raises `PurgeNotConfirmedError` saying what it
    would remove.

    Other kiosks' journals in the sync folder, files waiting in the inbox and outputs changed
    since they were written are not kiosk's alone: they are named in `left`, not deleted.
    """
    settings = current_settings(store)
    elsewhere = tuple(Path(folder) for folder in (settings.sync_dir, settings.inbox_dir) if folder)
    found: list[KioskFile] = []
    left: list[str] = []
    if files is not None:
        found, left = files.find(
            kiosk_id=store.kiosk_id(),
            sync_dir=settings.sync_dir,
            inbox_dir=settings.inbox_dir,
            outputs=store.outputs(),
        )
    planned = PurgeReport(
        store.personal_data(), len(backups.files()), False, elsewhere, tuple(found), tuple(left)
    )
    if not confirmed:
        raise PurgeNotConfirmedError(
            f"purge would remove {planned.describe()}, and cannot be undone: "
            "run it again with --yes"
        )
    # The files first: the database forgets the recorded outputs when it is purged.
    removed, failures = files.remove(found) if files is not None else ([], [])
    wal_emptied = store.purge_personal_data()
    return PurgeReport(
        planned.rows,
        backups.delete(),
        wal_emptied,
        elsewhere,
        tuple(removed),
        tuple(left),
        tuple(failures),
    )
