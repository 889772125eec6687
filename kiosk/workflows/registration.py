"""Importing a registration export: read, check every row, plan against what is stored, write."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.ports import RegistrationFile, Store
from kiosk.core.registrations import ImportReport, check_rows, plan_import, report_of


def import_registrations(
    store: Store,
    source: RegistrationFile,
    path: Path,
    *,
    cancel_missing: bool = False,
    format_name: str | None = None,
) -> ImportReport:
    """Import the export at `path`, read by `source`: all its good rows in one transaction.

    Rows with errors are skipped and reported with their row and field; nothing already stored
    is lost (check-ins survive, nobody is deleted), and a file that cannot be read changes
    nothing.
    """
    read = source.read(path, format_name)
    registrations, errors, skipped = check_rows(read.rows, store.event().days)
    plan = plan_import(
        store.registered(), registrations, cancel_missing=cancel_missing, skipped=skipped
    )
    store.apply_import(plan)
    return report_of(plan, [*read.problems, *errors], read)
